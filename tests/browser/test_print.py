"""Printing: every page kind on A4, in Chromium's print media, then a real PDF read back.

On paper a page must say where it comes from and when, keep the addresses its
links hide, carry no control that only works on a screen, and fit the width
of the sheet (kb-print.css, kb-print.js, the header in overrides/main.html).
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize
from pypdf import PdfReader

from ..support.browser import RequestLog, mount_path, new_context, serve
from .conftest import PAGE_KINDS

SITE_URL = "https://reseaux-emploi.github.io/bonnes-pratiques/"
SITE_NAME = "Bonnes pratiques des réseaux de l'emploi"
# SOURCE_DATE_EPOCH=1700000000 of the test build (tests/helpers.py).
BUILD_DATE = "14 novembre 2023"
# What a sheet of A4 (210 mm × 297 mm) leaves inside the margins kb-print.css sets
# (12 mm each side, 12 + 14 mm top and bottom), at the 96 dots per inch of CSS.
A4: ViewportSize = {"width": 703, "height": 1024}
SHEET = "pratiques/facilitateurs-clauses-sociales/"
# Pages printed before kb-print.css, measured with the same page.pdf(format="A4") call.
SHEET_PAGES_BEFORE = 5

# An empty search has no link to print: the search page is printed with a query.
PRINTED = {kind: uri + ("?q=emploi" if kind == "recherche" else "") for kind, uri in PAGE_KINDS.items()}
PRINTED["comparaison de trois fiches"] = "comparer/?fiches=etape-ciste,facilitateurs-clauses-sociales,jobs-eating-alpes-maritimes"

# Everything a printed page shows that it should not, whether its header says
# where it comes from, the addresses printed after links, and what sticks out
# of the paper's width.
PRINT_REPORT = """() => {
  const shown = (node) => node.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
    && node.getBoundingClientRect().width > 0 && node.getBoundingClientRect().height > 0;
  const classes = (node) => (typeof node.className === "string" ? node.className.trim().split(/\\s+/).filter(Boolean) : []);
  const describe = (node) =>
    `${[node.tagName.toLowerCase(), ...classes(node)].join(".")} « ${(node.textContent || node.value || "").trim().slice(0, 50)} »`;
  const forbidden = [
    "button", "input", "select", "textarea", "[role=button]", ".md-button",
    ".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-top", ".md-search",
    ".md-content__button", "a[href*='/edit/']", ".kb-edit", ".kb-search",
  ].join(", ");
  const controls = [...document.querySelectorAll(forbidden)].filter(shown).map(describe);
  const editLines = [...document.querySelectorAll(".md-content p, .md-content a")]
    .filter((node) => shown(node) && /Modifier cette fiche|source : practices\\//.test(node.textContent)).map(describe);
  const header = document.querySelector(".kb-print-header");
  const addresses = [...document.querySelectorAll(".md-content a")]
    .filter((link) => shown(link) && !link.closest(".md-nav"))
    .map((link) => getComputedStyle(link, "::after").content)
    .filter((content) => /https?:\\/\\/|@/.test(content));
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((node) => shown(node) && node.getBoundingClientRect().right > width + 1)
    .map((node) => `${describe(node)} (${Math.round(node.getBoundingClientRect().right)} px)`);
  return {
    controls: [...controls, ...editLines],
    header: header && shown(header) ? header.innerText : "",
    addresses,
    wide: wide.slice(0, 5),
    scrollWidth: document.documentElement.scrollWidth,
    width,
  };
}"""


def print_report(page: Page, url: str) -> dict[str, Any]:
    page.emulate_media(media="print")
    page.goto(url)
    # The comparison and the search draw their content once their data has come.
    page.wait_for_load_state("networkidle")
    report: dict[str, Any] = page.evaluate(PRINT_REPORT)
    return report


def print_problems(report: dict[str, Any], page_url: str) -> list[str]:
    """What a reader would stumble on in the printed page, in words."""
    problems = [f"visible à l'impression : {control}" for control in report["controls"]]
    if SITE_URL not in report["header"] or SITE_NAME not in report["header"]:
        problems.append(f"en-tête imprimé sans le nom ou l'adresse du site : {report['header']!r}")
    if page_url not in report["header"]:
        problems.append(f"en-tête imprimé sans l'adresse de la page {page_url} : {report['header']!r}")
    if BUILD_DATE not in report["header"]:
        problems.append(f"en-tête imprimé sans la date de publication : {report['header']!r}")
    if not report["addresses"]:
        problems.append("aucune adresse de lien imprimée")
    if report["wide"] or report["scrollWidth"] > report["width"]:
        problems.append(f"plus large que la page ({report['scrollWidth']} > {report['width']} px) : {report['wide']}")
    return problems


@pytest.fixture
def paper(browser: Browser) -> Iterator[Page]:
    """A page at the width of a sheet of A4, that may only talk to 127.0.0.1."""
    log = RequestLog()
    context = new_context(browser, log)
    page = context.new_page()
    page.set_viewport_size(A4)
    yield page
    context.close()
    assert not log.third_party, f"requests outside 127.0.0.1: {log.third_party}"


@pytest.mark.parametrize("kind", PRINTED)
def test_every_page_kind_prints_where_it_comes_from_and_nothing_for_the_screen(paper: Page, base_url: str, kind: str) -> None:
    uri = PRINTED[kind]
    report = print_report(paper, base_url + uri)
    assert print_problems(report, SITE_URL + uri) == []


def test_the_first_address_printed_is_absolute_under_site_url(paper: Page, base_url: str) -> None:
    report = print_report(paper, base_url + SHEET)
    # The sheet's metadata panel links to the method, then to its organisations.
    assert report["addresses"][0] == f'" <{SITE_URL}methode/#described>"'
    assert not any("127.0.0.1" in address or "../" in address for address in report["addresses"])


def test_a_printed_sheet_is_a_real_pdf_with_its_origin_and_fewer_pages(paper: Page, base_url: str) -> None:
    paper.emulate_media(media="print")
    paper.goto(base_url + SHEET)
    paper.wait_for_load_state("networkidle")
    reader = PdfReader(io.BytesIO(paper.pdf(format="A4")))
    # Lines wrap where they will, inside words and addresses: compare without any space.
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for expected in (SITE_NAME, SITE_URL + SHEET, f"page publiée le {BUILD_DATE}", f"<{SITE_URL}organisations/ave/>"):
        assert re.sub(r"\s+", "", expected) in text, expected
    assert "Modifiercettefiche" not in text and "practices/" not in text
    assert len(reader.pages) < SHEET_PAGES_BEFORE


# ---------------------------------------------------------------------------
# The check, seen failing: the same site with a print rule taken out.

EDIT_RULE = "  .md-typeset .kb-edit,\n"


@pytest.fixture(scope="module")
def site_without_the_edit_rule(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    copy = tmp_path_factory.mktemp("print-broken") / "site"
    shutil.copytree(site_dir, copy)
    stylesheet = copy / "assets" / "stylesheets" / "kb-print.css"
    css = stylesheet.read_text(encoding="utf-8")
    assert EDIT_RULE in css
    stylesheet.write_text(css.replace(EDIT_RULE, ""), encoding="utf-8")
    with serve(copy, mount_path()) as url:
        yield url


def test_the_check_reports_the_edit_line_when_print_shows_it(paper: Page, site_without_the_edit_rule: str) -> None:
    report = print_report(paper, site_without_the_edit_rule + SHEET)
    problems = print_problems(report, SITE_URL + SHEET)
    assert any("Modifier cette fiche" in problem for problem in problems), problems
