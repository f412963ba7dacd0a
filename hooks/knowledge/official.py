"""The official list of French regions, departments and towns: codes, names and hierarchy.

Read from the npm package ``@etalab/decoupage-administratif`` (Etalab, data
under the Licence Ouverte 2.0, made from the Insee's Code officiel
géographique), installed by ``npm ci`` beside the repository's other node
packages and pinned by package-lock.json. Territories' codes, names and
parents are checked against it (``rules.territory_codes``), and the map places
territories by it (``territory_map``).

The lists describe France today: a region merged in 2016 or a town renamed
since is not in them under its former name; see ``Territory.successor`` and
``Territory.former_names``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["DATASET", "DATASET_NAME", "LEVELS", "NODE_MODULES", "Geography", "OfficialDataMissing", "Place", "geography"]

# The repository's node_modules, beside hooks/ (npm ci installs it there).
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
DATASET_NAME = "@etalab/decoupage-administratif"
DATASET = NODE_MODULES / DATASET_NAME

# The territory levels the lists give, by the name of their file.
LEVELS = {"region": "regions", "department": "departements", "municipality": "communes"}


class OfficialDataMissing(Exception):
    """The official lists are not installed (no ``npm ci`` yet)."""


@dataclass(frozen=True)
class Place:
    """One entry of the official lists."""

    level: str
    code: str
    name: str
    department: str | None = None
    region: str | None = None
    # Overseas departments and regions (« drom »), metropolitan France (« metro »), other overseas (« com »).
    zone: str = "metro"


@dataclass(frozen=True)
class Geography:
    """Today's regions, departments and towns by code, and the former names the lists keep."""

    version: str
    places: Mapping[str, Mapping[str, Place]]
    # Town code → names of the communes déléguées or associées bearing the same code
    # (a town merged into a commune nouvelle keeps its name there: Cherbourg-Octeville in Cherbourg-en-Cotentin).
    former_town_names: Mapping[str, tuple[str, ...]]

    def find(self, level: str, code: str) -> Place | None:
        return self.places.get(level, {}).get(code)

    def levels_of(self, code: str) -> list[str]:
        """The levels at which ``code`` exists (« 75 » is a region and a department)."""
        return [level for level, places in self.places.items() if code in places]

    def named(self, level: str, name: str) -> list[Place]:
        return [place for place in self.places.get(level, {}).values() if place.name == name]


def _read(path: Path) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _place(level: str, raw: Mapping[str, object]) -> Place:
    def text(key: str) -> str | None:
        value = raw.get(key)
        return str(value) if value is not None else None

    # A department is its own department: places compare by department and region whatever their level.
    department = str(raw["code"]) if level == "department" else text("departement")
    return Place(level, str(raw["code"]), str(raw["nom"]), department, text("region"), str(raw.get("zone") or "metro"))


@cache
def geography(root: Path = DATASET) -> Geography:
    """The official lists, read once per process (they are data, the same for every build)."""
    data = root / "data"
    if not (data / "regions.json").is_file():
        raise OfficialDataMissing(str(root))
    version = str(json.loads((root / "package.json").read_text(encoding="utf-8")).get("version", ""))
    places: dict[str, dict[str, Place]] = {}
    former: dict[str, list[str]] = {}
    for level, file in LEVELS.items():
        places[level] = {}
        for raw in _read(data / f"{file}.json"):
            kind = raw.get("type", "commune-actuelle")
            if kind == "commune-actuelle" or level != "municipality":
                place = _place(level, raw)
                places[level][place.code] = place
            elif kind in ("commune-deleguee", "commune-associee"):
                former.setdefault(str(raw["code"]), []).append(str(raw["nom"]))
    return Geography(version, places, {code: tuple(names) for code, names in former.items()})
