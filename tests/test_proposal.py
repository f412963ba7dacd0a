"""The issue form « Proposer une pratique » turned into a sheet, offline, on good,
bad and hostile issue bodies (tests/proposals/)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from knowledge.proposal import _NEW_FIELDS, MAX_BODY, form_labels
from knowledge.scaffold import QUESTIONS

from .conftest import ROOT

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "proposer-une-pratique.yml"
VALID = (Path(__file__).parent / "proposals" / "valide.md").read_text(encoding="utf-8")


def convert(body: str, directory: Path, tmp_path: Path) -> tuple[int, str, str]:
    comment = tmp_path / "comment.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "proposal.py"), "-", "--directory", str(directory), "--comment", str(comment)],
        input=body,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout.strip(), comment.read_text(encoding="utf-8")


def replace(body: str, label: str, value: str) -> str:
    start = body.index(f"### {label}\n\n") + len(f"### {label}\n\n")
    end = body.find("\n\n### ", start)
    return body[:start] + value + (body[end:] if end != -1 else "\n")


def test_the_form_asks_for_every_question_of_kb_new() -> None:
    fields = set(form_labels(FORM).values())
    assert {q.field for q in QUESTIONS} <= fields
    new_entry_fields = {field for fields in _NEW_FIELDS.values() for field in fields}
    assert fields - {q.field for q in QUESTIONS} == {"consent", *new_entry_fields}


def test_valid_proposal_becomes_a_sheet_that_passes_the_check(small_kb: Path, tmp_path: Path) -> None:
    code, out, comment = convert(VALID, small_kb, tmp_path)
    assert code == 0, comment
    assert out == "forum-de-l-alternance-a-evreux"
    data = yaml.safe_load((small_kb / f"{out}.yml").read_text(encoding="utf-8"))
    assert data["kind"] == "practice" and data["status"] == "ongoing"  # labels back to schema values
    assert data["territories"] == ["ville-b", "region-b"] and "partners" not in data
    assert data["description"].startswith("Chaque printemps, la maison de l'emploi réunit **trente employeurs**.\n\n- des ateliers CV ;")
    # Dates as people write them; the level rests on the only source; the editorial team has not reviewed it yet.
    assert data["status_date"] == "2024-04-12" and data["sources"] == [{"title": "Compte rendu du forum", "url": "https://exemple.fr/forum", "date": "2024-04"}]
    assert data["evidence"] == {
        "level": "described",
        "justification": "Le compte rendu de la maison de l'emploi raconte le forum, sans chiffres de suivi.",
        "source": "Compte rendu du forum",
    }
    assert data["success_factors"] == "Des employeurs fidèles, invités chaque année." and "difficulties" not in data
    assert data["editorial_status"] == "proposed" and data["created"] == data["reviewed"]
    assert "a été créée et passe la vérification" in comment
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "kb.py"), "check", str(small_kb)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


def test_a_proposal_in_a_new_town_adds_the_town_and_understands_names(small_kb: Path, tmp_path: Path) -> None:
    body = replace(VALID, "Organisation porteuse", "Maison de l'emploi B")
    body = replace(body, "Territoires", "Lorient, ville b")
    body = replace(body, "Thèmes du guide", "Découverte des métiers")
    body = body.replace(
        "### Description",
        "### Nouveau territoire\n\nLorient\n\n### Niveau du nouveau territoire\n\nCommune\n\n"
        "### Territoire qui englobe le nouveau\n\nRégion B\n\n### Code officiel du nouveau territoire\n\n56121\n\n### Description",
    )
    code, out, comment = convert(body, small_kb, tmp_path)
    assert code == 0, comment
    data = yaml.safe_load((small_kb / f"{out}.yml").read_text(encoding="utf-8"))
    assert data["lead"] == "maison-b" and data["territories"] == ["lorient", "ville-b"] and data["themes"] == ["decouverte"]
    territories = yaml.safe_load((small_kb / "reference" / "territories.yml").read_text(encoding="utf-8"))
    assert territories["lorient"] == {"name": "Lorient", "level": "municipality", "parent": "region-b", "code": "56121"}
    assert "ajouté à `practices/reference/territories.yml` : lorient" in comment
    assert "« Maison de l'emploi B » compris comme « maison-b »" in comment and "« ville b » compris comme « ville-b »" in comment
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "kb.py"), "check", str(small_kb)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


def test_a_new_territory_in_the_wrong_place_is_refused_and_nothing_is_written(small_kb: Path, tmp_path: Path) -> None:
    before = {path: path.read_text(encoding="utf-8") for path in sorted(small_kb.rglob("*.yml"))}
    body = replace(VALID, "Territoires", "Lorient").replace(
        "### Description",
        "### Nouveau territoire\n\nLorient\n\n### Niveau du nouveau territoire\n\nRégion\n\n"
        "### Territoire qui englobe le nouveau\n\nville-b\n\n### Description",
    )
    code, _, comment = convert(body, small_kb, tmp_path)
    assert code == 1 and "n'englobe pas" in comment
    assert {path: path.read_text(encoding="utf-8") for path in sorted(small_kb.rglob("*.yml"))} == before


def test_windows_line_endings_are_read_too(small_kb: Path, tmp_path: Path) -> None:
    code, out, _ = convert(VALID.replace("\n", "\r\n"), small_kb, tmp_path)
    assert code == 0 and out == "forum-de-l-alternance-a-evreux"


Edit = Callable[[str], str]
BAD: dict[str, tuple[Edit, str]] = {
    "titre manquant": (lambda b: replace(b, "Titre de la fiche", "_No response_"), "« Titre de la fiche » : réponse obligatoire"),
    "territoire inconnu": (
        lambda b: replace(b, "Territoires", "Villeneuve"),
        "« Territoires » : territoire inconnu « villeneuve » ; vouliez-vous dire « ville-b » ? "
        "Sinon, s'il est nouveau, ajoutez-le dans practices/reference/territories.yml",
    ),
    "nature inconnue": (
        lambda b: replace(b, "Nature", "Autre"),
        "« Nature » : valeur non autorisée « Autre » ; valeurs possibles : practice (Pratique), experiment (Expérimentation)",
    ),
    "sans consentement": (lambda b: b.replace("- [X] Ces informations", "- [ ] Ces informations"), "cochez la case « Publication »"),
    "statut sans date": (lambda b: replace(b, "Date de ce statut", "_No response_"), "« Date de ce statut » : un statut vaut à la date de sa source"),
    "niveau de preuve inconnu": (lambda b: replace(b, "Niveau de preuve", "Prouvée"), "« Niveau de preuve » : valeur non autorisée « Prouvée »"),
    "adresse invalide": (
        lambda b: replace(b, "Adresse web de la source", "www.exemple.fr"),
        "adresse web invalide « www.exemple.fr » : elle doit commencer par https:// ou http://",
    ),
    "titre existant": (lambda b: replace(b, "Titre de la fiche", "Parrainage jeunes"), "une fiche « parrainage-jeunes » existe déjà"),
}
HOSTILE: dict[str, tuple[Edit, str]] = {
    "script": (lambda b: replace(b, "Description", "<script>alert(1)</script>"), "HTML refusé dans le texte"),
    "lien javascript": (lambda b: replace(b, "Leçons pour essaimer", "[clic](javascript:alert(1))"), "lien refusé"),
    "rubrique injectée": (lambda b: replace(b, "Description", "Texte.\n\n### Territoires\n\nfrance"), "la rubrique « Territoires » apparaît deux fois"),
    "trop long": (lambda b: replace(b, "Description", "x" * (MAX_BODY + 1)), "la proposition dépasse 64 Ko"),
    "id dans une référence": (
        lambda b: replace(b, "Organisation porteuse", "../../etc/passwd"),
        "organisation inconnue « etc-passwd »",  # names become ids before any check: no path survives
    ),
}


@pytest.mark.parametrize("case", sorted({**BAD, **HOSTILE}))
def test_bad_and_hostile_proposals_write_nothing_and_say_why(small_kb: Path, tmp_path: Path, case: str) -> None:
    edit, message = {**BAD, **HOSTILE}[case]
    before = sorted(p.name for p in small_kb.iterdir())
    code, _, comment = convert(edit(VALID), small_kb, tmp_path)
    assert code == 1
    assert message in comment, comment
    assert comment.startswith("La proposition n'a pas encore pu devenir une fiche")
    assert sorted(p.name for p in small_kb.iterdir()) == before


def test_shell_and_template_syntax_in_a_title_stay_text(small_kb: Path, tmp_path: Path) -> None:
    title = "$(touch /tmp/pwned) `id` ${{ secrets.GITHUB_TOKEN }} ../../x"
    code, out, comment = convert(replace(VALID, "Titre de la fiche", title), small_kb, tmp_path)
    assert code == 0, comment
    assert out == "touch-tmp-pwned-id-secrets-github-token-x"
    assert (small_kb / f"{out}.yml").parent == small_kb
    assert yaml.safe_load((small_kb / f"{out}.yml").read_text(encoding="utf-8"))["title"] == title
    assert not Path("/tmp/pwned").exists()
