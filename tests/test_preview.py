"""Live preview: under `mkdocs serve --dirty` an edit rebuilds only the pages it changes."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from knowledge import build_pages
from knowledge.preview import PreviewCache

from .conftest import FIXTURES, ROOT


def test_cache_rewrites_only_changed_files_and_drops_removed_ones(tmp_path: Path) -> None:
    cache = PreviewCache(tmp_path)
    first = cache.sync({"a.md": "A", "b/c.md": "C"}, "key")
    assert first.changed == {"a.md", "b/c.md"} and not first.site_changed
    before = (tmp_path / "a.md").stat().st_mtime_ns
    second = cache.sync({"a.md": "A", "b/c.md": "C2", "d.md": "D"}, "key")
    assert second.changed == {"b/c.md", "d.md"} and not second.removed
    assert (tmp_path / "a.md").stat().st_mtime_ns == before
    third = cache.sync({"a.md": "A"}, "other key")
    assert third.removed == {"b/c.md", "d.md"} and third.site_changed
    assert not (tmp_path / "d.md").exists()


@pytest.fixture
def practices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    target = tmp_path / "practices"
    shutil.copytree(FIXTURES / "small", target)
    monkeypatch.setenv("KB_PRACTICES_DIR", str(target))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(ROOT)
    yield target


def _build(site: Path) -> None:
    # As `mkdocs serve --dirty` does on each change: the configuration is read again,
    # the hook module (cached by MkDocs) keeps its preview cache.
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    build(config, dirty=True)


def _stamps(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in site.rglob("*.html")}


def test_an_edit_rebuilds_its_page_and_the_lists_showing_it_and_nothing_else(practices: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        _build(site)
        before, markdown_before = _stamps(site), _markdown(practices)
        sheet = practices / "visites-entreprises.yml"
        sheet.write_text(sheet.read_text(encoding="utf-8").replace("title: Visites d'entreprises", "title: Visites d'ateliers"), encoding="utf-8")
        _build(site)
        after, markdown_after = _stamps(site), _markdown(practices)
    finally:
        config.plugins.on_shutdown()
    rebuilt = {page for page, stamp in after.items() if before.get(page) != stamp}
    changed = {_html_path(uri) for uri, text in markdown_after.items() if markdown_before.get(uri) != text}
    assert {"pratiques/visites-entreprises/index.html", "pratiques/index.html"} <= changed
    # Exactly the pages whose Markdown changed, and the 404 page (a template MkDocs always renders).
    assert rebuilt == changed | {"404.html"}
    assert len(rebuilt) < len(after)
    assert "Visites d'ateliers" in (site / "pratiques/index.html").read_text(encoding="utf-8")


def _markdown(practices: Path) -> dict[str, str]:
    return {page.uri: page.content for page in build_pages(practices) if page.uri.endswith(".md")}


def _html_path(uri: str) -> str:
    stem = uri.removesuffix(".md")
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"


def _indexed_titles(site: Path, url: str) -> list[str]:
    """The title Pagefind's bundle holds for the page at ``url`` (each page's fragment is gzipped JSON)."""
    titles = []
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        if data["url"] == url:
            titles.append(data["meta"]["title"])
    return titles


def test_the_search_index_is_written_after_the_pages_and_holds_the_edit(practices: Path, tmp_path: Path) -> None:
    # Under serve the page reloads without waiting for the search index, written beside the server;
    # the next build, and the end of the session, wait for it.
    site = tmp_path / "site"
    site.mkdir()
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        _build(site)
        sheet = practices / "visites-entreprises.yml"
        sheet.write_text(sheet.read_text(encoding="utf-8").replace("title: Visites d'entreprises", "title: Visites d'ateliers"), encoding="utf-8")
        _build(site)
    finally:
        config.plugins.on_shutdown()
    assert _indexed_titles(site, "/pratiques/visites-entreprises/") == ["Visites d'ateliers"]


def test_without_dirty_every_page_is_rebuilt(practices: Path, tmp_path: Path) -> None:
    # The comparison point: the cache is used only by `serve --dirty` (make serve).
    site = tmp_path / "site"
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    build(config)
    before = _stamps(site)
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site)))
    assert all(stamp != before[page] for page, stamp in _stamps(site).items())
    assert os.environ["KB_PRACTICES_DIR"] == str(practices)
