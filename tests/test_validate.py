"""Schema and cross-reference validation: every problem, located, in French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge import KnowledgeBaseError, Problem, load_knowledge_base


def problems_of(directory: Path) -> list[Problem]:
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(directory)
    return list(raised.value.problems)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_the_fixture_is_valid(small_kb: Path) -> None:
    kb = load_knowledge_base(small_kb)
    assert sorted(kb.practices) == ["ateliers-nationaux", "parrainage-jeunes", "visites-entreprises"]
    practice = kb.practices["visites-entreprises"].data
    assert practice.key_figures[0].value == "4 000"
    assert practice.period is not None and practice.period.start == "2011-04"
    assert kb.practices["visites-entreprises"].path.endswith("visites-entreprises.yml")


def test_unknown_field_suggests_the_closest_known_field(small_kb: Path) -> None:
    sheet = small_kb / "parrainage-jeunes.yml"
    edit(sheet, "summary:", "sumary:")
    problems = problems_of(small_kb)
    unknown = next(p for p in problems if p.field == "sumary")
    assert unknown.path.endswith("parrainage-jeunes.yml")
    assert (unknown.line, unknown.column) == (2, 1)
    assert unknown.message == "champ inconnu"
    assert "« summary »" in unknown.hint
    missing = next(p for p in problems if p.field == "summary")
    assert missing.message == "champ obligatoire manquant"


def test_nested_unknown_field_is_located_inside_the_list(small_kb: Path) -> None:
    sheet = small_kb / "visites-entreprises.yml"
    edit(sheet, "    publisher: Un journal", "    publsher: Un journal")
    problem = only(problems_of(small_kb))
    assert problem.field == "sources[0].publsher"
    assert problem.line == line_of(sheet, "publsher")
    assert "« publisher »" in problem.hint


def test_missing_nested_field_points_at_its_parent(small_kb: Path) -> None:
    sheet = small_kb / "visites-entreprises.yml"
    edit(sheet, "  - label: Entreprises visitées\n", "  - unit: x\n")
    problems = problems_of(small_kb)
    missing = next(p for p in problems if "label" in p.message)
    assert missing.field == "key_figures[0]"
    assert missing.line == line_of(sheet, "- unit: x")


@pytest.mark.parametrize(
    ("old", "new", "field", "needle"),
    [
        ("kind: experiment", "kind: experimentation", "kind", "« experiment »"),
        ("reviewed: 2026-11-21", "reviewed: 21/11/2026", "reviewed", "AAAA-MM-JJ"),
        ("reviewed: 2026-11-21", "reviewed: 2026-02-30", "reviewed", "AAAA-MM-JJ"),
        ("themes: [parrainage, decouverte]", "themes: parrainage", "themes", "« themes: [parrainage] »"),
        ("themes: [parrainage, decouverte]", "themes: []", "themes", "au moins 1"),
        ("  - title: Compte rendu", "  - title: Compte rendu\n    url: javascript:alert(1)", "sources[0].url", "https://"),
        ("  - title: Compte rendu", "  - title: Compte rendu\n    date: hier", "sources[0].date", "AAAA"),
        ("description: Des parrains accompagnent des jeunes.", "description: ''", "description", "vide"),
        ("title: Parrainage de jeunes", "title:\n  - a", "title", "texte"),
    ],
)
def test_schema_errors_are_told_in_french(small_kb: Path, old: str, new: str, field: str, needle: str) -> None:
    sheet = small_kb / "parrainage-jeunes.yml"
    edit(sheet, old, new)
    problem = only(problems_of(small_kb))
    assert problem.field == field
    assert problem.path.endswith("parrainage-jeunes.yml")
    assert problem.line == line_of(sheet, field.split("[")[0].split(".")[-1] + ":") or field.startswith("sources")
    assert needle in problem.message + " " + problem.hint
    # No English pydantic wording leaks to contributors.
    assert not re.search(r"\b(Input|should|valid|Field required)\b", problem.message)


@pytest.mark.parametrize(
    ("old", "new", "field", "hint"),
    [
        ("lead: operateur-c", "lead: operateur-x", "lead", "« operateur-c »"),
        ("territories: [region-b]", "territories: [region-c]", "territories[0]", "« region-b »"),
        ("themes: [parrainage, decouverte]", "themes: [parrainage, decouvert]", "themes[1]", "« decouverte »"),
        ("audiences: [jeunes]", "audiences: [jeune]", "audiences[0]", "« jeunes »"),
        ("kind: experiment", "kind: experiment\nagreements: [convention-a]", "agreements[0]", "« convention-a-c »"),
        ("kind: experiment", "kind: experiment\nrelated: [visites-entreprise]", "related[0]", "« visites-entreprises »"),
        ("kind: experiment", "kind: experiment\ncontact:\n  organisation: maison", "contact.organisation", "« maison-b »"),
    ],
)
def test_unknown_references_suggest_existing_ids(small_kb: Path, old: str, new: str, field: str, hint: str) -> None:
    edit(small_kb / "parrainage-jeunes.yml", old, new)
    problem = only(problems_of(small_kb))
    assert problem.field == field
    assert "inconnu" in problem.message
    assert hint in problem.hint


def test_references_inside_reference_files_are_checked(small_kb: Path) -> None:
    edit(small_kb / "reference" / "agreements.yml", "signatories: [reseau-a, operateur-c]", "signatories: [reseau-a, operateur]")
    edit(small_kb / "reference" / "manifesto.yml", "practices: [visites-entreprises]", "practices: [visites]")
    problems = problems_of(small_kb)
    assert {p.field for p in problems} == {"convention-a-c.signatories[1]", "principles[0].practices[0]"}


def test_all_problems_of_all_files_in_one_run(small_kb: Path) -> None:
    edit(small_kb / "parrainage-jeunes.yml", "kind: experiment", "kind: essai\nfoo: bar")
    edit(small_kb / "parrainage-jeunes.yml", "territories: [region-b]", "territories: [nulle-part]")
    edit(small_kb / "ateliers-nationaux.yml", "title: Ateliers nationaux\n", "title: Ateliers nationaux\ntitle: encore\n")
    edit(small_kb / "reference" / "audiences.yml", "name: Jeunes", "nom: Jeunes")
    problems = problems_of(small_kb)
    assert {(Path(p.path).name, p.field) for p in problems} == {
        ("parrainage-jeunes.yml", "kind"),
        ("parrainage-jeunes.yml", "foo"),
        ("parrainage-jeunes.yml", "territories[0]"),
        ("ateliers-nationaux.yml", ""),
        ("audiences.yml", "jeunes.nom"),  # « nom » is « name » in French: one problem, not a second for the missing « name »
    }
    (renamed,) = (p for p in problems if p.field == "jeunes.nom")
    assert "« name: »" in renamed.hint


def test_a_broken_reference_entry_does_not_cascade(small_kb: Path) -> None:
    # The organisation is invalid, but sheets that name it are not blamed for it.
    edit(small_kb / "reference" / "organisations.yml", "  kind: public-operator", "  kind: public")
    problem = only(problems_of(small_kb))
    assert problem.field == "operateur-c.kind"


def test_file_names_must_be_slugs(small_kb: Path) -> None:
    (small_kb / "parrainage-jeunes.yml").rename(small_kb / "Parrainage Jeunes.yml")
    problems = problems_of(small_kb)
    renamed = next(p for p in problems if p.path.endswith("Parrainage Jeunes.yml"))
    assert "parrainage-jeunes.yml" in renamed.hint
    # The manifesto and the related list no longer find it either: said, not hidden.
    assert any(p.field == "related[0]" for p in problems)


def test_yaml_extension_is_not_silently_ignored(small_kb: Path) -> None:
    (small_kb / "ateliers-nationaux.yml").rename(small_kb / "ateliers-nationaux.yaml")
    problem = only(problems_of(small_kb))
    assert "ateliers-nationaux.yml" in problem.hint


def test_missing_and_unknown_reference_files(small_kb: Path) -> None:
    (small_kb / "reference" / "audiences.yml").rename(small_kb / "reference" / "audience.yml")
    problems = problems_of(small_kb)
    assert any(p.path.endswith("audiences.yml") and "manquant" in p.message for p in problems)
    assert any(p.path.endswith("audience.yml") and "audiences.yml" in p.hint for p in problems)


def test_reference_ids_must_be_slugs(small_kb: Path) -> None:
    edit(small_kb / "reference" / "audiences.yml", "jeunes:\n", "Jeunes Gens:\n")
    problems = problems_of(small_kb)
    assert any(p.field == "Jeunes Gens" and "jeunes-gens" in p.hint for p in problems)


def test_territory_tree_is_checked(small_kb: Path) -> None:
    territories = small_kb / "reference" / "territories.yml"
    edit(territories, "  level: region\n  parent: france", "  level: region\n  parent: ville-b")
    problems = problems_of(small_kb)
    assert any(p.field == "region-b.parent" and "boucle" in p.message for p in problems)
    assert any(p.field == "region-b.parent" and "n'englobe pas" in p.message for p in problems)


def test_a_practice_cannot_be_related_to_itself(small_kb: Path) -> None:
    edit(small_kb / "parrainage-jeunes.yml", "kind: experiment", "kind: experiment\nrelated: [parrainage-jeunes]")
    assert "elle-même" in only(problems_of(small_kb)).message


def test_period_must_be_ordered(small_kb: Path) -> None:
    edit(small_kb / "visites-entreprises.yml", "  start: 2011-04", "  start: 2011-04\n  end: 2010")
    problem = only(problems_of(small_kb))
    assert problem.field == "period"
    assert "précède" in problem.message


def test_duplicate_principle_ids_are_refused(small_kb: Path) -> None:
    manifesto = small_kb / "reference" / "manifesto.yml"
    text = manifesto.read_text(encoding="utf-8")
    principle = text[text.index("  - id: ensemble") :]
    manifesto.write_text(text + principle, encoding="utf-8")
    assert "déjà utilisé" in only(problems_of(small_kb)).message


def test_missing_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    problem = only(problems_of(tmp_path / "absent"))
    assert "introuvable" in problem.message
    assert "KB_PRACTICES_DIR" in problem.hint


def test_problem_format_is_file_line_col_field(small_kb: Path) -> None:
    edit(small_kb / "parrainage-jeunes.yml", "summary:", "sumary:")
    text = str(next(p for p in problems_of(small_kb) if p.field == "sumary"))
    assert re.match(r"^\S+parrainage-jeunes\.yml:2:1: sumary: champ inconnu\n    → vouliez-vous dire « summary » \?$", text)


def test_index_is_a_reserved_id_everywhere(small_kb: Path) -> None:
    (small_kb / "ateliers-nationaux.yml").rename(small_kb / "index.yml")
    edit(small_kb / "reference" / "audiences.yml", "jeunes:\n", "index:\n")
    edit(small_kb / "parrainage-jeunes.yml", "audiences: [jeunes]", "audiences: [index]")
    problems = problems_of(small_kb)
    # The sheet is no longer « ateliers-nationaux » nor the audience « jeunes »: what named them says so.
    assert {(Path(p.path).name, p.field) for p in problems} == {
        ("index.yml", ""),
        ("audiences.yml", "index"),
        ("pathways.yml", "decouvrir-puis-parrainer.steps[0].practices[0]"),
        ("pathways.yml", "decouvrir-puis-parrainer.audiences[0]"),
        ("visites-entreprises.yml", "inspired_by[0].practice"),
    }


# What readers need to decide whether to copy a practice is checked like the rest.
@pytest.mark.parametrize(
    ("old", "new", "field", "needle"),
    [
        ("  justification: Le réseau A a publié le nombre d'entreprises visitées.\n", "", "evidence", "« justification » manquant"),
        ("  level: monitored", "  level: prouvee", "evidence.level", "monitored (Suivie)"),
        ("  source: Article sur la convention", "  source: Un autre article", "evidence.source", "« Article sur la convention »"),
        ('    date: "2011"\n    source: Enquête', "    source: Enquête", "key_figures[0]", "date: AAAA"),
        ("    source: Enquête interne du réseau A\n", "", "key_figures[0]", "« source » manquant"),
        ("    type: result", "    type: means\n    funding: [fse, mecenat]", "key_figures[0].funding[1]", "« mecenat »"),
        ("status_date: 2011-04-16\n", "", "status_date", "status_date: AAAA-MM-JJ"),
        ("created: 2026-11-20", "created: 2026-11-21", "reviewed", "« created »"),
        ("editorial_status: reviewed", "editorial_status: relue", "editorial_status", "« reviewed »"),
    ],
)
def test_decision_fields_are_checked_with_their_fix(small_kb: Path, old: str, new: str, field: str, needle: str) -> None:
    edit(small_kb / "visites-entreprises.yml", old, new)
    problem = only(problems_of(small_kb))
    assert problem.path.endswith("visites-entreprises.yml")
    assert problem.field == field or (field in ("status_date", "reviewed") and problem.field == ""), str(problem)
    assert needle in problem.message + " " + problem.hint, str(problem)


def test_a_successor_loop_is_refused(small_kb: Path) -> None:
    successor = "\n  successor:\n    organisation: {}\n    date: '2008'\n    source:\n      title: Loi\n"
    edit(small_kb / "reference" / "organisations.yml", "  kind: public-operator", "  kind: public-operator" + successor.format("maison-b"))
    edit(small_kb / "reference" / "organisations.yml", "  territory: ville-b", "  territory: ville-b" + successor.format("operateur-c"))
    problems = problems_of(small_kb)
    assert {p.field for p in problems} == {"maison-b.successor.organisation", "operateur-c.successor.organisation"}
    loops = {"maison-b → operateur-c → maison-b", "operateur-c → maison-b → operateur-c"}
    assert all("boucle" in p.message and any(loop in p.message for loop in loops) for p in problems)


# ---------------------------------------------------------------------------
# Pathways and the spread of practices


PATHWAYS = "reference/pathways.yml"


def test_a_pathway_step_without_practice_or_naming_an_unknown_one_is_refused(small_kb: Path) -> None:
    edit(small_kb / PATHWAYS, "practices: [ateliers-nationaux]", "practices: []")
    edit(small_kb / PATHWAYS, "practices: [parrainage-jeunes]", "practices: [parrainage-jeune]")
    problems = {p.field: p for p in problems_of(small_kb)}
    assert set(problems) == {"decouvrir-puis-parrainer.steps[0].practices", "decouvrir-puis-parrainer.steps[2].practices[0]"}
    empty, unknown = problems["decouvrir-puis-parrainer.steps[0].practices"], problems["decouvrir-puis-parrainer.steps[2].practices[0]"]
    assert empty.line == line_of(small_kb / PATHWAYS, "practices: []")
    assert "au moins" in f"{empty.message} {empty.hint}"
    assert unknown.message == "fiche inconnue « parrainage-jeune »" and "parrainage-jeunes" in unknown.hint


def test_duplicate_steps_are_refused(small_kb: Path) -> None:
    edit(small_kb / PATHWAYS, "- id: visites\n      title: Visiter des entreprises", "- id: ateliers\n      title: tenir des Ateliers")
    problems = problems_of(small_kb)
    assert {p.field for p in problems} == {"decouvrir-puis-parrainer.steps[1].id", "decouvrir-puis-parrainer.steps[1].title"}
    assert all("étape 1" in p.message for p in problems)


def test_a_sheet_shows_one_step_of_a_pathway(small_kb: Path) -> None:
    edit(small_kb / PATHWAYS, "practices: [parrainage-jeunes]", "practices: [parrainage-jeunes, ateliers-nationaux]")
    problem = only(problems_of(small_kb))
    assert problem.field == "decouvrir-puis-parrainer.steps[2].practices[1]"
    assert "déjà à l'étape 1" in problem.message and "une seule étape" in problem.hint


@pytest.mark.parametrize(
    ("requires", "message", "hint"),
    [
        ("[parrainage]", "l'étape « parrainage » vient après celle-ci", "placez-la avant"),
        ("[visites]", "une étape ne peut pas se requérir elle-même", "retirez « visites »"),
        ("[atelier]", "étape inconnue « atelier » dans ce parcours", "« ateliers »"),
    ],
)
def test_a_step_requires_earlier_steps_only(small_kb: Path, requires: str, message: str, hint: str) -> None:
    edit(small_kb / PATHWAYS, "requires: [ateliers]", f"requires: {requires}")
    problem = only(problems_of(small_kb))
    assert problem.field == "decouvrir-puis-parrainer.steps[1].requires[0]"
    assert problem.line == line_of(small_kb / PATHWAYS, f"requires: {requires}")
    assert problem.message == message and hint in problem.hint


def test_a_loop_of_inspirations_is_refused(small_kb: Path) -> None:
    inspired = "inspired_by:\n  - practice: visites-entreprises\n    source: Rapport\n"
    edit(small_kb / "ateliers-nationaux.yml", "sources:\n", inspired + "sources:\n")
    problems = problems_of(small_kb)
    assert {(Path(p.path).name, p.field) for p in problems} == {
        ("ateliers-nationaux.yml", "inspired_by[0].practice"),
        ("visites-entreprises.yml", "inspired_by[0].practice"),
    }
    assert all("boucle" in p.message and "sens du temps" in p.hint for p in problems)
    assert any("ateliers-nationaux → visites-entreprises → ateliers-nationaux" in p.message for p in problems)


def test_a_sheet_inspired_by_itself_is_refused(small_kb: Path) -> None:
    edit(small_kb / "visites-entreprises.yml", "  - practice: ateliers-nationaux", "  - practice: visites-entreprises")
    problem = only(problems_of(small_kb))
    assert problem.field == "inspired_by[0].practice" and problem.message == "une fiche ne peut pas s'inspirer d'elle-même"


def test_spread_and_inspiration_rest_on_the_sheets_sources(small_kb: Path) -> None:
    edit(small_kb / "visites-entreprises.yml", "    source: Article sur la convention\ncontact", "    source: Un article\ncontact")
    edit(small_kb / "parrainage-jeunes.yml", "    territory: ville-b", "    territory: ville-c")
    edit(small_kb / "parrainage-jeunes.yml", "  - how: taken-up", "  - how: reprise")
    problems = {p.field: p for p in problems_of(small_kb)}
    assert set(problems) == {"inspired_by[0].source", "spread[0].territory", "spread[0].how"}
    assert problems["inspired_by[0].source"].message == "la source « Un article » n'est pas dans les sources de la fiche"
    assert "ville-b" in problems["spread[0].territory"].hint
    assert "taken-up" in str(problems["spread[0].how"])
