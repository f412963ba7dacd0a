"""Phone first: what Nadia sees on a 390×844 phone without scrolling, what is cut, where the keyboard goes;
the same checks at 1280×800 for Marc."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from ..support.browser import RequestLog, new_context
from .conftest import PAGE_KINDS
from .test_search import open_filters


def bottom(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box, selector
    return box["y"] + box["height"]


def screen_height(page: Page) -> int:
    size = page.viewport_size
    assert size
    return size["height"]


def test_the_first_result_shows_without_scrolling(page: Page, base_url: str) -> None:
    page.goto(base_url + "recherche/?q=emploi")
    first = page.locator(".kb-results .kb-result__link").first
    expect(first).to_be_visible()
    assert bottom(page, ".kb-results .kb-result__link") <= screen_height(page)


def test_the_first_practice_shows_without_scrolling(page: Page, base_url: str) -> None:
    page.goto(base_url + "pratiques/")
    # Once the script has placed the filters above the list, with their values.
    expect(page.get_by_role("button", name="Filtrer les fiches")).to_be_visible()
    expect(page.locator(".kb-explorer .kb-facet").first).to_be_attached()
    assert bottom(page, "[data-kb-explorer] tbody tr a") <= screen_height(page)


# The right edge of everything in the page, inside any frame: a cell hidden in a
# table's scrolling frame counts as cut (what is hidden on purpose, for screen
# readers only, does not).
WIDEST = """() => {
  const hiddenOnPurpose = (node) => {
    for (let up = node; up; up = up.parentElement) if (up.getBoundingClientRect().width <= 1 && getComputedStyle(up).overflow === "hidden") return true;
    return false;
  };
  let widest = null;
  for (const node of document.querySelectorAll(".md-main *, .md-header *")) {
    const box = node.getBoundingClientRect();
    if (!box.width || getComputedStyle(node).visibility === "hidden" || hiddenOnPurpose(node)) continue;
    if (!widest || box.right > widest.right)
      widest = { right: Math.round(box.right), tag: node.tagName, text: node.textContent.trim().slice(0, 40) };
  }
  return { widest, page: document.documentElement.scrollWidth, screen: innerWidth };
}"""


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_nothing_is_cut_on_a_phone(browser: Browser, base_url: str, kind: str) -> None:
    log = RequestLog()
    context = new_context(browser, log, viewport="phone")
    page = context.new_page()
    page.goto(base_url + PAGE_KINDS[kind])
    page.wait_for_load_state("networkidle")
    found = page.evaluate(WIDEST)
    context.close()
    assert found["page"] <= found["screen"], found
    # The drawer (closed, hidden) and the header field (closed) are left of or within the screen.
    assert found["widest"]["right"] <= found["screen"], found
    assert not log.third_party


def test_focus_stays_on_the_facet_just_toggled(page: Page, base_url: str) -> None:
    page.goto(base_url + "recherche/?q=emploi")
    status = page.locator(".kb-results__status")
    expect(status).to_contain_text("résultats")
    before = status.inner_text()
    open_filters(page)
    box = page.locator('.kb-facet input[name="territoire"][value="Alpes-Maritimes"]')
    box.focus()
    page.keyboard.press("Space")
    expect(status).not_to_have_text(before)
    expect(box).to_be_checked()
    expect(box).to_be_focused()
    page.keyboard.press("Space")
    expect(status).to_have_text(before)
    expect(box).not_to_be_checked()
    expect(box).to_be_focused()


def test_the_filter_button_says_how_many_filters_are_active(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog(), viewport="phone")
    page = context.new_page()
    page.goto(base_url + "recherche/?q=emploi&territoire=Alpes-Maritimes&nature=Pratique")
    toggle = page.locator("#kb-search-page .kb-filter-toggle")
    expect(toggle).to_have_text("Filtrer (2 filtres actifs)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".kb-facets-panel")).to_be_hidden()
    # Folded, the results come right after it.
    assert bottom(page, ".kb-results .kb-result__link") <= screen_height(page)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".kb-facets-panel")).to_be_visible()
    page.locator('.kb-facet input[name="nature"][value="Pratique"]').uncheck()
    expect(toggle).to_have_text("Filtrer (1 filtre actif)")
    done = page.locator(".kb-facets__done")
    count = page.locator(".kb-results__status").inner_text().split()[0]
    expect(done).to_have_text(re.compile(rf"^Voir {count} résultats?$"))
    done.click()
    expect(page.locator(".kb-facets-panel")).to_be_hidden()
    expect(page.locator(".kb-results .kb-result__link").first).to_be_focused()
    context.close()


# Tab stops, from the top of the page or from an element, up to the first result:
# each one's position, to see that none is off the screen.
def tab_to(page: Page, selector: str, limit: int = 60) -> list[dict[str, float]]:
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """(selector) => {
                const a = document.activeElement;
                const box = a.getBoundingClientRect();
                return { x: box.x, right: box.right, width: box.width, tag: a.tagName, text: (a.textContent || a.value || "").trim().slice(0, 30),
                         done: a.matches(selector) };
            }""",
            selector,
        )
        stops.append(stop)
        if stop["done"]:
            return stops
    raise AssertionError(f"{selector} not reached in {limit} Tab presses: {stops}")


def test_results_are_a_few_tab_presses_away(page: Page, base_url: str) -> None:
    phone = page.viewport_size == {"width": 390, "height": 844}
    page.goto(base_url + "recherche/?q=emploi")
    expect(page.locator(".kb-results .kb-result__link").first).to_be_visible()
    # From the field: the button, (on a phone « Filtrer »,) the first result.
    page.locator("#kb-search-page-input").focus()
    assert len(tab_to(page, ".kb-results .kb-result__link")) == (3 if phone else 2)
    page.goto(base_url + "recherche/?q=emploi")
    expect(page.locator(".kb-results .kb-result__link").first).to_be_visible()
    if phone:
        # From the top of the page, every stop on the screen (the closed menu is not in the way).
        stops = tab_to(page, ".kb-results .kb-result__link")
        assert len(stops) <= 10, stops
        assert all(stop["x"] >= 0 and stop["right"] <= 390 for stop in stops), stops
        page.goto(base_url + "recherche/?q=emploi")
        expect(page.locator(".kb-results .kb-result__link").first).to_be_visible()
        assert len(tab_to(page, ".kb-filter-toggle")) <= 9
    else:
        # The desktop menu comes first; the skip link jumps over it.
        page.keyboard.press("Tab")
        expect(page.locator(".md-skip")).to_be_focused()
        page.keyboard.press("Enter")
        assert len(tab_to(page, ".kb-results .kb-result__link")) <= 5
