"""Real `mkdocs build --strict` runs, in a temporary folder, through the hook."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .helpers import mkdocs_build as build

PAGE_LIMIT = 80 * 1024


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = build(ROOT / "tests" / "fixtures" / "small", site)
    assert result.returncode == 0, result.stderr
    return site


def html(site: Path, uri: str) -> str:
    return (site / uri / "index.html").read_text(encoding="utf-8")


def test_every_page_kind_is_built(small_site: Path) -> None:
    expected = {
        "": "Bonnes pratiques des réseaux de l",
        "guide": "Le guide des bonnes pratiques",
        "guide/decouverte": "Découverte des métiers",
        "manifeste": "Manifeste d",
        "pratiques": "Toutes les fiches",
        "pratiques/visites-entreprises": "Visites d",
        "organisations": "Organisations",
        "organisations/reseau-a": "Réseau A",
        "territoires": "Territoires",
        "territoires/region-b": "Région B",
        "conventions": "Conventions et accords",
        "conventions/convention-a-c": "Convention A – C",
        "publics": "Publics",
        "publics/jeunes": "Jeunes",
        "champs-de-cooperation": "Champs de coopération",
        "champs-de-cooperation/partage": "Partage d",
        "a-propos": "À propos",
    }
    for uri, title in expected.items():
        page = html(small_site, uri)
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        assert h1 and title in h1.group(1), uri


def test_html_is_french_and_requests_no_third_party(small_site: Path) -> None:
    page = html(small_site, "pratiques/visites-entreprises")
    assert '<html lang="fr"' in page
    assert "fonts.googleapis" not in page and "fonts.gstatic" not in page
    # Every script, stylesheet, icon and image is served by the site itself
    # (a canonical <link> names the page's own address and is not fetched).
    fetched = re.findall(r'<script[^>]+src="([^"]+)"', page) + re.findall(r'<img[^>]+src="([^"]+)"', page)
    fetched += [href for tag in re.findall(r"<link[^>]+>", page) if 'rel="canonical"' not in tag for href in re.findall(r'href="([^"]+)"', tag)]
    assert fetched
    for url in fetched:
        assert not re.match(r"^(https?:)?//", url), url


def test_practice_pages_are_kept_out_of_the_sidebar(small_site: Path) -> None:
    # « À propos » links to no practice in its text: any link to one would come from the nav.
    page = html(small_site, "a-propos")
    assert "visites-entreprises" not in page
    assert "organisations/reseau-a" not in page
    assert 'href="../guide/decouverte/"' in page  # the guide's chapters are listed
    assert 'href="../pratiques/"' in page  # the index of all practices is listed


def test_cross_links_resolve_both_ways(small_site: Path) -> None:
    practice = html(small_site, "pratiques/visites-entreprises")
    assert 'href="../../organisations/reseau-a/"' in practice
    assert 'href="../../manifeste/#ensemble"' in practice
    organisation = html(small_site, "organisations/reseau-a")
    assert 'href="../../pratiques/visites-entreprises/"' in organisation
    assert 'id="ensemble"' in html(small_site, "manifeste")


def test_edit_link_points_to_the_yaml_source(small_site: Path) -> None:
    # The fixture lives in the repository, so its edit link is exact.
    assert "/edit/main/tests/fixtures/small/visites-entreprises.yml" in html(small_site, "pratiques/visites-entreprises")


def test_search_index_is_built_after_the_build(small_site: Path) -> None:
    assert (small_site / "pagefind" / "pagefind.js").is_file()
    assert list((small_site / "pagefind" / "index").glob("*.pf_index"))
    page = (small_site / "pratiques" / "visites-entreprises" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in page
    assert 'data-pagefind-filter="territoire:Région B"' in page  # a town's practice is in its region too
    assert 'data-pagefind-meta="kind:Fiche"' in page


def test_search_index_fed_during_the_build_is_the_command_lines(small_site: Path, tmp_path: Path) -> None:
    # The hook hands Pagefind each page's searched part as it is written; the command line reads the
    # whole written files. Same pages, same words, same filters: the same page records (fragments,
    # named from their content). Only the numbering of pages may differ (the order they were added).
    copy = tmp_path / "site"
    shutil.copytree(small_site, copy, ignore=shutil.ignore_patterns("pagefind"))
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), "--quiet", "--exclude-selectors", ".headerlink"], check=True)
    built, written = small_site / "pagefind", copy / "pagefind"
    assert sorted(p.name for p in (built / "fragment").iterdir()) == sorted(p.name for p in (written / "fragment").iterdir())
    pages = [json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]["fr"]["page_count"] for bundle in (built, written)]
    assert pages[0] == pages[1] > 10


def test_json_schema_is_published(small_site: Path) -> None:
    assert (small_site / "schema" / "practice.schema.json").read_text(encoding="utf-8").startswith("{")


def test_real_content_builds_with_every_page_under_the_limit(tmp_path: Path) -> None:
    result = build(ROOT / "practices", tmp_path)
    assert result.returncode == 0, result.stderr
    practice_pages = list((tmp_path / "pratiques").glob("*/index.html"))
    assert len(practice_pages) >= 15
    for page in practice_pages:
        assert page.stat().st_size < PAGE_LIMIT, page


def test_broken_sheet_fails_the_build_with_located_french_errors(tmp_path: Path) -> None:
    practices = tmp_path / "practices"
    shutil.copytree(ROOT / "tests" / "fixtures" / "small", practices)
    sheet = practices / "parrainage-jeunes.yml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("summary:", "sumary:").replace("[region-b]", "[region-z]"), encoding="utf-8")
    result = build(practices, tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"parrainage-jeunes\.yml:2:1: sumary: champ inconnu", result.stderr)
    assert re.search(r"parrainage-jeunes\.yml:\d+:\d+: territories\[0\]: territoire inconnu « region-z »", result.stderr)
    assert "3 problèmes" in result.stderr


def test_two_sheets_with_the_same_url_fail_the_build(tmp_path: Path) -> None:
    practices = tmp_path / "practices"
    shutil.copytree(ROOT / "tests" / "fixtures" / "small", practices)
    shutil.copy(practices / "ateliers-nationaux.yml", practices / "index.yml")
    result = build(practices, tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "index.yml:1:1: nom de fichier réservé" in result.stderr


def test_a_much_cited_practice_page_stays_light(tmp_path: Path) -> None:
    practices = tmp_path / "practices"
    shutil.copytree(ROOT / "tests" / "fixtures" / "small", practices)
    template = (practices / "ateliers-nationaux.yml").read_text(encoding="utf-8")
    for number in range(300):
        sheet = template.replace("title: Ateliers nationaux", f"title: Atelier numéro {number}") + "related: [visites-entreprises]\n"
        (practices / f"atelier-{number}.yml").write_text(sheet, encoding="utf-8")
    result = build(practices, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "site" / "pratiques" / "visites-entreprises" / "index.html"
    assert page.stat().st_size < PAGE_LIMIT
    assert "et 280 autres fiches qui la citent" in page.read_text(encoding="utf-8")


def test_a_build_whose_search_index_fails_stops_with_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pagefind runs beside MkDocs and writes its index once MkDocs has returned: its failure still fails the build, in French.
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    result = build(ROOT / "tests" / "fixtures" / "small", tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr  # MkDocs prints its Abort message on stdout
    assert "le programme pagefind s'est arrêté en cours de route (code de sortie 3)" in output, output[-2000:]
    assert "Traceback" not in output and "never retrieved" not in output, output[-2000:]
    assert not (tmp_path / "site" / "pagefind").exists()
