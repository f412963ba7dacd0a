"""Deciding what to copy, in the browser: evidence in search results, the evidence map's counts
leading to the practices they count, the list sorted by evidence, and the new pages on paper."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from ..support.browser import RequestLog, new_context
from .test_layout import WIDEST


def test_search_results_say_how_well_each_practice_is_known(page: Page, base_url: str) -> None:
    page.goto(base_url + "recherche/?q=parrainage")
    first = page.locator(".kb-results .kb-result").filter(has=page.locator(".kb-result__kind", has_text="Fiche")).first
    expect(first).to_be_visible()
    evidence = first.locator(".kb-result__evidence")
    # Words and rank, never the marks alone; the marks are hidden from screen readers.
    expect(evidence).to_contain_text(re.compile(r"Preuve : (Annoncée|Décrite par ses acteurs|Suivie|Évaluée|Évaluée avec comparaison) \(niveau \d sur 5\)"))
    expect(evidence.locator(".kb-evidence__marks")).to_have_attribute("aria-hidden", "true")


def test_each_count_of_the_evidence_map_opens_the_practices_it_counts(page: Page, base_url: str) -> None:
    page.goto(base_url + "preuves/")
    cells = page.locator("xpath=//h2[@id='par-theme']/following::table[1]//tbody//td//a")
    count = cells.count()
    assert count >= 3
    for index in (0, count - 1):
        page.goto(base_url + "preuves/")
        link = cells.nth(index)
        expected = int(link.inner_text())
        href = link.get_attribute("href")
        assert href and "theme=" in href and "preuve=" in href
        link.click()
        # The search page, filtered on the theme and the level: as many results as the map said.
        expect(page.locator(".kb-results .kb-result")).to_have_count(expected)


def test_the_list_sorted_by_evidence_starts_with_the_best_known(page: Page, base_url: str) -> None:
    page.goto(base_url + "pratiques/")
    page.get_by_role("link", name="par niveau de preuve").click()
    expect(page).to_have_url(re.compile(r"pratiques/par-niveau-de-preuve/$"))
    ranks = [int(text) for text in re.findall(r"niveau (\d) sur 5", page.locator("[data-kb-explorer] tbody").inner_text())]
    assert ranks and ranks == sorted(ranks, reverse=True)


@pytest.mark.parametrize("path", ["methode/", "preuves/", "comparer/"])
def test_the_new_pages_print_on_a4_without_controls_or_cut_columns(browser: Browser, base_url: str, path: str) -> None:
    # A4 at 96 dpi, less Chromium's default margins.
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.set_viewport_size({"width": 718, "height": 1000})
    page.emulate_media(media="print")
    page.goto(base_url + path)
    for selector in ("input[type=checkbox]", ".kb-compare-bar", "button", ".md-header", ".md-sidebar--primary"):
        visible = [n for n in page.locator(selector).all() if n.is_visible()]
        assert not visible, (path, selector)
    found = page.evaluate(WIDEST)
    assert found["page"] <= found["screen"], found
    context.close()
