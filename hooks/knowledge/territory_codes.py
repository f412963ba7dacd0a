"""Territories checked against the official lists: code, name and parent (a rule of territories.yml).

A territory of today (a region, a department, a town) carries the code of the
Code officiel géographique: the code must exist at the territory's level, the
name must be the official one, and the parent must be the smallest territory
of the base that officially contains it. A territory that no longer exists
(a region merged in 2016) names its successor by code, with the text that made
the change; its own code is not in today's lists and is not checked against
them. Employment areas and the nation have no code in these lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .labels import LABELS
from .loader import Document
from .official import DATASET_NAME, Geography, OfficialDataMissing, Place, geography
from .problems import Problem
from .slugs import fold

__all__ = ["official_place", "territory_codes"]

_LEVEL = LABELS["territory_level"]
# « de région », « de département », « de commune »: the words of a code's kind.
_OF = {"region": "de région", "department": "de département", "municipality": "de commune"}
# Regions are the territories that ended (2016): their former codes are in no list of today.
_ENDED = {"region": " ; si ce territoire n'existe plus, donnez son successeur (successor)"}


def official_place(territory: Any, official: Geography) -> Place | None:
    """Where a territory of the base is, officially: itself today, or its successor for a former one."""
    if territory.level not in _OF or not territory.code:
        return None
    if territory.successor is not None:
        return official.find(territory.level, territory.successor.code)
    return official.find(territory.level, territory.code)


def _contains(container: Place, place: Place) -> bool:
    """A region contains its departments and towns; a department its towns."""
    if container.level == "region":
        return place.region == container.code and place.level != "region"
    if container.level == "department":
        return place.department == container.code and place.level == "municipality"
    return False


def territory_codes(document: Document, territories: dict[str, Any], official: Geography | None = None) -> list[Problem]:
    """Every official code exists at its level, under its official name, inside its parent."""
    coded = {key: t for key, t in territories.items() if t.code}
    if not coded:
        return []
    if official is None:
        try:
            official = geography()
        except OfficialDataMissing:
            first = next(iter(coded))
            return [
                document.problem(
                    (first, "code"),
                    f"la liste officielle des territoires ({DATASET_NAME}) n'est pas installée : les codes ne peuvent pas être vérifiés",
                    "lancez « npm ci » à la racine du dépôt (make check le fait)",
                )
            ]
    places = {key: place for key, t in coded.items() if (place := official_place(t, official))}
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for key, territory in coded.items():
        problems += _code(document, key, territory, official)
        if key in places:
            problems += _name(document, key, territory, places[key], official)
            problems += _parent(document, key, territory, places[key], territories, places)
        if territory.successor is None:
            first = seen.setdefault((territory.level, territory.code), key)
            if first != key:
                problems.append(
                    document.problem(
                        (key, "code"), f"le code « {territory.code} » est déjà celui de « {first} »", "un territoire officiel n'est décrit qu'une fois"
                    )
                )
    return problems


def _code(document: Document, key: str, territory: Any, official: Geography) -> list[Problem]:
    level, code = territory.level, territory.code
    if level not in _OF:
        return [
            document.problem(
                (key, "code"),
                f"le niveau « {_LEVEL[level]} » n'a pas de code dans le Code officiel géographique",
                "retirez « code », ou corrigez « level »",
            )
        ]
    if territory.successor is not None:
        if official.find(level, territory.successor.code) is None:
            return [
                document.problem(
                    (key, "successor", "code"),
                    f"aucun territoire de niveau « {_LEVEL[level]} » n'a aujourd'hui le code « {territory.successor.code} »",
                    _hint_by_name(level, None, official),
                )
            ]
        today = official.find(level, code)
        if today is not None:
            return [
                document.problem(
                    (key, "code"),
                    f"le code « {code} » est celui d'un territoire d'aujourd'hui ({today.name})",
                    "un territoire qui a un successeur n'existe plus : vérifiez son ancien code, ou retirez « successor »",
                )
            ]
        return []
    if official.find(level, code) is not None:
        return []
    elsewhere = [place for other in official.levels_of(code) if other != level and (place := official.find(other, code))]
    if elsewhere:
        hint = f"« {code} » est un code {_OF[elsewhere[0].level]} ({elsewhere[0].name}) : corrigez « level » ou « code »{_ENDED.get(level, '')}"
    else:
        hint = _hint_by_name(level, territory.name, official)
    message = f"code {_OF[level]} « {code} » inconnu du Code officiel géographique ({DATASET_NAME} {official.version})"
    return [document.problem((key, "code"), message, hint)]


def _hint_by_name(level: str, name: str | None, official: Geography) -> str:
    same = official.named(level, name) if name else []
    if len(same) == 1:
        return f'« {name} » a le code « {same[0].code} » : écrivez code: "{same[0].code}"'
    return f"recopiez le code officiel {_OF[level]} (Insee, Code officiel géographique){_ENDED.get(level, '')}"


def _name(document: Document, key: str, territory: Any, place: Place, official: Geography) -> list[Problem]:
    if territory.successor is not None or territory.name == place.name:
        return []
    former = official.former_town_names.get(place.code, ()) if place.level == "municipality" else ()
    if territory.name in former or territory.name in [f.name for f in territory.former_names]:
        hint = f"« {territory.name} » est un ancien nom : écrivez name: {place.name} et gardez l'ancien dans former_names, avec sa date et sa source"
    elif _loose(territory.name) == _loose(place.name):
        hint = f"écrivez le nom officiel exactement : name: {place.name}"
    elif len(same := official.named(place.level, territory.name)) == 1:
        hint = f'« {territory.name} » a le code « {same[0].code} » : écrivez code: "{same[0].code}"'
    else:
        hint = f"écrivez name: {place.name}, ou corrigez le code"
    return [document.problem((key, "name"), f"le code « {place.code} » est celui de « {place.name} », pas de « {territory.name} »", hint)]


def _parent(document: Document, key: str, territory: Any, place: Place, territories: Mapping[str, Any], places: Mapping[str, Place]) -> list[Problem]:
    """The parent officially contains the territory, and no territory of the base sits between them."""
    parent_key = territory.parent
    parent = territories.get(parent_key) if parent_key else None
    if parent is None:
        return []
    # The territories of the base that officially contain this one, the smallest first.
    around = sorted(
        (other for other, other_place in places.items() if other != key and _contains(other_place, place)),
        key=lambda other: (0 if places[other].level == "department" else 1, territories[other].successor is not None, other),
    )
    words = f"{_LEVEL[place.level].lower()} {place.code}"
    if parent_key in places and parent_key not in around:
        where = _officially_in(place)
        return [
            document.problem(
                (key, "parent"),
                f"« {parent.name} » ne contient pas « {territory.name} » ({words}), qui est {where} d'après le Code officiel géographique",
                f"écrivez parent: {around[0]}" if around else "corrigez « parent » ou « code »",
            )
        ]
    nearest = [other for other in around if places[other].level == places[around[0]].level and places[other].code == places[around[0]].code] if around else []
    if around and parent_key not in nearest:
        return [
            document.problem(
                (key, "parent"),
                f"« {territory.name} » est dans « {territories[around[0]].name} », qui figure dans la base : c'est son parent",
                f"écrivez parent: {around[0]} (le parent est le plus petit territoire englobant de la base)",
            )
        ]
    return []


def _loose(name: str) -> str:
    """A name without accents, case, hyphens or apostrophes: « Alpes Maritimes » is « Alpes-Maritimes » misspelt."""
    return " ".join(re.split(r"[\s\-'’]+", fold(name)))


def _officially_in(place: Place) -> str:
    if place.level == "municipality":
        return f"dans le département {place.department} (région {place.region})"
    if place.level == "department":
        return f"dans la région {place.region}"
    return "une région"
