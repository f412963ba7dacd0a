"""The base in figures (``/chiffres/``): sheets counted by theme, audience, evidence level, year and territory, agreements by year.

Each count is a ``Chart``: the rows of its data table (every row with its
links), the first of them drawn as horizontal bars, and a sentence computed
from the rows. The page's template draws each chart as inline SVG (``_chart.html.j2``):
no script, no colour written in it (CSS classes coloured by the theme's
variables, so both palettes work), the value written beside each bar.

Bounded whatever the size of the base: at most ``CHART_BARS`` bars a chart
(the rest summed up in one line, not a bar, since a sheet counts in several
themes or territories and their counts cannot be added), ``TABLE_ROWS`` rows a
table, ``YEAR_BARS`` years (older ones in one « avant … » bar).
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from babel.numbers import format_decimal, format_percent

from .evidence import LEVELS, marks, rank, search_uri
from .graph import Graph
from .history import sheet_date
from .labels import LABELS
from .slugs import fold

__all__ = [
    "CHART_BARS",
    "TABLE_ROWS",
    "YEAR_BARS",
    "Chart",
    "Drawing",
    "Link",
    "Row",
    "charts",
    "count_fr",
    "number_fr",
    "percent_fr",
]

CHART_BARS = 15
TABLE_ROWS = 100
YEAR_BARS = 20
# Agreements named in a row of the agreements' table, the rest counted.
AGREEMENTS_NAMED = 5
# Names given in a sentence (« « A », « B », « C » et 12 autres »).
NAMES_IN_SENTENCE = 3
# A sheet « known to work » has published follow-up figures or better (the rubric's third level).
MONITORED = rank("monitored")
# The anchor of the list of sheets on a territory's page (territory.md.j2's heading).
TERRITORY_LIST_ANCHOR = "pratiques-et-experimentations"
UNKNOWN_DATE = "date inconnue"

Name = Callable[[str, str], str]


def number_fr(value: int) -> str:
    """« 1 234 »: French digit grouping (a narrow no-break space, as CLDR has it)."""
    return format_decimal(value, locale="fr_FR")


def percent_fr(part: int, whole: int) -> str:
    """« 12 % »; « moins de 1 % » rather than a « 0 % » that would read as none."""
    if whole == 0:
        return format_percent(0, locale="fr_FR")
    if part and part * 100 < whole / 2:
        return "moins de " + format_percent(0.01, locale="fr_FR")
    return format_percent(part / whole, locale="fr_FR")


def _q(text: str) -> str:
    """« text », held to its guillemets by no-break spaces: a line never starts with « » »."""
    return f"«\u00a0{text}\u00a0»"


def count_fr(value: int, noun: str) -> str:
    """« 1 fiche », « 12 fiches », « 0 fiche » (French keeps zero singular)."""
    return f"{number_fr(value)}\u00a0{noun}{'s' if value > 1 else ''}"


def _quoted(names: Sequence[str], noun: str) -> str:
    """« « A » », « « A » et « B » », « « A », « B », « C » et 4 autres thèmes »."""
    shown = [_q(name) for name in names[:NAMES_IN_SENTENCE]]
    rest = len(names) - len(shown)
    if rest:
        return ", ".join(shown) + f" et {rest} autre{'s' if rest > 1 else ''} {noun}{'s' if rest > 1 else ''}"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " et " + shown[-1]


@dataclass(frozen=True)
class Link:
    """Words of a table cell, and where they lead (a docs-absolute link), if anywhere."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class Row:
    """One row of a chart's table, and one bar if it is among the drawn rows."""

    label: str
    value: int
    key: str = ""
    """The entry counted (a theme's id…), or the year; empty for a row of several (« avant 2006 »)."""
    href: str | None = None
    """Where the label leads: the entry's page."""
    count_href: str | None = None
    """Where the count leads: the sheets counted (the search filtered on the row, or the entry's list)."""
    cells: tuple[tuple[Link, ...], ...] = ()
    """The further columns' cells, each a few links or words."""
    marks: str = ""
    """Drawn before the label: an evidence level's marks (●●○○○), as every page shows a level."""


@dataclass(frozen=True)
class Shape:
    """One bar as drawn: lengths in em (of the chart's text), the bar's length in % of the chart's width."""

    lines: tuple[str, ...]
    label_y: tuple[float, ...]
    bar_y: float
    width: float
    value: str
    value_y: float


@dataclass(frozen=True)
class Drawing:
    """A chart's bars, its last line (what the rows not drawn hold) and its height, in em."""

    shapes: tuple[Shape, ...]
    rest: tuple[str, ...]
    rest_y: tuple[float, ...]
    height: float


# Layout of a drawn row, in em: label lines, then the bar with its value.
_LINE = 1.3
_BAR = 1.1
_GAP = 0.75
# Bars take at most this share of the width: the value is written after the longest.
_BAR_SPAN = 80.0
# Characters per label line: two lines of a chapter's title fit a phone's width.
_LABEL_WIDTH = 42


@dataclass(frozen=True)
class Chart:
    """A count along one dimension: its table, its bars, what it shows and what stands out."""

    id: str
    """Anchor of its section and prefix of its SVG ids."""
    title: str
    columns: tuple[str, ...]
    """Headers: the row's label, the count, then the further cells'."""
    rows: tuple[Row, ...]
    bars: int
    """The first ``bars`` rows are drawn."""
    rest: str
    """The chart's last line, saying what the rows not drawn hold; empty when every row is drawn."""
    more: Link | None
    """Under the table, when it leaves rows out: how many, and where they all are."""
    sentence: str
    """What it shows and what stands out, computed from the rows (plain text)."""
    note: str = ""
    """How it counts, when that needs saying (plain text)."""

    @property
    def drawn(self) -> tuple[Row, ...]:
        return self.rows[: self.bars]

    @property
    def alt(self) -> str:
        """The chart's text alternative: every drawn value, then what is left out."""
        if not self.drawn:
            return "Diagramme en barres horizontales, vide : rien à compter pour l'instant."
        values = " ; ".join(f"{row.label} : {number_fr(row.value)}" for row in self.drawn)
        rest = f" ; {self.rest}" if self.rest else ""
        return f"Diagramme en barres horizontales. {values}{rest}."

    def drawing(self) -> Drawing:
        top = max((row.value for row in self.drawn), default=0) or 1
        shapes, y = [], 0.0
        for row in self.drawn:
            lines = _lines(f"{row.marks} {row.label}" if row.marks else row.label, 2)
            bar_y = y + len(lines) * _LINE + 0.3
            # A bar too short to see still shows: its value is written beside it anyway.
            width = max(_BAR_SPAN * row.value / top, 0.5) if row.value else 0.0
            shapes.append(Shape(lines, _baselines(y, len(lines)), round(bar_y, 2), round(width, 2), number_fr(row.value), round(bar_y + 0.85, 2)))
            y = bar_y + _BAR + _GAP
        rest = _lines(self.rest, 3) if self.rest else ()
        height = y + len(rest) * _LINE + (0.4 if rest else 0.0)
        return Drawing(tuple(shapes), rest, _baselines(y, len(rest)), round(height, 2))


def _lines(text: str, most: int) -> tuple[str, ...]:
    """Text cut into lines a phone's width holds (SVG text does not wrap); past ``most`` lines, « … » (the table has it whole)."""
    return tuple(textwrap.wrap(text, _LABEL_WIDTH, max_lines=most, placeholder=" …")) or (text,)


def _baselines(top: float, count: int) -> tuple[float, ...]:
    return tuple(round(top + 1.0 + n * _LINE, 2) for n in range(count))


def _bounded(rows: Sequence[Row], noun: str, unit: str, everything: Link) -> tuple[int, str, tuple[Row, ...], Link | None]:
    """The bars drawn and the line for the rest; the rows of the table and the link for those left out."""
    bars = min(len(rows), CHART_BARS)
    hidden = rows[bars:]
    rest = ""
    if hidden:
        low, high = min(r.value for r in hidden), max(r.value for r in hidden)
        span = count_fr(high, unit) if low == high else f"de {number_fr(low)} à {count_fr(high, unit)}"
        rest = f"et {count_fr(len(hidden), noun)} de plus, {span} chacun (voir le tableau)"
    left = len(rows) - TABLE_ROWS
    more = Link(f"… et {count_fr(left, noun)} de plus : {everything.text}", everything.href) if left > 0 else None
    return bars, rest, tuple(rows[:TABLE_ROWS]), more


def charts(graph: Graph, name: Name) -> tuple[Chart, ...]:
    """The charts of /chiffres/, in the order of the page."""
    return (
        _entries_chart(graph, name, "themes", graph.by_theme, title="Fiches par thème"),
        _entries_chart(graph, name, "audiences", graph.by_audience, title="Fiches par public"),
        _levels_chart(graph),
        _years_chart(graph),
        _territories_chart(graph, name),
        _agreements_chart(graph, name),
    )


def _known(graph: Graph, pids: Iterable[str]) -> int:
    """How many of ``pids`` are followed up or evaluated (beyond « described »)."""
    return sum(rank(graph.kb.practices[pid].data.evidence.level) >= MONITORED for pid in pids)


def _entries_chart(graph: Graph, name: Name, collection: str, practices_of: Mapping[str, Sequence[str]], *, title: str) -> Chart:
    """Themes or audiences: sheets of each entry, and how many of them are followed up or evaluated."""
    kb = graph.kb
    spec = kb.registry[collection]
    noun = spec.noun
    facet = spec.facet or ""
    order = {key: n for n, key in enumerate(kb.collection(collection))}
    rows, unknown = [], []
    for key in sorted(order, key=lambda k: (-len(practices_of.get(k, ())), order[k])):
        pids = practices_of.get(key, ())
        known = _known(graph, pids)
        if pids and not known:
            unknown.append(name(collection, key))
        rows.append(
            Row(
                name(collection, key),
                len(pids),
                key=key,
                href=f"/{spec.page_uri(key)}",
                count_href=search_uri({facet: name(collection, key)}) if pids else None,
                cells=((Link(number_fr(known)),),),
            )
        )
    attached = {pid for key in order for pid in practices_of.get(key, ())}
    without = sum(1 for pid in kb.practices if pid not in attached)
    bars, rest, table, more = _bounded(rows, noun, "fiche", Link(f"tous les {noun}s", f"/{spec.index_uri}"))
    return Chart(
        id=spec.url,
        title=title,
        columns=(noun.capitalize(), "Fiches", f"{LABELS['evidence_level']['monitored']}s ou mieux"),
        rows=table,
        bars=bars,
        rest=rest,
        more=more,
        sentence=_entries_sentence(rows, noun, unknown, without),
        note=f"Une fiche peut relever de plusieurs {noun}s : elle est comptée dans chacun.",
    )


def _entries_sentence(rows: Sequence[Row], noun: str, unknown: Sequence[str], without: int) -> str:
    """The entry with the most sheets; the entries with no sheet followed up or evaluated, and with none at all; the sheets with no entry."""
    if not rows:
        return f"La base ne compte encore aucun {noun}."
    top = rows[0].value
    if top == 0:
        return f"Aucune fiche n'est encore rattachée à un {noun}."
    leaders = [row.label for row in rows if row.value == top]
    if len(leaders) == 1:
        parts = [f"Le {noun} qui compte le plus de fiches est {_q(leaders[0])} ({count_fr(top, 'fiche')})"]
    else:
        parts = [f"{_quoted(leaders, noun)} comptent le plus de fiches ({count_fr(top, 'fiche')} chacun)"]
    empty = [row.label for row in rows if row.value == 0]
    described = _q(LABELS["evidence_level"]["described"])
    if unknown and len(unknown) + len(empty) == len(rows):
        parts.append(f"aucun des {count_fr(len(rows), noun)} n'a de fiche au-delà de {described}")
    elif unknown:
        parts.append(f"{count_fr(len(unknown), noun)} sur {number_fr(len(rows))} {_verb(len(unknown))} aucune fiche au-delà de {described}")
    elif not empty:
        parts.append(f"chaque {noun} a au moins une fiche au-delà de {described}")
    if empty:
        parts.append(f"{_quoted(empty, noun)} {_verb(len(empty))} aucune fiche")
    if without:
        parts.append(f"{count_fr(without, 'fiche')} ne {'nomment' if without > 1 else 'nomme'} aucun {noun}")
    return " ; ".join(parts) + "."


def _verb(count: int) -> str:
    return "n'a" if count == 1 else "n'ont"


def _levels_chart(graph: Graph) -> Chart:
    kb = graph.kb
    label = LABELS["evidence_level"]
    counts = Counter(entry.data.evidence.level for entry in kb.practices.values())
    total = len(kb.practices)
    rows = tuple(
        Row(
            label[level],
            counts[level],
            key=level,
            href=f"/methode.md#{level}",
            count_href=search_uri({"preuve": label[level]}) if counts[level] else None,
            cells=((Link(percent_fr(counts[level], total)),),),
            marks=marks(level),
        )
        for level in LEVELS
    )
    return Chart(
        id="niveaux-de-preuve",
        title="Fiches par niveau de preuve",
        columns=("Niveau de preuve", "Fiches", "Part des fiches"),
        rows=rows,
        bars=len(rows),
        rest="",
        more=None,
        sentence=_levels_sentence(counts, total),
    )


def _levels_sentence(counts: Mapping[str, int], total: int) -> str:
    if total == 0:
        return "La base ne compte encore aucune fiche."
    label = LABELS["evidence_level"]
    low = sum(counts.get(level, 0) for level in LEVELS if rank(level) < MONITORED)
    if low == total:
        held = [f"{_q(label[level])} ({number_fr(counts[level])})" for level in LEVELS if counts.get(level)]
        where = f"toutes en sont à {' ou '.join(held)}" if len(held) > 1 else f"toutes en sont à {held[0]}"
        return f"Aucune des {count_fr(total, 'fiche')} n'est encore suivie ni évaluée : {where}."
    evaluated = sum(counts.get(level, 0) for level in LEVELS if rank(level) >= rank("evaluated"))
    verb = "vont" if low > 1 else "va"
    first = f"{count_fr(low, 'fiche')} sur {number_fr(total)} ({percent_fr(low, total)}) ne {verb} pas au-delà de {_q(label['described'])}"
    if evaluated:
        second = f"{number_fr(evaluated)} ({percent_fr(evaluated, total)}) {'sont évaluées' if evaluated > 1 else 'est évaluée'}"
    else:
        # Some sheet is beyond « described » (else the sentence above): the highest level reached.
        best = max((level for level in LEVELS if counts.get(level)), key=rank)
        second = f"aucune n'est encore évaluée ; le plus haut niveau atteint est {_q(label[best])} ({number_fr(counts[best])})"
    return f"{first} ; {second}."


def _year_rows(years: Counter[int | None], links: Callable[[Sequence[int]], tuple[tuple[Link, ...], ...]] | None = None) -> list[Row]:
    """One row per year from the last YEAR_BARS years up to the latest (empty years included: a gap in time shows),
    the years before them in one row, the undated last."""
    known = sorted(year for year in years if year is not None)
    rows = []
    if known:
        last = known[-1]
        first = max(known[0], last - YEAR_BARS + 1)
        before = [year for year in known if year < first]
        if before:
            rows.append(Row(f"avant {first}", sum(years[year] for year in before), cells=links(before) if links else ()))
        for year in range(first, last + 1):
            rows.append(Row(str(year), years.get(year, 0), key=str(year), cells=links([year]) if links else ()))
    if years.get(None):
        rows.append(Row(UNKNOWN_DATE, years[None], cells=links([]) if links else ()))
    return rows


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _years_chart(graph: Graph) -> Chart:
    kb = graph.kb
    years: Counter[int | None] = Counter(_year(sheet_date(entry.data)) for entry in kb.practices.values())
    rows = _year_rows(years)
    return Chart(
        id="annees",
        title="Fiches par année",
        columns=("Année", "Fiches"),
        rows=tuple(rows),
        bars=len(rows),
        rest="",
        more=None,
        sentence=_years_sentence(years, "fiche"),
        note=(
            "L'année d'une fiche est celle des faits qu'elle rapporte : l'année de la source qui donne son statut, "
            "à défaut celle de sa source datée la plus récente, à défaut l'année où l'action a commencé. "
            f"Une fiche sans aucune de ces dates est comptée en {_q(UNKNOWN_DATE)}."
        ),
    )


def _years_sentence(years: Counter[int | None], unit: str) -> str:
    known = {year: count for year, count in years.items() if year is not None}
    undated = years.get(None, 0)
    if not known:
        return f"Aucune {unit} n'est datée." if undated else f"La base ne compte encore aucune {unit}."
    top = max(known.values())
    peak = min(year for year, count in known.items() if count == top)
    latest = max(known)
    first = f"L'année qui compte le plus de {unit}s est {peak} ({count_fr(top, unit)})"
    if latest != peak:
        first += f" ; la plus récente est {latest} ({count_fr(known[latest], unit)})"
    else:
        first += ", la plus récente"
    if undated:
        first += f" ; {count_fr(undated, unit)} sans date"
    return first + "."


def _territories_chart(graph: Graph, name: Name) -> Chart:
    """Each territory with the sheets of the territories inside it (a region holds its towns'), as its page lists them."""
    kb = graph.kb
    spec = kb.registry["territories"]
    level = LABELS["territory_level"]
    held = {key: len(graph.by_territory_tree.get(key, ())) for key in kb.territories}
    order = sorted(held, key=lambda key: (-held[key], fold(name("territories", key)), key))
    rows = [
        Row(
            name("territories", key),
            held[key],
            key=key,
            href=f"/{spec.page_uri(key)}",
            count_href=f"/{spec.page_uri(key)}#{TERRITORY_LIST_ANCHOR}",
            cells=((Link(level[kb.territories[key].data.level]),), (Link(number_fr(len(graph.by_territory.get(key, ())))),)),
        )
        for key in order
        if held[key]
    ]
    empty = [name("territories", key) for key in sorted(order, key=lambda k: fold(name("territories", k))) if not held[key]]
    bars, rest, table, more = _bounded(rows, "territoire", "fiche", Link("tous les territoires", f"/{spec.index_uri}"))
    return Chart(
        id=spec.url,
        title="Fiches par territoire",
        columns=("Territoire", "Fiches", "Niveau", "Dont rattachées directement"),
        rows=table,
        bars=bars,
        rest=rest,
        more=more,
        sentence=_territories_sentence(graph, rows, empty),
        note="Un territoire compte ses fiches et celles des territoires qu'il comprend : une région, celles de ses départements et de ses communes.",
    )


def _territories_sentence(graph: Graph, rows: Sequence[Row], empty: Sequence[str]) -> str:
    kb = graph.kb
    total = len(kb.practices)
    if total == 0:
        return "La base ne compte encore aucune fiche."
    national = {key for key, entry in kb.territories.items() if entry.data.level == "national"}
    whole = sum(1 for entry in kb.practices.values() if national & set(entry.data.territories))
    if whole:
        parts = [f"{count_fr(whole, 'fiche')} sur {number_fr(total)} {'portent' if whole > 1 else 'porte'} sur tout le territoire national"]
    else:
        parts = [f"aucune des {count_fr(total, 'fiche')} ne porte sur tout le territoire national"]
    local = [row for row in rows if row.key not in national]
    if local:
        top = local[0].value
        leaders = [row.label for row in local if row.value == top]
        verb = "compte" if len(leaders) == 1 else "comptent"
        parts.append(f"hors échelle nationale, {_quoted(leaders, 'territoire')} en {verb} le plus ({count_fr(top, 'fiche')})")
    if empty:
        verb = "n'a" if len(empty) == 1 else "n'ont"
        parts.append(f"{count_fr(len(empty), 'territoire')} de la base {verb} aucune fiche : {_quoted(empty, 'territoire')}")
    sentence = " ; ".join(parts) + "."
    return sentence[0].upper() + sentence[1:]


def _agreements_chart(graph: Graph, name: Name) -> Chart:
    kb = graph.kb
    spec = kb.registry["agreements"]
    by_year: dict[int, list[str]] = {}
    for key in sorted(kb.agreements, key=lambda k: (kb.agreements[k].data.signed, k)):
        by_year.setdefault(int(kb.agreements[key].data.signed[:4]), []).append(key)
    years: Counter[int | None] = Counter({year: len(keys) for year, keys in by_year.items()})

    def named(years_of_row: Sequence[int]) -> tuple[tuple[Link, ...], ...]:
        keys = [key for year in years_of_row for key in by_year.get(year, ())]
        links = [Link(name("agreements", key), f"/{spec.page_uri(key)}") for key in keys[:AGREEMENTS_NAMED]]
        if len(keys) > AGREEMENTS_NAMED:
            links.append(Link(f"et {len(keys) - AGREEMENTS_NAMED} de plus", f"/{spec.index_uri}"))
        return (tuple(links),)

    rows = _year_rows(years, named)
    return Chart(
        id=spec.url,
        title="Conventions par année de signature",
        columns=("Année", "Conventions", "Lesquelles"),
        rows=tuple(rows),
        bars=len(rows),
        rest="",
        more=None,
        sentence=_years_sentence(years, "convention"),
    )
