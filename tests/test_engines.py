"""The site without MkDocs: ProperDocs builds the project, hooks included; Zensical builds the exported tree."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT
from .helpers import mkdocs_build, page_titles

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
SEARCH_DATA = re.compile(r'data-pagefind-(?:filter|meta)="([^"]*)"')


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("mkdocs") / "site"
    result = mkdocs_build(FIXTURES / "small", site)
    assert result.returncode == 0, result.stderr
    return site


def _files(site: Path) -> dict[str, bytes]:
    """Every file of a site, HTML pages without the generator's name."""
    return {path.relative_to(site).as_posix(): GENERATOR.sub(b"", path.read_bytes()) for path in sorted(site.rglob("*")) if path.is_file()}


def test_properdocs_builds_the_project_as_mkdocs_does(mkdocs_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = mkdocs_build(FIXTURES / "small", site, engine="properdocs")
    assert result.returncode == 0, result.stderr
    assert page_titles(site) == page_titles(mkdocs_site)
    # The hooks ran (search index, sanitiser, markup repair): the same bytes, the generator's name aside.
    assert (site / "pagefind").is_dir()
    assert _files(site) == _files(mkdocs_site)


def _search_data(site: Path) -> dict[str, list[str]]:
    return {
        path.relative_to(site).as_posix(): [html.unescape(value) for value in SEARCH_DATA.findall(path.read_text(encoding="utf-8"))]
        for path in site.rglob("*.html")
    }


def test_zensical_builds_the_exported_tree_into_the_same_pages(mkdocs_site: Path, tmp_path: Path) -> None:
    export = tmp_path / "export"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "kb.py"), "export-docs", str(export), "--practices", str(FIXTURES / "small")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Moved away from the repository: the exported configuration stands alone.
    project = export.rename(tmp_path / "moved")
    env = {key: value for key, value in os.environ.items() if not key.startswith("KB_")}
    # --strict: any dead link or anchor (Zensical resolves only relative links) fails the build.
    built = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", "mkdocs.yml"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    site = project / "site"
    assert page_titles(site) == page_titles(mkdocs_site)
    # The overrides rendered under minijinja as under Jinja2: the same search metadata on every page.
    assert _search_data(site) == _search_data(mkdocs_site)
    assert "kb-search__input" in (site / "index.html").read_text(encoding="utf-8")
