"""How well we know that a practice works: the rubric's levels as readers see them, and the evidence map.

The level is shown everywhere in the same way (``badge``): five marks, as many
filled as the level's rank, then the level's words. Never colour alone; the
marks are hidden from screen readers, which read the words.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from .labels import LABELS
from .model import KnowledgeBase

__all__ = ["LEVELS", "EvidenceMap", "MapRow", "badge", "evidence_map", "examples", "marks", "rank", "search_uri"]

LEVELS: tuple[str, ...] = tuple(LABELS["evidence_level"])
SEARCH_PAGE = "recherche.md"


def rank(level: str) -> int:
    """1 for the weakest level of the rubric, 5 for the strongest."""
    return LEVELS.index(level) + 1


def marks(level: str) -> str:
    return "●" * rank(level) + "○" * (len(LEVELS) - rank(level))


def badge(level: str) -> str:
    """The level as inline HTML: marks (hidden from screen readers), words, rank."""
    words = html.escape(LABELS["evidence_level"][level])
    return (
        f'<span class="kb-evidence kb-evidence--{rank(level)}">'
        f'<span class="kb-evidence__marks" aria-hidden="true">{marks(level)}</span> '
        f'{words} <span class="kb-evidence__rank">(niveau {rank(level)} sur {len(LEVELS)})</span></span>'
    )


def search_uri(filters: Mapping[str, str]) -> str:
    """The search page, filtered: ``/recherche/?theme=…&preuve=…``, as a link in the docs tree."""
    return f"/{SEARCH_PAGE}?{urlencode(filters, quote_via=quote)}"


@dataclass(frozen=True)
class MapRow:
    """One row of the map: an entry (a theme, an audience) and its practices counted by level."""

    key: str
    name: str
    counts: tuple[int, ...]
    links: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class EvidenceMap:
    """Practices counted by evidence level, along one dimension (themes, audiences)."""

    facet: str
    rows: tuple[MapRow, ...]
    totals: tuple[int, ...]


def evidence_map(kb: KnowledgeBase, collection: str, practices_of: Mapping[str, Sequence[str]], name: Callable[[str, str], str], facet: str) -> EvidenceMap:
    """Rows in ``collection``'s order (its file's), one cell per level, each cell linking to the search page with both filters."""
    rows = []
    label = LABELS["evidence_level"]
    for key in kb.collection(collection):
        levels = [kb.practices[pid].data.evidence.level for pid in practices_of.get(key, ())]
        counts = tuple(levels.count(level) for level in LEVELS)
        links = tuple(search_uri({facet: name(collection, key), "preuve": label[level]}) for level in LEVELS)
        rows.append(MapRow(key, name(collection, key), counts, links))
    every = [entry.data.evidence.level for entry in kb.practices.values()]
    return EvidenceMap(facet, tuple(rows), tuple(every.count(level) for level in LEVELS))


def examples(kb: KnowledgeBase, order: Iterable[str]) -> dict[str, str | None]:
    """For each level, the first practice of ``order`` at that level (None: no practice of the base reaches it yet)."""
    found: dict[str, str | None] = dict.fromkeys(LEVELS)
    for pid in order:
        level = kb.practices[pid].data.evidence.level
        found[level] = found[level] or pid
    return found
