"""Golden tests: fixture YAML in, expected Markdown out.

Run ``pytest tests/test_golden.py --update-goldens`` after an intended change
to the templates, then review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import build_pages

from .conftest import FIXTURES

GOLDEN = Path(__file__).parent / "golden"
EDIT_BASE = "https://forge.example/depot/edit/main/"


@pytest.mark.parametrize("case", ["small"])
def test_rendered_markdown_matches_golden(case: str, update_goldens: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    pages = build_pages(Path(case), repo_root=FIXTURES, edit_base=EDIT_BASE)
    expected_dir = GOLDEN / case
    if update_goldens:
        for old in expected_dir.rglob("*.*"):
            old.unlink()
        for page in pages:
            target = expected_dir / page.uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.content, encoding="utf-8", newline="")
    rendered = {page.uri: page.content for page in pages}
    expected = {path.relative_to(expected_dir).as_posix(): path.read_bytes().decode("utf-8") for path in expected_dir.rglob("*.*")}
    assert sorted(rendered) == sorted(expected), "pages added or removed: run with --update-goldens and review"
    for uri, content in rendered.items():
        assert content == expected[uri], f"{uri} differs from tests/golden/{case}/{uri}: run with --update-goldens and review"


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
