"""Slips of people who have never written YAML (tests/slips/).

Each sheet of tests/slips/sheets/ is a valid sheet of the small fixture with one
slip in it. It must be refused with exactly the problem tests/slips/expected.yml
gives — the line of the slip (not the line where the parser gave up), the field,
the message and the fix — or, when nothing is lost, accepted. No message or
hint may carry the parser's English.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge import Document, KnowledgeBaseError, load_document, load_knowledge_base

from .conftest import FIXTURES, ROOT
from .helpers import english

SLIPS = Path(__file__).parent / "slips"
SHEETS = SLIPS / "sheets"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((SLIPS / "expected.yml").read_text(encoding="utf-8"))


def problems_with(small_kb: Path, name: str) -> list[Any]:
    shutil.copy(SHEETS / name, small_kb / name)
    try:
        load_knowledge_base(small_kb)
    except KnowledgeBaseError as error:
        return list(error.problems)
    return []


def test_every_slip_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(path.name for path in SHEETS.iterdir())
    assert sum(not expected.get("accepted") for expected in EXPECTED.values()) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_slip_is_told_at_its_line_with_its_fix(small_kb: Path, name: str) -> None:
    expected = EXPECTED[name]
    assert (b"\r\n" in (SHEETS / name).read_bytes()) == bool(expected.get("crlf")), "line endings as the manifest says"
    problems = problems_with(small_kb, name)
    if expected.get("accepted"):
        assert problems == []
        return
    # The slip is the only thing wrong, and it is told once.
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert Path(problem.path).name == name
    assert (problem.line, problem.field, problem.message, problem.hint) == (
        expected["line"],
        expected["field"],
        expected["message"],
        expected["hint"],
    ), str(problem)


@pytest.mark.parametrize("name", sorted(name for name, expected in EXPECTED.items() if not expected.get("accepted")))
def test_no_parser_english_reaches_a_contributor(small_kb: Path, name: str) -> None:
    for fast in (True, False):
        loaded = load_document(SHEETS / name, fast=fast)
        told = [loaded] if not isinstance(loaded, Document) else problems_with(small_kb, name)
        for problem in told:
            assert problem.message and problem.hint, problem
            assert not english(problem.message) and not english(problem.hint), str(problem)


def test_english_check_sees_the_parsers_words() -> None:
    # What contributors used to read; the check must catch it.
    assert english("YAML invalide : expected <block end>, but found '<scalar>'") == ["expected", "block", "found", "scalar"]
    assert english("while parsing a block mapping") == ["while", "parsing", "block", "mapping"]
    assert english("le texte de « while found » est vide") == []


def test_windows_line_endings_read_like_unix_ones() -> None:
    crlf = load_document(SHEETS / "fin-de-ligne-windows.yml")
    lf = load_document(FIXTURES / "small" / "visites-entreprises.yml")
    assert isinstance(crlf, Document) and isinstance(lf, Document)
    assert (crlf.data, crlf.marks, crlf.values) == (lf.data, lf.marks, lf.values)
    assert crlf == load_document(SHEETS / "fin-de-ligne-windows.yml", fast=False)
    assert crlf.data["description"] == "Les entreprises ouvrent leurs portes.\n\nDeuxième paragraphe avec **gras**.\n"


def test_numbers_stay_text_as_written() -> None:
    sheet = load_document(SHEETS / "nombres-gardes-en-texte.yml")
    assert isinstance(sheet, Document)
    assert sheet.data["key_figures"][0]["value"] == "4000"


def test_published_sheet_keeps_its_four_bullets() -> None:
    # The list of facilitateurs-clauses-sociales.yml was in a folded text (« >- »):
    # two bullets were published as one. It is now a literal text, and a folded
    # one holding a list is refused (liste-dans-texte-replie.yml).
    sheet = load_document(ROOT / "practices" / "facilitateurs-clauses-sociales.yml")
    assert isinstance(sheet, Document)
    bullets = [line for line in sheet.data["description"].splitlines() if line.startswith("- ")]
    assert [bullet.split()[1] for bullet in bullets] == ["aider", "renseigner", "faire", "aider"]
