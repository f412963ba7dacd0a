"""The printed editions as PDF: the whole guide, and the practice cards for workshops.

Typst (the ``typst`` wheel: the compiler and its fonts, no system library)
lays out the data of ``pdf_content`` through the templates of
``templates/pdf/``. It was chosen by measurement over WeasyPrint from HTML
(README, « PDF »): nine to ten times faster on the same guide, and it needs
nothing from Debian.

**By parts.** Typst keeps every laid-out page in memory (about 1 MB a page),
and the guide of 10,000 practices has some 20,000 pages. So the guide is laid
out in parts — the front matter (cover, contents, how to read a sheet, the
manifesto), then each chapter's opening and its sheets, ``PART_SHEETS`` sheets
a part — each part numbering its pages from where the previous one ended;
pypdf joins them and writes the bookmarks (chapters, and each chapter's
sheets). The contents and the chapters' lists give page numbers of later
parts: those parts are laid out first with the numbers left blank, then again
once they are known (the numbers have a column of their own, so the text
breaks the same way), and a part whose length would change is an error, never
a wrong page number.

**In a worker process.** Typst's caches live as long as its process and
pypdf holds every page it joins: both run in ``pdf_worker.py``, replaced once
it holds ``WORKER_MEMORY``, while this process makes the next part's data.

**Cached.** The same content gives the same bytes: the PDFs are kept under
``CACHE`` in a folder named by the hash of what makes them (the sheets' files,
the settings, the date, the code, the templates, the libraries' versions), and
a build of the same content reuses them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import segno
from pypdf import PdfReader

from .graph import Graph
from .pdf_content import cards_content, guide_content
from .pdf_markdown import markdown_tree

__all__ = ["CACHE", "CARDS_URI", "GUIDE_URI", "PART_SHEETS", "Edition", "PdfError", "build_editions", "qr_svg"]

TEMPLATES = Path(__file__).parent / "templates" / "pdf"
# Where the PDFs are kept between builds, under the project's folder (ignored by git).
CACHE = Path(".cache") / "pdf"
FOLDER = "telechargements"
GUIDE_URI = f"{FOLDER}/guide-des-bonnes-pratiques.pdf"
CARDS_URI = f"{FOLDER}/cartes-pratiques.pdf"
# Sheets laid out together: about 250 pages, some 170 MB of Typst's memory.
PART_SHEETS = 100
# Cards laid out together: 4 a page, 100 pages.
PART_CARDS = 400
# Typst's process is replaced once its memory passes this (its caches are never emptied).
WORKER_MEMORY = 500_000_000
# A PDF of more pages is joined by a fresh worker (pypdf: some 35 KB of memory a page).
JOIN_FRESH_PAGES = 1000
# Bumped when this module changes what it writes, so that cached PDFs are made again.
_VERSION = "1"
# Cached editions kept besides the current one (other branches, other test bases).
_KEEP = 3
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
        """« 42 pages, 1,2 Mo »: what a reader needs before downloading, kept on one line (no-break spaces)."""
        megabytes = self.size / 1_000_000
        # French numbers: a narrow no-break space between thousands, a comma before decimals.
        size = f"{megabytes:.1f}".replace(".", ",") + "\u00a0Mo" if megabytes >= 0.1 else f"{max(1, round(self.size / 1000))}\u00a0Ko"
        pages = f"{self.pages:,}".replace(",", "\u202f") + f"\u00a0page{'s' if self.pages > 1 else ''}"
        return f"{pages}, {size}"


def qr_svg(address: str) -> str:
    """A QR code of ``address`` as SVG (medium error correction: it survives a crease or a smudge of the printed card)."""
    buffer = io.BytesIO()
    segno.make(address, error="m", micro=False).save(buffer, kind="svg", xmldecl=False, nl=False, border=4)
    return buffer.getvalue().decode("ascii")


class _Worker:
    """Typst and pypdf in a process of their own (``pdf_worker.py``), replaced when it holds too much memory.

    A request is sent, then answered later (``wait``): the build prepares the
    next part's data while Typst lays out this one, on the machine's other core.
    """

    def __init__(self, work: Path, timestamp: dt.datetime) -> None:
        self.work = work
        self.timestamp = timestamp
        for template in TEMPLATES.glob("*.typ"):
            shutil.copyfile(template, work / template.name)
        self.process: subprocess.Popen[str] | None = None
        self.pending: str | None = None

    def _start(self) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "knowledge.pdf_worker", str(self.work), str(int(self.timestamp.timestamp()))]
        return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=self.work)

    def write_data(self, name: str, data: dict[str, Any]) -> None:
        (self.work / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def send(self, request: dict[str, Any], what: str) -> None:
        assert self.pending is None, "one request at a time"
        process = self.process = self.process or self._start()
        assert process.stdin is not None
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        self.pending = what

    def wait(self) -> None:
        assert self.process is not None and self.process.stdout is not None and self.pending is not None
        what, self.pending = self.pending, None
        line = self.process.stdout.readline()
        if not line:
            self.close()
            raise PdfError(f"{what} interrompue : le processus de mise en page s'est arrêté (mémoire épuisée ?)")
        answer = json.loads(line)
        if "error" in answer:
            raise PdfError(f"{what} impossible : {answer['error']}")
        if answer["rss"] > WORKER_MEMORY:
            self.close()

    def compile(self, template: str, name: str, first: int) -> None:
        """Start laying out ``<name>.json``, pages numbered from ``first``; ``wait`` for ``<name>.pdf``."""
        self.send({"compile": template, "name": name, "first": first}, f"mise en page de {name}")

    def join(self, parts: Sequence[str], output: str, title: str, author: str, outline: Sequence[Any] = ()) -> int:
        """The parts as one PDF, with its bookmarks: its page count.

        pypdf holds every page until it writes them: a large PDF is joined by a fresh process, ended after.
        """
        large = sum(_page_count(self.work / part) for part in parts) > JOIN_FRESH_PAGES
        if large:
            self.close()
        self.send({"join": list(parts), "output": output, "title": title, "author": author, "outline": list(outline)}, f"assemblage de {output}")
        self.wait()
        if large:
            self.close()
        return _page_count(self.work / output)

    def close(self) -> None:
        """End the process: it reads its input to the end, then exits."""
        if self.process is not None:
            assert self.process.stdin is not None and self.process.stdout is not None
            self.process.stdin.close()
            self.process.wait(timeout=60)
            self.process.stdout.close()
            self.process = None
            self.pending = None


def _page_count(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def _sheet_pages(pdf: Path, first: int) -> dict[str, int]:
    """The page each sheet of a part starts on, from the part's named destinations (Typst writes one per label)."""
    reader = PdfReader(pdf)
    pages = {}
    for name, destination in reader.named_destinations.items():
        index = reader.get_destination_page_number(destination)
        if name.startswith("fiche-") and index is not None:
            pages[name.removeprefix("fiche-")] = first + index
    return pages


@dataclass(frozen=True)
class _Part:
    name: str
    first: int
    pages: int

    @property
    def pdf(self) -> str:
        return f"{self.name}.pdf"


class _Guide:
    """The guide, laid out part by part (see the module's docstring)."""

    def __init__(self, worker: _Worker, content: dict[str, Any], sheet: Callable[[str], dict[str, Any]]) -> None:
        self.worker = worker
        self.content = content
        self.sheet = sheet
        self.common = {key: content[key] for key in ("site", "date", "practices")}
        # Page of each chapter and of each sheet, as they become known.
        self.chapter_pages: dict[str, int] = {}
        self.sheet_pages: dict[str, int] = {}
        self.titles: dict[str, str] = {}

    def _layout(self, name: str, part: dict[str, Any], first: int, *, numbers: bool) -> Path:
        pages = {"chapters": self.chapter_pages, "sheets": self.sheet_pages} if numbers else {"chapters": {}, "sheets": {}}
        self.worker.write_data(name, {**self.common, **part, "pages": pages})
        self.worker.compile("guide.typ", name, first)
        self.worker.wait()
        return self.worker.work / f"{name}.pdf"

    def _draft(self, name: str, part: dict[str, Any], first: int) -> _Part:
        """A part laid out with its page numbers left blank: only its length is kept."""
        return _Part(name, first, _page_count(self._layout(name, part, first, numbers=False)))

    def _numbered(self, part: dict[str, Any], draft: _Part) -> _Part:
        """A part that gives page numbers of later parts, laid out again now that they are known: it must keep its length."""
        count = _page_count(self._layout(draft.name, part, draft.first, numbers=True))
        if count != draft.pages:
            raise PdfError(f"{draft.name} : {draft.pages} pages sans les numéros de page, {count} avec ; la table des matières serait fausse")
        return draft

    def _sheets(self, chapter: dict[str, Any], first: int) -> list[_Part]:
        """The chapter's sheets, PART_SHEETS at a time; each batch's data is made while Typst lays out the one before."""
        name = f"chapitre-{chapter['number']}"
        heading = {"kind": "sheets", "chapter": {"number": chapter["number"], "title": chapter["title"]}}
        batches = [chapter["sheets"][start : start + PART_SHEETS] for start in range(0, len(chapter["sheets"]), PART_SHEETS)]
        names = [f"{name}-fiches-{n}" for n in range(1, len(batches) + 1)]
        parts: list[_Part] = []
        page = first
        if batches:
            self._write_batch(names[0], heading, batches[0])
        for index, (part, batch) in enumerate(zip(names, batches, strict=True)):
            self.worker.compile("guide.typ", part, page)
            if index + 1 < len(batches):
                self._write_batch(names[index + 1], heading, batches[index + 1])
            self.worker.wait()
            found = _sheet_pages(self.worker.work / f"{part}.pdf", page)
            missing = [pid for pid in batch if pid not in found]
            if missing:
                raise PdfError(f"{part} : fiche introuvable dans sa partie ({', '.join(missing)})")
            self.sheet_pages.update(found)
            parts.append(_Part(part, page, _page_count(self.worker.work / f"{part}.pdf")))
            page += parts[-1].pages
        return parts

    def _write_batch(self, name: str, heading: dict[str, Any], batch: Sequence[str]) -> None:
        sheets = [self.sheet(pid) for pid in batch]
        self.titles.update((s["id"], s["title"]) for s in sheets)
        self.worker.write_data(name, {**self.common, **heading, "sheets": sheets, "pages": {"chapters": {}, "sheets": {}}})

    def build(self) -> list[_Part]:
        content = self.content
        chapters = [{"id": c["id"], "number": c["number"], "title": c["title"]} for c in content["chapters"]]
        front = {"kind": "front", "rubric": content["rubric"], "manifesto": content["manifesto"], "chapters": chapters}
        front_draft = self._draft("debut", front, 1)
        page = front_draft.first + front_draft.pages
        parts: list[_Part] = []
        for chapter in content["chapters"]:
            opening = {"kind": "opening", "chapter": {key: value for key, value in chapter.items() if key != "sheets"}}
            draft = self._draft(f"chapitre-{chapter['number']}", opening, page)
            self.chapter_pages[chapter["id"]] = page
            sheets = self._sheets(chapter, page + draft.pages)
            parts += [self._numbered(opening, draft), *sheets]
            page = parts[-1].first + parts[-1].pages
        return [self._numbered(front, front_draft), *parts]

    def outline(self) -> list[tuple[str, int, list[tuple[str, int]]]]:
        """The PDF bookmarks after the front matter's own: (title, page, children) of each chapter, with its sheets."""
        items = []
        for chapter in self.content["chapters"]:
            sheets = [(self.titles[pid], self.sheet_pages[pid]) for pid in chapter["sheets"]]
            items.append((f"{chapter['number']}. {chapter['title']}", self.chapter_pages[chapter["id"]], sheets))
        return items


def _cards(worker: _Worker, content: dict[str, Any], output: str) -> int:
    cards = content["cards"]
    common = {"site": content["site"], "date": content["date"]}
    names = []
    for start in range(0, max(1, len(cards)), PART_CARDS):
        name = f"cartes-{start // PART_CARDS + 1}"
        worker.write_data(name, {**common, "cards": [{**card, "qr": qr_svg(card["url"])} for card in cards[start : start + PART_CARDS]]})
        worker.compile("cards.typ", name, 1)
        worker.wait()
        names.append(f"{name}.pdf")
    return worker.join(names, output, "Cartes pratiques", content["site"]["name"])


def _key(graph: Graph, site_url: str, site_name: str, today: dt.date) -> str:
    """What the PDFs are made from: the knowledge base's files, the settings, the date, the code and templates, the libraries."""
    digest = hashlib.sha256(json.dumps([_VERSION, site_url, site_name, today.isoformat(), *_LIBRARIES]).encode())
    package = Path(__file__).parent
    sources = {entry.path for collection in graph.kb.registry for entry in graph.kb.collection(collection).values()}
    for path in [*sorted(package.glob("*.py")), *sorted(TEMPLATES.glob("*.typ")), *sorted(Path(p) for p in sources)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:24]


def _prune(cache: Path, keep: str) -> None:
    """Keep the cache bounded: the current editions and the few most recent others.

    Folders of builds in progress (« <key>-… ») are left alone for a day: older, their build was stopped.
    """
    folders = [p for p in cache.iterdir() if p.is_dir() and p.name != keep]
    done = sorted((p for p in folders if "-" not in p.name), key=lambda p: p.stat().st_mtime, reverse=True)
    stopped = [p for p in folders if "-" in p.name and p.stat().st_mtime < time.time() - 86_400]
    for old in [*done[_KEEP:], *stopped]:
        shutil.rmtree(old, ignore_errors=True)


def build_editions(graph: Graph, *, cache: Path, site_url: str, site_name: str, today: dt.date) -> dict[str, Edition]:
    """The guide and the cards (« guide », « cards »), made or found in ``cache``."""
    key = _key(graph, site_url, site_name, today)
    folder = cache / key
    index = folder / "editions.json"
    if not index.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        # A folder of its own: two builds of the same content at once (tests) do not mix their parts.
        work = Path(tempfile.mkdtemp(prefix=f"{key}-", dir=cache))
        worker = _Worker(work, dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC))
        try:
            content, sheet = guide_content(graph, site_url=site_url, site_name=site_name, today=today, markdown=markdown_tree)
            book = _Guide(worker, content, sheet)
            parts = [part.pdf for part in book.build()]
            pages = {GUIDE_URI: worker.join(parts, "guide.pdf", "Le guide des bonnes pratiques", site_name, book.outline())}
            cards = cards_content(graph, site_url=site_url, site_name=site_name, today=today)
            pages[CARDS_URI] = _cards(worker, cards, "cards.pdf")
        finally:
            worker.close()
        for scratch in [*work.glob("*.json"), *work.glob("*.typ"), *(p for p in work.glob("*.pdf") if p.name not in ("guide.pdf", "cards.pdf"))]:
            scratch.unlink()
        (work / "editions.json").write_text(json.dumps(pages, sort_keys=True), encoding="utf-8")
        try:
            work.rename(folder)
        except OSError:  # the other build finished first, with the same bytes
            shutil.rmtree(work, ignore_errors=True)
    _prune(cache, key)
    pages = json.loads(index.read_text(encoding="utf-8"))
    files = {"guide": (GUIDE_URI, folder / "guide.pdf"), "cards": (CARDS_URI, folder / "cards.pdf")}
    return {name: Edition(uri, path, pages[uri], path.stat().st_size) for name, (uri, path) in files.items()}
