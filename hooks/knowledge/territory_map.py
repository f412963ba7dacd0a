"""What the map of /carte/ and the territory pages' locator maps show: areas, counts and links.

An area (a region or a department of today) holds the sheets of the
territories of the base located in it, by their official code: the region
itself, its departments, its towns, a former region it succeeded; each with
the territories the base puts inside it (``Graph.by_territory_tree``, the same
descendants as the territory pages and feeds). A sheet is counted once per
area. An area links to its own territory page, or, when the base has no page
for it but exactly one of its territories holds sheets, to that one (its
title says so). The list under the map gives the same areas, counts and links,
without JavaScript and to screen readers.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from .geo import GEOMETRY_NAME, Area, Drawing, GeometryMismatch, draw
from .graph import Graph
from .official import DATASET_NAME, Geography, OfficialDataMissing, Place, geography
from .slugs import fold
from .territory_codes import official_place

__all__ = ["Branch", "Locator", "MapArea", "MapDataMissing", "TerritoryMap", "page_url", "territory_map"]

# Territories without an official code are listed under the map up to this many; the rest are counted.
UNPLACED_LIMIT = 30


class MapDataMissing(Exception):
    """The outlines or the official lists are not installed, or do not agree: said in French."""


@dataclass(frozen=True)
class MapArea:
    """A region or a department as the map shows it."""

    level: str  # « region » or « department »
    area: Area
    count: int
    # The territories of the base located in this area that hold sheets, the widest first.
    holders: tuple[str, ...]
    link: str | None  # id of the territory whose page the area opens
    own: bool  # ``link`` is the area's own territory (not one inside it)
    # Sheets of territories at the area's own level (a region, a former region): the region shows its count.
    badge: bool = True
    # Approaches born elsewhere that reached a territory in this area (presented, taken up, or planned).
    arrivals: int = 0

    @property
    def code(self) -> str:
        return self.area.code

    @property
    def name(self) -> str:
        return self.area.name


@dataclass(frozen=True)
class Branch:
    """A line of the list under the map: an area, the territories of the base in it, its departments."""

    area: MapArea
    territories: tuple[str, ...]  # holding sheets, other than the area's own territory, widest first
    departments: tuple[Branch, ...] = ()


@dataclass(frozen=True)
class Locator:
    """A territory page's small map: France's regions with one area highlighted."""

    drawing: Drawing
    highlight: Area
    caption: str


@dataclass(frozen=True)
class TerritoryMap:
    """Everything the map pages need, made once per build."""

    official: Geography
    drawing: Drawing
    small: Drawing
    regions: tuple[MapArea, ...]
    departments: Mapping[str, tuple[MapArea, ...]]  # region code → its departments holding sheets or with a page
    all_departments: tuple[MapArea, ...]
    places: Mapping[str, Place]  # territory id → where it is officially
    located: Mapping[str, tuple[str, ...]]  # area key (« region:94 », « department:06 ») → territories there
    national: tuple[str, ...]  # territories without an area: France
    unplaced: tuple[str, ...]  # territories holding sheets without an official code
    former: frozenset[str]  # territories that no longer exist (placed where their successor is)
    sources: tuple[str, str]  # (outlines package, official lists package), with their versions

    def outline(self) -> tuple[Branch, ...]:
        """The list under the map: each region holding sheets, its territories, its departments and theirs."""

        def others(area: MapArea, level: str) -> tuple[str, ...]:
            own = area.link if area.own else None
            return tuple(k for k in area.holders if k != own and self.places[k].level == level)

        branches = []
        for region in self.regions:
            if not region.count and not region.own and not region.arrivals:
                continue
            departments = tuple(Branch(d, tuple(k for k in d.holders if not (d.own and k == d.link))) for d in self.departments.get(region.code, ()))
            branches.append(Branch(region, others(region, "region"), departments))
        return tuple(branches)

    def locator(self, territory_id: str) -> Locator | None:
        """The locator map of a territory: its region or department highlighted (a town: its department)."""
        place = self.places.get(territory_id)
        if place is None:
            return None
        if place.level == "region":
            area = self.small.regions[place.code]
            if territory_id in self.former:
                return Locator(self.small, area, f"Aujourd'hui dans la région {area.name} (code {area.code}).")
            return Locator(self.small, area, f"Région {area.name} (code {area.code}).")
        department = self.small.departments.get(str(place.department))
        if department is None:
            return None
        region = self.official.places["region"][str(place.region)].name
        if place.level == "department":
            return Locator(self.small, department, f"Département {department.name} ({department.code}), région {region}.")
        return Locator(self.small, department, f"Commune du département {department.name} ({department.code}), région {region}.")


def page_url(uri: str, from_uri: str) -> str:
    """The address of page ``uri`` (« territoires/corse.md ») relative to page ``from_uri`` (« carte.md »),
    as MkDocs publishes them (« ../territoires/corse/ »): links inside the map's SVG are raw HTML,
    which MkDocs does not rewrite."""

    def folder(page: str) -> str:
        stem = page.removesuffix(".md")
        return "" if stem in ("index", "") else stem.removesuffix("/index") + "/"

    target, here = folder(uri), folder(from_uri)
    relative = posixpath.relpath(target or ".", here or ".")
    return "./" if relative == "." else relative + "/"


def _area_keys(place: Place) -> list[str]:
    """The map areas a place lies in: its region, and its department unless it is a region."""
    keys = [f"region:{place.code if place.level == 'region' else place.region}"]
    if place.level != "region":
        keys.append(f"department:{place.department}")
    return keys


@cache
def _drawings() -> tuple[Drawing, Drawing]:
    """The map and the locator of today's official geography: the same for every build of a
    ``mkdocs serve`` session, drawn once (0.3–0.5 s)."""
    official = geography()
    return draw(official), draw(official, detail="locator")


def territory_map(graph: Graph, official: Geography | None = None, drawings: tuple[Drawing, Drawing] | None = None) -> TerritoryMap:
    """The areas, counts and links of the map, from the graph and the drawings (made here when not given)."""
    try:
        drawing, small = drawings or (_drawings() if official is None else (draw(official), draw(official, detail="locator")))
        official = official or geography()
    except (OfficialDataMissing, FileNotFoundError) as error:
        raise MapDataMissing(
            f"La carte ne peut pas être dessinée : les paquets npm {DATASET_NAME} et {GEOMETRY_NAME} ne sont pas installés ({error}). "
            "Lancez « npm ci » à la racine du dépôt (make build et make serve le font)."
        ) from None
    except GeometryMismatch as error:
        raise MapDataMissing(f"La carte ne peut pas être dessinée : {error}. Vérifiez les versions de package-lock.json.") from None
    kb = graph.kb
    tree = graph.by_territory_tree
    places: dict[str, Place] = {}
    for key, entry in kb.territories.items():
        place = official_place(entry.data, official)
        if place is not None:
            places[key] = place
    located: dict[str, list[str]] = {}
    for key, place in places.items():
        for area_key in _area_keys(place):
            located.setdefault(area_key, []).append(key)
    # Widest first (a region before its towns), then by name.
    rank = {"region": 0, "department": 1, "municipality": 2}

    def order(keys: list[str]) -> tuple[str, ...]:
        return tuple(sorted(keys, key=lambda k: (rank.get(places[k].level, 3), fold(kb.territories[k].data.name), k)))

    def area(level: str, drawn: Area) -> MapArea:
        keys = order(located.get(f"{level}:{drawn.code}", []))
        holders = tuple(k for k in keys if tree.get(k))
        sheets = {pid for k in keys for pid in tree.get(k, ())}
        own = next((k for k in keys if places[k].level == level and places[k].code == drawn.code and kb.territories[k].data.successor is None), None)
        # Without a page of its own, an area opens the one territory of its own level holding its sheets
        # (a region, the former region it succeeded; a department, its one town): never a page a smaller area opens.
        alone = [k for k in holders if places[k].level == level or (level == "department" and places[k].level == "municipality")]
        link = own or (alone[0] if len(alone) == 1 and len(holders) == 1 else None)
        badge = level == "department" or any(places[k].level == "region" for k in holders)
        arrived = {pid for k in keys for pid in graph.spread_to.get(k, ())}
        return MapArea(level, drawn, len(sheets), holders, link, own is not None, badge, len(arrived))

    regions = tuple(area("region", drawn) for drawn in sorted(drawing.regions.values(), key=lambda a: fold(a.name)))
    all_departments = tuple(area("department", drawn) for drawn in drawing.departments.values())
    by_region: dict[str, list[MapArea]] = {}
    for department in sorted(all_departments, key=lambda a: a.code):
        if department.count or department.own or department.arrivals:
            by_region.setdefault(str(official.places["department"][department.code].region), []).append(department)
    national = tuple(k for k, e in kb.territories.items() if e.data.level == "national" and tree.get(k))
    unplaced = tuple(
        sorted(
            (k for k, e in kb.territories.items() if k not in places and e.data.level != "national" and tree.get(k)),
            key=lambda k: fold(kb.territories[k].data.name),
        )
    )
    return TerritoryMap(
        official,
        drawing,
        small,
        regions,
        {code: tuple(items) for code, items in by_region.items()},
        all_departments,
        places,
        {key: order(keys) for key, keys in located.items()},
        national,
        unplaced,
        frozenset(k for k, e in kb.territories.items() if e.data.successor is not None),
        (drawing.source, f"{DATASET_NAME} {official.version}"),
    )
