"""`kb.py export-docs`: the generated tree, which plain MkDocs builds into the same pages (the benchmark's baseline)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from mkdocs.config import load_config

from knowledge.markdown_rules import relative_site_links

from .conftest import FIXTURES, ROOT
from .helpers import mkdocs_build, page_titles


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
    text = (export / "mkdocs.yml").read_text(encoding="utf-8")
    # Self-contained: nothing inherited from the repository, the emoji tags kept as MkDocs reads them.
    assert "INHERIT" not in text and str(ROOT) not in text and "!!python/name:material.extensions.emoji.twemoji" in text
    # Read as MkDocs reads it: no hook, the guide's chapters in the menu.
    config = load_config(str(export / "mkdocs.yml"))
    assert not config.hooks
    assert "guide/decouverte.md" in _nav_files(config.nav)
    export = export.rename(tmp_path / "moved")
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
    assert page_titles(tmp_path / "plain") == page_titles(tmp_path / "hooked")
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


def test_exported_links_are_relative_outside_code_and_front_matter() -> None:
    page = (
        '---\ntitle: "[a](/x.md)"\n---\n'
        "[Guide](/guide/index.md), [accueil](/), [ancre](/manifeste.md#ensemble){ .md-button }, "
        "[web](https://example.org/a), [proche](voisin.md), `[code](/code.md)`\n\n"
        "```\n[bloc](/bloc.md)\n```\n\n[ref]: /pratiques/index.md\n"
    )
    assert relative_site_links(page, "pratiques/fiche.md") == (
        '---\ntitle: "[a](/x.md)"\n---\n'
        "[Guide](../guide/index.md), [accueil](../), [ancre](../manifeste.md#ensemble){ .md-button }, "
        "[web](https://example.org/a), [proche](voisin.md), `[code](/code.md)`\n\n"
        "```\n[bloc](/bloc.md)\n```\n\n[ref]: ../pratiques/index.md\n"
    )
    assert relative_site_links("[Guide](/guide/index.md) [accueil](/)", "index.md") == "[Guide](guide/index.md) [accueil](./)"
