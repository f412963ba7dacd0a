"""/chiffres/ in Chromium, as the elected official's adviser sees it: charts readable on a phone and a desktop,
in both palettes and on paper, without JavaScript; each count leading to the sheets it counts.

axe (both palettes), the Nu HTML Checker, the link check and the phone layout run on it with
every other page kind (``PAGE_KINDS``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ..conftest import ROOT
from ..support.browser import VIEWPORTS, RequestLog, new_context

# Each chart's bars, words and values, with their colours and the page's background, and the
# boxes a phone must hold (getBBox: SVG text is not cut by CSS, it runs past the svg's edge).
CHARTS = """() => [...document.querySelectorAll("figure.kb-chart svg")].map((svg) => {
  const heading = svg.closest("figure").previousElementSibling.previousElementSibling;
  const box = svg.getBoundingClientRect();
  const colour = (node) => getComputedStyle(node).fill;
  return {
    heading: heading.textContent.replace("¶", "").trim(),
    name: document.getElementById(svg.getAttribute("aria-labelledby")).textContent,
    description: document.getElementById(svg.getAttribute("aria-describedby")).textContent,
    role: svg.getAttribute("role"),
    left: box.left, right: box.right,
    background: getComputedStyle(document.body).backgroundColor,
    rows: [...svg.querySelectorAll(".kb-chart__row")].map((row) => {
      const bar = row.querySelector("rect");
      const value = row.querySelector(".kb-chart__value");
      return {
        label: [...row.querySelectorAll(".kb-chart__label")].map((t) => t.textContent).join(" "),
        value: value.textContent,
        width: bar ? bar.getBoundingClientRect().width : 0,
        bar: bar ? colour(bar) : null,
        text: colour(value),
        label_colour: colour(row.querySelector(".kb-chart__label")),
        right: Math.max(...[...row.querySelectorAll("text")].map((t) => t.getBoundingClientRect().right)),
      };
    }),
  };
})"""


def _rgb(colour: str) -> tuple[float, float, float]:
    found = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, [\d.]+)?\)", colour)
    assert found, colour
    red, green, blue = (int(part) for part in found.groups())
    return red, green, blue


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [c / 255 for c in _rgb(colour)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


@pytest.fixture(params=[("phone", "light"), ("phone", "dark"), ("desktop", "light"), ("desktop", "dark")], ids=lambda p: "-".join(p))
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    viewport, scheme = request.param
    log = RequestLog()
    context = new_context(browser, log, viewport=viewport, color_scheme=scheme)
    yield context.new_page()
    context.close()
    assert not log.third_party


def test_every_chart_is_named_readable_and_drawn_to_scale(screen: Page, base_url: str) -> None:
    screen.goto(base_url + "chiffres/")
    charts = screen.evaluate(CHARTS)
    assert len(charts) == 6
    width = screen.viewport_size["width"]  # type: ignore[index]
    for chart in charts:
        # An image named by its heading, described by every value drawn.
        assert chart["role"] == "img" and chart["name"] == chart["heading"], chart["heading"]
        for row in chart["rows"]:
            assert f"{row['label'].lstrip('●○ ')} : {row['value']}" in chart["description"]
        top = max(_number(row["value"]) for row in chart["rows"])
        widest = max(row["width"] for row in chart["rows"])
        for row in chart["rows"]:
            value = _number(row["value"])
            # The bar's length says the value; a value of 0 has no bar, its 0 is written.
            assert row["width"] == pytest.approx(widest * value / top, abs=1.5), (chart["heading"], row)
            if row["bar"]:
                # A shape needs 3:1 against the page (WCAG 1.4.11), words 4.5:1, in both palettes.
                assert contrast(row["bar"], chart["background"]) >= 3, (chart["heading"], row["bar"], chart["background"])
            assert contrast(row["text"], chart["background"]) >= 4.5
            assert contrast(row["label_colour"], chart["background"]) >= 4.5
            # Every word stays on the screen, inside the chart.
            assert row["right"] <= min(chart["right"] + 1, width), (chart["heading"], row)


def test_the_dark_palette_colours_the_bars_from_the_theme(browser: Browser, base_url: str) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        context = new_context(browser, RequestLog(), color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url + "chiffres/")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
        colours[scheme] = page.evaluate(CHARTS)[0]
        context.close()
    # Not one colour written in the SVG: bars and words follow the palette.
    assert colours["light"]["rows"][0]["bar"] != colours["dark"]["rows"][0]["bar"]
    assert colours["light"]["rows"][0]["text"] != colours["dark"]["rows"][0]["text"]


def test_each_count_opens_the_sheets_it_counts(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.goto(base_url + "chiffres/")
    themes = page.locator("xpath=//h2[@id='fiches-par-theme']/following::details[1]")
    themes.locator("summary").click()
    count = themes.locator("tbody tr td:nth-child(2) a").first
    expected = int(count.inner_text())
    count.click()
    # The search page, filtered on the theme: as many results as the chart said.
    expect(page).to_have_url(re.compile(r"recherche/\?theme="))
    expect(page.locator(".kb-results .kb-result")).to_have_count(expected)
    page.goto(base_url + "chiffres/")
    territories = page.locator("xpath=//h2[@id='fiches-par-territoire']/following::details[1]")
    territories.locator("summary").click()
    row = territories.locator("tbody tr").filter(has_text="Alpes-Maritimes")
    expected = int(row.locator("td:nth-child(2) a").inner_text())
    row.locator("td:nth-child(2) a").click()
    # The territory's page, at its list of sheets (its towns' included).
    expect(page).to_have_url(re.compile(r"territoires/alpes-maritimes/#pratiques-et-experimentations$"))
    listed = page.locator("xpath=//h2[@id='pratiques-et-experimentations']/following::ul[1]/li")
    expect(listed).to_have_count(expected)
    context.close()


def test_the_page_is_in_the_menu_and_on_the_home_page(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.goto(base_url)
    page.get_by_role("link", name="La base en chiffres, en graphiques").click()
    expect(page).to_have_url(re.compile(r"chiffres/$"))
    expect(page.locator("a.md-nav__link--active")).to_have_text("La base en chiffres")
    context.close()


def test_without_javascript_the_charts_and_their_data_are_there(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"], locale="fr-FR")  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + "chiffres/")
    expect(page.locator("figure.kb-chart svg[role=img]")).to_have_count(6)
    expect(page.locator("rect.kb-chart__bar").first).to_be_visible()
    data = page.locator("details.kb-chart__data").first
    expect(data.locator("table")).to_be_hidden()
    data.locator("summary").click()
    expect(data.locator("table")).to_be_visible()
    expect(data.locator("tbody tr").first.locator("a").first).to_be_visible()
    context.close()


def test_on_paper_the_charts_print_in_black_without_their_folded_tables(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog(), color_scheme="dark")
    page = context.new_page()
    page.set_viewport_size({"width": 718, "height": 1000})
    page.emulate_media(media="print")
    page.goto(base_url + "chiffres/")
    charts = page.evaluate(CHARTS)
    assert len(charts) == 6
    bars = {row["bar"] for chart in charts for row in chart["rows"] if row["bar"]}
    words = {row["text"] for chart in charts for row in chart["rows"]}
    # The dark palette is ignored on paper: black on white.
    assert bars == words == {"rgb(0, 0, 0)"}
    assert all(not details.is_visible() for details in page.locator("details.kb-chart__data").all())
    # A chart is not cut by a page break.
    assert page.locator("figure.kb-chart").first.evaluate("(node) => getComputedStyle(node).breakInside") == "avoid"
    context.close()


def test_the_real_content_is_what_the_page_counts(browser: Browser, base_url: str) -> None:
    # The first sentence counts the sheets of practices/: not a number written in a template.
    sheets = len(list((ROOT / "practices").glob("*.yml")))
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.goto(base_url + "chiffres/")
    expect(page.locator("h1 + p")).to_contain_text(f"La base compte {sheets}\u00a0fiches")
    levels = page.evaluate(CHARTS)[2]
    assert sum(_number(row["value"]) for row in levels["rows"]) == sheets
    context.close()
