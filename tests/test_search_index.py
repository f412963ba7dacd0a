"""The search index through Pagefind's Python API (knowledge/search_index.py)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pagefind.service import get_executable

from knowledge.pagefind_bundle import canonicalize_bundle
from knowledge.search_index import STAGED_DIR, SearchIndexError, index_site, open_files_under

from .test_reproducible import digests

PAGE = """<!doctype html><html lang="fr"><head><title>{title}</title></head><body>
<main data-pagefind-body><h1 id="titre">{title}<a class="headerlink" href="#titre">¶</a></h1>
<p data-pagefind-filter="theme">{theme}</p><p>{text}</p></main></body></html>
"""


def _site(root: Path) -> Path:
    pages = {
        "index.html": ("Accueil", "Emploi", "Les maisons de l'emploi et les PLIE."),
        "pratiques/parrainage/index.html": ("Parrainage", "Insertion", "Des parrains accompagnent les jeunes vers l'emploi."),
        "pratiques/visites/index.html": ("Visites d'entreprises", "Emploi", "Découvrir les métiers en visitant les entreprises."),
    }
    for name, (title, theme, text) in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(PAGE.format(title=title, theme=theme, text=text), encoding="utf-8")
    return root


def test_the_api_writes_the_bundle_the_command_line_writes(tmp_path: Path) -> None:
    api, cli = _site(tmp_path / "api"), _site(tmp_path / "cli")
    index_site(api)
    # What the hook ran before the API: the same options on the command line.
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(cli), "--quiet", "--exclude-selectors", ".headerlink"], check=True)
    canonicalize_bundle(cli / "pagefind")
    a, b = digests(api / "pagefind"), digests(cli / "pagefind")
    assert "pagefind-entry.json" in a and any(name.startswith("filter/") for name in a)
    assert a == b


def test_indexing_works_where_an_event_loop_already_runs(tmp_path: Path) -> None:
    # Playwright's synchronous API keeps an event loop in the tests' thread (seen
    # in CI: « asyncio.run() cannot be called from a running event loop »).
    site = _site(tmp_path)

    failures: list[BaseException] = []

    async def inside_a_loop() -> None:
        index_site(site)

    def caller() -> None:
        # A thread of its own: the tests' thread may hold Playwright's loop already.
        try:
            asyncio.run(inside_a_loop())
        except BaseException as error:
            failures.append(error)

    thread = threading.Thread(target=caller)
    thread.start()
    thread.join()
    assert not failures, failures
    assert (site / "pagefind" / "pagefind-entry.json").is_file()


def test_a_site_without_pages_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="aucune page HTML"):
        index_site(tmp_path)


def test_a_missing_binary_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "absent"))
    with pytest.raises(SearchIndexError, match="Indexation Pagefind échouée"):
        index_site(_site(tmp_path / "site"))


@pytest.mark.parametrize("script", ["exit 3", "head -c 20 >/dev/null; exit 3", "sleep 0.3; exit 3"])
def test_a_binary_that_stops_is_an_error_not_a_hang(script: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pagefind's own API would wait for ever for the answer of a dead binary.
    fake = tmp_path / "pagefind"
    fake.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    with pytest.raises(SearchIndexError, match=r"arrêté en cours de route \(code de sortie 3\)"):
        index_site(_site(tmp_path / "site"))


def test_a_binary_that_crashes_mid_write_is_an_error(tmp_path: Path) -> None:
    # A real crash: the bundle cannot be written (a file stands where its folder goes), the binary panics.
    site = _site(tmp_path / "site")
    (site / STAGED_DIR).write_text("pas un dossier", encoding="utf-8")
    with pytest.raises(SearchIndexError, match="arrêté en cours de route"):
        index_site(site)


def test_a_file_still_open_under_the_bundle_is_seen(tmp_path: Path) -> None:
    # How the indexer knows Pagefind's last writes are done before stopping it (a file cut at 64 KB otherwise).
    descriptors, bundle = Path(f"/proc/{os.getpid()}/fd"), tmp_path / "pagefind"
    bundle.mkdir()
    assert not open_files_under(descriptors, bundle)
    with (bundle / "pagefind-ui.js").open("wb"):
        assert open_files_under(descriptors, bundle)
        assert not open_files_under(descriptors, tmp_path / "pagefin")  # a folder whose name begins the same
    assert not open_files_under(descriptors, bundle)


def test_a_binary_that_stops_while_pages_are_fed_is_an_error_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The real binary, killed after a few pages: the requests still waiting for an answer must not hang the build.
    fake = tmp_path / "pagefind"
    fake.write_text(
        f"""#!{sys.executable}
import subprocess, sys
child = subprocess.Popen([{str(get_executable())!r}, "--service"], stdin=subprocess.PIPE)
received = 0
while received < 3000 and (data := sys.stdin.buffer.read1(1000)):
    child.stdin.write(data)
    child.stdin.flush()
    received += len(data)
child.kill()
child.wait()
sys.exit(3)
""",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    site = _site(tmp_path / "site")
    for number in range(40):
        (site / f"page-{number}.html").write_text(PAGE.format(title=f"Page {number}", theme="Emploi", text="mot " * 200), encoding="utf-8")
    with pytest.raises(SearchIndexError, match=r"arrêté en cours de route \(code de sortie 3\)"):
        index_site(site)
