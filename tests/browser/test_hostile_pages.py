"""Hostile sheets that pass validation, rendered and opened in Chromium: no
dialog, no script of theirs runs, no request leaves the site.

The harmless sheets of tests/hostile/harmless/ carry script, event handlers,
javascript: links and template syntax in every text field. The last test
breaks a copy of their site on purpose and checks that these checks see it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Dialog, Page

from ..conftest import FIXTURES
from ..helpers import mkdocs_build
from ..support.browser import RequestLog, new_context, serve

HARMLESS = Path(__file__).parent.parent / "hostile" / "harmless"
PAGES = [
    "pratiques/balises-en-texte/",
    "pratiques/typage-implicite/",
    "pratiques/titres-accentues/",
    "pratiques/",
    "",
    "organisations/operateur-c/",
    "guide/decouverte/",
    "territoires/france/",
    "recherche/?q=" + quote("piégé"),
]

# The search page's form and the explorer's filters are the site's own controls,
# built by its script with text only: they are left out of the element checks.
FINDINGS_JS = """() => {
  const article = document.querySelector("article");
  const ours = (node) => node.closest("#kb-search-page, .kb-explorer, .kb-compare-pick");
  const found = [];
  if (window.__hostile !== undefined) found.push("script ran: " + window.__hostile);
  for (const node of article.querySelectorAll("*")) {
    for (const attribute of node.getAttributeNames()) {
      if (attribute.startsWith("on")) found.push("handler " + attribute + " on " + node.tagName);
      if (attribute === "style" && !(["TH", "TD"].includes(node.tagName) && /^text-align:\\s*\\w+;?$/.test(node.getAttribute("style"))))
        found.push("style on " + node.tagName);
    }
  }
  for (const link of article.querySelectorAll("a[href]")) {
    if (!["http:", "https:", "mailto:"].includes(link.protocol)) found.push("link " + link.protocol + " " + link.getAttribute("href"));
  }
  for (const tag of ["script", "iframe", "object", "embed", "form", "input", "style", "img", "marquee", "link", "meta", "base"]) {
    for (const node of article.querySelectorAll(tag)) if (!ours(node)) found.push("element " + tag);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    practices = tmp_path_factory.mktemp("hostile") / "practices"
    shutil.copytree(FIXTURES / "small", practices)
    for sheet in HARMLESS.glob("*.yml"):
        shutil.copy(sheet, practices / sheet.name)
    site = practices.parent / "site"
    result = mkdocs_build(practices, site)
    assert result.returncode == 0, result.stderr
    return site


def findings(browser: Browser, url: str) -> list[str]:
    log = RequestLog()
    context = new_context(browser, log)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="networkidle")
    found: list[str] = [str(item) for item in page.evaluate(FINDINGS_JS)]
    found += [f"dialog: {m}" for m in dialogs] + [f"request: {u}" for u in log.third_party]
    found += [f"page error: {e}" for e in errors]
    context.close()
    return found


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with serve(hostile_site) as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_stays_text_in_the_browser(browser: Browser, hostile_url: str, path: str) -> None:
    assert findings(browser, hostile_url + path) == []


def test_hostile_titles_show_as_typed(browser: Browser, hostile_url: str) -> None:
    context = new_context(browser, RequestLog())
    page: Page = context.new_page()
    page.goto(hostile_url + "pratiques/balises-en-texte/")
    assert page.title().startswith('<script>window.__hostile = "titre"; alert("titre")</script> Titre piégé')
    assert page.locator("article h1").inner_text().startswith("<script>window.__hostile")
    assert page.locator('meta[name="description"]').get_attribute("content", timeout=1000).startswith('<img src="x" onerror=')  # type: ignore[union-attr]
    # The header search lists the title as text too.
    page.keyboard.press("/")
    page.keyboard.type("piégé")
    first = page.locator(".kb-search__list .kb-result__title").first
    assert first.inner_text().startswith("<script>window.__hostile")
    assert page.evaluate("window.__hostile") is None
    context.close()


def test_heading_anchors_are_unique_and_stable_with_accents(hostile_site: Path, browser: Browser, hostile_url: str) -> None:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.goto(hostile_url + "pratiques/titres-accentues/")
    ids = page.evaluate("() => [...document.querySelectorAll('article [id]')].map(e => e.id)")
    context.close()
    assert len(ids) == len(set(ids)), ids
    assert {"elements-descriptifs", "elements-descriptifs_1", "elements-descriptifs_2", "ca-marche-a-evreux", "sources"} <= set(ids), ids


def test_the_checks_see_a_page_broken_on_purpose(browser: Browser, hostile_site: Path, tmp_path: Path) -> None:
    broken = tmp_path / "site"
    shutil.copytree(hostile_site, broken)
    page = broken / "pratiques" / "balises-en-texte" / "index.html"
    html = page.read_text(encoding="utf-8")
    marker = '<article class="md-content__inner md-typeset">'
    injected = (
        """<img src=x onerror="window.__hostile = 'img'; alert('img')">"""
        """<a href="javascript:alert(1)">lien</a><p style="position:fixed">x</p>"""
        """<iframe src="https://exemple.invalid/"></iframe>"""
    )
    page.write_text(html.replace(marker, marker + injected, 1), encoding="utf-8")
    with serve(broken) as url:
        found = findings(browser, url + "pratiques/balises-en-texte/")
    assert "script ran: img" in found and "dialog: img" in found, found
    assert "handler onerror on IMG" in found and "link javascript: javascript:alert(1)" in found, found
    assert "style on P" in found and "element iframe" in found and "element img" in found, found
    assert "request: https://exemple.invalid/" in found, found
