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
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

__all__ = ["ReadCache", "Round"]

_T = TypeVar("_T")
# A file's key: for the knowledge base, its collection and its path as shown in messages.
_K = TypeVar("_K", bound=Hashable)


@dataclass(frozen=True)
class Round(Generic[_K]):
    """What one build's reading found, against the build before."""

    reused: int
    # Keys read again because their bytes changed, seen for the first time, or not asked for any more.
    changed: frozenset[_K] = frozenset()
    added: frozenset[_K] = frozenset()
    removed: frozenset[_K] = frozenset()


class ReadCache(Generic[_K]):
    """Results by key, each valid for the bytes it was made from."""

    def __init__(self) -> None:
        self._results: dict[_K, tuple[bytes, Any]] = {}
        self._used: set[_K] = set()
        self._changed: set[_K] = set()
        self._added: set[_K] = set()
        self.hits = 0
        # The last round, once one has ended.
        self.last_round: Round[_K] | None = None

    def get(self, key: _K, raw: bytes, make: Callable[[], _T]) -> _T:
        """The result kept for ``key`` if ``raw`` is unchanged, else ``make()``'s, kept."""
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        self._used.add(key)
        kept = self._results.get(key)
        if kept is not None and kept[0] == digest:
            self.hits += 1
            result: _T = kept[1]
            return result
        made = make()
        (self._changed if kept is not None else self._added).add(key)
        self._results[key] = (digest, made)
        return made

    def end_round(self) -> Round[_K]:
        """End a build's reading: drop the results it did not ask for (deleted or renamed files),
        and say what it reused and what changed (also kept as ``last_round``)."""
        removed = frozenset(self._results.keys() - self._used)
        for key in removed:
            del self._results[key]
        self.last_round = Round(self.hits, frozenset(self._changed), frozenset(self._added), removed)
        self.hits = 0
        self._used.clear()
        self._changed.clear()
        self._added.clear()
        return self.last_round
