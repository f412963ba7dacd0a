"""The validated knowledge base: typed, immutable, with where each entry came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from .problems import Problem
from .schema import (
    Agreement,
    Audience,
    CooperationField,
    Manifesto,
    Organisation,
    Practice,
    Territory,
    Theme,
)

__all__ = ["Entry", "KnowledgeBase"]

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One entity with its id and the file (and line) it was written in."""

    id: str
    data: T
    path: str
    line: int = 1


@dataclass(frozen=True)
class KnowledgeBase:
    practices: Mapping[str, Entry[Practice]]
    organisations: Mapping[str, Entry[Organisation]]
    territories: Mapping[str, Entry[Territory]]
    agreements: Mapping[str, Entry[Agreement]]
    themes: Mapping[str, Entry[Theme]]
    audiences: Mapping[str, Entry[Audience]]
    cooperation_fields: Mapping[str, Entry[CooperationField]]
    manifesto: Entry[Manifesto]
    # Not errors: things a reviewer should look at (personal data), shown by the check.
    warnings: tuple[Problem, ...] = ()

    def collection(self, name: str) -> Mapping[str, Entry[object]]:
        found: Mapping[str, Entry[object]] = getattr(self, name)
        return found
