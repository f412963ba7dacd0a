"""What the printed editions hold: the whole guide, and a deck of practice cards for workshops.

The content is read from the graph with the functions the site's pages use
(names of today with the name a source used, statuses read at their source's
date, evidence levels as marks and words, French dates, page addresses from
the registry), and returned as plain data (dicts, lists, texts) that a
typesetting template lays out: no markup is made here, so no contributor text
can become markup there. Contributed Markdown is handed over through the
``markdown`` function the caller gives (``pdf_markdown.markdown_tree``).

The guide follows the site: a cover, how to read a sheet, the manifesto, then
the chapters (the themes, in the order of ``themes.yml``), each with its
introduction, the list of its sheets and the sheets themselves. A sheet is
printed once, in the first chapter that holds it; the other chapters list it
with the page where it is printed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from . import evidence
from .editorial import status_note
from .graph import Graph
from .history import named_then, renamed_in, renamed_since, sheet_date
from .labels import EVIDENCE_RUBRIC, LABELS, date_fr, period_fr
from .news import page_url
from .render import _naming
from .schema import KeyFigure, Practice, Source

__all__ = ["cards_content", "french_spacing", "guide_content", "practice_address", "sheet_order"]

Markdown = Callable[[str], Any]

# French typography: a no-break space before « : », a narrow one before « ; ! ? » and inside « ».
# Only the spaces a writer typed are replaced: « 10:30 » and « http://… » have none before the colon.
_BEFORE = re.compile(r" ([:;!?»])")
_AFTER = re.compile(r"« ")
_NARROW = {":": "\u00a0", ";": "\u202f", "!": "\u202f", "?": "\u202f", "»": "\u202f"}


def french_spacing(text: str) -> str:
    """``text`` as French print sets it: the spaces of « : ; ! ? » and of « » made unbreakable (no line starts
    with « : » or « » »), and the typewriter apostrophe made typographic (« l’emploi »)."""
    text = _BEFORE.sub(lambda m: _NARROW[m.group(1)] + m.group(1), text)
    return _AFTER.sub("«\u202f", text).replace("'", "’")


def practice_address(graph: Graph, site_url: str, pid: str) -> str:
    """The online address of a sheet, as the site publishes it."""
    return page_url(site_url, graph.kb.registry["practices"].page_uri(pid))


def sheet_order(graph: Graph) -> tuple[dict[str, str], list[str]]:
    """(the chapter each sheet is printed in, the sheets in printed order): by chapter, then by title."""
    home: dict[str, str] = {}
    order: list[str] = []
    for tid in graph.kb.themes:
        for pid in graph.by_theme.get(tid, ()):
            if pid not in home:
                home[pid] = tid
                order.append(pid)
    return home, order


def _evidence(level: str) -> dict[str, Any]:
    return {"rank": evidence.rank(level), "of": len(evidence.LEVELS), "marks": evidence.marks(level), "label": LABELS["evidence_level"][level]}


def _source(source: Source) -> dict[str, Any]:
    details = [source.publisher, date_fr(source.date) if source.date else None]
    text = ", ".join([source.title, *(d for d in details if d)])
    return {"text": french_spacing(text), "note": french_spacing(source.note) if source.note else None, "url": source.url}


def _figure_row(figure: KeyFigure, kind: str) -> list[str]:
    value = f"{figure.value} {figure.unit}" if figure.unit else figure.value
    if kind == "result":
        return [figure.label, value, figure.population or "—", date_fr(figure.date) if figure.date else "—", figure.source]
    funding = [", ".join(LABELS["funding"][f] for f in figure.funding) or "non précisé"] if kind == "means" else []
    return [figure.label, value, *funding, date_fr(figure.date) if figure.date else "non précisée", figure.source]


_FIGURE_GROUPS = {"result": "Résultats", "means": "Moyens engagés", "objective": "Objectifs", "context": "Contexte"}


def _figures(figures: Iterable[KeyFigure]) -> list[dict[str, Any]]:
    """The key figures in the site's groups and columns (``_macros.md.j2``, ``key_figures``)."""
    groups = []
    for kind, title in _FIGURE_GROUPS.items():
        rows = [[french_spacing(cell) for cell in _figure_row(f, kind)] for f in figures if f.type == kind]
        if not rows:
            continue
        if kind == "result":
            header = ["Résultat", "Valeur", "Concerne", "Date", "Source"]
        else:
            header = [LABELS["figure_type"][kind], "Valeur", *(["Financement"] if kind == "means" else []), "Date", "Source"]
        groups.append({"title": title, "header": header, "rows": rows})
    return groups


_SECTIONS = (
    ("description", "Éléments descriptifs"),
    ("economy", "Quelle économie l'action génère-t-elle ?"),
    ("empowerment", "A-t-elle augmenté le pouvoir et la responsabilité ?"),
    ("articulations", "Quelles articulations a-t-elle utilisées ou produites ?"),
    ("recurring_questions", "Questions récurrentes et effets de système"),
    ("lessons", "Quelles leçons pour démultiplier ces dynamiques ?"),
)
_TRANSFER = (("success_factors", "Facteurs de réussite"), ("difficulties", "Difficultés et échecs"), ("prerequisites", "Prérequis"))
_SILENT = "Les sources n'en disent rien."


class _Sheets:
    """The printed sheets, with the names the site gives (one naming per edition, not one per sheet)."""

    def __init__(self, graph: Graph, site_url: str, today: dt.date, markdown: Markdown = str) -> None:
        self.graph = graph
        self.kb = graph.kb
        self.site_url = site_url
        self.today = today
        self.markdown = markdown
        self.name, _ = _naming(graph)
        self.organisations = {key: entry.data for key, entry in self.kb.organisations.items()}

    def names(self, collection: str, keys: Iterable[str]) -> str:
        return french_spacing(", ".join(self.name(collection, key) for key in keys))

    def organisation(self, key: str, when: str | None) -> str:
        then = named_then(self.kb.organisations[key].data, when)
        return f"{self.name('organisations', key)} ({then})" if then else self.name("organisations", key)

    def status(self, p: Practice, *, short: bool = False) -> str:
        note = status_note(p, self.today)
        if note is None:
            return "Non précisé par les sources"
        if short:
            return note.short
        text = f"{note.label} {note.as_of}".strip()
        if note.ended:
            return f"{text} ; {note.ended}"
        return f"{text} ; statut non confirmé depuis" if note.unconfirmed else text

    def facts(self, p: Practice) -> list[list[str]]:
        when = sheet_date(p)
        rows = [
            ["Nature", LABELS["kind"][p.kind]],
            ["Statut", self.status(p)],
            ["Période", period_fr(p.period.start, p.period.end, p.period.note) if p.period else "Non précisée par les sources"],
        ]
        if p.lead:
            rows.append(["Porteur", self.organisation(p.lead, when)])
        if p.partners:
            rows.append(["Partenaires", ", ".join(self.organisation(key, when) for key in p.partners)])
        rows.append(["Territoires", self.names("territories", p.territories)])
        rows.append(["Thèmes", self.names("themes", p.themes)])
        for field, label, collection in (
            ("audiences", "Publics", "audiences"),
            ("agreements", "Conventions", "agreements"),
            ("cooperation_fields", "Champs de coopération", "cooperation_fields"),
        ):
            if getattr(p, field):
                rows.append([label, self.names(collection, getattr(p, field))])
        sheet = f"créée le {date_fr(p.created.isoformat())}, relue le {date_fr(p.reviewed.isoformat())} · {LABELS['editorial_status'][p.editorial_status]}"
        rows.append(["Fiche", sheet])
        return [[label, french_spacing(value)] for label, value in rows]

    def renamed(self, p: Practice) -> list[str]:
        """« Pôle emploi s'appelle France Travail depuis le 1er janvier 2024. Source : … » (the site's « Noms d'aujourd'hui »)."""
        keys = [p.lead, *p.partners] if p.lead else list(p.partners)
        notes = []
        for key, former in renamed_in(self.organisations, keys, sheet_date(p)):
            source = _source(former.source)["text"]
            notes.append(french_spacing(f"{former.name} s'appelle {self.name('organisations', key)} {renamed_since(former)}. Source : {source}"))
        return notes

    def contact(self, p: Practice) -> list[list[str]]:
        c = p.contact
        if c is None:
            return []
        rows = [["Structure", self.name("organisations", c.organisation)]] if c.organisation else []
        rows += [["Service", c.service]] if c.service else []
        rows += [["Courriel", c.email]] if c.email else []
        rows += [["Page de contact", c.url]] if c.url else []
        return rows

    def sheet(self, pid: str) -> dict[str, Any]:
        p = self.kb.practices[pid].data
        level = p.evidence.level
        return {
            "id": pid,
            "title": french_spacing(p.title),
            "summary": french_spacing(p.summary),
            "url": practice_address(self.graph, self.site_url, pid),
            "evidence": {
                **_evidence(level),
                "justification": french_spacing(p.evidence.justification),
                "source": french_spacing(p.evidence.source),
            },
            "facts": self.facts(p),
            "renamed": self.renamed(p),
            "sections": [{"title": title, "body": self.markdown(text)} for field, title in _SECTIONS if (text := getattr(p, field))],
            "figures": _figures(p.key_figures),
            "transfer": [{"title": title, "body": self.markdown(text) if (text := getattr(p, field)) else None} for field, title in _TRANSFER],
            "silent": french_spacing(_SILENT),
            "cautions": [{"body": self.markdown(c.text), "source": _source(c.source)} for c in p.cautions],
            "contact": self.contact(p),
            "sources": [_source(s) for s in p.sources],
        }


def guide_content(graph: Graph, *, site_url: str, site_name: str, today: dt.date, markdown: Markdown) -> tuple[dict[str, Any], Callable[[str], dict[str, Any]]]:
    """The guide in reading order, each chapter's sheets by id; and the function giving a sheet's content.

    The sheets are asked for part by part while the guide is laid out, so that the
    content of 10,000 sheets is never in memory at once.
    """
    kb = graph.kb
    sheets = _Sheets(graph, site_url, today, markdown)
    home, order = sheet_order(graph)
    man = kb.manifesto.data
    manifesto = {
        "title": french_spacing(man.title),
        "preamble": markdown(man.preamble),
        "principles": [
            {
                "title": french_spacing(pr.title),
                "text": markdown(pr.text),
                "quote": {
                    "text": french_spacing(pr.quote.text),
                    "author": french_spacing(pr.quote.author) if pr.quote.author else None,
                    "source": french_spacing(pr.quote.source),
                }
                if pr.quote
                else None,
                "practices": [{"id": pid, "title": french_spacing(kb.practices[pid].data.title)} for pid in pr.practices],
            }
            for pr in man.principles
        ],
        "closing": markdown(man.closing) if man.closing else None,
    }
    chapters = []
    for number, (tid, theme) in enumerate(kb.themes.items(), start=1):
        listed = graph.by_theme.get(tid, ())
        chapters.append(
            {
                "id": tid,
                "number": number,
                "title": french_spacing(theme.data.title),
                "introduction": markdown(theme.data.introduction),
                # Every sheet of the chapter; « here »: printed in this chapter, else in an earlier one.
                "list": [{"id": pid, "title": french_spacing(kb.practices[pid].data.title), "here": home[pid] == tid} for pid in listed],
                "sheets": [pid for pid in listed if home[pid] == tid],
            }
        )
    return {
        "site": {"name": french_spacing(site_name), "url": site_url},
        "date": date_fr(today.isoformat()),
        "practices": len(order),
        "rubric": [{**_evidence(level), "short": short, "text": french_spacing(text)} for level, (short, text) in EVIDENCE_RUBRIC.items()],
        "manifesto": manifesto,
        "chapters": chapters,
    }, sheets.sheet


def cards_content(graph: Graph, *, site_url: str, site_name: str, today: dt.date) -> dict[str, Any]:
    """One card per sheet, in the guide's order (by chapter, then by title): what a workshop needs to pick a practice."""
    kb = graph.kb
    sheets = _Sheets(graph, site_url, today)
    home, order = sheet_order(graph)
    number = {tid: n for n, tid in enumerate(kb.themes, start=1)}
    cards = []
    for pid in order:
        p = kb.practices[pid].data
        chapter = home[pid]
        facts = [["Nature", LABELS["kind"][p.kind]], ["Statut", sheets.status(p, short=True)]]
        if p.lead:
            facts.append(["Porteur", sheets.organisation(p.lead, sheet_date(p))])
        facts.append(["Territoire" if len(p.territories) == 1 else "Territoires", sheets.names("territories", p.territories)])
        cards.append(
            {
                "id": pid,
                "title": french_spacing(p.title),
                "summary": french_spacing(p.summary),
                "evidence": _evidence(p.evidence.level),
                "facts": [[label, french_spacing(value)] for label, value in facts],
                "chapter": french_spacing(f"Chapitre {number[chapter]} · {sheets.name('themes', chapter)}"),
                "url": practice_address(graph, site_url, pid),
            }
        )
    return {"site": {"name": french_spacing(site_name), "url": site_url}, "date": date_fr(today.isoformat()), "cards": cards}
