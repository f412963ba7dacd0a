"""Search as readers use it: French queries, the header field, the search page, facets, the list filters."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from ..support.browser import RequestLog, new_context

QUERIES = yaml.safe_load((Path(__file__).parent.parent / "search" / "queries-fr.yml").read_text(encoding="utf-8"))
TOP = 5
JS_URI_SAFE = "!*'()"


def header_results(page: Page, query: str) -> list[str]:
    field = page.locator("#kb-search-input")
    field.fill(query)
    # The "all results" link carries the query once the results for it are shown
    # (encoded as JavaScript's encodeURIComponent does).
    encoded = quote(query, safe=JS_URI_SAFE)
    expect(page.locator(f'.kb-search__all[href$="?q={encoded}"]')).to_be_attached()
    return [t.strip() for t in page.locator(".kb-search__list .kb-result__title").all_inner_texts()]


@pytest.fixture(scope="module")
def search_page(browser: Browser, base_url: str) -> Page:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.goto(base_url)
    return page


def test_the_query_set_is_large_enough() -> None:
    assert len(QUERIES) >= 12 + 30
    assert len({q["query"] for q in QUERIES}) == len(QUERIES)


@pytest.mark.parametrize("case", QUERIES, ids=[q["query"] for q in QUERIES])
def test_french_query_finds_what_it_must(search_page: Page, case: dict[str, object]) -> None:
    titles = header_results(search_page, str(case["query"]))[:TOP]
    expected = [str(word) for word in case["expect"]]  # type: ignore[attr-defined]
    assert any(word.casefold() in title.casefold() for title in titles for word in expected), (case["query"], titles)


def test_words_found_on_every_page_are_not_sent_to_the_index(search_page: Page, base_url: str) -> None:
    terms = search_page.evaluate(
        """async (url) => {
            const { searchTerms } = await import(url + 'assets/javascripts/kb-search.js');
            return ["La formation des jeunes", "maison de l’emploi", "l'insertion", "de la", "  du  "].map(searchTerms);
        }""",
        base_url,
    )
    assert terms == ["formation jeunes", "maison emploi", "insertion", "de la", "du"]


def test_header_search_shows_title_kind_and_highlighted_excerpt_with_keyboard(page: Page, base_url: str) -> None:
    page.goto(base_url + "a-propos/")
    if not page.locator("#kb-search-input").is_visible():
        # On a phone the header holds a search button leading to the search page.
        page.get_by_role("link", name="Rechercher", exact=True).first.click()
        expect(page).to_have_url(re.compile(r"/recherche/$"))
        return
    page.keyboard.press("/")
    expect(page.locator("#kb-search-input")).to_be_focused()
    page.keyboard.type("metiers")
    first = page.locator(".kb-search__list .kb-result").first
    expect(first.locator(".kb-result__title")).to_contain_text("métiers")
    expect(first.locator(".kb-result__kind")).not_to_be_empty()
    expect(first.locator(".kb-result__excerpt mark").first).to_contain_text("métier")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".kb-search__list a").first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".kb-search__list a").nth(1)).to_be_focused()
    title = page.locator(".kb-search__list a").nth(1).locator(".kb-result__title").inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("article h1")).to_contain_text(title.strip())


def test_search_page_runs_the_query_from_the_url(page: Page, base_url: str) -> None:
    page.goto(base_url + "recherche/?q=" + quote("clauses sociales"))
    expect(page.locator("#kb-search-page-input")).to_have_value("clauses sociales")
    expect(page.locator(".kb-results__status")).to_contain_text("résultat")
    links = page.locator(".kb-results a.kb-result__link")
    expect(links.first).to_be_visible()
    href = links.first.get_attribute("href")
    assert href and href.startswith("/bonnes-pratiques/")
    links.first.click()
    expect(page.locator("article h1")).to_contain_text("lauses sociales")


def count_of(label_text: str) -> int:
    match = re.search(r"\((\d+)\)\s*$", label_text)
    assert match, label_text
    return int(match.group(1))


def test_facets_narrow_results_with_correct_counts_and_combine(page: Page, base_url: str) -> None:
    page.goto(base_url + "recherche/?q=emploi")
    status = page.locator(".kb-results__status")
    expect(status).to_contain_text("résultats")
    total = int(status.inner_text().split()[0])
    value = page.locator(".kb-facet__value", has=page.locator('input[name="territoire"][value="Alpes-Maritimes"]'))
    expected = count_of(value.inner_text())
    assert 0 < expected < total
    value.locator("input").check()
    expect(status).to_have_text(re.compile(rf"^{expected} résultats?$"))
    expect(page).to_have_url(re.compile(r"[?&]territoire=Alpes-Maritimes"))
    expect(page.locator(".kb-result")).to_have_count(min(expected, 10))
    # A second facet combines with the first (AND), and its count is again exact.
    second = page.locator(".kb-facet__value", has=page.locator('input[name="theme"]')).first
    narrowed = count_of(second.inner_text())
    second.locator("input").check()
    expect(status).to_have_text(re.compile(rf"^{narrowed} résultats?$"))
    expect(page).to_have_url(re.compile(r"theme="))
    # Reloading the URL restores the same search: it can be shared.
    page.reload()
    expect(status).to_have_text(re.compile(rf"^{narrowed} résultats?$"))


def test_a_region_includes_the_towns_inside_it(page: Page, base_url: str) -> None:
    # The Cherbourg practice is attached to Cherbourg only; France contains it.
    page.goto(base_url + "recherche/?q=cherbourg&territoire=France")
    expect(page.locator(".kb-result__title").first).to_contain_text("Cherbourg")


def test_explorer_filters_open_the_search_page_with_the_counted_results(page: Page, base_url: str) -> None:
    page.goto(base_url + "pratiques/")
    value = page.locator(".kb-explorer .kb-facet__value", has=page.locator('input[name="nature"][value="Expérimentation"]'))
    expected = count_of(value.inner_text())
    assert 0 < expected < page.locator("[data-kb-explorer] tbody tr").count()
    # A click, not check(): the page is left at once for the search page.
    value.locator("input").click()
    expect(page).to_have_url(re.compile(r"recherche/\?nature=Exp%C3%A9rimentation$"))
    expect(page.locator("#kb-search-page .kb-results__status")).to_have_text(f"{expected} résultats")
    for kind in page.locator(".kb-result__kind").all_inner_texts():
        assert kind.strip() == "Fiche"


def test_explorer_is_a_plain_list_of_links_without_javascript(browser: Browser, base_url: str) -> None:
    log = RequestLog()
    context = browser.new_context(java_script_enabled=False)
    context.on("request", lambda request: log.requested.append(request.url))
    page = context.new_page()
    page.goto(base_url + "pratiques/")
    links = page.locator("[data-kb-explorer] tbody tr td:first-child a")
    assert links.count() >= 15
    assert page.locator(".kb-explorer").count() == 0
    links.first.click()
    expect(page.locator("article .admonition.info")).to_be_visible()
    context.close()
    assert not log.third_party
