"""Checks that span the entries of one file, run after the schema (see ``Collection.rules``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .labels import LABELS
from .loader import Document
from .problems import Problem

__all__ = ["Rule", "principle_ids_unique", "related_not_self", "territory_tree"]

# A rule gets the file and its validated value: entries by id, or the single entry.
Rule = Callable[[Document, Any], list[Problem]]

# Levels are declared from the widest to the narrowest.
_RANKS = {level: rank for rank, level in enumerate(LABELS["territory_level"])}


def territory_tree(document: Document, territories: dict[str, Any]) -> list[Problem]:
    """Every territory but the nation sits inside a wider one, without loops."""
    problems = []
    for key, territory in territories.items():
        parent = territories.get(territory.parent) if territory.parent else None
        if territory.level != "national" and territory.parent is None:
            problems.append(document.problem((key, "level"), "un territoire non national doit avoir un parent", "ajoutez « parent: <identifiant> »"))
        if parent is not None and _RANKS[parent.level] >= _RANKS[territory.level]:
            problems.append(
                document.problem((key, "parent"), f"le parent « {territory.parent} » ({parent.level}) n'englobe pas un territoire de niveau {territory.level}")
            )
        seen, current = {key}, territory
        while current.parent and current.parent in territories:
            if current.parent in seen:
                problems.append(document.problem((key, "parent"), "les parents de ce territoire forment une boucle"))
                break
            seen.add(current.parent)
            current = territories[current.parent]
    return problems


def principle_ids_unique(document: Document, manifesto: Any) -> list[Problem]:
    """Principles are anchors of the manifesto's page: one id each."""
    problems = []
    seen: dict[str, int] = {}
    for index, principle in enumerate(manifesto.principles):
        if principle.id in seen:
            problems.append(
                document.problem(
                    ("principles", index, "id"), f"identifiant de principe « {principle.id} » déjà utilisé", f"au principe n°{seen[principle.id] + 1}"
                )
            )
        seen.setdefault(principle.id, index)
    return problems


def related_not_self(document: Document, practice: Any) -> list[Problem]:
    """A sheet's own id in its related sheets would link the page to itself."""
    own = Path(document.path).stem
    if own in practice.related:
        return [document.problem(("related",), "une fiche ne peut pas être liée à elle-même", f"retirez « {own} » de related")]
    return []
