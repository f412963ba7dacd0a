"""Accessibility, valid HTML, no broken link, no third party, screenshots — on the real content."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from ..support.browser import PRINT_SCREENSHOTS, SCREENSHOTS, RequestLog, axe_violations, crawl, new_context, take_screenshots, vnu_messages
from .conftest import PAGE_KINDS

# Non-error messages of the Nu HTML Checker that the toolchain causes, each with
# why it is accepted. Errors are never accepted; any message not listed fails.
ALLOWED_VNU = {
    "Trailing slash on void elements has no effect": (
        "Python-Markdown writes XHTML-style void elements (<hr />, <img … />); every attribute value "
        "is quoted, so the slash is inert. Reported as 'info', not as an error."
    ),
}


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_serious_accessibility_violation(browser: Browser, base_url: str, kind: str, scheme: str) -> None:
    log = RequestLog()
    context = new_context(browser, log, color_scheme=scheme)
    page = context.new_page()
    page.goto(base_url + PAGE_KINDS[kind])
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    violations = axe_violations(page)
    context.close()
    assert not violations, violations
    assert not log.third_party


SEARCH_STATES = [
    "search page with results and facets",
    "header results open",
    "phone: search page with a suggestion, a filter and the filters open",
    "phone: header field open with a correction",
]


@pytest.mark.parametrize("state", SEARCH_STATES)
def test_search_ui_has_no_serious_accessibility_violation(browser: Browser, base_url: str, scheme: str, state: str) -> None:
    log = RequestLog()
    context = new_context(browser, log, color_scheme=scheme, viewport="phone" if state.startswith("phone") else "desktop")
    page = context.new_page()
    if state == "search page with results and facets":
        page.goto(base_url + "recherche/?q=emploi")
        page.locator(".kb-facet__value").first.wait_for()
    elif state == "header results open":
        page.goto(base_url)
        page.locator("#kb-search-input").fill("insertion")
        page.locator(".kb-search__list .kb-result").first.wait_for()
    elif state.startswith("phone: search page"):
        page.goto(base_url + "recherche/?q=achteurs+publics&territoire=France")
        page.locator(".kb-suggest button").first.wait_for()
        page.locator(".kb-filter-toggle").click()
        page.locator(".kb-facet__value").first.wait_for()
    else:
        page.goto(base_url + "a-propos/")
        page.get_by_role("button", name="Rechercher", exact=True).click()
        page.locator("#kb-search-input").fill("parainage")
        page.locator(".kb-search__list .kb-result").first.wait_for()
    violations = axe_violations(page)
    context.close()
    assert not violations, violations


def test_html_is_valid(site_dir: Path) -> None:
    # Every page, not only one of each kind: the checker reads the whole site in seconds.
    files = sorted(site_dir.rglob("*.html"))
    assert len(files) > len(PAGE_KINDS)
    messages = vnu_messages(files)
    errors = [m for m in messages if m["type"] == "error"]
    assert not errors, "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in errors)
    unexpected = [m for m in messages if not any(m["message"].startswith(allowed) for allowed in ALLOWED_VNU)]
    assert not unexpected, "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}" for m in unexpected)


def test_every_internal_link_and_anchor_resolves(site_dir: Path, base_url: str) -> None:
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    report = crawl(base_url, [page.removesuffix("index.html") for page in pages])
    assert report.pages >= len(pages)
    assert not report.broken, "\n".join(report.broken)


def every_page_kind(browser: Browser, base_url: str, log: RequestLog, viewport: str, scheme: str) -> Iterator[str]:
    context = new_context(browser, log, viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    for uri in PAGE_KINDS.values():
        page.goto(base_url + uri)
        page.wait_for_load_state("networkidle")
        yield uri
    context.close()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_nothing_is_requested_from_a_third_party(browser: Browser, base_url: str, viewport: str, scheme: str) -> None:
    log = RequestLog()
    visited = list(every_page_kind(browser, base_url, log, viewport, scheme))
    assert len(visited) == len(PAGE_KINDS)
    assert any(url.endswith(".js") for url in log.requested), "scripts were loaded, so requests were seen"
    assert not log.third_party, log.third_party


def test_screenshots_for_people(browser: Browser, base_url: str, tmp_path: Path) -> None:
    written = take_screenshots(browser, base_url, tmp_path)
    assert sorted(p.name for p in written) == sorted(
        [f"{name}-{viewport}.png" for name in SCREENSHOTS for viewport in ("desktop", "phone")] + [f"{name}-print.png" for name in PRINT_SCREENSHOTS]
    )
    for picture in written:
        assert picture.read_bytes().startswith(b"\x89PNG") and picture.stat().st_size > 10_000
