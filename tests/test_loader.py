"""The YAML loader: values kept as written, and every refusal located in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import Document, Problem, load_document
from knowledge.loader import MAX_BYTES, MAX_DEPTH


def load(tmp_path: Path, content: str | bytes) -> Document | Problem:
    path = tmp_path / "fiche.yml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return load_document(path, "practices/fiche.yml")


def refused(tmp_path: Path, content: str | bytes) -> Problem:
    result = load(tmp_path, content)
    assert isinstance(result, Problem), f"expected a refusal, got {result!r}"
    assert result.path == "practices/fiche.yml"
    return result


def test_scalars_are_kept_exactly_as_written(tmp_path: Path) -> None:
    doc = load(tmp_path, "a: NO\nb: on\nc: 3.10\nd: 2024-01-02\ne: 007\nf: ~\ng:\nh: 'null'\n")
    assert isinstance(doc, Document)
    assert doc.data == {"a": "NO", "b": "on", "c": "3.10", "d": "2024-01-02", "e": "007", "f": None, "g": None, "h": "null"}


def test_marks_point_at_keys_and_list_items(tmp_path: Path) -> None:
    doc = load(tmp_path, "title: x\nsources:\n  - title: a\n  - title: b\n    url: u\n")
    assert isinstance(doc, Document)
    assert doc.mark(("title",)).line == 1
    assert doc.mark(("sources", 1)).line == 4
    assert (doc.mark(("sources", 1, "url")).line, doc.mark(("sources", 1, "url")).column) == (5, 5)
    # A location that was never written falls back to its deepest written parent.
    assert doc.mark(("sources", 1, "publisher")).line == 4


@pytest.mark.parametrize(
    ("content", "line", "needle"),
    [
        ("title: a\nsummary: b\ntitle: c\n", 3, "apparaît deux fois"),
        ("a: &x [1]\nb: *x\n", 1, "ancres et alias"),
        ("a: !!python/object:os.system x\n", 1, "étiquettes YAML"),
        ("title: a\n\tsummary: b\n", 2, "tabulation"),
        ("", 1, "vide"),
        ("   \n\n", 1, "vide"),
        ("- a\n- b\n", 1, "ensemble de champs"),
        ("just text\n", 1, "ensemble de champs"),
        ("title: a\n---\ntitle: b\n", 2, "plusieurs documents"),
        ("title: a: b\n", 1, "deux-points"),
        ("title: [unclosed\nsummary: x\n", 1, "jamais refermé"),  # where « [ » opens, not where YAML gave up
        ('title: "unclosed\nsummary: x\n', 1, "guillemet"),
        ("? [a, b]\n: c\n", 1, "simple mot"),
    ],
)
def test_refusals_name_the_line(tmp_path: Path, content: str, line: int, needle: str) -> None:
    problem = refused(tmp_path, content)
    assert problem.line == line
    assert needle in problem.message


def test_duplicate_key_hint_names_the_first_line(tmp_path: Path) -> None:
    problem = refused(tmp_path, "title: a\nsummary: b\ntitle: c\n")
    assert "ligne 1" in problem.hint


def test_bom_is_refused(tmp_path: Path) -> None:
    assert "BOM" in refused(tmp_path, b"\xef\xbb\xbftitle: x\n").message


def test_non_utf8_is_located(tmp_path: Path) -> None:
    problem = refused(tmp_path, b"title: ok\nsummary: caf\xe9\n")
    assert (problem.line, problem.column) == (2, 13)
    assert "UTF-8" in problem.message


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    problem = refused(tmp_path, "a: " + "x" * MAX_BYTES + "\n")
    assert "trop volumineux" in problem.message


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    problem = refused(tmp_path, "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert "imbrication" in problem.message


def test_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert "alias" in refused(tmp_path, bomb).message


def test_control_characters_are_refused_without_traceback(tmp_path: Path) -> None:
    problem = refused(tmp_path, "title: a\x07b\n")
    assert problem.message.startswith("YAML invalide")


_EVERY_SHEET = sorted(
    path for root in (Path(__file__).parent.parent / "practices", Path(__file__).parent) for path in root.rglob("*.yml") if ".github" not in path.parts
)


def test_fast_path_reads_every_sheet_of_the_repository_like_the_strict_loader() -> None:
    # Real sheets, fixtures, hostile and harmless files: same data, same marks, same problems.
    assert len(_EVERY_SHEET) >= 80
    for path in _EVERY_SHEET:
        assert load_document(path) == load_document(path, fast=False), path


def test_fast_path_hands_unusual_documents_to_the_strict_loader(tmp_path: Path) -> None:
    # Valid YAML that only the strict loader may judge: its French message, not libyaml's.
    sheet = tmp_path / "fiche.yml"
    sheet.write_text("title: &a Titre\nsummary: *a\n", encoding="utf-8")
    problem = load_document(sheet)
    assert isinstance(problem, Problem) and "ancres" in problem.message and problem.line == 1


def test_a_note_that_would_cut_a_text_is_refused_not_one_after_an_empty_value(tmp_path: Path) -> None:
    # « # » after a space starts a note YAML drops: « Objectif #1 » would be published as « Objectif ».
    problem = refused(tmp_path, "title: Objectif #1\n")
    assert (problem.line, problem.column, problem.field) == (1, 17, "title")
    assert "« #1 »" in problem.message and 'title: "Objectif #1"' in problem.hint
    # Nothing is cut when there is no text: the note stays a note.
    doc = load(tmp_path, "title: a\nlead:  # à compléter\n")
    assert isinstance(doc, Document) and doc.data == {"title": "a", "lead": None}
