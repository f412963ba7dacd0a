"""End to end, as a reader on a desktop or a phone: from the home page to practices."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PAGE_KINDS


def heading(page: Page) -> str:
    return page.locator("article h1").inner_text().replace("¶", "").strip()


def settle(page: Page) -> None:
    """Wait for the drawer's and the menu's slide transitions to end."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def open_menu(page: Page, *path: str) -> None:
    """Follow the main menu as the reader sees it: the drawer on a phone, the sidebar on a desktop."""
    drawer = page.locator('label.md-header__button[for="__drawer"]')
    if drawer.is_visible():
        drawer.click()
        settle(page)
    nav = page.locator("nav.md-nav--primary")
    for section in path[:-1]:
        toggle = nav.locator("label.md-nav__link", has_text=section).first
        if toggle.is_visible() and drawer.is_visible():
            toggle.click()
            settle(page)
    link = nav.get_by_role("link", name=path[-1], exact=True).first
    expect(link).to_be_visible()
    link.click()


def open_first_practice(page: Page, section: str) -> str:
    # The section's list (a « S'abonner » link may sit between the heading and the list).
    link = page.locator(f"article h2:has-text('{section}') ~ div ul > li > a").first
    expected = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/pratiques/[a-z0-9-]+/$"))
    assert heading(page) == expected
    panel = page.locator("article .admonition.info")
    expect(panel).to_be_visible()
    expect(panel.locator("dt", has_text="Territoires")).to_be_visible()
    expect(panel.locator("dt", has_text="Thèmes")).to_be_visible()
    return expected


def test_through_the_guide(page: Page, base_url: str) -> None:
    page.goto(base_url)
    assert heading(page) == "Bonnes pratiques des réseaux de l'emploi"
    page.get_by_role("link", name="Lire le guide").click()
    assert heading(page) == "Le guide des bonnes pratiques"
    page.get_by_role("link", name=re.compile(r"^Lire le chapitre")).first.click()
    assert heading(page) == "Opérations de découverte des métiers"
    open_first_practice(page, "Les fiches")


def test_through_a_theme(page: Page, base_url: str) -> None:
    page.goto(base_url)
    page.locator("article").get_by_role("link", name="Clauses sociales dans les marchés publics").click()
    assert heading(page) == "Clauses sociales dans les marchés publics"
    title = open_first_practice(page, "Les fiches")
    assert "facilitateurs" in title


def test_through_a_territory(page: Page, base_url: str) -> None:
    page.goto(base_url)
    open_menu(page, "Explorer", "Territoires")
    assert heading(page) == "Territoires"
    page.locator("article").get_by_role("link", name="Alpes-Maritimes").click()
    assert heading(page) == "Alpes-Maritimes"
    expect(page.locator("article .admonition.info dd").first).to_contain_text("Département")
    open_first_practice(page, "Pratiques et expérimentations")


def test_through_an_organisation_then_related_and_back(page: Page, base_url: str) -> None:
    page.goto(base_url)
    open_menu(page, "Explorer", "Organisations")
    page.locator("article").get_by_role("link", name="Fondation Agir contre l'exclusion (FACE)").click()
    assert heading(page) == "Fondation Agir contre l'exclusion (FACE)"
    first = open_first_practice(page, "Pratiques et expérimentations")
    second = open_first_practice(page, "Fiches liées")
    assert second != first
    page.go_back()
    assert heading(page) == first


def test_dark_palette_toggle(page: Page, base_url: str) -> None:
    page.goto(base_url + "pratiques/etape-ciste/")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.get_by_title("Passer en mode sombre").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.reload()  # the choice is remembered
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.get_by_title("Passer en mode clair").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_renders_its_title_and_metadata(page: Page, base_url: str, kind: str) -> None:
    page.goto(base_url + PAGE_KINDS[kind])
    title = heading(page)
    assert title
    assert page.title().startswith(title if kind != "accueil" else "Accueil")
    entity = kind in {"fiche", "organisation", "territoire", "convention"}
    if entity:
        expect(page.locator("article .admonition.info dl")).to_be_visible()
    if kind == "fiche":
        for section in ("Éléments descriptifs", "Fiches liées", "Sources"):
            expect(page.locator("article h2", has_text=section)).to_be_visible()
        expect(page.locator("article").get_by_role("link", name="Modifier cette fiche")).to_have_attribute(
            "href", re.compile(r"/edit/main/practices/etape-ciste\.yml$")
        )
