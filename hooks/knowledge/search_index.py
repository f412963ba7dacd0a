"""The search index of a written site, through Pagefind's Python API.

``index_site(site)`` builds the same bundle as
``pagefind --site SITE --exclude-selectors .headerlink``: every HTML file of the
site is read (French stemming from ``<html lang="fr">``), Material's « ¶ »
permalinks are left out, and the bundle is written to ``SITE/pagefind``. Then
``pagefind_bundle.canonicalize_bundle`` makes it byte-reproducible.

Pagefind's Python API is asynchronous and drives the same binary as the
command line (``pagefind --service``, from the ``pagefind[bin]`` wheel); this
module runs it in its own event loop, so callers stay synchronous.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from .pagefind_bundle import canonicalize_bundle

__all__ = ["BUNDLE_DIR", "SearchIndexError", "index_site"]

# Where the bundle goes, inside the site: the CLI's default.
BUNDLE_DIR = "pagefind"
# The CLI's --exclude-selectors: Material's « ¶ » permalinks are not content.
_CONFIG: IndexConfig = {"exclude_selectors": [".headerlink"]}

_T = TypeVar("_T")


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message says why, in French."""


def index_site(site_dir: Path) -> None:
    """Index the HTML files of ``site_dir`` into ``site_dir/pagefind``, byte-reproducibly.

    Runs its own event loop: call it from synchronous code, not from a coroutine.
    Raises ``SearchIndexError`` when Pagefind is missing, fails, stops, or finds no page.
    """
    site_dir = site_dir.resolve()
    bundle = site_dir / BUNDLE_DIR
    try:
        _in_own_loop(_index, site_dir, bundle)
        canonicalize_bundle(bundle)
    except SearchIndexError:
        raise
    except Exception as error:
        # The service reports Pagefind's own errors as Exception(message, request).
        reason = error.args[0] if type(error) is Exception and error.args else f"{type(error).__name__}: {error}"
        raise SearchIndexError(f"Indexation Pagefind échouée pour {site_dir} : {reason}") from error


def _in_own_loop(function: Callable[[Path, Path], Coroutine[Any, Any, None]], *args: Path) -> None:
    """Run ``function(*args)`` to completion in a thread of its own, with its own event loop.

    The caller may already run an event loop in this thread (Playwright's
    synchronous API keeps one; so may a hook host): ``asyncio.run`` would refuse.
    """
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(function(*args))
        except BaseException as error:  # handed to the caller's thread, which reports it
            failure.append(error)

    thread = threading.Thread(target=run, name="pagefind-index")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


async def _index(site_dir: Path, bundle: Path) -> None:
    service = await PagefindService().launch()
    try:
        index = await _answer(service, service.create_index(_CONFIG))
        indexed = await _answer(service, index.add_directory(str(site_dir)))
        if indexed["page_count"] == 0:
            # The command line fails here too (« Pagefind was not able to build an index »).
            raise SearchIndexError(f"Indexation Pagefind échouée : aucune page HTML à indexer dans {site_dir}.")
        # Written explicitly, at an absolute path: the API's default output is relative to the working directory.
        await _answer(service, index.write_files(str(bundle)))
    except _Unanswered:
        code = await _halt(service)
        # Its own message is lost: the API merges the binary's stderr into the pipe of its answers.
        raise SearchIndexError(
            f"Indexation Pagefind échouée : le programme pagefind s'est arrêté en cours de route (code de sortie {code}). "
            f"Pour voir son message : python -m pagefind --site {site_dir} --exclude-selectors .headerlink"
        ) from None
    finally:
        await _stop(service)


class _Unanswered(Exception):
    """The binary stopped (or stopped being understood) before answering."""


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
        raise _Unanswered
    try:
        return request.result()
    except ConnectionError:  # the pipe closed under the request
        raise _Unanswered from None


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
