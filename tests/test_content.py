"""The shipped content: drawn from the five source documents, complete and linked."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase, link, load_knowledge_base

from .conftest import ROOT


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base(ROOT / "practices")


def test_counts(kb: KnowledgeBase) -> None:
    assert len(kb.practices) >= 15
    assert len(kb.agreements) == 6
    assert len(kb.manifesto.data.principles) >= 5


def test_the_six_agreements_of_the_sources(kb: KnowledgeBase) -> None:
    signed = {a.data.signed for a in kb.agreements.values()}
    assert signed == {"2011-04-15", "2010-02-11", "2014-07-10", "2016-03-25"}
    face_ave = kb.agreements["convention-face-ave-2011"].data
    assert face_ave.duration == "3 ans"
    assert any("deux fois par an" in g for g in face_ave.governance)
    assert kb.agreements["convention-clauses-sociales-2010"].data.end == "2012-12-31"
    assert kb.agreements["accord-cadre-pole-emploi-maisons-de-l-emploi"].data.end == "2014-12-31"
    assert kb.agreements["accord-cadre-pole-emploi-plie"].data.duration == "4 ans"


def test_figures_of_the_sources_are_recorded(kb: KnowledgeBase) -> None:
    assert kb.organisations["face"].data.size == "4 000 entreprises"
    figures = {(f.value, f.unit) for p in kb.practices.values() for f in p.data.key_figures}
    assert ("16", None) in figures
    assert ("400", "heures") in figures
    assert ("au moins 10", "%") in figures


def test_every_theme_of_the_issue_is_a_chapter(kb: KnowledgeBase) -> None:
    for theme in [
        "decouverte-des-metiers",
        "parrainage-senior",
        "gpec",
        "e-forums",
        "clauses-sociales",
        "cv-video",
        "immersion-en-entreprise",
        "formation-metiers-en-tension",
        "transfert-de-competences",
        "travail-temporaire",
        "alternance",
        "conge-mobilite",
    ]:
        assert theme in kb.themes
    graph = link(kb)
    assert all(graph.by_theme.get(t) for t in kb.themes), "every chapter has at least one practice"


def test_every_practice_has_a_source_and_is_linked(kb: KnowledgeBase) -> None:
    graph = link(kb)
    for pid, entry in kb.practices.items():
        assert entry.data.sources
        assert graph.related[pid], pid
