"""The validated knowledge base: typed, immutable, with where each entry came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .problems import Problem
from .registry import COLLECTIONS, Registry
from .schema import Agreement, Audience, CooperationField, Manifesto, Organisation, Pathway, Practice, Territory, Theme

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
    """Every collection of ``registry``, entries by id (the single-entry ones under their name)."""

    entries: Mapping[str, Mapping[str, Entry[Any]]]
    registry: Registry = field(default_factory=lambda: COLLECTIONS)
    # Not errors: things a reviewer should look at (personal data), shown by the check.
    warnings: tuple[Problem, ...] = ()

    def collection(self, name: str) -> Mapping[str, Entry[Any]]:
        return self.entries[name]

    def single(self, name: str) -> Entry[Any]:
        """The entry of a single-entry collection (the manifesto)."""
        (entry,) = self.entries[name].values()
        return entry

    # Typed views of the collections the core and the templates know by name.
    @property
    def practices(self) -> Mapping[str, Entry[Practice]]:
        return self.entries["practices"]

    @property
    def organisations(self) -> Mapping[str, Entry[Organisation]]:
        return self.entries["organisations"]

    @property
    def territories(self) -> Mapping[str, Entry[Territory]]:
        return self.entries["territories"]

    @property
    def agreements(self) -> Mapping[str, Entry[Agreement]]:
        return self.entries["agreements"]

    @property
    def themes(self) -> Mapping[str, Entry[Theme]]:
        return self.entries["themes"]

    @property
    def audiences(self) -> Mapping[str, Entry[Audience]]:
        return self.entries["audiences"]

    @property
    def cooperation_fields(self) -> Mapping[str, Entry[CooperationField]]:
        return self.entries["cooperation_fields"]

    @property
    def pathways(self) -> Mapping[str, Entry[Pathway]]:
        return self.entries["pathways"]

    @property
    def manifesto(self) -> Entry[Manifesto]:
        return self.single("manifesto")
