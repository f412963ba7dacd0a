"""`kb.py export-docs`: the generated tree, which plain MkDocs builds into the same pages (the benchmark's baseline)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from mkdocs.config import load_config

from .conftest import FIXTURES, ROOT
from .helpers import mkdocs_build

TITLE = re.compile(r"<title>(.*?)</title>")


def _pages(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): TITLE.search(path.read_text(encoding="utf-8")).group(1) for path in site.rglob("*.html")}  # type: ignore[union-attr]


def _nav_files(nav: Any) -> set[str]:
    """Every file named in a MkDocs nav (nested lists of strings and one-key dicts)."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav
    return set().union(*(_nav_files(item) for item in items))


def test_exported_tree_builds_without_hooks_into_the_same_pages(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    export = tmp_path / "export"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "kb.py"), "export-docs", str(export), "--practices", str(FIXTURES / "small")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Read as MkDocs reads it (INHERIT merged): the root mkdocs.yml's hook is gone, the guide's chapters are in the menu.
    config = load_config(str(export / "mkdocs.yml"))
    assert not config.hooks
    assert "guide/decouverte.md" in _nav_files(config.nav)
    assert (export / "docs" / "pratiques" / "visites-entreprises.md").is_file()
    assert (export / "docs" / "a-propos.md").is_file()  # hand-written pages too

    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(export / "mkdocs.yml"), "-d", str(tmp_path / "plain")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert plain.returncode == 0, plain.stderr
    hooked = mkdocs_build(FIXTURES / "small", tmp_path / "hooked")
    assert hooked.returncode == 0, hooked.stderr
    assert _pages(tmp_path / "plain") == _pages(tmp_path / "hooked")
    # No hook ran: no search index, the theme's markup left as Material writes it.
    assert not (tmp_path / "plain" / "pagefind").exists()
    assert 'autocomplete="off"' in (tmp_path / "plain" / "index.html").read_text(encoding="utf-8")


def test_export_of_invalid_sheets_fails_with_located_errors(tmp_path: Path, small_kb: Path) -> None:
    sheet = small_kb / "visites-entreprises.yml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("summary:", "sumary:"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "kb.py"), "export-docs", str(tmp_path / "out"), "--practices", str(small_kb)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "visites-entreprises.yml:" in result.stderr and "sumary" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
