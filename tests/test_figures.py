"""/chiffres/: each count equals the sheets, each table equals its chart, each sentence follows the data."""

from __future__ import annotations

import html
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from knowledge import Graph, build_pages, link, load_knowledge_base, sanitize_html
from knowledge.figures import CHART_BARS, TABLE_ROWS, YEAR_BARS, Chart, Link, Row, _bounded, _year_rows, charts, number_fr, percent_fr
from knowledge.history import sheet_date
from knowledge.labels import LABELS
from knowledge.render import _naming

from .conftest import ROOT

REAL = ROOT / "practices"


def _charts(graph: Graph) -> dict[str, Chart]:
    return {chart.id: chart for chart in charts(graph, _naming(graph)[0])}


@pytest.fixture(scope="module")
def real() -> Graph:
    return link(load_knowledge_base(REAL))


@pytest.fixture(scope="module")
def page() -> str:
    return {p.uri: p.content for p in build_pages(REAL)}["chiffres.md"]


def _values(chart: Chart) -> dict[str, int]:
    return {row.key: row.value for row in chart.rows}


# ---- Counts ----------------------------------------------------------------


def test_each_count_is_the_number_of_sheets_that_say_so(real: Graph) -> None:
    kb = real.kb
    sheets = [entry.data for entry in kb.practices.values()]
    found = _charts(real)
    # Counted from the sheets themselves, not from the graph the page uses.
    themes = Counter(theme for p in sheets for theme in p.themes)
    assert _values(found["guide"]) == {key: themes[key] for key in kb.themes}
    audiences = Counter(audience for p in sheets for audience in p.audiences)
    assert _values(found["publics"]) == {key: audiences[key] for key in kb.audiences}
    levels = Counter(p.evidence.level for p in sheets)
    assert _values(found["niveaux-de-preuve"]) == {level: levels[level] for level in LABELS["evidence_level"]}
    assert sum(_values(found["niveaux-de-preuve"]).values()) == len(sheets)


def test_a_territory_counts_the_sheets_of_the_territories_inside_it(real: Graph) -> None:
    kb = real.kb

    def around(key: str) -> set[str]:
        chain = {key}
        while parent := kb.territories[key].data.parent:
            chain.add(parent)
            key = parent
        return chain

    held = Counter(place for entry in kb.practices.values() for place in set().union(*(around(t) for t in entry.data.territories)))
    rows = _charts(real)["territoires"].rows
    assert {row.key: row.value for row in rows} == {key: count for key, count in held.items() if count}
    # A region of the real content holds the sheets of a town inside it.
    assert held["france"] == len(kb.practices) > held["alpes-maritimes"] > 0
    # Sorted by count, the largest first.
    assert [row.value for row in rows] == sorted((row.value for row in rows), reverse=True)


def test_years_count_every_sheet_once_and_the_undated_apart(real: Graph) -> None:
    kb = real.kb
    years = Counter(sheet_date(entry.data) and sheet_date(entry.data)[:4] for entry in kb.practices.values())  # type: ignore[index]
    rows = _charts(real)["annees"].rows
    assert sum(row.value for row in rows) == len(kb.practices)
    assert rows[-1].label == "date inconnue" and rows[-1].value == years[None] > 0
    dated = {row.key: row.value for row in rows[:-1]}
    assert {year: count for year, count in dated.items() if count} == {year: count for year, count in years.items() if year}
    # Every year between the first and the last is a row: a gap in time shows as a 0.
    assert [int(year) for year in dated] == list(range(int(min(dated)), int(max(dated)) + 1))
    assert 0 in dated.values()


def test_agreements_are_counted_by_the_year_they_were_signed(real: Graph) -> None:
    kb = real.kb
    signed = Counter(entry.data.signed[:4] for entry in kb.agreements.values())
    chart = _charts(real)["conventions"]
    assert {row.key: row.value for row in chart.rows if row.value} == dict(signed)
    # Each year names its agreements, linked to their pages.
    for row in chart.rows:
        links = row.cells[0]
        assert len(links) == row.value
        assert all(link.href and link.href.startswith("/conventions/") for link in links)


# ---- The page: chart, table, sentence --------------------------------------

_SECTION = re.compile(r"^## (.+?)\n(.*?)(?=^## |\Z)", re.S | re.M)


def _sections(page: str) -> dict[str, str]:
    return {title: body.lstrip("\n") for title, body in _SECTION.findall(page)}


def _drawn(section: str) -> list[tuple[str, str]]:
    """(label, value) of each bar of a section's SVG, its label's lines joined."""
    rows = re.findall(r'<g class="kb-chart__row">\n(.*?)</g>', section, re.S)
    found = []
    for row in rows:
        label = " ".join(html.unescape(text) for text in re.findall(r'class="kb-chart__label"[^>]*>([^<]*)<', row))
        value = re.search(r'class="kb-chart__value"[^>]*>([^<]*)<', row)
        assert value
        found.append((label, value.group(1)))
    return found


def _table(section: str) -> list[tuple[str, str]]:
    """(label, count) of each row of a section's table, links and Markdown escapes taken off."""
    rows = re.findall(r"^\| (?!---)(.+?) \| (.+?) \|", section.split("<summary>", 1)[1], re.M)[1:]  # the header first

    def words(cell: str) -> str:
        cell = re.sub(r"\[(.*?)\]\([^)]*\)", r"\1", cell)
        return html.unescape(re.sub(r"\\(.)", r"\1", cell))

    return [(words(label), words(count)) for label, count in rows]


def test_the_table_under_each_chart_holds_the_drawn_bars_first(page: str) -> None:
    sections = _sections(page)
    checked = 0
    for title, section in sections.items():
        if "<svg" not in section:
            continue
        drawn, table = _drawn(section), _table(section)
        assert drawn, title
        # The marks of an evidence level are drawn before its words; the words are the table's.
        assert [(re.sub(r"^[●○]+ ", "", label), value) for label, value in drawn] == table[: len(drawn)], title
        # The text alternative gives the same values.
        desc = html.unescape(re.search(r"<desc[^>]*>(.*?)</desc>", section, re.S).group(1))  # type: ignore[union-attr]
        for label, value in table[: len(drawn)]:
            assert f"{label} : {value}" in desc, (title, label)
        checked += 1
    assert checked == 6


def test_the_sentences_say_what_stands_out_in_the_real_content(page: str) -> None:
    sections = _sections(page)
    nbsp = "\u00a0"
    levels, years = sections["Fiches par niveau de preuve"], sections["Fiches par année"]
    held = f"«{nbsp}Annoncée{nbsp}» (9) ou «{nbsp}Décrite par ses acteurs{nbsp}» (11)"
    assert levels.startswith(f"Aucune des 20{nbsp}fiches n'est encore suivie ni évaluée : toutes en sont à {held}.\n")
    assert f"2{nbsp}territoires de la base n'ont aucune fiche : «{nbsp}Corse{nbsp}» et «{nbsp}Poitiers{nbsp}»." in sections["Fiches par territoire"]
    assert years.startswith(
        f"L'année qui compte le plus de fiches est 2014 (7{nbsp}fiches) ; la plus récente est 2017 (5{nbsp}fiches) ; 6{nbsp}fiches sans date."
    )
    assert "Une fiche sans aucune de ces dates est comptée en" in sections["Fiches par année"]


def test_the_sentences_follow_the_sheets(tmp_path: Path) -> None:
    # One sheet evaluated, one made recent: the sentences change with them, nothing is written in advance.
    practices = tmp_path / "practices"
    shutil.copytree(REAL, practices)
    sheet = practices / "etape-ciste.yml"
    text = sheet.read_text(encoding="utf-8")
    assert "  level: described\n" in text and "    date: 2007-12-14\n" in text
    sheet.write_text(text.replace("  level: described\n", "  level: evaluated\n").replace("    date: 2007-12-14\n", "    date: 2025-12-14\n"), encoding="utf-8")
    graph = link(load_knowledge_base(practices))
    found = _charts(graph)
    nbsp = "\u00a0"
    described = f"«{nbsp}Décrite par ses acteurs{nbsp}»"
    assert found["niveaux-de-preuve"].sentence == f"19{nbsp}fiches sur 20 (95{nbsp}%) ne vont pas au-delà de {described} ; 1 (5{nbsp}%) est évaluée."
    themes = graph.kb.practices["etape-ciste"].data.themes
    assert f"{len(graph.kb.themes) - len(themes)}{nbsp}thèmes sur {len(graph.kb.themes)} n'ont aucune fiche au-delà de" in found["guide"].sentence
    assert found["annees"].sentence.startswith(f"L'année qui compte le plus de fiches est 2014 (7{nbsp}fiches) ; la plus récente est 2025 (1{nbsp}fiche)")
    evaluated = next(row for row in found["guide"].rows if row.key == themes[0])
    assert evaluated.cells[0][0].text == "1"


def test_every_territory_holding_sheets_links_to_its_page(real: Graph, page: str) -> None:
    section = _sections(page)["Fiches par territoire"]
    holding = [key for key in real.kb.territories if real.by_territory_tree.get(key)]
    assert len(holding) >= 4
    for key in holding:
        name = real.kb.territories[key].data.name
        count = len(real.by_territory_tree[key])
        assert f"| [{name}](/territoires/{key}.md) | [{count}](/territoires/{key}.md#pratiques-et-experimentations) |" in section, key


def test_counts_lead_to_the_sheets_they_count(page: str) -> None:
    sections = _sections(page)
    assert "[5](/recherche.md?theme=Coop%C3%A9ration%20territoriale%20et%20diagnostic%20partag%C3%A9)" in sections["Fiches par thème"]
    assert "[11](/recherche.md?preuve=D%C3%A9crite%20par%20ses%20acteurs)" in sections["Fiches par niveau de preuve"]
    # A count of 0 leads nowhere.
    assert "| [Suivie](/methode.md#monitored) | 0 |" in sections["Fiches par niveau de preuve"]


def test_the_sanitiser_keeps_the_chart(page: str) -> None:
    figure = re.search(r"<figure.*?</figure>", page, re.S).group(0)  # type: ignore[union-attr]
    clean = sanitize_html(figure)
    names = ('role="img"', 'aria-labelledby="kb-chart-guide-titre"', 'aria-describedby="kb-chart-guide-desc"', "<title", "<desc")
    for kept in (*names, 'width="80.0%"', 'dx="0.4em"', 'height="1.1em"'):
        assert kept in clean, kept
    assert clean.count("<rect") == figure.count("<rect") == 15
    assert sanitize_html(figure.replace('<rect class="kb-chart__bar"', '<rect onclick="alert(1)" class="kb-chart__bar"')).count("onclick") == 0


def test_a_hostile_name_stays_text_in_the_chart_and_the_table(small_kb: Path) -> None:
    themes = small_kb / "reference" / "themes.yml"
    hostile = '<script>alert(1)</script> & "Parrainage" *gras* [lien](javascript:x)'
    themes.write_text(themes.read_text(encoding="utf-8").replace("title: Parrainage", f"title: '{hostile}'"), encoding="utf-8")
    page = {p.uri: p.content for p in build_pages(small_kb)}["chiffres.md"]
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Parrainage&quot; *gras* [lien](javascript:x)"
    section = _sections(page)["Fiches par thème"]
    # In the SVG (raw HTML, where Markdown is not read): HTML-escaped; in the table: Markdown-escaped too.
    assert escaped in section.split("</figure>")[0]
    assert '&lt;script&gt;alert(1)&lt;/script&gt; &amp; "Parrainage" \\*gras\\* \\[lien\\](javascript:x)' in section.split("<summary>")[1]
    assert "<script" not in page


# ---- Bounds ------------------------------------------------------------------


def test_a_long_list_draws_the_first_bars_and_sums_up_the_rest() -> None:
    rows = [Row(f"Thème {n}", 200 - n, key=str(n)) for n in range(150)]
    everything = Link("tous les thèmes", "/guide/index.md")
    bars, rest, table, more = _bounded(rows, "thème", "fiche", everything)
    assert bars == CHART_BARS
    assert rest == f"et 135{chr(0xA0)}thèmes de plus, de 51 à 185{chr(0xA0)}fiches chacun (voir le tableau)"
    assert len(table) == TABLE_ROWS
    assert more is not None and more.href == everything.href and more.text.startswith("… et 50")


def test_old_years_are_one_bar_and_the_undated_the_last() -> None:
    counts: dict[int | None, int] = {1990: 2, 1999: 1, None: 4}
    counts.update(dict.fromkeys(range(2006, 2026), 3))
    years = Counter(counts)
    rows = _year_rows(years)
    assert [row.label for row in rows][:2] == ["avant 2006", "2006"]
    assert rows[0].value == 3
    assert len(rows) == YEAR_BARS + 2
    assert (rows[-1].label, rows[-1].value) == ("date inconnue", 4)


def test_bars_are_drawn_to_scale_and_labels_fit_a_phone(real: Graph) -> None:
    chart = _charts(real)["guide"]
    drawing = chart.drawing()
    assert drawing.shapes[0].width == 80.0
    top = chart.rows[0].value
    for row, shape in zip(chart.drawn, drawing.shapes, strict=True):
        assert shape.width == pytest.approx(80 * row.value / top, abs=0.01)
        assert 1 <= len(shape.lines) <= 2 and all(len(line) <= 42 for line in shape.lines)
        assert " ".join(shape.lines) == row.label
    level = _charts(real)["niveaux-de-preuve"].drawing()
    assert [shape.width for shape in level.shapes][2:] == [0.0, 0.0, 0.0]  # no bar for none, the 0 written


def test_numbers_are_written_in_french() -> None:
    assert number_fr(1234) == "1\u202f234"
    assert number_fr(10000) == "10\u202f000"
    assert percent_fr(1, 3) == "33\u00a0%"
    assert percent_fr(1, 1000) == "moins de 1\u00a0%"
    assert percent_fr(0, 1000) == "0\u00a0%"
