"""The printed editions: the guide as one PDF, and the practice cards with their QR codes.

Read back as a reader's tools read them: the text that pypdf extracts, the
bookmarks, the pages rasterised by PDFium and the QR codes decoded by zxing-cpp.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]
import pytest
import zxingcpp
from pypdf import PdfReader
from pypdf.generic import Destination

from knowledge import Graph, link, load_knowledge_base
from knowledge.pdf import CARDS_URI, GUIDE_URI, TEMPLATES, Edition, PdfError, build_editions
from knowledge.pdf_content import french_spacing, practice_address, sheet_order
from knowledge.pdf_markdown import markdown_tree

from .conftest import FIXTURES, ROOT
from .helpers import mkdocs_build

SITE_URL = "https://reseaux-emploi.github.io/bonnes-pratiques/"
SITE_NAME = "Bonnes pratiques des réseaux de l'emploi"
TODAY = dt.date(2026, 11, 25)


def editions(practices: Path, cache: Path) -> tuple[Graph, dict[str, Edition]]:
    graph = link(load_knowledge_base(practices))
    return graph, build_editions(graph, cache=cache, site_url=SITE_URL, site_name=SITE_NAME, today=TODAY)


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, dict[str, Edition]]:
    return editions(ROOT / "practices", tmp_path_factory.mktemp("pdf-cache"))


def plain(text: str) -> str:
    """Text as compared: the typography of the PDF, every run of spaces (line breaks, no-break spaces) as one space."""
    return " ".join(french_spacing(text).replace("\u00a0", " ").replace("\u202f", " ").split())


def pages_text(path: Path) -> list[str]:
    return [plain(page.extract_text()) for page in PdfReader(path).pages]


def bookmarks(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: Sequence[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                assert isinstance(item, Destination)
                index = reader.get_destination_page_number(item)
                assert index is not None, item.title
                found.append((depth, plain(str(item.title)), index + 1))

    walk(reader.outline, 0)
    return found


# ---------------------------------------------------------------------------- the guide


def test_the_guide_holds_every_chapter_and_sheet_title_in_order_on_its_page(real: tuple[Graph, dict[str, Edition]]) -> None:
    graph, made = real
    kb = graph.kb
    reader = PdfReader(made["guide"].path)
    text = pages_text(made["guide"].path)
    marks = bookmarks(reader)
    chapters = [(title, page) for depth, title, page in marks if depth == 0 and re.match(r"\d+\. ", title)]
    _, order = sheet_order(graph)
    # Every chapter, in the order of themes.yml, each on the page its bookmark gives.
    assert [title for title, _ in chapters] == [plain(f"{n}. {t.data.title}") for n, t in enumerate(kb.themes.values(), start=1)]
    for title, page in chapters:
        assert title in text[page - 1], (title, page)
    # Every sheet once, under its chapter, in the guide's order, its title on its page after its chapter's.
    sheets = [(title, page) for depth, title, page in marks if depth == 1]
    assert [title for title, _ in sheets] == [plain(kb.practices[pid].data.title) for pid in order]
    assert len(order) == len(kb.practices)
    pages = [page for _, page in sheets]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)
    for pid, (title, page) in zip(order, sheets, strict=True):
        assert title in text[page - 1], (title, page)
        assert plain(practice_address(graph, SITE_URL, pid)).replace(" ", "") in "".join(text[page - 1 :]).replace(" ", "")


def test_the_guide_has_a_cover_contents_manifesto_and_numbered_pages(real: tuple[Graph, dict[str, Edition]]) -> None:
    graph, made = real
    text = pages_text(made["guide"].path)
    assert "Le guide des bonnes pratiques" in text[0] and SITE_URL in text[0].replace(" ", "")
    assert text[1].startswith("Sommaire") or "Sommaire" in text[1]
    manifesto = plain(graph.kb.manifesto.data.title)
    assert any(manifesto in page and "Ce que montrent les pratiques" in page for page in text)
    # Every page after the cover carries its number at its foot (the last text PDFium reads on the page).
    for number, page in enumerate(text[1:], start=2):
        assert page.endswith(str(number)), (number, page[-80:])


def test_the_contents_and_the_chapter_lists_give_the_pages_where_things_are(real: tuple[Graph, dict[str, Edition]]) -> None:
    graph, made = real
    reader = PdfReader(made["guide"].path)
    text = pages_text(made["guide"].path)
    marks = {title: page for _, title, page in bookmarks(reader)}
    contents = text[1]
    for n, theme in enumerate(graph.kb.themes.values(), start=1):
        title = plain(f"{n}. {theme.data.title}")
        # « 3. Parrainage senior . . . . 11 »
        found = re.search(re.escape(title) + r"[ .]*?(\d+)(?: |$)", contents)
        assert found, title
        assert int(found.group(1)) == marks[title], title
    # A chapter's opening lists each of its sheets with the page its bookmark gives.
    tid, listed = next((tid, pids) for tid, pids in graph.by_theme.items() if len(pids) > 1)
    chapter_title = plain(f"{list(graph.kb.themes).index(tid) + 1}. {graph.kb.themes[tid].data.title}")
    opening = text[marks[chapter_title] - 1]
    for pid in listed:
        title = plain(graph.kb.practices[pid].data.title)
        found = re.search(re.escape(title) + r".*?[ .]+(\d+)(?: |$)", opening)
        assert found and int(found.group(1)) == marks[title], (title, opening)


def test_a_sheet_says_its_evidence_level_in_words_and_its_sources(real: tuple[Graph, dict[str, Edition]]) -> None:
    graph, made = real
    reader = PdfReader(made["guide"].path)
    text = pages_text(made["guide"].path)
    marks = {title: page for _, title, page in bookmarks(reader)}
    pid = "parrainage-senior-face-ave"
    p = graph.kb.practices[pid].data
    page = text[marks[plain(p.title)] - 1]
    assert "Niveau de preuve ●●○○○ Décrite par ses acteurs (niveau 2 sur 5)" in page
    assert plain(p.sources[0].title) in page
    assert "Les sources n’en disent rien." in page


# ---------------------------------------------------------------------------- the cards


def decoded_cards(path: Path) -> list[list[str]]:
    """The QR codes of each page, read from the page rasterised at 150 dpi, in reading order (rows, then columns)."""
    pdf = pypdfium2.PdfDocument(str(path))
    pages = []
    try:
        for page in pdf:
            image = page.render(scale=150 / 72).to_pil()
            codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
            # Row by row (the page's halves), then left to right.
            half = image.height / 2
            codes = sorted(codes, key=lambda c: (c.position.top_left.y > half, c.position.top_left.x))
            pages.append([code.text for code in codes])
    finally:
        pdf.close()
    return pages


def test_one_card_per_sheet_each_qr_code_decodes_to_its_sheet(real: tuple[Graph, dict[str, Edition]]) -> None:
    graph, made = real
    _, order = sheet_order(graph)
    reader = PdfReader(made["cards"].path)
    assert len(reader.pages) == math.ceil(len(graph.kb.practices) / 4)
    pages = decoded_cards(made["cards"].path)
    assert [url for page in pages for url in page] == [practice_address(graph, SITE_URL, pid) for pid in order]
    assert len(order) == len(graph.kb.practices)
    # Each card also says its title, its evidence level in words and its territory.
    text = pages_text(made["cards"].path)
    for index, pid in enumerate(order):
        p = graph.kb.practices[pid].data
        page = text[index // 4]
        assert plain(p.title) in page, p.title
        assert "niveau" in page and "sur 5" in page
    assert "Alpes-Maritimes" in "".join(text)


def test_the_addresses_are_the_site_s(real: tuple[Graph, dict[str, Edition]]) -> None:
    graph, _ = real
    assert practice_address(graph, SITE_URL, "etape-ciste") == f"{SITE_URL}pratiques/etape-ciste/"


# ---------------------------------------------------------------------------- build, cache, labels


def test_the_same_content_is_not_laid_out_twice_and_gives_the_same_bytes(tmp_path: Path, real: tuple[Graph, dict[str, Edition]]) -> None:
    graph, made = real
    first = build_editions(graph, cache=tmp_path, site_url=SITE_URL, site_name=SITE_NAME, today=TODAY)
    stamp = first["guide"].path.stat().st_mtime_ns
    again = build_editions(graph, cache=tmp_path, site_url=SITE_URL, site_name=SITE_NAME, today=TODAY)
    assert again["guide"].path.stat().st_mtime_ns == stamp
    assert first["guide"].path.read_bytes() == made["guide"].path.read_bytes()
    assert first["cards"].path.read_bytes() == made["cards"].path.read_bytes()
    # Another day is another edition (the statuses are read at the build date).
    other = build_editions(graph, cache=tmp_path, site_url=SITE_URL, site_name=SITE_NAME, today=TODAY + dt.timedelta(days=1))
    assert other["guide"].path.parent != first["guide"].path.parent


def test_labels_give_pages_and_size_in_french() -> None:
    assert Edition(GUIDE_URI, Path("g.pdf"), 42, 1_234_567).label == "42\u00a0pages, 1,2\u00a0Mo"
    assert Edition(CARDS_URI, Path("c.pdf"), 1, 81_000).label == "1\u00a0page, 81\u00a0Ko"
    assert Edition(GUIDE_URI, Path("g.pdf"), 20_713, 91_500_000).label == "20\u202f713\u00a0pages, 91,5\u00a0Mo"


def test_french_typography() -> None:
    assert (
        french_spacing("Objectif : l'emploi ; « vite » ! 10:30 https://a.fr/?b")
        == "Objectif\u00a0: l’emploi\u202f; «\u202fvite\u202f»\u202f! 10:30 https://a.fr/?b"
    )


def test_contributed_markdown_is_data_not_markup() -> None:
    tree = markdown_tree("Du **gras**, `#let x = 1`, un [lien](https://exemple.fr) et #set page(fill: red).")
    assert tree == [
        {
            "t": "p",
            "c": [
                "Du ",
                {"t": "strong", "c": ["gras"]},
                ", ",
                {"t": "code", "c": ["#let x = 1"]},
                ", un ",
                {"t": "a", "c": ["lien"], "href": "https://exemple.fr"},
                " et #set page(fill: red).",
            ],
        }
    ]


# ---------------------------------------------------------------------------- hostile input

TRICKS = '#set page(fill: red) $x^2$ *gras* _it_ <fiche-x> @fiche-x = Titre ] [ \\ " #read("/etc/passwd") {{ 7 * 7 }}'


def test_markup_in_titles_and_texts_is_printed_as_written(small_kb: Path, tmp_path: Path) -> None:
    for sheet in sorted((ROOT / "tests" / "hostile" / "harmless").glob("*.yml")):
        shutil.copy(sheet, small_kb / sheet.name)
    sheet = small_kb / "visites-entreprises.yml"
    text = sheet.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", "title: '" + TRICKS.replace("'", "''") + "'", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^summary: .*$", "summary: 'Résumé ] ) } #pagebreak() #emph[x]'", text, count=1, flags=re.MULTILINE)
    sheet.write_text(text, encoding="utf-8")
    _, made = editions(small_kb, tmp_path)
    guide = " ".join(pages_text(made["guide"].path))
    cards = " ".join(pages_text(made["cards"].path))
    for printed in (guide, cards):
        assert plain(TRICKS) in printed
        assert plain("Résumé ] ) } #pagebreak() #emph[x]") in printed
        assert "root:" not in printed
    assert plain('<script>window.__hostile = "titre"; alert("titre")</script> Titre piégé') in guide
    assert decoded_cards(made["cards"].path)[0]


def test_a_part_that_would_change_length_with_its_page_numbers_is_an_error(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The number column of the lists is what keeps a part's length: a template that lets
    # the numbers take room of the text is caught, not published with wrong page numbers.
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    guide = templates / "guide.typ"
    guide.write_text(
        guide.read_text(encoding="utf-8").replace("if n == none { [] }", "if n == none { [] } else if type(n) == int { v(20cm) + str(n) }"),
        encoding="utf-8",
    )
    monkeypatch.setattr("knowledge.pdf.TEMPLATES", templates)
    with pytest.raises(PdfError, match="pages sans les numéros de page"):
        editions(small_kb, tmp_path / "cache")


# ---------------------------------------------------------------------------- in the site


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(FIXTURES / "small", site)
    assert result.returncode == 0, result.stderr
    return site


def test_the_home_page_and_the_guide_link_the_pdfs_with_their_pages_and_size(small_site: Path) -> None:
    for uri in (GUIDE_URI, CARDS_URI):
        assert (small_site / uri).read_bytes().startswith(b"%PDF-")
    guide_pages = len(PdfReader(small_site / GUIDE_URI).pages)
    size = (small_site / GUIDE_URI).stat().st_size
    label = Edition(GUIDE_URI, Path(), guide_pages, size).label
    home = html.unescape((small_site / "index.html").read_text(encoding="utf-8"))
    chapters = html.unescape((small_site / "guide" / "index.html").read_text(encoding="utf-8"))
    assert f'href="{GUIDE_URI}"' in home and f"({label})" in home
    assert f'href="../{GUIDE_URI}"' in chapters and f"({label}" in chapters
    assert f'href="{CARDS_URI}"' in home and f'href="../{CARDS_URI}"' in chapters
