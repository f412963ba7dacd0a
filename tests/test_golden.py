"""Golden tests: fixture YAML in, expected Markdown out, one test per page.

Each page rendered from ``tests/fixtures/<case>/`` is compared, byte for byte,
with the file of the same path under ``tests/golden/<case>/`` (pytest-regressions'
``file_regression``). A page added fails once, the first run writing its file;
a golden file whose page is no longer rendered fails too.

After an intended change to the templates, run
``pytest tests/test_golden.py --force-regen``: it rewrites the files that
differ, writes new pages and deletes the files of pages no longer rendered
(those tests fail once, saying so). Then review the diff of tests/golden/ like
any other change.
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path

import pytest
from pytest_regressions.common import check_text_files
from pytest_regressions.file_regression import FileRegressionFixture

from knowledge import build_pages

from .conftest import FIXTURES

GOLDEN = Path(__file__).parent / "golden"
EDIT_BASE = "https://forge.example/depot/edit/main/"
# The published site's address and name, for the Atom feeds' absolute links.
SITE_URL = "https://exemple.org/bonnes-pratiques/"
SITE_NAME = "Bonnes pratiques des réseaux de l'emploi"
CASES = ("small",)


@functools.cache
def rendered(case: str) -> dict[str, str]:
    """Pages of a fixture case, by URI (rendered once, at collection)."""
    with contextlib.chdir(FIXTURES):
        return {page.uri: page.content for page in build_pages(Path(case), repo_root=FIXTURES, edit_base=EDIT_BASE, site_url=SITE_URL, site_name=SITE_NAME)}


def golden_files(case: str) -> set[str]:
    folder = GOLDEN / case
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def pages_and_goldens() -> list[object]:
    """One test per page rendered or golden file found: an extra file on either side fails."""
    return [pytest.param(case, uri, id=f"{case}/{uri}") for case in CASES for uri in sorted(rendered(case).keys() | golden_files(case))]


def same_bytes(obtained: Path, expected: Path) -> None:
    """pytest-regressions compares lines; line endings and the final newline count too here."""
    __tracebackhide__ = True
    check_text_files(obtained, expected, encoding="utf-8")  # fails with the diff of lines
    assert obtained.read_bytes() == expected.read_bytes(), f"{expected}: same lines, different line endings or final newline"


@pytest.mark.parametrize(("case", "uri"), pages_and_goldens())
def test_rendered_page_matches_golden(case: str, uri: str, file_regression: FileRegressionFixture, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    expected = GOLDEN / case / uri
    pages = rendered(case)
    if uri not in pages:
        regenerate = request.config.getoption("force_regen") or request.config.getoption("regen_all")
        if regenerate:
            expected.unlink()
        if not request.config.getoption("regen_all"):
            action = "deleted (--force-regen)" if regenerate else "run with --force-regen to delete it, then review"
            pytest.fail(f"{expected.relative_to(GOLDEN.parent.parent)}: this page is no longer rendered; {action}")
        return
    file_regression.check(pages[uri], fullpath=expected, encoding="utf-8", newline="", obtained_filename=tmp_path / expected.name, check_fn=same_bytes)


def test_two_pages_with_the_same_url_are_refused() -> None:
    # Ids are slugs and « index » is reserved, so this is the renderer's last
    # safety net: whatever the cause, two pages never silently share a URL.
    from knowledge import KnowledgeBaseError, Page
    from knowledge.render import _check_collisions

    pages = [Page("guide/a.md", "x", "themes.yml"), Page("guide/b.md", "y", "themes.yml"), Page("guide/a.md", "z", "autre.yml")]
    with pytest.raises(KnowledgeBaseError) as raised:
        _check_collisions(pages)
    (problem,) = raised.value.problems
    assert problem.path == "autre.yml"
    assert "même adresse /guide/a" in problem.message
    assert "themes.yml" in problem.hint
