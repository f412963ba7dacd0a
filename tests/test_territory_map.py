"""Official codes of territories, and the map of /carte/: checked against the installed official lists."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from knowledge import KnowledgeBaseError, Problem, link, load_knowledge_base, render_site
from knowledge.geo import draw
from knowledge.official import OfficialDataMissing, geography
from knowledge.territory_map import page_url, territory_map

from .conftest import ROOT


def problems_of(directory: Path) -> list[Problem]:
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(directory)
    return list(raised.value.problems)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


@pytest.fixture
def real_kb(tmp_path: Path) -> Path:
    """A writable copy of the real content."""
    target = tmp_path / "practices"
    shutil.copytree(ROOT / "practices", target)
    return target


def edit(directory: Path, old: str, new: str) -> Path:
    path = directory / "reference" / "territories.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


# ---- Codes, names and parents against the official lists ----------------------------------


def test_the_real_territories_carry_their_official_codes() -> None:
    kb = load_knowledge_base(ROOT / "practices")
    official = geography()
    for key, entry in kb.territories.items():
        territory = entry.data
        if territory.level == "national":
            continue
        assert territory.code, f"{key} sans code"
        if territory.successor is None:
            place = official.find(territory.level, territory.code)
            assert place is not None and place.name == territory.name


def test_an_unknown_code_is_refused_with_the_right_one(real_kb: Path) -> None:
    path = edit(real_kb, 'code: "94"', 'code: "99"')
    problem = only(problems_of(real_kb))
    assert (problem.path, problem.line, problem.field) == (str(path), line_of(path, 'code: "99"'), "corse.code")
    assert problem.message.startswith("code de région « 99 » inconnu du Code officiel géographique")
    assert problem.hint == '« Corse » a le code « 94 » : écrivez code: "94"'


def test_a_code_of_another_level_is_named(real_kb: Path) -> None:
    edit(real_kb, 'code: "94"', 'code: "2A"')
    problem = only(problems_of(real_kb))
    assert problem.field == "corse.code"
    assert "« 2A » est un code de département (Corse-du-Sud)" in problem.hint


def test_the_code_of_another_territory_is_told(real_kb: Path) -> None:
    # « 06 » is Mayotte's region code as well as the Alpes-Maritimes' department number.
    edit(real_kb, 'code: "94"', 'code: "06"')
    problem = only(problems_of(real_kb))
    assert problem.field == "corse.name"
    assert problem.message == "le code « 06 » est celui de « Mayotte », pas de « Corse »"
    assert problem.hint == '« Corse » a le code « 94 » : écrivez code: "94"'


def test_a_name_that_is_not_the_official_one_is_refused(real_kb: Path) -> None:
    edit(real_kb, "name: Alpes-Maritimes", "name: Alpes Maritimes")
    problem = only(problems_of(real_kb))
    assert problem.field == "alpes-maritimes.name"
    assert problem.message == "le code « 06 » est celui de « Alpes-Maritimes », pas de « Alpes Maritimes »"
    assert problem.hint == "écrivez le nom officiel exactement : name: Alpes-Maritimes"


def test_a_former_name_is_recognised_as_such(real_kb: Path) -> None:
    edit(real_kb, "name: Cherbourg-en-Cotentin", "name: Cherbourg-Octeville")
    problem = only(problems_of(real_kb))
    assert problem.field == "cherbourg.name"
    assert "« Cherbourg-Octeville » est un ancien nom" in problem.hint and "former_names" in problem.hint


def test_a_parent_must_contain_the_territory_officially(real_kb: Path) -> None:
    # Poitiers is in the Vienne, in today's Nouvelle-Aquitaine: not in Corsica.
    edit(real_kb, "  parent: poitou-charentes\n", "  parent: corse\n")
    problem = only(problems_of(real_kb))
    assert problem.field == "poitiers.parent"
    assert problem.message == (
        "« Corse » ne contient pas « Poitiers » (commune 86194), qui est dans le département 86 (région 75) d'après le Code officiel géographique"
    )
    assert problem.hint == "écrivez parent: poitou-charentes"


def test_the_parent_is_the_smallest_territory_of_the_base_around(real_kb: Path) -> None:
    # Poitiers is in Poitou-Charentes, which the base holds: France is too wide a parent.
    edit(real_kb, "  parent: poitou-charentes\n", "  parent: france\n")
    problem = only(problems_of(real_kb))
    assert problem.field == "poitiers.parent"
    assert "« Poitiers » est dans « Poitou-Charentes », qui figure dans la base" in problem.message
    assert problem.hint.startswith("écrivez parent: poitou-charentes")


def test_a_former_region_names_an_existing_successor(real_kb: Path) -> None:
    edit(real_kb, 'code: "75"', 'code: "74"')
    problem = only(problems_of(real_kb))
    assert problem.field == "poitou-charentes.successor.code"
    assert "aucun territoire de niveau « Région » n'a aujourd'hui le code « 74 »" in problem.message


def test_a_former_region_without_successor_is_an_unknown_code(real_kb: Path) -> None:
    path = real_kb / "reference" / "territories.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index('  successor:\n    code: "75"')
    end = text.index("\npoitiers:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    problem = only(problems_of(real_kb))
    assert problem.field == "poitou-charentes.code"
    assert "si ce territoire n'existe plus, donnez son successeur (successor)" in problem.hint


def test_an_employment_area_has_no_official_code(real_kb: Path) -> None:
    path = real_kb / "reference" / "territories.yml"
    path.write_text(
        path.read_text(encoding="utf-8") + '\nbassin-nice:\n  name: Bassin de Nice\n  level: employment-area\n  parent: alpes-maritimes\n  code: "9999"\n',
        encoding="utf-8",
    )
    problem = only(problems_of(real_kb))
    assert problem.field == "bassin-nice.code"
    assert "n'a pas de code dans le Code officiel géographique" in problem.message


def test_missing_official_lists_are_said(tmp_path: Path) -> None:
    with pytest.raises(OfficialDataMissing):
        geography(tmp_path)


# ---- The map ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_site() -> tuple[object, dict[str, str]]:
    graph = link(load_knowledge_base(ROOT / "practices"))
    pages = {page.uri: page.content for page in render_site(graph)}
    return graph, pages


def svg_links(content: str) -> dict[str, list[str]]:
    """href → titles of the map's links."""
    found: dict[str, list[str]] = {}
    for href, title in re.findall(r'<a class="kb-map__link" href="([^"]+)"><title>([^<]+)</title>', content):
        found.setdefault(href, []).append(title)
    return found


def test_the_drawing_holds_every_department_and_region_of_today() -> None:
    drawing = draw(geography())
    assert len(drawing.departments) == 101  # 96 metropolitan, 5 overseas
    assert len(drawing.regions) == 18  # 13 metropolitan, 5 overseas
    assert [inset.name for inset in drawing.insets] == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]
    for area in [*drawing.departments.values(), *drawing.regions.values()]:
        assert area.path.startswith("M"), area.name
        x, y = area.label
        assert 0 <= x <= drawing.width and 0 <= y <= drawing.height


def test_the_map_links_every_territory_holding_sheets(real_site: tuple[object, dict[str, str]]) -> None:
    graph, pages = real_site
    content = pages["carte.md"]
    kb = graph.kb  # type: ignore[attr-defined]
    holding = [key for key in kb.territories if graph.by_territory_tree.get(key)]  # type: ignore[attr-defined]
    assert set(holding) == {"france", "poitou-charentes", "cherbourg", "alpes-maritimes"}
    for key in holding:
        assert f"](/territoires/{key}.md)" in content, key


def test_the_counts_are_the_sheets_of_the_territories_inside(real_site: tuple[object, dict[str, str]]) -> None:
    graph, pages = real_site
    tree = graph.by_territory_tree  # type: ignore[attr-defined]
    links = svg_links(pages["carte.md"])
    # A department that is a territory of the base: its own sheets and its towns'.
    assert links["../territoires/alpes-maritimes/"] == [f"Alpes-Maritimes : {len(tree['alpes-maritimes'])} fiches"]
    # A department the base does not hold opens its one town, and says so.
    assert links["../territoires/cherbourg/"] == [f"Manche : {len(tree['cherbourg'])} fiche, à Cherbourg-en-Cotentin"]
    # Today's region opens the former region it succeeded.
    assert links["../territoires/poitou-charentes/"] == ["Nouvelle-Aquitaine : 1 fiche, dans l'ancienne région Poitou-Charentes"]
    # The Alpes-Maritimes group presented its approach in Corsica: no sheet there, one approach arrived.
    assert links["../territoires/corse/"] == ["Corse : aucune fiche, 1 démarche venue d'ailleurs"]
    # A region without a page of its own is drawn, counted, and not a link.
    assert "<title>Normandie : 1 fiche</title>" in pages["carte.md"]


def test_the_list_gives_what_the_map_gives(real_site: tuple[object, dict[str, str]]) -> None:
    graph, pages = real_site
    content = pages["carte.md"]
    listed = content[content.index("## Par région et département") :]
    tmap = territory_map(graph)  # type: ignore[arg-type]
    areas = [*tmap.regions, *tmap.all_departments]
    for area in areas:
        if area.count or area.own:
            words = f"{area.count} fiche{'s' if area.count > 1 else ''}" if area.count else "aucune fiche"
            assert re.search(rf"(\[{re.escape(area.name)}\]\([^)]*\)|{re.escape(area.name)}) — {words}", listed), area.name
    for area in areas:
        if area.link:
            assert f"](/territoires/{area.link}.md)" in listed, area.name
    # Every link of the drawing is one of these areas' links.
    assert set(svg_links(content)) == {page_url(f"territoires/{area.link}.md", "carte.md") for area in areas if area.link}


def test_the_map_shows_where_approaches_went(real_site: tuple[object, dict[str, str]]) -> None:
    graph, pages = real_site
    content = pages["carte.md"]
    tmap = territory_map(graph)  # type: ignore[arg-type]
    reached = {area.name for area in [*tmap.regions, *tmap.all_departments] if area.arrivals}
    assert reached == {"Corse"}  # France is the Cherbourg action's own country: nothing arrives there
    # Drawn without colour alone (a dashed outline), said in the list and in the section of origins.
    assert re.search(r'class="kb-map__region[^"]*kb-map__area--reached"', content)
    assert "[Corse](/territoires/corse.md) — aucune fiche · 1 démarche venue d'ailleurs" in content
    spread = content[content.index("## Où les démarches sont allées") :]
    assert "[Le groupe sécurisation des parcours des Alpes-Maritimes](/pratiques/groupe-securisation-des-parcours-alpes-maritimes.md)" in spread
    assert "présentée : [Corse](/territoires/corse.md)" in spread and "diffusion prévue : [France](/territoires/france.md)" in spread
    # The territory pages say the same, at both ends.
    departed = pages["territoires/alpes-maritimes.md"]
    assert "## Démarches parties d'ici" in departed and "Présentée : [Corse](/territoires/corse.md)" in departed
    corse = pages["territoires/corse.md"]
    assert (
        "## Démarches venues d'ailleurs" in corse and "Présentée ici, par [France Travail](/organisations/pole-emploi.md) (anciennement Pôle emploi)" in corse
    )


def test_territory_pages_show_where_they_are(real_site: tuple[object, dict[str, str]]) -> None:
    _graph, pages = real_site
    assert "Commune du département Manche (50), région Normandie." in pages["territoires/cherbourg.md"]
    assert "Aujourd'hui dans la région Nouvelle-Aquitaine (code 75)." in pages["territoires/poitou-charentes.md"]
    assert "Département Alpes-Maritimes (06), région Provence-Alpes-Côte d&#x27;Azur." in pages["territoires/alpes-maritimes.md"] or (
        "Département Alpes-Maritimes (06), région Provence-Alpes-Côte d'Azur." in pages["territoires/alpes-maritimes.md"]
    )
    assert 'class="kb-locator"' not in pages["territoires/france.md"]
    # The former region says what replaced it, with its source.
    assert "Remplacé par" in pages["territoires/poitou-charentes.md"] and "Nouvelle-Aquitaine (code 75)" in pages["territoires/poitou-charentes.md"]


def test_the_map_page_stays_small(real_site: tuple[object, dict[str, str]]) -> None:
    _graph, pages = real_site
    # The drawing is the same whatever the number of sheets; about 40 KB of Markdown.
    assert len(pages["carte.md"].encode()) < 60_000
    assert len(pages["territoires/cherbourg.md"].encode()) < 25_000
