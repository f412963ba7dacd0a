"""What ``make serve`` (``mkdocs serve --dirty``) remembers from one build to the next.

Generated files on disk: only what changed is rebuilt.

MkDocs' dirty mode rebuilds a page when its source file is newer than its
HTML. Generated pages have no source file, so MkDocs would rebuild all of
them on every edit; here each one is written to a cache folder, and
rewritten only when its content hash changes. Editing one sheet then rebuilds
its page and the pages that show its title or summary (lists, related
practices), not the thousands of others.

What every page shows beyond its own Markdown (the menu, the theme, the
configuration) is summed up in a site key: when it changes, the caller clears
the site folder and everything is rebuilt.

A ``PreviewSession`` holds these files, each source file's own checks
(``ReadCache``), where each generated file went in the last full build, and
the folder the server watches: when the only change is to existing sheets,
their pages are rebuilt alone first and the next build, asked for through
that folder, rebuilds every page that shows them.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .read_cache import ReadCache
from .registry import Registry

__all__ = ["COLD_START_FACTOR", "FIRST_WORTH_S", "NEXT_BUILD_AFTER_S", "PreviewCache", "PreviewSession", "Sync", "site_key"]

# Below this full-build time, an edit rebuilds everything at once (see PreviewSession.full_build_s).
FIRST_WORTH_S = 2.0
# Time left to the browsers to reload the page rebuilt first, before the next build holds requests.
NEXT_BUILD_AFTER_S = 1.5
# A session's first build also starts Python's imports, compiles the templates and draws the map:
# 2.4 s against 0.5 s for the real base's rebuilds, 25 s against 5 s at 1,000 sheets.
COLD_START_FACTOR = 3.0


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def site_key(parts: Iterable[bytes]) -> str:
    """One hash of everything that is on every page."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(_digest(part).encode())
    return hasher.hexdigest()


@dataclass(frozen=True)
class Sync:
    changed: frozenset[str]
    removed: frozenset[str]
    site_changed: bool


class PreviewCache:
    """Generated files under ``root``, by page path, each rewritten only when its content changes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._hashes: dict[str, str] = {}
        self._site_key: str | None = None

    def path(self, uri: str) -> Path:
        return self.root / uri

    def sync(self, files: dict[str, str], key: str) -> Sync:
        """Every generated file of a build: the changed ones rewritten, the ones gone deleted."""
        hashes = {uri: _digest(text.encode("utf-8")) for uri, text in files.items()}
        changed = self._write(files, hashes)
        removed = frozenset(self._hashes.keys() - hashes.keys())
        for uri in removed:
            self.path(uri).unlink(missing_ok=True)
        site_changed = self._site_key is not None and key != self._site_key
        self._hashes, self._site_key = hashes, key
        return Sync(changed, removed, site_changed)

    def update(self, files: dict[str, str]) -> frozenset[str]:
        """Some of the files only (an edited sheet's page, shown first): rewritten if changed, the others kept."""
        hashes = {uri: _digest(text.encode("utf-8")) for uri, text in files.items()}
        changed = self._write(files, hashes)
        self._hashes.update(hashes)
        return changed

    @property
    def files(self) -> frozenset[str]:
        """The files written so far."""
        return frozenset(self._hashes)

    def _write(self, files: dict[str, str], hashes: dict[str, str]) -> frozenset[str]:
        changed = frozenset(uri for uri, digest in hashes.items() if self._hashes.get(uri) != digest)
        for uri in sorted(changed):
            target = self.path(uri)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[uri], encoding="utf-8")
        return changed


@dataclass
class PreviewSession:
    """One ``make serve`` session's memory (``on_startup`` → ``on_shutdown``)."""

    files: PreviewCache = field(default_factory=lambda: PreviewCache(Path(tempfile.mkdtemp(prefix="kb-preview-"))))
    # Each file's own checks, by (collection, path as shown), kept while its bytes are the same.
    reads: ReadCache[tuple[str, str]] = field(default_factory=ReadCache)
    # Each generated file of the last full build: (out of the menu, its « edit » address relative to docs/).
    layout: dict[str, tuple[bool, str | None]] = field(default_factory=dict)
    # A folder the server watches (set once it is known, by on_serve): writing there asks for a build.
    next_build: Path | None = None
    # How long the last full build took: below FIRST_WORTH_S, showing a sheet's page first is not worth
    # a second build and a second reload (the real base: under a second).
    full_build_s: float | None = None
    _timer: threading.Timer | None = field(default=None, repr=False)

    def full_build(self, seconds: float) -> None:
        """A full build took ``seconds``; the session's first one is weighed as the rebuilds it announces."""
        self.full_build_s = seconds if self.full_build_s is not None else seconds / COLD_START_FACTOR

    def watched_folder(self) -> Path:
        if self.next_build is None:
            self.next_build = Path(tempfile.mkdtemp(prefix="kb-preview-next-"))
        return self.next_build

    def sheets_first(self, registry: Registry) -> tuple[str, frozenset[str]] | None:
        """After an edit of existing sheets only: their collection and ids, whose pages are rebuilt
        alone first; None for any other change (a sheet added or removed, a reference file, several
        collections), before the first full build, or when no folder is watched to ask for the next."""
        round_ = self.reads.last_round
        if self.next_build is None or not self.layout or round_ is None or round_.added or round_.removed or not round_.changed:
            return None
        if self.full_build_s is None or self.full_build_s < FIRST_WORTH_S:
            return None
        names = {name for name, _path in round_.changed}
        if len(names) != 1:
            return None
        collection = registry[names.pop()]
        # One file per entry, out of the menu: editing one changes no menu and no page list.
        if collection.file is not None or collection.in_nav:
            return None
        return collection.name, frozenset(Path(path).stem for _name, path in round_.changed)

    def ask_next_build(self, after: float = 0.0) -> None:
        """In ``after`` seconds, write in the watched folder: the server sees a change and builds again.

        MkDocs' server holds every request while it builds: asked for at once, the next build would
        hold the browsers' reload of the page just rebuilt until every page is rebuilt. The delay lets
        them fetch it first."""
        self.cancel_next_build()
        self._timer = threading.Timer(after, self._write_next_build)
        self._timer.daemon = True
        self._timer.start()

    def cancel_next_build(self) -> None:
        """A build has started anyway (another edit): the one asked for is no longer needed."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _write_next_build(self) -> None:
        if self.next_build is not None and self.next_build.is_dir():
            (self.next_build / "next-build").write_text(str(time.monotonic_ns()), encoding="utf-8")

    def close(self) -> None:
        self.cancel_next_build()
        shutil.rmtree(self.files.root, ignore_errors=True)
        if self.next_build is not None:
            shutil.rmtree(self.next_build, ignore_errors=True)
