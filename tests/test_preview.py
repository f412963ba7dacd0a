"""Live preview: under `mkdocs serve --dirty` an edit rebuilds only the pages it changes."""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

from knowledge import KnowledgeBaseError, build_pages, link, load_knowledge_base, preview, render_site
from knowledge.preview import PreviewCache, PreviewSession
from knowledge.render import render_entry_pages

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


@contextlib.contextmanager
def _serve_session(site: Path) -> Iterator[MkDocsConfig]:
    """A « make serve » session: the hook's on_startup, then its on_shutdown (which waits for the search index)."""
    site.mkdir(exist_ok=True)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        yield config
    finally:
        config.plugins.on_shutdown()


@contextlib.contextmanager
def _watched_session(site: Path) -> Iterator[Path]:
    """A serve session with MkDocs' live-reload server: the folder the hook asks it to watch."""
    with _serve_session(site) as config, contextlib.closing(_Server(site)) as server:
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        (folder,) = server.watched
        yield folder


def _retitle(practices: Path) -> None:
    sheet = practices / "visites-entreprises.yml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("title: Visites d'entreprises", "title: Visites d'ateliers"), encoding="utf-8")


def _stamps(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in site.rglob("*.html")}


def test_an_edit_rebuilds_its_page_and_the_lists_showing_it_and_nothing_else(practices: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with _serve_session(site):
        _build(site)
        before, markdown_before = _stamps(site), _markdown(practices)
        _retitle(practices)
        _build(site)
        after, markdown_after = _stamps(site), _markdown(practices)
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
    with _serve_session(site):
        _build(site)
        _retitle(practices)
        _build(site)
    assert _indexed_titles(site, "/pratiques/visites-entreprises/") == ["Visites d'ateliers"]


class _Server(LiveReloadServer):
    """MkDocs' live-reload server, on a free port, keeping the folders it is asked to watch."""

    def __init__(self, site: Path) -> None:
        super().__init__(builder=lambda: None, host="127.0.0.1", port=0, root=str(site))
        self.watched: list[Path] = []

    def watch(self, path: str, func: object = None, *, recursive: bool = True) -> None:
        self.watched.append(Path(path))
        super().watch(path, recursive=recursive)

    def close(self) -> None:
        self.server_close()


def test_an_edited_sheet_is_shown_first_then_every_page_showing_it(practices: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As make serve on a base whose full build is slow (here: any): after an edit of a sheet, a first
    # build rebuilds its page alone and, a moment later (the browsers' reload first), asks the server
    # through a folder it watches for the build that updates the lists and the search index.
    monkeypatch.setattr(preview, "FIRST_WORTH_S", 0.0)
    site = tmp_path / "site"
    with _watched_session(site) as folder:
        _build(site)
        before = _stamps(site)
        _retitle(practices)
        _build(site)
        first = _stamps(site)
        asked_at_once = list(folder.iterdir())
        time.sleep(preview.NEXT_BUILD_AFTER_S + 1)
        asked = list(folder.iterdir())
        _build(site)
        second = _stamps(site)
    page, listing = "pratiques/visites-entreprises/index.html", "pratiques/index.html"
    assert {path for path, stamp in first.items() if before.get(path) != stamp} == {page, "404.html"}
    assert "Visites d'ateliers" in (site / page).read_text(encoding="utf-8")
    assert not asked_at_once and len(asked) == 1
    # The next build: the lists, not the page again.
    rebuilt = {path for path, stamp in second.items() if first.get(path) != stamp}
    assert listing in rebuilt and page not in rebuilt
    assert "Visites d'ateliers" in (site / listing).read_text(encoding="utf-8")
    assert _indexed_titles(site, "/pratiques/visites-entreprises/") == ["Visites d'ateliers"]
    assert not folder.exists()  # removed with the session


def test_a_base_built_fast_is_rebuilt_at_once(practices: Path, tmp_path: Path) -> None:
    # The small base builds in well under FIRST_WORTH_S: one build, one reload, every page at once.
    site = tmp_path / "site"
    with _watched_session(site) as folder:
        _build(site)
        before = _stamps(site)
        _retitle(practices)
        _build(site)
        after = _stamps(site)
        time.sleep(preview.NEXT_BUILD_AFTER_S + 1)
        asked = list(folder.iterdir())
    rebuilt = {path for path, stamp in after.items() if before.get(path) != stamp}
    assert {"pratiques/visites-entreprises/index.html", "pratiques/index.html"} <= rebuilt
    assert not asked


def test_mkdocs_serve_lines_are_said_in_french(practices: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with _serve_session(tmp_path / "site"):
        logging.getLogger("mkdocs.commands.build").warning("A 'dirty' build is being performed, this will likely lead to inaccurate navigation")
        logging.getLogger("mkdocs.livereload").error(
            "[22:01:27] An error happened during the rebuild. The server will appear stuck until build errors are resolved."
        )
    said = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert said[0] == ("INFO", "Aperçu : seules les pages que la modification change sont reconstruites.")
    assert said[1][0] == "ERROR" and said[1][1].startswith("[22:01:27] Aperçu en attente : corrigez l'erreur ci-dessus et enregistrez le fichier")
    # Outside a serve session, MkDocs' own words.
    logging.getLogger("mkdocs.commands.build").warning("A 'dirty' build is being performed")
    assert caplog.records[-1].getMessage() == "A 'dirty' build is being performed"


def test_without_dirty_every_page_is_rebuilt(practices: Path, tmp_path: Path) -> None:
    # The comparison point: the cache is used only by `serve --dirty` (make serve).
    site = tmp_path / "site"
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    build(config)
    before = _stamps(site)
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site)))
    assert all(stamp != before[page] for page, stamp in _stamps(site).items())
    assert os.environ["KB_PRACTICES_DIR"] == str(practices)


def test_a_sheet_rendered_alone_is_the_page_the_whole_site_gives(tmp_path: Path) -> None:
    # The page shown first after an edit must be the one the next build keeps (it is not rebuilt then).
    graph = link(load_knowledge_base(ROOT / "practices"))
    options: dict[str, Any] = {"repo_root": ROOT, "edit_base": "https://forge.example/edit/main/", "site_url": "https://site.example/"}
    whole = {page.uri: page for page in render_site(graph, **options)}
    keys = frozenset(graph.kb.practices)
    alone = render_entry_pages(graph, "practices", keys, **options)
    assert len(alone) == len(keys) > 10
    for page in alone:
        assert page == whole[page.uri]


def test_only_edits_of_existing_sheets_are_shown_first(small_kb: Path) -> None:
    session = PreviewSession()
    try:
        session.watched_folder()
        load_knowledge_base(small_kb, cache=session.reads)
        registry = load_knowledge_base(small_kb, cache=session.reads).registry
        assert session.sheets_first(registry) is None  # no full build yet: nothing to keep
        session.layout = {"index.md": (False, None)}
        session.full_build(preview.FIRST_WORTH_S * preview.COLD_START_FACTOR - 0.1)  # the first build, cold
        assert session.full_build_s is not None and session.full_build_s < preview.FIRST_WORTH_S
        session.full_build(preview.FIRST_WORTH_S + 1)  # a rebuild
        sheet = small_kb / "visites-entreprises.yml"
        sheet.write_text(sheet.read_text(encoding="utf-8").replace("title: Visites d'entreprises", "title: Visites d'ateliers"), encoding="utf-8")
        load_knowledge_base(small_kb, cache=session.reads)
        assert session.sheets_first(registry) == ("practices", frozenset({"visites-entreprises"}))
        load_knowledge_base(small_kb, cache=session.reads)
        assert session.sheets_first(registry) is None  # nothing changed since: the full build
        sheet.write_text(sheet.read_text(encoding="utf-8").replace("Visites d'ateliers", "Visites d'usines"), encoding="utf-8")
        session.full_build_s = preview.FIRST_WORTH_S / 2
        load_knowledge_base(small_kb, cache=session.reads)
        assert session.sheets_first(registry) is None  # a full build is quick enough: everything at once
        session.full_build_s = preview.FIRST_WORTH_S + 1
        themes = small_kb / "reference" / "themes.yml"
        themes.write_text(themes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        load_knowledge_base(small_kb, cache=session.reads)
        assert session.sheets_first(registry) is None  # a reference file: its entries show on many pages
        shutil.copy(sheet, small_kb / "visites-ateliers.yml")
        with contextlib.suppress(KnowledgeBaseError):
            load_knowledge_base(small_kb, cache=session.reads)
        assert session.sheets_first(registry) is None  # a new sheet: new pages, longer lists
    finally:
        session.close()
    assert not session.files.root.exists() and session.next_build is not None and not session.next_build.exists()
