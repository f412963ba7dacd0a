"""The glossary: a collection like the others, acronyms marked in the pages, words for search."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from knowledge import KnowledgeBaseError, load_knowledge_base
from knowledge.glossary import Abbreviations
from knowledge.search_data import SYNONYMS_PATH, search_files

from .conftest import FIXTURES
from .helpers import mkdocs_build

GLOSSARY = FIXTURES / "small" / "reference" / "glossary.yml"


def _problems(practices: Path) -> set[tuple[str, int, str, str, str]]:
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(practices)
    return {(Path(p.path).name, p.line, p.field, p.message, p.hint) for p in raised.value.problems}


def test_bad_glossary_entries_are_refused_with_file_and_line(small_kb: Path) -> None:
    (small_kb / "reference" / "glossary.yml").write_text(
        GLOSSARY.read_text(encoding="utf-8")
        + "plie:\n  term: PLIE\n  expansion: Plan local\n  definition: Un plan.\n  synonyms:\n    - Job-dating\n  organisation: reseau-z\n"
        + "  sources:\n    - title: Rapport\nra-bis:\n  term: ra\n  definition: Doublon.\n  sources:\n    - title: Rapport\n",
        encoding="utf-8",
    )
    problems = _problems(small_kb)
    assert (
        "glossary.yml",
        23,
        "plie.synonyms[0]",
        "« Job-dating » est déjà dans l'entrée « visite » (synonyms[0])",
        "un mot ne mène qu'à une entrée du glossaire : retirez-le de l'une des deux",
    ) in problems
    assert (
        "glossary.yml",
        24,
        "plie.organisation",
        "organisation inconnue « reseau-z »",
        "vouliez-vous dire « reseau-a » ? Sinon, s'il est nouveau, ajoutez-le dans practices/reference/organisations.yml",
    ) in problems
    assert any(p[:3] == ("glossary.yml", 28, "ra-bis.term") and "déjà dans l'entrée « ra » (term)" in p[3] for p in problems)
    with (small_kb / "reference" / "glossary.yml").open("a", encoding="utf-8") as glossary:
        glossary.write("  couleur: bleu\n")
    assert any(p[:4] == ("glossary.yml", 32, "ra-bis.couleur", "champ inconnu") for p in _problems(small_kb))


def test_a_knowledge_base_may_have_no_glossary(small_kb: Path) -> None:
    (small_kb / "reference" / "glossary.yml").unlink()
    assert not load_knowledge_base(small_kb).collection("glossary")


def test_acronyms_get_their_expansion_once_per_page() -> None:
    mark = Abbreviations({"GPEC": "Gestion prévisionnelle des emplois et des compétences", "TPE": "Très petites entreprises", "TPE/PME": "Petites entreprises"})
    page = mark("La GPEC des TPE/PME.\n\nLa GPEC encore ; GPECS, gpec et AGPEC ne sont pas le sigle.")
    assert page.endswith("\n\n*[GPEC]: Gestion prévisionnelle des emplois et des compétences\n*[TPE/PME]: Petites entreprises\n")
    assert mark("Rien à marquer.") == "Rien à marquer."
    assert Abbreviations({})("La GPEC.") == "La GPEC."


def test_search_words_come_from_the_sheets_the_templates_and_the_written_pages() -> None:
    kb = load_knowledge_base(FIXTURES / "small")
    files = search_files(kb, ["# Contribuer\n\nProposez une fiche : <span>formulaire</span>."])
    vocabulary = {word: count for uri, text in files.items() if "/vocabulaire/" in uri for word, count in json.loads(text)["words"]}
    assert vocabulary["visites"] >= 1 and vocabulary["metiers"] >= 1  # sheets, folded
    assert "partenaires" in vocabulary and "sources" in vocabulary  # the templates' own words
    assert "contribuer" in vocabulary and "formulaire" in vocabulary and "span" not in vocabulary  # written pages, not their tags
    assert "reseau" in vocabulary and "https" not in vocabulary and "visites-entreprises" not in vocabulary
    for uri, text in files.items():
        if "/vocabulaire/" in uri:
            assert all(word.startswith(uri.rsplit("/", 1)[1].removesuffix(".json")) for word, _ in json.loads(text)["words"])
    # Every first character has its file: a query never fetches a missing one (that would be the site's 404 page).
    assert sum("/vocabulaire/" in uri for uri in files) == 36
    assert json.loads(files[SYNONYMS_PATH]) == {"groups": [["ra", "reseau a", "le reseau"], ["visite d entreprise", "job dating", "porte ouverte"]]}


def test_the_glossary_page_and_the_marked_acronyms_in_a_real_build(tmp_path: Path) -> None:
    practices = tmp_path / "practices"
    shutil.copytree(FIXTURES / "small", practices)
    site = tmp_path / "site"
    result = mkdocs_build(practices, site)
    assert result.returncode == 0, result.stderr
    glossary = (site / "glossaire" / "index.html").read_text(encoding="utf-8")
    assert 'id="visite"' in glossary and "porte ouverte" in glossary
    organisation = (site / "organisations" / "reseau-a" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Réseau A">RA</abbr>' in organisation
    assert (site / "recherche" / "synonymes.json").is_file() and (site / "recherche" / "vocabulaire" / "v.json").is_file()
