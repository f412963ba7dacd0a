"""Atom feeds in the real site: announced in each page's head, linked on the pages, and every entry leads to a page."""

from __future__ import annotations

import feedparser  # type: ignore[import-untyped]  # no stubs; the tests only read its results
import pytest
from mkdocs.config import load_config
from playwright.sync_api import Page, expect

from ..conftest import ROOT

# The feeds' links are absolute, at the published address; the test serves the site elsewhere.
SITE_URL = load_config(str(ROOT / "mkdocs.yml")).site_url
ATOM = 'link[rel~="alternate"][type="application/atom+xml"]'


@pytest.mark.parametrize(
    ("path", "own"),
    [
        ("", None),
        ("pratiques/etape-ciste/", None),
        ("guide/clauses-sociales/", "flux/guide/clauses-sociales.xml"),
        ("territoires/poitou-charentes/", "flux/territoires/poitou-charentes.xml"),
        ("publics/jeunes/", "flux/publics/jeunes.xml"),
    ],
)
def test_the_head_announces_the_base_feed_and_the_page_feed(page: Page, base_url: str, path: str, own: str | None) -> None:
    failed: list[str] = []
    page.on("requestfinished", lambda request: failed.append(request.url) if (r := request.response()) and r.status >= 400 else None)
    page.goto(f"{base_url}{path}")
    page.wait_for_load_state("networkidle")
    # Feed readers find the feeds (« alternate » with the Atom type); the theme does not look for translations beside them.
    assert not failed, failed
    links = page.locator(ATOM)
    hrefs = [links.nth(n).get_attribute("href") or "" for n in range(links.count())]
    assert any(href.endswith("/flux/tout.xml") for href in hrefs), hrefs
    assert all(links.nth(n).get_attribute("title") for n in range(links.count()))
    if own:
        assert len(hrefs) == 2 and hrefs[1].endswith("/" + own), hrefs
        button = page.locator("article a", has_text="S'abonner (flux Atom)")
        expect(button).to_be_visible()
        assert (button.get_attribute("href") or "").endswith("/" + own)
        # The announced feed is served and is Atom.
        response = page.request.get(page.evaluate("href => new URL(href, location.href).href", hrefs[1]))
        assert response.ok and feedparser.parse(response.body()).version == "atom10"
    else:
        assert len(hrefs) == 1, hrefs


def test_every_entry_of_the_feeds_leads_to_a_page_of_the_site(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}nouveautes/")
    expect(page.locator("article h1")).to_contain_text("Nouveautés")
    expect(page.locator("article a", has_text="S'abonner (flux Atom)")).to_be_visible()
    for feed_path in ("flux/tout.xml", "flux/territoires/poitou-charentes.xml", "flux/guide/clauses-sociales.xml"):
        response = page.request.get(f"{base_url}{feed_path}")
        assert response.ok, feed_path
        feed = feedparser.parse(response.body())
        assert not feed.bozo and feed.entries, feed_path
        for entry in feed.entries:
            assert entry.link.startswith(SITE_URL), entry.link
            local = base_url + entry.link.removeprefix(SITE_URL)
            assert page.request.get(local).ok, (feed_path, entry.link)
