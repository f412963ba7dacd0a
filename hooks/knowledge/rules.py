"""Checks that span the entries of one file, run after the schema (see ``Collection.rules``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .labels import LABELS, date_fr
from .loader import Document, dotted
from .problems import Problem, closest
from .slugs import phrase

__all__ = [
    "CrossRule",
    "Rule",
    "changes_dated",
    "evidence_from_sources",
    "glossary_words_unique",
    "inspiration_loops",
    "pathway_steps",
    "principle_ids_unique",
    "related_not_self",
    "successions",
    "territory_tree",
]

# A rule gets the file and its validated value: entries by id, or the single entry.
Rule = Callable[[Document, Any], list[Problem]]
# A rule across the files of a collection written one file per entry (the practices):
# every entry by id, with the file it was read from.
CrossRule = Callable[[Mapping[str, tuple[Document, Any]]], list[Problem]]

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


def glossary_words_unique(document: Document, terms: dict[str, Any]) -> list[Problem]:
    """A term, an expansion or a reader's word leads to one entry only: search expands it to that entry's words."""
    problems = []
    owner: dict[str, tuple[str, ...]] = {}
    for key, entry in terms.items():
        places: list[tuple[tuple[Any, ...], str]] = [((key, "term"), entry.term)]
        places += [((key, "expansion"), entry.expansion)] if entry.expansion else []
        places += [((key, "synonyms", index), synonym) for index, synonym in enumerate(entry.synonyms)]
        for location, word in places:
            first = owner.setdefault(phrase(word), location)
            if first[0] != key:
                problems.append(
                    document.problem(
                        location,
                        f"« {word} » est déjà dans l'entrée « {first[0]} » ({dotted(first[1:])})",
                        "un mot ne mène qu'à une entrée du glossaire : retirez-le de l'une des deux",
                    )
                )
    return problems


def _cited_source(document: Document, location: tuple[Any, ...], title: str, titles: list[str]) -> list[Problem]:
    """A field naming one of the sheet's own sources by its title."""
    if title in titles:
        return []
    hint = (
        f"recopiez le titre d'une source de la fiche, par exemple « {titles[0]} »" if len(titles) == 1 else "recopiez le titre de l'une des sources de la fiche"
    )
    return [document.problem(location, f"la source « {title} » n'est pas dans les sources de la fiche", hint)]


def evidence_from_sources(document: Document, practice: Any) -> list[Problem]:
    """The evidence level, and each link to where the approach came from or went, rest on the sheet's own sources."""
    titles = [source.title for source in practice.sources]
    problems = _cited_source(document, ("evidence", "source"), practice.evidence.source, titles)
    for field in ("inspired_by", "spread"):
        for index, link in enumerate(getattr(practice, field)):
            problems += _cited_source(document, (field, index, "source"), link.source, titles)
    return problems


def inspiration_loops(practices: Mapping[str, tuple[Document, Any]]) -> list[Problem]:
    """« Inspirée de » goes back in time: following it never comes back to the sheet it started from."""
    problems = []
    for key, (document, practice) in practices.items():
        for index, link in enumerate(practice.inspired_by):
            chain = _path_back(practices, link.practice, key)
            if chain is not None:
                shown = " → ".join([key, *chain])
                problems.append(
                    document.problem(
                        ("inspired_by", index, "practice"),
                        "une fiche ne peut pas s'inspirer d'elle-même" if not chain[:-1] else f"les liens « inspirée de » forment une boucle : {shown}",
                        "gardez le lien dans le sens du temps : seule la fiche la plus récente dit de laquelle elle s'inspire",
                    )
                )
    return problems


def _path_back(practices: Mapping[str, tuple[Document, Any]], start: str, target: str) -> list[str] | None:
    """The sheets from ``start`` to ``target`` following « inspirée de », or None (depth first, each sheet once)."""
    stack, seen = [(start, [start])], set()
    while stack:
        current, path = stack.pop()
        if current == target:
            return path
        if current in seen or current not in practices:
            continue
        seen.add(current)
        stack += [(link.practice, [*path, link.practice]) for link in practices[current][1].inspired_by]
    return None


def pathway_steps(document: Document, pathways: dict[str, Any]) -> list[Problem]:
    """A pathway's steps are distinct, each sheet shows one step, and a step requires earlier steps only."""
    problems = []
    for key, pathway in pathways.items():
        ids: dict[str, int] = {}
        titles: dict[str, int] = {}
        placed: dict[str, int] = {}
        for number, step in enumerate(pathway.steps):
            at = (key, "steps", number)
            if step.id in ids:
                problems.append(
                    document.problem((*at, "id"), f"étape « {step.id} » déjà définie (étape {ids[step.id] + 1})", "donnez à chaque étape son identifiant")
                )
            if phrase(step.title) in titles:
                first = titles[phrase(step.title)] + 1
                problems.append(
                    document.problem((*at, "title"), f"même titre que l'étape {first}", "fusionnez les deux étapes, ou précisez ce qui les distingue")
                )
            for index, practice in enumerate(step.practices):
                if practice in placed:
                    problems.append(
                        document.problem(
                            (*at, "practices", index),
                            f"la fiche « {practice} » figure déjà à l'étape {placed[practice] + 1} de ce parcours",
                            "une fiche montre une seule étape d'un parcours : gardez-la à l'étape qu'elle illustre le mieux",
                        )
                    )
                placed.setdefault(practice, number)
            for index, required in enumerate(step.requires):
                problems += _requirement(document, (*at, "requires", index), required, step.id, ids, [s.id for s in pathway.steps])
            ids.setdefault(step.id, number)
            titles.setdefault(phrase(step.title), number)
    return problems


def _requirement(document: Document, location: tuple[Any, ...], required: str, own: str, earlier: Mapping[str, int], every: list[str]) -> list[Problem]:
    if required in earlier:
        return []
    if required == own:
        return [document.problem(location, "une étape ne peut pas se requérir elle-même", f"retirez « {required} » de requires")]
    if required in every:
        return [document.problem(location, f"l'étape « {required} » vient après celle-ci", "placez-la avant dans steps, ou retirez-la de requires")]
    suggestion = closest(required, list(earlier))
    return [document.problem(location, f"étape inconnue « {required} » dans ce parcours", suggestion or "écrivez l'identifiant (id) d'une étape précédente")]


def successions(document: Document, organisations: dict[str, Any]) -> list[Problem]:
    """An organisation's successors lead to one that still exists: no loop, not itself."""
    problems = []
    for key, organisation in organisations.items():
        seen, current = [key], organisation
        while current.successor and current.successor.organisation in organisations:
            following = current.successor.organisation
            if following in seen:
                chain = " → ".join([*seen, following])
                problems.append(
                    document.problem(
                        (key, "successor", "organisation"),
                        f"les successions forment une boucle : {chain}",
                        "une organisation ne peut pas succéder à elle-même, même indirectement",
                    )
                )
                break
            seen.append(following)
            current = organisations[following]
        names = [former.until for former in organisation.former_names]
        if names != sorted(names):
            problems.append(document.problem((key, "former_names"), "les anciens noms ne sont pas dans l'ordre", "écrivez-les du plus ancien au plus récent"))
    return problems


def changes_dated(document: Document, practice: Any, today: Callable[[], dt.date] = dt.date.today) -> list[Problem]:
    """A revision happens between the sheet's creation and the day it is checked.

    Today is the clock's, not the build date: the Makefile builds at the last
    commit's time, and a revision written since, dated today, is not in the future.
    """
    problems = []
    now = today()
    for index, change in enumerate(practice.changes):
        day = date_fr(change.date.isoformat())
        if change.date < practice.created:
            problems.append(
                document.problem(
                    ("changes", index, "date"),
                    f"révision du {day} antérieure à la création de la fiche ({date_fr(practice.created.isoformat())})",
                    "corrigez la date de la révision, ou « created » si la fiche existait déjà",
                )
            )
        elif change.date > now:
            problems.append(
                document.problem(
                    ("changes", index, "date"),
                    f"révision datée du {day}, dans le futur",
                    f"écrivez la date du jour où la fiche a été modifiée, au plus tard aujourd'hui ({now.isoformat()})",
                )
            )
    return problems
