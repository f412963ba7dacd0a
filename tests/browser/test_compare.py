"""Comparing two to four practice sheets (kb-compare.js): the comparison on /comparer/?fiches=…,
the « Comparer » checkboxes of the lists and their bar, and /comparer/ without JavaScript."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from ..conftest import ROOT
from ..support.browser import VIEWPORTS, RequestLog, axe_violations, new_context

THREE = ["etape-ciste", "facilitateurs-clauses-sociales", "jobs-eating-alpes-maritimes"]
SHOTS = Path("/tmp/compare-shots")
TABLE = ".kb-compare__table"


def compare_url(base_url: str, ids: list[str]) -> str:
    return base_url + "comparer/?fiches=" + ",".join(ids)


def viewport_name(page: Page) -> str:
    return next(name for name, size in VIEWPORTS.items() if size == page.viewport_size)


def sheet(page: Page, base_url: str, pid: str) -> dict[str, str]:
    """What the practice page itself says: its title and the words of its evidence badge."""
    page.goto(f"{base_url}pratiques/{pid}/")
    title = page.locator(".md-content h1").evaluate(
        "h1 => [...h1.childNodes].filter(n => !n.classList?.contains('headerlink')).map(n => n.textContent).join('').trim()"
    )
    badge = page.locator(".admonition.info dd .kb-evidence").first.evaluate(
        "b => [...b.childNodes]"
        ".filter(n => !n.classList?.contains('kb-evidence__marks') && !n.classList?.contains('kb-evidence__rank'))"
        ".map(n => n.textContent).join('').trim()"
    )
    assert title and badge, pid
    return {"title": title, "badge": badge}


def status(page: Page, url: str) -> int | str:
    try:
        return page.request.get(url).status
    except PlaywrightError as error:  # outside the site's folder the test server drops the connection
        return str(error).splitlines()[0]


# Everything in the page, its right edge, outside the comparison's scrolling
# frame (the frame itself counts); what is hidden on purpose for screen readers does not.
WIDEST_OUTSIDE_FRAME = """() => {
  const hiddenOnPurpose = (node) => {
    for (let up = node; up; up = up.parentElement) if (up.getBoundingClientRect().width <= 1 && getComputedStyle(up).overflow === "hidden") return true;
    return false;
  };
  let widest = null;
  for (const node of document.querySelectorAll(".md-main *, .md-header *")) {
    if (node.parentElement.closest(".kb-compare__frame")) continue;
    const box = node.getBoundingClientRect();
    if (!box.width || getComputedStyle(node).visibility === "hidden" || hiddenOnPurpose(node)) continue;
    if (!widest || box.right > widest.right)
      widest = { right: Math.round(box.right), tag: node.tagName, cls: node.className, text: node.textContent.trim().slice(0, 40) };
  }
  return { widest, page: document.documentElement.scrollWidth, screen: innerWidth };
}"""


def test_three_sheets_side_by_side(page: Page, base_url: str, tmp_path: Path) -> None:
    expected = {pid: sheet(page, base_url, pid) for pid in THREE}
    page.goto(compare_url(base_url, THREE))
    table = page.locator(TABLE)
    expect(table).to_be_visible()
    title = page.get_by_role("heading", name="Comparaison de 3 fiches")
    expect(title).to_be_focused()

    # One column per sheet, in the order asked, titled by the sheet and linking to it.
    names = table.locator("thead th a.kb-compare__name")
    expect(names).to_have_count(3)
    for i, pid in enumerate(THREE):
        expect(names.nth(i)).to_have_text(expected[pid]["title"])
        assert urlsplit(urljoin(page.url, names.nth(i).get_attribute("href") or "")).path.endswith(f"/pratiques/{pid}/")
    # One row per criterion.
    criteria = table.locator("tbody th[scope=row]").all_inner_texts()
    assert criteria == ["Niveau de preuve", "Publics", "Territoires", "Période", "Statut", "Résultats et moyens", "Reprendre l'action"]
    evidence = table.locator("tbody tr").first.locator("td")
    expect(evidence).to_have_count(3)
    for i, pid in enumerate(THREE):
        expect(evidence.nth(i)).to_contain_text(expected[pid]["badge"])
        # The badge's justification came with it.
        expect(evidence.nth(i).locator(".kb-compare__why")).not_to_be_empty()
    # What a sheet does not say is a dash, not an empty cell.
    for cell in table.locator("tbody td").all():
        assert cell.inner_text().strip(), cell.evaluate("c => c.parentElement.dataset.criterion")

    # Every link of the imported cells leads somewhere on the site.
    hrefs = table.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    local = sorted({href.split("#")[0] for href in hrefs if urlsplit(href).hostname == urlsplit(base_url).hostname})
    assert len(local) >= 10, local
    broken = [href for href in local if status(page, href) != 200]
    assert not broken, broken
    # No id twice in the document (the imported nodes lost theirs).
    duplicates = page.evaluate(
        "() => { const seen = new Map();"
        " for (const n of document.querySelectorAll('[id]')) seen.set(n.id, (seen.get(n.id) || 0) + 1);"
        " return [...seen].filter(([, c]) => c > 1); }"
    )
    assert not duplicates, duplicates
    assert table.locator("[id], .headerlink").count() == 0

    # The table scrolls in its own frame, stays a table on a phone, and nothing else is cut.
    frame = page.locator(".kb-compare__frame")
    assert frame.get_attribute("tabindex") == "0"
    assert frame.get_attribute("aria-label")
    assert frame.evaluate("f => getComputedStyle(f).overflowX") == "auto"
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    assert table.get_attribute("data-kb-cards") is None
    found = page.evaluate(WIDEST_OUTSIDE_FRAME)
    assert found["page"] <= found["screen"], found
    assert found["widest"]["right"] <= found["screen"], found
    widths = table.locator("thead th").evaluate_all("ths => ths.map(th => th.getBoundingClientRect().width)")
    assert min(widths) >= 12 * 16, widths  # a sheet's column is never a sliver (12rem at 16px at least)
    criterion = table.locator("tbody th[scope=row]").first.bounding_box()
    assert criterion and criterion["width"] >= 80 and criterion["x"] >= 0

    assert not axe_violations(page)

    # What the reader sees on arrival, and the whole page, for people to look at.
    viewport = viewport_name(page)
    page.evaluate("scrollTo(0, 0)")
    shots = [tmp_path / f"comparaison-{viewport}.png", tmp_path / f"comparaison-{viewport}-page.png"]
    page.screenshot(path=str(shots[0]))
    page.screenshot(path=str(shots[1]), full_page=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for shot in shots:
        shutil.copy(shot, SHOTS / shot.name)


def test_the_criteria_stay_in_view_while_the_sheets_scroll(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog(), viewport="phone")
    page = context.new_page()
    page.goto(compare_url(base_url, THREE))
    frame = page.locator(".kb-compare__frame")
    expect(page.locator(TABLE)).to_be_visible()
    expect(page.get_by_text("Faites défiler le tableau vers la droite")).to_be_visible()
    frame.evaluate("f => f.scrollLeft = f.scrollWidth")
    criterion = page.locator(f"{TABLE} tbody th[scope=row]").first.bounding_box()
    box = frame.bounding_box()
    assert criterion and box and abs(criterion["x"] - box["x"]) <= 2, (criterion, box)
    context.close()


def test_an_unknown_sheet_is_named_and_one_sheet_is_not_a_comparison(page: Page, base_url: str) -> None:
    page.goto(compare_url(base_url, ["etape-ciste", "inconnue"]))
    expect(page.get_by_text("Fiche introuvable : inconnue")).to_be_visible()
    expect(page.locator(".kb-compare__few")).to_contain_text("choisissez de 2 à 4 fiches")
    expect(page.locator(TABLE)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"\?fiches=etape-ciste$"))


def test_more_than_four_keeps_the_first_four_and_says_so(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    five = [*THREE, "e-forum-alpes-maritimes", "clubs-rh-et-clubs-face"]
    page.goto(compare_url(base_url, five))
    expect(page.get_by_role("heading", name="Comparaison de 4 fiches")).to_be_visible()
    expect(page.locator(f"{TABLE} thead th")).to_have_count(4)
    expect(page.get_by_text("seules les 4 premières sont comparées")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?fiches=" + ",".join(five[:4]) + "$"))
    context.close()


def test_remove_a_sheet_and_copy_the_link(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog())
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(compare_url(base_url, THREE))
    expect(page.locator(f"{TABLE} thead th")).to_have_count(3)
    page.get_by_role("button", name=re.compile("^Retirer « Les facilitateurs")).click()
    expect(page.get_by_role("heading", name="Comparaison de 2 fiches")).to_be_focused()
    expect(page.locator(f"{TABLE} thead th")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"\?fiches=etape-ciste,jobs-eating-alpes-maritimes$"))
    page.get_by_role("button", name="Copier le lien").click()
    expect(page.locator(".kb-compare__copied")).to_have_text("Lien copié.")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    context.close()


def test_choose_sheets_on_the_list_then_compare_them(page: Page, base_url: str) -> None:
    page.goto(base_url + "pratiques/")
    rows = page.locator("[data-kb-explorer] tbody tr, .md-content table tbody tr")
    boxes = page.locator(".kb-compare-pick__box")
    expect(boxes.first).to_be_attached()
    assert boxes.count() == rows.count()
    bar = page.locator(".kb-compare-bar")
    first, second = (boxes.nth(i).get_attribute("value") for i in (0, 2))
    # Each box is named after its sheet.
    title = rows.first.locator("a").first.inner_text().strip()
    expect(page.get_by_role("checkbox", name=f"Comparer {title}")).to_have_count(1)
    boxes.nth(0).check()
    expect(bar).to_be_hidden()
    boxes.nth(2).check()
    expect(bar).to_be_visible()
    go = bar.get_by_role("link", name="Comparer les 2 fiches choisies")
    expect(go).to_be_visible()
    go.click()
    expect(page).to_have_url(re.compile(rf"/comparer/\?fiches={first},{second}$"))
    expect(page.locator(f"{TABLE} thead th")).to_have_count(2)

    # The choice is kept across the lists; a fifth sheet is refused.
    page.goto(base_url + "pratiques/")
    expect(boxes.nth(0)).to_be_checked()
    expect(boxes.nth(2)).to_be_checked()
    for i in (3, 4):
        boxes.nth(i).check()
    expect(bar.get_by_role("link")).to_have_text("Comparer les 4 fiches choisies")
    boxes.nth(5).click()
    expect(boxes.nth(5)).not_to_be_checked()
    expect(bar).to_contain_text("Vous avez déjà choisi 4 fiches")
    bar.get_by_role("button", name="Effacer").click()
    expect(bar).to_be_hidden()
    expect(page.locator(".kb-compare-pick__box:checked")).to_have_count(0)


def test_print_leaves_out_the_controls(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.goto(compare_url(base_url, THREE))
    expect(page.locator(TABLE)).to_be_visible()
    # A fourth sheet, not one of the three shown: the bar shows.
    page.locator(".kb-compare-pick__box" + "".join(f":not([value='{pid}'])" for pid in THREE)).first.check()
    expect(page.locator(".kb-compare-bar")).to_be_visible()
    page.emulate_media(media="print")
    for selector in (".kb-compare-pick", ".kb-compare-bar", ".kb-compare__remove", ".kb-compare__copy"):
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator(TABLE)).to_be_visible()
    context.close()


def test_dark_palette_comparison_has_no_serious_accessibility_violation(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog(), color_scheme="dark")
    page = context.new_page()
    page.goto(compare_url(base_url, THREE))
    expect(page.locator(TABLE)).to_be_visible()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert not axe_violations(page)
    context.close()


@pytest.fixture
def page_without_javascript(browser: Browser) -> Iterator[Page]:
    log = RequestLog()
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["desktop"], locale="fr-FR")  # type: ignore[arg-type]
    context.on("request", lambda request: log.requested.append(request.url))
    yield context.new_page()
    context.close()
    assert log.requested and not log.third_party, log.third_party


def test_without_javascript_the_page_lists_every_practice(page_without_javascript: Page, base_url: str) -> None:
    page = page_without_javascript
    practices = len(list((ROOT / "practices").glob("*.yml")))
    assert practices >= 2
    page.goto(compare_url(base_url, THREE))
    table = page.locator(".md-content table")
    expect(table).to_have_count(1)
    assert table.locator("thead th").all_inner_texts() == [
        "Fiche", "Niveau de preuve", "Publics", "Territoires", "Période et statut", "Résultats", "Moyens", "Reprendre l'action",
    ]  # fmt: skip
    # Every practice, on this page and the others of the list (comparer/page/N/).
    count = table.locator("tbody tr").count()
    others = {urljoin(page.url, href) for href in page.locator(".kb-pager a").evaluate_all("links => links.map(a => a.getAttribute('href'))")}
    for other in sorted(others):
        page.goto(other)
        count += page.locator(".md-content table tbody tr").count()
    assert count == practices
    expect(page.locator(".kb-compare, .kb-compare-pick, .kb-compare-bar")).to_have_count(0)
