"""Generated files on disk for ``mkdocs serve --dirty``: only what changed is rebuilt.

MkDocs' dirty mode rebuilds a page when its source file is newer than its
HTML. Generated pages have no source file, so MkDocs would rebuild all of
them on every edit; here each one is written to a cache folder, and
rewritten only when its content hash changes. Editing one sheet then rebuilds
its page and the pages that show its title or summary (lists, related
practices), not the thousands of others.

What every page shows beyond its own Markdown (the menu, the theme, the
configuration) is summed up in a site key: when it changes, the caller clears
the site folder and everything is rebuilt.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PreviewCache", "Sync", "site_key"]


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
