"""A real site, served on 127.0.0.1, in Debian's Chromium.

The site is built once per run from the real content. Every browser context
records its requests; a test that let the page reach another host fails at
teardown.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ..conftest import ROOT
from ..helpers import mkdocs_build
from ..support.browser import RequestLog, launch, new_context, serve

# One page of each generated kind, in the real content.
PAGE_KINDS = {
    "accueil": "",
    "guide": "guide/",
    "chapitre": "guide/clauses-sociales/",
    "manifeste": "manifeste/",
    "index des fiches": "pratiques/",
    "fiche": "pratiques/etape-ciste/",
    "index des parcours": "parcours/",
    "parcours": "parcours/partir-des-besoins-des-entreprises-alpes-maritimes/",
    "fiche dans un parcours": "pratiques/formations-numeriques-alpes-maritimes/",
    "index des organisations": "organisations/",
    "organisation": "organisations/face/",
    "index des territoires": "territoires/",
    "territoire": "territoires/poitou-charentes/",
    "territoire atteint par une démarche": "territoires/corse/",
    "commune": "territoires/cherbourg/",
    "carte des territoires": "carte/",
    "index des conventions": "conventions/",
    "convention": "conventions/convention-face-ave-2011/",
    "index des publics": "publics/",
    "public": "publics/jeunes/",
    "index des champs": "champs-de-cooperation/",
    "champ de coopération": "champs-de-cooperation/strategie-territoriale-partagee/",
    "page écrite à la main": "a-propos/",
    "méthode": "methode/",
    "carte des preuves": "preuves/",
    "comparer": "comparer/",
    "index trié par preuve": "pratiques/par-niveau-de-preuve/",
    "rédaction": "redaction/",
    "recherche": "recherche/",
    "chiffres": "chiffres/",
}


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("real-site")
    result = mkdocs_build(ROOT / "practices", site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def requests_log() -> RequestLog:
    return RequestLog()


def _page(browser: Browser, log: RequestLog, viewport: str, color_scheme: str = "light") -> Iterator[Page]:
    context = new_context(browser, log, viewport=viewport, color_scheme=color_scheme)
    page = context.new_page()
    yield page
    context.close()
    assert log.requested, "the browser requested nothing: the check would pass vacuously"
    assert not log.third_party, f"requests outside 127.0.0.1: {log.third_party}"


@pytest.fixture(params=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: Browser, requests_log: RequestLog) -> Iterator[Page]:
    """A fresh page, at 1280×800 and at 390×844, that may only talk to 127.0.0.1."""
    yield from _page(browser, requests_log, request.param)
