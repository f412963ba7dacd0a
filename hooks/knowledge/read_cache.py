"""What was made of each file, kept while its bytes stay the same: the live preview's memory.

``mkdocs serve`` rebuilds the whole site after each edit, and parsing and
checking every sheet is most of a rebuild's loading (13 s at 10,000 sheets).
A file's own checks (YAML, schema, the rules that read it alone) depend only
on its bytes, so their result is kept here under the file's path and the
digest of its bytes; the checks across files (references, loops) run again on
every build. A build (``mkdocs build``) reads each file once and keeps no cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["ReadCache"]

_T = TypeVar("_T")


class ReadCache:
    """Results by key, each valid for the bytes it was made from."""

    def __init__(self) -> None:
        self._results: dict[Hashable, tuple[bytes, Any]] = {}
        self._used: set[Hashable] = set()
        self.hits = 0

    def get(self, key: Hashable, raw: bytes, make: Callable[[], _T]) -> _T:
        """The result kept for ``key`` if ``raw`` is unchanged, else ``make()``'s, kept."""
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        self._used.add(key)
        kept = self._results.get(key)
        if kept is not None and kept[0] == digest:
            self.hits += 1
            result: _T = kept[1]
            return result
        made = make()
        self._results[key] = (digest, made)
        return made

    def end_round(self) -> int:
        """End a build's reading: drop the results it did not ask for (deleted or renamed files);
        returns how many it reused."""
        for key in self._results.keys() - self._used:
            del self._results[key]
        hits, self.hits = self.hits, 0
        self._used.clear()
        return hits
