"""The map of /carte/ in Chromium, at both widths: seen whole, counts readable, every zone's link
reachable with the keyboard and leading to its territory; a territory page shows where it is."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from ..support.browser import VIEWPORTS, RequestLog, new_context


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_map_shows_france_with_its_counts_and_links(browser: Browser, base_url: str, viewport: str) -> None:
    context = new_context(browser, RequestLog(), viewport=viewport)
    page = context.new_page()
    page.goto(base_url + "carte/")
    svg = page.locator(".kb-map__svg")
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    width = VIEWPORTS[viewport]["width"]
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    # The counts are written, big enough to read on a phone (at least 11 px).
    counts = page.locator(".kb-map__count text")
    assert sorted(counts.all_text_contents()) == ["1", "1", "5"]  # Manche, Nouvelle-Aquitaine, Alpes-Maritimes
    for index in range(counts.count()):
        text_box = counts.nth(index).bounding_box()
        assert text_box and text_box["height"] >= 11, text_box
    # Every zone's link is reached with the Tab key, shows its focus, and opens its territory.
    links = page.locator(".kb-map__link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == 4
    first = links.first
    first.focus()
    stroke = first.locator("path").evaluate("path => getComputedStyle(path).strokeWidth")
    assert stroke == "4px", stroke
    outline = first.evaluate("a => getComputedStyle(a).outlineStyle")
    assert outline == "solid"
    for href in hrefs:
        assert href and href.startswith("../territoires/")
    first.press("Enter")
    expect(page).to_have_url(base_url + "territoires/corse/")
    expect(page.locator(".kb-locator__here")).to_be_visible()
    context.close()


def test_tab_reaches_the_map_links_in_order(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.goto(base_url + "carte/")
    page.locator(".md-content h1").click()
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        name = page.evaluate("() => document.activeElement.matches('.kb-map__link') ? document.activeElement.querySelector('title').textContent : null")
        if name:
            reached.append(name)
        if len(reached) == 4:
            break
    assert reached == [
        "Corse : aucune fiche, 1 démarche venue d'ailleurs",
        "Nouvelle-Aquitaine : 1 fiche, dans l'ancienne région Poitou-Charentes",
        "Alpes-Maritimes : 5 fiches",
        "Manche : 1 fiche, à Cherbourg-en-Cotentin",
    ]
    context.close()


def test_a_town_page_highlights_its_department(browser: Browser, base_url: str, viewport: str) -> None:
    context = new_context(browser, RequestLog(), viewport=viewport)
    page = context.new_page()
    page.goto(base_url + "territoires/cherbourg/")
    locator = page.locator(".kb-locator")
    expect(locator).to_be_visible()
    expect(locator).to_contain_text("Commune du département Manche (50), région Normandie.")
    here = page.locator(".kb-locator__here").bounding_box()
    whole = page.locator(".kb-locator__svg").bounding_box()
    # The Manche is in the north-west of the drawing.
    assert here and whole and here["y"] < whole["y"] + whole["height"] / 2
    locator.get_by_role("link", name="Voir la carte de toutes les fiches").click()
    expect(page).to_have_url(base_url + "carte/")
    context.close()
