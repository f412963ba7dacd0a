"""The printed editions as PDF: the whole guide, and the practice cards for workshops.

Typst (the ``typst`` wheel: the compiler and its fonts, no system library)
lays out the data of ``pdf_content`` through the templates of
``templates/pdf/``. It was chosen by measurement over WeasyPrint from HTML
(README, « PDF »): nine times faster on the same guide, and it needs nothing
from Debian.

**By parts.** Typst keeps every laid-out page in memory (about 1 MB a page),
and the guide of 10,000 practices has some 20,000 pages. So the guide is
compiled in parts — the front matter (cover, contents, how to read a sheet,
the manifesto), then each chapter's opening and its sheets, at most
``PART_SHEETS`` sheets a part — each part numbering its pages from where the
previous one ended, and the parts are joined by pypdf, which writes the
bookmarks (chapters, and each chapter's sheets). The contents and the
chapters' lists of sheets give page numbers that are only known once later
parts are laid out: they are laid out first with the numbers left blank (in a
box of fixed width, so that the blanks take the room of the numbers), then
again once the numbers are known, and a part whose length would change is an
error, never a wrong page number.

**Cached.** The PDFs of the same content are the same bytes: they are kept
under the cache folder in a folder named by the hash of everything that makes
them (the data, the templates, Typst's version), and a build with the same
content reuses them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import version
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from pypdf import PdfReader, PdfWriter

from .graph import Graph
from .pdf_content import cards_content, guide_content
from .pdf_markdown import markdown_tree

__all__ = ["CARDS_URI", "GUIDE_URI", "PART_SHEETS", "Edition", "PdfError", "build_editions", "qr_svg"]

TEMPLATES = Path(__file__).parent / "templates" / "pdf"
FOLDER = "telechargements"
GUIDE_URI = f"{FOLDER}/guide-des-bonnes-pratiques.pdf"
CARDS_URI = f"{FOLDER}/cartes-pratiques.pdf"
# Sheets laid out together: about 250 pages, some 170 MB of Typst's memory.
PART_SHEETS = 100
# Cards laid out together: 4 a page, 100 pages.
PART_CARDS = 400
# Typst's process is replaced once its memory passes this (its caches are never emptied).
WORKER_MEMORY = 500_000_000
# Bumped when this module changes what it writes, so that cached PDFs are made again.
_VERSION = "1"
# Cached editions kept besides the current one (other branches, other test bases).
_KEEP = 6
# The libraries whose versions change what is written.
_LIBRARIES = [f"{name} {version(name)}" for name in ("typst", "markdown", "nh3", "segno", "pypdf")]


class PdfError(Exception):
    """A PDF could not be made; the message says why, in French."""


@dataclass(frozen=True)
class Edition:
    """A PDF of the site: where it is published, where it is on disk, and what readers are told of it."""

    uri: str
    path: Path
    pages: int
    size: int

    @property
    def label(self) -> str:
        """« 42 pages, 1,2 Mo »: what a reader needs before downloading."""
        megabytes = self.size / 1_000_000
        size = f"{megabytes:,.1f} Mo" if megabytes >= 0.1 else f"{max(1, round(self.size / 1000))} Ko"
        pages = f"{self.pages:,} page{'s' if self.pages > 1 else ''}"
        # French numbers: a narrow no-break space between thousands, a comma before decimals.
        return f"{pages}, {size}".replace(",", "\u202f").replace(".", ",").replace("\u202f ", ", ")


def qr_svg(address: str) -> str:
    """A QR code of ``address`` as SVG (medium error correction: it survives a crease or a smudge of the printed card)."""
    buffer = io.BytesIO()
    segno.make(address, error="m", micro=False).save(buffer, kind="svg", xmldecl=False, nl=False, border=4)
    return buffer.getvalue().decode("ascii")


class _Compiler:
    """Typst, in a worker process replaced when it holds too much memory (``pdf_worker.py``)."""

    def __init__(self, work: Path, timestamp: dt.datetime) -> None:
        self.work = work
        self.timestamp = timestamp
        for template in TEMPLATES.glob("*.typ"):
            shutil.copyfile(template, work / template.name)
        self.worker: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "knowledge.pdf_worker", str(self.work), str(int(self.timestamp.timestamp()))]
        return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=self.work)

    def compile(self, template: str, name: str, data: dict[str, Any]) -> bytes:
        (self.work / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        worker = self.worker = self.worker or self._start()
        assert worker.stdin is not None and worker.stdout is not None
        worker.stdin.write(json.dumps({"template": template, "name": name}) + "\n")
        worker.stdin.flush()
        line = worker.stdout.readline()
        if not line:
            self.close()
            raise PdfError(f"mise en page de {template} ({name}) interrompue : le processus de Typst s'est arrêté (mémoire épuisée ?)")
        answer = json.loads(line)
        if "error" in answer:
            raise PdfError(f"mise en page de {template} ({name}) impossible : {answer['error']}")
        if answer["rss"] > WORKER_MEMORY:
            self.close()
        return (self.work / f"{name}.pdf").read_bytes()

    def close(self) -> None:
        """End the worker: it reads its input to the end, then exits."""
        if self.worker is not None:
            assert self.worker.stdin is not None and self.worker.stdout is not None
            self.worker.stdin.close()
            self.worker.wait(timeout=60)
            self.worker.stdout.close()
            self.worker = None


def _sheet_pages(pdf: bytes, first: int) -> dict[str, int]:
    """The page each sheet of a part starts on, from the part's named destinations (Typst writes one per linked label)."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = {}
    for name, destination in reader.named_destinations.items():
        if name.startswith("fiche-"):
            pages[name.removeprefix("fiche-")] = first + reader.get_destination_page_number(destination)
    return pages


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@dataclass
class _Part:
    pdf: bytes
    first: int
    pages: int


class _Guide:
    """The guide, laid out part by part (see the module's docstring)."""

    def __init__(self, compiler: _Compiler, content: dict[str, Any], sheet: Callable[[str], dict[str, Any]]) -> None:
        self.compiler = compiler
        self.content = content
        self.sheet = sheet
        self.common = {key: content[key] for key in ("site", "date", "practices")}
        # Page of each chapter and of each sheet, as they become known.
        self.chapter_pages: dict[str, int] = {}
        self.sheet_pages: dict[str, int] = {}
        self.titles: dict[str, str] = {}

    def _compile(self, name: str, part: dict[str, Any], first: int, *, numbers: bool) -> bytes:
        pages = {"chapters": self.chapter_pages, "sheets": self.sheet_pages} if numbers else {"chapters": {}, "sheets": {}}
        return self.compiler.compile("guide.typ", name, {**self.common, **part, "first": first, "pages": pages})

    def _numbered(self, name: str, part: dict[str, Any], draft: _Part) -> _Part:
        """A part that gives page numbers of later parts, laid out again now that they are known: it must keep its length."""
        pdf = self._compile(name, part, draft.first, numbers=True)
        count = _page_count(pdf)
        if count != draft.pages:
            raise PdfError(f"{name} : {draft.pages} pages sans les numéros de page, {count} avec ; la table des matières serait fausse")
        return _Part(pdf, draft.first, count)

    def _draft(self, name: str, part: dict[str, Any], first: int) -> _Part:
        """A part laid out with its page numbers left blank: only its length is kept."""
        return _Part(b"", first, _page_count(self._compile(name, part, first, numbers=False)))

    def build(self) -> list[_Part]:
        content = self.content
        chapters = [{"id": c["id"], "number": c["number"], "title": c["title"]} for c in content["chapters"]]
        front = {"kind": "front", "rubric": content["rubric"], "manifesto": content["manifesto"], "chapters": chapters}
        front_draft = self._draft("debut", front, 1)
        page = front_draft.first + front_draft.pages
        parts: list[_Part] = []
        for chapter in content["chapters"]:
            name = f"chapitre-{chapter['number']}"
            opening = {"kind": "opening", "chapter": {key: value for key, value in chapter.items() if key != "sheets"}}
            draft = self._draft(name, opening, page)
            self.chapter_pages[chapter["id"]] = page
            page += draft.pages
            sheets: list[_Part] = []
            for start in range(0, len(chapter["sheets"]), PART_SHEETS):
                batch = [self.sheet(pid) for pid in chapter["sheets"][start : start + PART_SHEETS]]
                self.titles.update((s["id"], s["title"]) for s in batch)
                part = {"kind": "sheets", "chapter": {"number": chapter["number"], "title": chapter["title"]}, "sheets": batch}
                pdf = self._compile(f"{name}-fiches-{start // PART_SHEETS + 1}", part, page, numbers=False)
                self.sheet_pages.update(_sheet_pages(pdf, page))
                sheets.append(_Part(pdf, page, _page_count(pdf)))
                page += sheets[-1].pages
            parts += [self._numbered(name, opening, draft), *sheets]
        return [self._numbered("debut", front, front_draft), *parts]

    def outline(self) -> list[tuple[str, int, list[tuple[str, int]]]]:
        """The PDF bookmarks after the front matter's own: (title, page, children) of each chapter, with its sheets."""
        items = []
        for chapter in self.content["chapters"]:
            sheets = [(self.titles[pid], self.sheet_pages[pid]) for pid in chapter["sheets"]]
            items.append((f"{chapter['number']}. {chapter['title']}", self.chapter_pages[chapter["id"]], sheets))
        return items


def _join(parts: Sequence[_Part], destination: Path, title: str, author: str, outline: Iterable[tuple[str, int, list[tuple[str, int]]]] = ()) -> int:
    """Write the parts as one PDF with its bookmarks; return its page count."""
    writer = PdfWriter()
    for number, part in enumerate(parts):
        # The first part's bookmarks (the front matter's sections) are kept; the others are written below.
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=number == 0)
    for label, page, children in outline:
        parent = writer.add_outline_item(title=label, page_number=page - 1)
        for child, child_page in children:
            writer.add_outline_item(title=child, page_number=child_page - 1, parent=parent)
    writer.add_metadata({"/Title": title, "/Author": author})
    writer.page_mode = "/UseOutlines"
    with destination.open("wb") as file:
        writer.write(file)
    return len(writer.pages)


def _cards(compiler: _Compiler, content: dict[str, Any], destination: Path) -> int:
    cards = content["cards"]
    common = {"site": content["site"], "date": content["date"]}
    parts = []
    for start in range(0, max(1, len(cards)), PART_CARDS):
        batch = [{**card, "qr": qr_svg(card["url"])} for card in cards[start : start + PART_CARDS]]
        pdf = compiler.compile("cards.typ", f"cartes-{start // PART_CARDS + 1}", {**common, "cards": batch})
        parts.append(_Part(pdf, 0, _page_count(pdf)))
    return _join(parts, destination, "Cartes pratiques", content["site"]["name"])


def _key(graph: Graph, site_url: str, site_name: str, today: dt.date) -> str:
    """What the PDFs are made from: the knowledge base's files, the settings, the date, the code and templates, the libraries."""
    digest = hashlib.sha256(json.dumps([_VERSION, site_url, site_name, today.isoformat(), *_LIBRARIES]).encode())
    package = Path(__file__).parent
    sources = {entry.path for collection in graph.kb.registry for entry in graph.kb.collection(collection).values()}
    for path in [*sorted(package.glob("*.py")), *sorted(TEMPLATES.glob("*.typ")), *sorted(Path(p) for p in sources)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:24]


def _prune(cache: Path, keep: str) -> None:
    """Keep the cache bounded: the current editions and the few most recent others."""
    others = sorted((p for p in cache.iterdir() if p.is_dir() and p.name != keep), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[_KEEP:]:
        shutil.rmtree(old, ignore_errors=True)


def build_editions(graph: Graph, *, cache: Path, site_url: str, site_name: str, today: dt.date) -> dict[str, Edition]:
    """The guide and the cards (« guide », « cards »), made or found in ``cache``."""
    key = _key(graph, site_url, site_name, today)
    folder = cache / key
    index = folder / "editions.json"
    if not index.is_file():
        work = cache / f"{key}.tmp"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        compiler = _Compiler(work, dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC))
        try:
            content, sheet = guide_content(graph, site_url=site_url, site_name=site_name, today=today, markdown=markdown_tree)
            book = _Guide(compiler, content, sheet)
            pages = {GUIDE_URI: _join(book.build(), work / "guide.pdf", "Le guide des bonnes pratiques", site_name, book.outline())}
            cards = cards_content(graph, site_url=site_url, site_name=site_name, today=today)
            pages[CARDS_URI] = _cards(compiler, cards, work / "cards.pdf")
        finally:
            compiler.close()
        for scratch in [*work.glob("*.json"), *work.glob("*.typ"), *(p for p in work.glob("*.pdf") if p.name not in ("guide.pdf", "cards.pdf"))]:
            scratch.unlink()
        (work / "editions.json").write_text(json.dumps(pages, sort_keys=True), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        work.rename(folder)
    _prune(cache, key)
    pages = json.loads(index.read_text(encoding="utf-8"))
    files = {"guide": (GUIDE_URI, folder / "guide.pdf"), "cards": (CARDS_URI, folder / "cards.pdf")}
    return {name: Edition(uri, path, pages[uri], path.stat().st_size) for name, (uri, path) in files.items()}
