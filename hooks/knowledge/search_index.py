"""The search index of the site, through Pagefind's Python API, fed while the site is written.

``SiteIndexer(site)`` starts Pagefind beside the build; ``add(path, html)``
hands it each page as MkDocs writes it (from the hook's ``on_post_page``), so
Pagefind parses pages on the second core while MkDocs renders the next ones,
and never holds the whole site at once; ``finish()`` adds the HTML files that
were not handed over (``404.html``, pages left untouched by
``mkdocs serve --dirty``), read from the written site in path order, writes
the bundle to ``SITE/pagefind`` and makes it byte-reproducible
(``pagefind_bundle.canonicalize_bundle``). ``index_site(site)`` does it all
from the files on disk.

The bundle is the one of ``pagefind --site SITE --exclude-selectors .headerlink``
(French stemming from ``<html lang="fr">``, Material's « ¶ » permalinks left
out), with pages numbered in the order they were added: the build's order,
the same from one build to the next (the command line numbers them in the
order the file system lists them).

Pagefind's Python API is asynchronous and drives the same binary as the
command line (``pagefind --service``, from the ``pagefind[bin]`` wheel); this
module runs it in an event loop of its own thread, so callers stay synchronous.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import shutil
import threading
from collections.abc import Awaitable, Coroutine
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService

from .pagefind_bundle import canonicalize_bundle

__all__ = ["BUNDLE_DIR", "STAGED_DIR", "SearchIndexError", "SiteIndexer", "index_site", "indexed_part"]

# Where the bundle goes, inside the site: the CLI's default; written beside it first (see _replace).
BUNDLE_DIR = "pagefind"
STAGED_DIR = ".pagefind-next"
# The CLI's --exclude-selectors: Material's « ¶ » permalinks are not content.
_CONFIG: IndexConfig = {"exclude_selectors": [".headerlink"]}
# Pages handed over and not yet indexed: beyond this, ``add`` waits for Pagefind (bounded memory).
_IN_FLIGHT = 32

_T = TypeVar("_T")


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message says why, in French."""


def index_site(site_dir: Path) -> None:
    """Index the HTML files of ``site_dir`` into ``site_dir/pagefind``, byte-reproducibly.

    Raises ``SearchIndexError`` when Pagefind is missing, fails, stops, or finds no page.
    """
    SiteIndexer(site_dir).finish()


def page_url(path: str) -> str:
    """The address Pagefind gives the file at ``path`` (relative to the site), as ``--site`` does."""
    return "/" + (path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path)


# Where the searched part of a page begins (overrides/main.html) and where Material's article ends it.
_BODY_START, _ARTICLE_END = "<div data-pagefind-body>", "</article>"


def indexed_part(html: str) -> str:
    """What Pagefind reads of a page: its head and its ``data-pagefind-body`` element, without the
    menus around it (two thirds of a page). The bundle is the same byte for byte; Pagefind parses
    half as much, and fewer bytes cross the pipe. A page without that element is kept whole."""
    start, end, body = html.find(_BODY_START), html.rfind(_ARTICLE_END), html.find("<body")
    if not 0 <= body < start < end:
        return html
    return f"{html[:body]}<body>{html[start:end]}</body></html>"


class _Service(PagefindService):
    """Pagefind's service, reading each answer as soon as it comes.

    pagefind 1.5.2 sleeps 0.1 s before reading each answer: ten pages a second
    when pages are added one by one. The answers are otherwise read as the API
    reads them; an answer nobody waits for any more is dropped.
    """

    async def _wait_for_responses(self) -> None:
        try:
            await self._read_responses()
        finally:
            # The binary is lost (or the service closed): the requests still waiting will never be answered.
            for future in self._responses.values():
                if not future.done():
                    future.set_exception(ConnectionError("pagefind stopped before answering"))
                    future.exception()  # its caller may be gone (cancelled): not « never retrieved »

    async def _read_responses(self) -> None:
        assert self._backend.stdout is not None
        while True:
            output = await self._backend.stdout.readuntil(b",")
            response = json.loads(base64.b64decode(output[:-1]))
            if response is None:
                continue
            message_id = response.get("message_id")
            if message_id is None and (original := response["payload"].get("original_message")) is not None:
                message_id = json.loads(original).get("message_id")
            future = self._responses.pop(message_id, None)
            if future is None or future.done():
                continue
            payload = response["payload"]
            if payload["type"] == "Error":
                future.set_exception(Exception(payload["message"], payload.get("original_message")))
            else:
                future.set_result(payload)

    async def close(self) -> None:
        # The base class waits for every answer it ever got, kept in _responses; here answered ones are dropped.
        await asyncio.gather(*self._responses.values(), return_exceptions=True)
        self._poll_task.cancel()
        self._backend.terminate()
        await self._backend.wait()


class SiteIndexer:
    """A Pagefind index of ``site_dir``, fed page by page from the caller's thread."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir.resolve()
        self._added: set[str] = set()
        self._slots = threading.BoundedSemaphore(_IN_FLIGHT)
        self._failure: BaseException | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pagefind-index", daemon=True)
        self._thread.start()
        self._service: _Service | None = None
        self._index: PagefindIndex | None = None
        self._queue: asyncio.Queue[tuple[str, str] | None] | None = None
        self._worker: Future[None] | None = None
        try:
            self._call(self._start())
        except BaseException as error:
            self._failure = error

    # -- called from the build's thread -------------------------------------------------

    def add(self, path: str, html: str) -> None:
        """Hand over the page written at ``path`` (relative to the site, « a/b/index.html »); waits only if Pagefind lags behind."""
        if self._failure is not None or self._queue is None:
            return  # reported by finish()
        self._added.add(path)
        self._slots.acquire()
        self._loop.call_soon_threadsafe(self._queue.put_nowait, (path, indexed_part(html)))

    def finish(self) -> None:
        """Add the site's other HTML files, write the bundle, stop Pagefind. Raises ``SearchIndexError``."""
        try:
            if self._failure is None and self._queue is not None:
                for file in sorted(self.site_dir.rglob("*.html")):
                    path = file.relative_to(self.site_dir).as_posix()
                    if path not in self._added and not path.startswith(f"{BUNDLE_DIR}/"):
                        self.add(path, file.read_text(encoding="utf-8"))
                self._loop.call_soon_threadsafe(self._queue.put_nowait, None)
                assert self._worker is not None
                self._worker.result()
            if self._failure is None:
                staged = self.site_dir / STAGED_DIR
                shutil.rmtree(staged, ignore_errors=True)
                self._call(self._write(staged))
                canonicalize_bundle(staged)
                _replace(self.site_dir / BUNDLE_DIR, staged)
        except BaseException as error:
            self._failure = self._failure or error
        finally:
            self.close()
        if self._failure is not None:
            raise _french(self._failure, self.site_dir) from self._failure

    def close(self) -> None:
        """Stop Pagefind without writing anything (a failed build); safe to call twice."""
        if self._thread.is_alive():
            if self._service is not None:
                with contextlib.suppress(BaseException):
                    self._call(_stop(self._service))
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def _call(self, coroutine: Coroutine[Any, Any, _T]) -> _T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    # -- in Pagefind's thread -----------------------------------------------------------

    async def _start(self) -> None:
        service = _Service()
        self._service = service
        await service.launch()
        self._index = await _answer(service, service.create_index(_CONFIG))
        self._queue = asyncio.Queue()
        self._worker = asyncio.run_coroutine_threadsafe(self._feed(), self._loop)

    async def _feed(self) -> None:
        """Send the pages in the order they were handed over (Pagefind numbers them in that order), each
        as soon as it comes, without waiting for the answer to the one before: the binary, which handles
        one request after the other, always has the next page waiting; then wait for every answer."""
        assert self._queue is not None and self._index is not None and self._service is not None
        pending: set[asyncio.Future[Any]] = set()
        while (item := await self._queue.get()) is not None:
            path, html = item
            del item
            if self._failure is None and not self._service._poll_task.done():  # the binary still answers
                request = asyncio.ensure_future(self._index.add_html_file(content=html, url=page_url(path)))
                pending.add(request)
                request.add_done_callback(self._answered)
                request.add_done_callback(pending.discard)
            else:
                self._slots.release()
            del html
        if pending:
            await _answer(self._service, asyncio.gather(*pending))

    def _answered(self, request: asyncio.Future[Any]) -> None:
        self._slots.release()
        error = None if request.cancelled() else request.exception()
        # A lost binary (ConnectionError) is reported with its exit code by the next request awaited through _answer.
        if error is not None and not isinstance(error, ConnectionError) and self._failure is None:
            self._failure = error

    async def _write(self, bundle: Path) -> None:
        assert self._service is not None and self._index is not None
        if not self._added:
            # The command line fails here too (« Pagefind was not able to build an index »).
            raise SearchIndexError(f"Indexation Pagefind échouée : aucune page HTML à indexer dans {self.site_dir}.")
        # Written explicitly, at an absolute path: the API's default output is relative to the working directory.
        await _answer(self._service, self._index.write_files(str(bundle)))
        await _writes_done(self._service._backend.pid, bundle)


def _replace(bundle: Path, staged: Path) -> None:
    """Put the bundle written at ``staged`` in place of ``bundle``, in one rename once the old one is
    moved aside: under ``mkdocs serve`` a search never reads half of each, and the parts of the
    previous index (Pagefind names files by their content) do not pile up."""
    old = bundle.with_name(f".{bundle.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if bundle.exists():
        bundle.rename(old)
    staged.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)


async def _writes_done(pid: int, folder: Path, timeout: float = 60) -> None:
    """Wait until the process ``pid`` has no file open under ``folder``.

    Pagefind answers « files written » when its last write of each file is
    handed to a background thread (Tokio's ``File``), not done: stopped right
    then, it leaves files cut at a multiple of 64 KB (seen under load:
    ``pagefind-ui.js``, ``pagefind-worker.js``). Each pending write holds its
    file open until it is done, so no file open there means every byte is
    written. Linux's /proc lists them; elsewhere, nothing to wait on.
    """
    descriptors = Path(f"/proc/{pid}/fd")
    deadline = asyncio.get_running_loop().time() + timeout
    while open_files_under(descriptors, folder) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.005)


def open_files_under(descriptors: Path, folder: Path) -> bool:
    """Whether one of the file descriptors listed in ``descriptors`` (/proc/PID/fd) is a file under ``folder``."""
    prefix = f"{folder}/"
    try:
        entries = list(descriptors.iterdir())
    except OSError:  # no /proc, or the process has ended
        return False
    for entry in entries:
        with contextlib.suppress(OSError):  # closed since listed
            if str(entry.readlink()).startswith(prefix):
                return True
    return False


def _french(error: BaseException, site_dir: Path) -> SearchIndexError:
    if isinstance(error, SearchIndexError):
        return error
    if isinstance(error, _Unanswered):
        return SearchIndexError(
            f"Indexation Pagefind échouée : le programme pagefind s'est arrêté en cours de route (code de sortie {error.code}). "
            f"Pour voir son message : python -m pagefind --site {site_dir} --exclude-selectors .headerlink"
        )
    # The service reports Pagefind's own errors as Exception(message, request).
    reason = error.args[0] if type(error) is Exception and error.args else f"{type(error).__name__}: {error}"
    return SearchIndexError(f"Indexation Pagefind échouée pour {site_dir} : {reason}")


class _Unanswered(Exception):
    """The binary stopped (or stopped being understood) before answering."""

    def __init__(self, code: int | None) -> None:
        super().__init__(code)
        self.code = code


async def _answer(service: PagefindService, call: Awaitable[_T]) -> _T:
    """Await one request to the Pagefind binary; raise ``_Unanswered`` if the binary is lost first.

    In pagefind 1.5.2 a request to a binary that dies is never answered: the
    service's reader task ends on the closed pipe and the caller waits for
    ever. So the reader task ending first means the binary is lost.
    """
    request = asyncio.ensure_future(call)
    await asyncio.wait({request, service._poll_task}, return_when=asyncio.FIRST_COMPLETED)
    if not request.done():
        request.cancel()
        await asyncio.gather(request, return_exceptions=True)  # retrieved: nothing logged later
        raise _Unanswered(await _halt(service))
    try:
        return request.result()
    except ConnectionError:  # the pipe closed under the request
        raise _Unanswered(await _halt(service)) from None


async def _halt(service: PagefindService) -> int | None:
    """Stop a binary that no longer answers (it has normally exited already); return its exit code."""
    reader, backend = service._poll_task, service._backend
    reader.cancel()
    await asyncio.gather(reader, return_exceptions=True)  # retrieves the reader's error, reported by the caller
    if backend.returncode is None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(backend.wait(), timeout=5)
    if backend.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            backend.kill()
        await backend.wait()
    return backend.returncode


async def _stop(service: PagefindService) -> None:
    """Stop the binary and wait for it, whatever state it is in."""
    if service._backend.returncode is not None:
        await _halt(service)  # already gone: only the reader task is left
    elif not service._poll_task.done():
        await service.close()  # every request answered: terminates the binary and waits for it
    else:
        await _halt(service)
