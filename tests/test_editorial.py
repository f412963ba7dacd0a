"""What is true today: statuses read at their source's date, overdue reviews, names then and now, the evidence map."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from knowledge import link, load_knowledge_base, render_site
from knowledge.editorial import build_date, editorial_warnings, last_day, overdue, status_doubts, status_note
from knowledge.evidence import LEVELS, evidence_map
from knowledge.history import name_at, sheet_date
from knowledge.labels import LABELS
from knowledge.schema import Practice

from .conftest import ROOT

# The tests' build date (SOURCE_DATE_EPOCH=1700000000).
TODAY = dt.date(2023, 11, 14)


def practice(**fields: object) -> Practice:
    base: dict[str, object] = {
        "title": "Une action",
        "summary": "Résumé.",
        "kind": "practice",
        "territories": ["france"],
        "themes": ["theme"],
        "description": "Texte.",
        "sources": [{"title": "Article", "date": "2014-07-11"}],
        "evidence": {"level": "announced", "justification": "Annoncée.", "source": "Article"},
        "created": "2020-01-01",
        "reviewed": "2023-01-01",
        "editorial_status": "reviewed",
    }
    return Practice.model_validate({**base, **fields})


def test_the_build_date_is_the_source_date_epoch_when_set() -> None:
    assert build_date({"SOURCE_DATE_EPOCH": "1700000000"}) == TODAY
    assert build_date({}) == dt.date.today()


@pytest.mark.parametrize(("partial", "day"), [("2012", dt.date(2012, 12, 31)), ("2012-02", dt.date(2012, 2, 29)), ("2012-02-03", dt.date(2012, 2, 3))])
def test_a_partial_date_ends_on_its_last_day(partial: str, day: dt.date) -> None:
    assert last_day(partial) == day


def test_a_status_is_shown_with_its_source_date_and_what_the_dates_say_since() -> None:
    ended = status_note(practice(status="ongoing", status_date="2010", period={"end": "2012-12-31"}), TODAY)
    assert ended is not None and (ended.label, ended.as_of) == ("En cours", "selon la source de 2010")
    assert ended.ended == "la période annoncée s'est achevée le 31 décembre 2012" and not ended.current
    stale = status_note(practice(status="planned", status_date="2014-07-11"), TODAY)
    assert stale is not None and stale.unconfirmed and stale.as_of == "selon la source du 11 juillet 2014"
    fresh = status_note(practice(status="ongoing", status_date="2023-06"), TODAY)
    assert fresh is not None and fresh.current and fresh.short == "En cours en 2023"
    assert ended.short == "En cours en 2010, période achevée en 2012" and stale.short == "Prévue en 2014, non confirmé depuis"
    assert status_note(practice(), TODAY) is None
    # No status in the sources: the page still says when the period ended.
    silent = status_note(practice(period={"end": "2014-12-31"}), TODAY)
    assert silent is not None and silent.label == "Non précisé par les sources" and silent.ended and not silent.as_of
    assert silent.short == "Non précisé par les sources, période achevée en 2014"
    assert status_doubts(practice(period={"end": "2014-12-31"}), TODAY) == []  # nothing for the editors to correct


def test_statuses_their_dates_contradict_are_doubted() -> None:
    started = practice(status="planned", status_date="2014-07-11", period={"start": "2014-07-10"})
    assert any("avant la source" in message for _, message, _ in status_doubts(started, TODAY))
    finished_early = practice(status="completed", status_date="2010", period={"start": "2012"})
    assert any("commence après la source" in message for _, message, _ in status_doubts(finished_early, TODAY))
    assert status_doubts(practice(status="ongoing", status_date="2023-06", period={"start": "2020"}), TODAY) == []


def test_a_sheet_not_reviewed_for_two_years_is_overdue() -> None:
    assert overdue(practice(reviewed="2021-11-14"), TODAY)
    assert not overdue(practice(reviewed="2021-11-15"), TODAY)


def test_the_check_warns_at_the_line_of_the_field(small_kb: Path) -> None:
    kb = load_knowledge_base(small_kb)
    warnings = {(Path(w.path).name, w.line, w.field) for w in editorial_warnings(kb.practices, TODAY)}
    assert ("ateliers-nationaux.yml", 42, "reviewed") in warnings  # reviewed 1 March 2020
    assert ("visites-entreprises.yml", 4, "status") in warnings  # « En cours » since 2011, not confirmed since


def test_no_page_shows_a_status_its_dates_contradict() -> None:
    """The real content: every sheet whose period ended says so beside its status; the check warns about it."""
    kb = load_knowledge_base(ROOT / "practices")
    pages = {page.uri: page.content for page in render_site(link(kb), today=TODAY)}
    ended = 0
    for pid, entry in kb.practices.items():
        note = status_note(entry.data, TODAY)
        content = pages[f"pratiques/{pid}.md"]
        if note:
            assert f"{note.label} {note.as_of}" in content, pid
        if note and note.ended:
            ended += 1
            assert note.ended in content, pid
    assert ended >= 1  # facilitateurs-clauses-sociales: « en cours » in 2010, period ended 31 December 2012
    assert "facilitateurs-clauses-sociales" in pages["redaction.md"]


def test_names_then_and_now(small_kb: Path) -> None:
    kb = load_knowledge_base(small_kb)
    office = kb.organisations["operateur-c"].data
    assert name_at(office, "2019-12-31") is not None and name_at(office, "2020") is None and name_at(office, None) is None
    sheet = kb.practices["ateliers-nationaux"].data
    assert sheet_date(sheet) == "2018-05"
    page = {p.uri: p.content for p in render_site(link(kb), today=TODAY)}["pratiques/ateliers-nationaux.md"]
    assert "[Opérateur C](/organisations/operateur-c.md) (alors Office C)" in page
    assert "Office C s'appelle [Opérateur C](/organisations/operateur-c.md) depuis le 1er janvier 2020. Source : *Décret renommant l'Office C*" in page


def test_pole_emploi_is_named_france_travail_with_its_former_name() -> None:
    kb = load_knowledge_base(ROOT / "practices")
    pages = {p.uri: p.content for p in render_site(link(kb), today=TODAY)}
    assert pages["organisations/pole-emploi.md"].startswith('---\ntitle: "France Travail"')
    assert "Pôle emploi, jusqu'au 31 décembre 2023" in pages["organisations/pole-emploi.md"]
    citing = [pid for pid, e in kb.practices.items() if "pole-emploi" in [e.data.lead, *e.data.partners]]
    assert citing
    for pid in citing:
        # « alors » when the sheet's date is known, « anciennement » otherwise.
        assert re.search(r"\[France Travail\]\(/organisations/pole-emploi\.md\) \((alors|anciennement) Pôle emploi\)", pages[f"pratiques/{pid}.md"]), pid
        assert "Pôle emploi s'appelle [France Travail]" in pages[f"pratiques/{pid}.md"], pid


def test_the_evidence_map_counts_what_the_data_holds() -> None:
    kb = load_knowledge_base(ROOT / "practices")
    graph = link(kb)
    page = {p.uri: p.content for p in render_site(graph, today=TODAY)}["preuves.md"]
    for collection, index, facet in (("themes", graph.by_theme, "theme"), ("audiences", graph.by_audience, "public")):
        found = evidence_map(kb, collection, index, lambda c, k: k, facet)
        for row in found.rows:
            for n, level in enumerate(LEVELS):
                expected = sum(1 for pid, e in kb.practices.items() if e.data.evidence.level == level and row.key in getattr(e.data, collection))
                assert row.counts[n] == expected, (collection, row.key, level)
    # The page's first table: practices by level, each count a link to the search filtered on that level.
    for level in LEVELS:
        count = sum(1 for e in kb.practices.values() if e.data.evidence.level == level)
        label = LABELS["evidence_level"][level]
        if count:
            assert re.search(rf"{re.escape(label)} .*\| \[{count}\]\(/recherche\.md\?preuve=", page), level
    assert sum(1 for e in kb.practices.values() if e.data.evidence.level in ("announced", "described")) > len(kb.practices) / 2  # the honest picture
