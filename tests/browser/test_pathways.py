"""Pathways as a reader follows them, at both widths: from a sheet to the next step and back,
the pathway's ordered steps, its place in the search, and where an approach spread."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Locator, Page, expect

from ..support.browser import VIEWPORTS

PATHWAY = "parcours/partir-des-besoins-des-entreprises-alpes-maritimes/"
SHOTS = Path("/tmp/pathway-shots")
# The five steps of the Alpes-Maritimes approach, as the source tells them.
ORDER = [
    "groupe-securisation-des-parcours-alpes-maritimes",
    "formations-numeriques-alpes-maritimes",
    "jobs-eating-alpes-maritimes",
    "e-forum-alpes-maritimes",
    "atelier-interim-alpes-maritimes",
]


def viewport(page: Page) -> str:
    return next(name for name, size in VIEWPORTS.items() if size == page.viewport_size)


def place_in(page: Page) -> tuple[Locator, Locator]:
    """The sheet's line for this pathway (« Étape n sur 5 du parcours … ») and the links to the steps around it."""
    line = page.locator("#parcours ~ div p", has_text="du parcours Partir des besoins des entreprises")
    return line, line.locator("xpath=following-sibling::ul[1]")


def test_a_reader_walks_a_pathway_from_its_first_sheet_to_its_last(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}pratiques/{ORDER[0]}/")
    for number, pid in enumerate(ORDER, start=1):
        assert page.url.endswith(f"pratiques/{pid}/"), (number, page.url)
        line, around = place_in(page)
        expect(line).to_contain_text(f"Étape {number} sur 5 du parcours")
        if number == 1:
            expect(around).not_to_contain_text("Étape précédente")
        if number < len(ORDER):
            around.locator("li", has_text="Étape suivante").get_by_role("link").click()
    # The last step has no next one, and leads back to the step before.
    _line, around = place_in(page)
    expect(around).not_to_contain_text("Étape suivante")
    around.locator("li", has_text="Étape précédente").get_by_role("link").click()
    assert page.url.endswith(f"pratiques/{ORDER[3]}/")


def test_the_pathway_page_shows_its_steps_in_order_with_their_sheets(page: Page, base_url: str) -> None:
    page.goto(base_url + PATHWAY)
    headings = page.locator(".md-content h2").all_inner_texts()
    steps = [h for h in headings if h.startswith("Étape")]
    assert [h.split(" :")[0] for h in steps] == [f"Étape {n} sur 5" for n in range(1, 6)]
    for number, pid in enumerate(ORDER, start=1):
        section = page.locator(f"h2:has-text('Étape {number} sur 5') ~ div").first
        expect(section.locator(f"a[href$='pratiques/{pid}/']")).to_have_count(1)
    # « Après : étape 1 » links to the step it requires, on the same page.
    page.get_by_role("link", name="étape 1, Poser un diagnostic des postes et des compétences avec les partenaires").click()
    assert page.url.endswith("#etape-diagnostic")
    # Nothing wider than the screen: the steps' titles wrap on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]  # type: ignore[index]
    SHOTS.mkdir(exist_ok=True)
    page.goto(base_url + PATHWAY)
    page.screenshot(path=SHOTS / f"parcours-{viewport(page)}.png", full_page=True)


def test_the_pathways_are_reached_from_the_home_page_and_the_guide(page: Page, base_url: str) -> None:
    page.goto(base_url)
    page.get_by_role("link", name="Les parcours").click()
    expect(page.locator("h1")).to_contain_text("Parcours")
    assert page.url.endswith("/parcours/")
    links = page.locator(".md-content article li a")
    expect(links).to_have_count(2)
    page.goto(base_url + "guide/")
    expect(page.locator(".md-content").get_by_role("link", name="Partir des besoins des entreprises, du diagnostic au recrutement")).to_have_count(1)


def test_the_search_finds_a_pathway_and_filters_sheets_by_pathway(page: Page, base_url: str) -> None:
    page.goto(base_url + "recherche/?q=" + quote("diagnostic recrutement") + "&type=Parcours")
    titles = page.locator(".kb-results .kb-result__title")
    expect(titles.first).to_contain_text("Partir des besoins des entreprises", timeout=15_000)
    # The pathway is a filter of its sheets: its five sheets, no other.
    page.goto(base_url + "recherche/?q=" + quote("alpes maritimes") + "&parcours=" + quote("Partir des besoins des entreprises, du diagnostic au recrutement"))
    expect(titles).to_have_count(5, timeout=15_000)


def test_a_territory_shows_the_approaches_that_reached_it(page: Page, base_url: str) -> None:
    page.goto(base_url + "territoires/corse/")
    section = page.locator("#diffusion ~ div").first
    expect(section).to_contain_text("Le groupe sécurisation des parcours des Alpes-Maritimes")
    expect(section).to_contain_text("Présentée ici")
    section.get_by_role("link", name="Le groupe sécurisation des parcours des Alpes-Maritimes").click()
    expect(page.locator("#diffusion ~ ul").first).to_contain_text("Présentée : Corse")
