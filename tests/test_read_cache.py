"""The live preview's memory of each file: unchanged files are not parsed again, and nothing is missed."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBaseError, load_knowledge_base
from knowledge.read_cache import ReadCache


def _files(practices: Path) -> int:
    return len(list(practices.glob("*.yml"))) + len(list((practices / "reference").glob("*.yml")))


def test_a_second_load_reuses_every_unchanged_file_and_gives_the_same_base(small_kb: Path) -> None:
    cache: ReadCache[tuple[str, str]] = ReadCache()
    first = load_knowledge_base(small_kb, cache=cache)
    assert cache.last_round is not None and cache.last_round.reused == 0 and len(cache.last_round.added) == _files(small_kb)
    second = load_knowledge_base(small_kb, cache=cache)
    uncached = load_knowledge_base(small_kb)
    for name in first.registry:
        assert second.collection(name) == first.collection(name) == uncached.collection(name)
    assert cache.last_round.reused == _files(small_kb) and not (cache.last_round.changed or cache.last_round.added or cache.last_round.removed)


def test_an_edited_sheet_is_read_again(small_kb: Path) -> None:
    cache: ReadCache[tuple[str, str]] = ReadCache()
    load_knowledge_base(small_kb, cache=cache)
    sheet = small_kb / "visites-entreprises.yml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("title: Visites d'entreprises", "title: Visites d'ateliers"), encoding="utf-8")
    kb = load_knowledge_base(small_kb, cache=cache)
    assert kb.practices["visites-entreprises"].data.title == "Visites d'ateliers"
    assert cache.last_round is not None and cache.last_round.reused == _files(small_kb) - 1
    assert [Path(path).name for _, path in cache.last_round.changed] == ["visites-entreprises.yml"]


def test_a_broken_sheet_is_reported_at_every_load_and_a_mended_one_is_accepted(small_kb: Path) -> None:
    cache: ReadCache[tuple[str, str]] = ReadCache()
    load_knowledge_base(small_kb, cache=cache)
    sheet = small_kb / "visites-entreprises.yml"
    good = sheet.read_text(encoding="utf-8")
    sheet.write_text(good.replace("title: Visites d'entreprises", "titre: Visites d'entreprises"), encoding="utf-8")
    for _ in range(2):  # the problem kept with the file is reported again, not forgotten
        with pytest.raises(KnowledgeBaseError) as raised:
            load_knowledge_base(small_kb, cache=cache)
        assert any(p.path.endswith("visites-entreprises.yml") and p.field == "titre" for p in raised.value.problems)
    sheet.write_text(good, encoding="utf-8")
    assert load_knowledge_base(small_kb, cache=cache).practices["visites-entreprises"].data.title == "Visites d'entreprises"


def test_a_deleted_sheet_still_linked_elsewhere_is_reported(small_kb: Path) -> None:
    # The manifesto and a pathway link to this sheet: the checks across files run on every load,
    # whatever the cache kept of the files that link to it.
    cache: ReadCache[tuple[str, str]] = ReadCache()
    load_knowledge_base(small_kb, cache=cache)
    (small_kb / "visites-entreprises.yml").unlink()
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(small_kb, cache=cache)
    assert cache.last_round is not None and [Path(path).name for _, path in cache.last_round.removed] == ["visites-entreprises.yml"]
    assert {Path(p.path).name for p in raised.value.problems if "visites-entreprises" in p.message} == {"manifesto.yml", "pathways.yml"}
