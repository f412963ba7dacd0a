"""What is new in the knowledge base: sheets added and sheets revised, month by month, and their Atom feeds.

Everything comes from dates the sheets carry (``created`` and each of their
``changes``), never from the clock: the same sheets give the same page and
the same feeds, byte for byte.

A sheet is one item per month: « added » in the month it was created (its
revisions of that month are part of its first version), « revised » in each
later month with changes, saying what they changed.

Feeds are written with the standard library's ElementTree: Atom is a dozen
elements, ElementTree escapes every text and attribute by construction and
serialises in a stable order, with no new dependency.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from .labels import LABELS, MONTHS
from .model import KnowledgeBase
from .registry import Collection
from .schema import Change

__all__ = ["FEED_SIZE", "NEWS_LIMIT", "NEWS_MONTHS", "Feed", "Item", "MonthNews", "feed_uri", "feeds", "items", "month_news", "page_url"]

# Entries per feed: the latest, so that no feed grows with the knowledge base.
FEED_SIZE = 50
# /nouveautes/ lists the items of the last NEWS_MONTHS months with news, at most NEWS_LIMIT of them.
NEWS_MONTHS = 12
NEWS_LIMIT = 100
# The folder of the feeds in the site, and the feed of the whole base.
FEEDS = "flux"
ALL_FEED = f"{FEEDS}/tout.xml"

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Item:
    """A sheet added or revised in a month."""

    practice: str
    month: str
    """« 2026-11 »."""
    added: bool
    published: dt.date
    """Creation day, or the month's first revision."""
    updated: dt.date
    """The month's last revision (the creation day if none)."""
    what: tuple[str, ...]
    """What the month's revisions changed (values of LABELS["change"], in their declared order); empty for an addition."""
    notes: tuple[str, ...]

    @property
    def changed(self) -> str:
        """« niveau de preuve ajouté, statut daté »: what the month's revisions changed."""
        labels = (LABELS["change"][what] for what in self.what)
        return ", ".join(label[:1].lower() + label[1:] for label in labels)

    @property
    def label(self) -> str:
        """« Nouvelle fiche », « Fiche revue : niveau de preuve ajouté, statut daté »."""
        return "Nouvelle fiche" if self.added else f"Fiche revue : {self.changed}"


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_fr(month: str) -> str:
    """« 2026-11 » → « Novembre 2026 »."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1].capitalize()} {year}"


def items(kb: KnowledgeBase) -> list[Item]:
    """Every item of the base, newest first (then by sheet id, for a stable order)."""
    order = list(LABELS["change"])
    found = []
    for pid, entry in kb.practices.items():
        practice = entry.data
        by_month: defaultdict[str, list[Change]] = defaultdict(list)
        created = _month(practice.created)
        by_month[created] = []
        for change in practice.changes:
            by_month[_month(change.date)].append(change)
        for month, changes in by_month.items():
            days = [c.date for c in changes]
            added = month == created
            whats = {c.what for c in changes}
            found.append(
                Item(
                    practice=pid,
                    month=month,
                    added=added,
                    published=practice.created if added else min(days),
                    updated=max([practice.created, *days]) if added else max(days),
                    what=() if added else tuple(sorted(whats, key=order.index)),
                    notes=() if added else tuple(c.note for c in changes if c.note),
                )
            )
    return sorted(found, key=lambda item: (-item.updated.toordinal(), item.practice, item.month))


@dataclass(frozen=True)
class MonthNews:
    """A month of /nouveautes/: the items listed, and how many more there are."""

    month: str
    added: tuple[Item, ...]
    revised: tuple[Item, ...]
    more_added: int
    more_revised: int

    @property
    def title(self) -> str:
        return month_fr(self.month)


def month_news(all_items: Sequence[Item], *, months: int = NEWS_MONTHS, limit: int = NEWS_LIMIT) -> tuple[list[MonthNews], int]:
    """The months of /nouveautes/, newest first, and the number of items of older months left out.

    At most ``months`` months (those with news) and ``limit`` items in all: the page stays the same size at any scale.
    """
    by_month: dict[str, list[Item]] = {}
    for item in all_items:
        by_month.setdefault(item.month, []).append(item)
    shown_months = sorted(by_month, reverse=True)[:months]
    older = sum(len(by_month[m]) for m in by_month if m not in shown_months)
    budget = limit
    result = []
    for month in shown_months:
        added = [i for i in by_month[month] if i.added]
        revised = [i for i in by_month[month] if not i.added]
        keep_added = added[:budget]
        budget -= len(keep_added)
        keep_revised = revised[:budget]
        budget -= len(keep_revised)
        result.append(MonthNews(month, tuple(keep_added), tuple(keep_revised), len(added) - len(keep_added), len(revised) - len(keep_revised)))
    return result, older


def page_url(site_url: str, uri: str) -> str:
    """The address of a generated page in the built site: « pratiques/x.md » → « <site>/pratiques/x/ »."""
    path = uri.removesuffix(".md")
    path = path.removesuffix("index") if path == "index" or path.endswith("/index") else f"{path}/"
    return site_url.rstrip("/") + "/" + path


def feed_uri(collection: Collection, key: str) -> str:
    return f"{FEEDS}/{collection.url}/{key}.xml"


@dataclass(frozen=True)
class Feed:
    uri: str
    title: str
    page: str
    """The page the feed follows (its « alternate » link)."""
    items: tuple[Item, ...]


def feeds(kb: KnowledgeBase, all_items: Sequence[Item], lists: Mapping[str, Mapping[str, Iterable[str]]], name: Mapping[str, Mapping[str, str]]) -> list[Feed]:
    """The feed of the whole base, then one per entry of each collection declared with ``feed``.

    ``lists``: collection → entry → the practices its page lists (the graph's index);
    ``name``: collection → entry → its name as readers see it.
    """
    by_practice: defaultdict[str, list[Item]] = defaultdict(list)
    rank = {id(item): n for n, item in enumerate(all_items)}
    for item in all_items:
        by_practice[item.practice].append(item)
    result = [Feed(ALL_FEED, "Nouveautés de toute la base", "nouveautes.md", tuple(all_items[:FEED_SIZE]))]
    for collection in kb.registry.values():
        if not collection.feed:
            continue
        listed = lists[collection.name]
        for key in sorted(kb.collection(collection.name)):
            chosen = sorted((item for pid in listed.get(key, ()) for item in by_practice[pid]), key=lambda item: rank[id(item)])
            title = f"Nouveautés : {name[collection.name][key]}"
            result.append(Feed(feed_uri(collection, key), title, collection.page_uri(key), tuple(chosen[:FEED_SIZE])))
    return result


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _tag(site_url: str, item: Item) -> str:
    """A stable id: the site's host, the item's month, the sheet and what happened (RFC 4151)."""
    parts = urlsplit(site_url)
    path = parts.path.strip("/")
    event = "nouvelle-fiche" if item.added else "revision"
    return f"tag:{parts.hostname},{item.month}:{path + '/' if path else ''}pratiques/{item.practice}/{event}"


def atom(feed: Feed, kb: KnowledgeBase, *, site_url: str, site_name: str, fallback: dt.date) -> str:
    """The feed as Atom XML. ``fallback``: its « updated » date when it has no entry (the newest item of the base)."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        element.text = text
        return element

    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})
    self_url = site_url.rstrip("/") + "/" + feed.uri
    sub(root, "id", self_url)
    sub(root, "title", f"{feed.title} — {site_name}")
    sub(root, "updated", _stamp(max((item.updated for item in feed.items), default=fallback)))
    sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(root, "link", rel="alternate", type="text/html", href=page_url(site_url, feed.page))
    author = sub(root, "author")
    sub(author, "name", site_name)
    for item in feed.items:
        practice = kb.practices[item.practice].data
        entry = sub(root, "entry")
        sub(entry, "id", _tag(site_url, item))
        sub(entry, "title", f"{'Nouvelle fiche' if item.added else 'Fiche revue'} : {practice.title}")
        sub(entry, "link", rel="alternate", type="text/html", href=page_url(site_url, kb.registry["practices"].page_uri(item.practice)))
        sub(entry, "published", _stamp(item.published))
        sub(entry, "updated", _stamp(item.updated))
        notes = "".join(f" {note}" if note.endswith(".") else f" {note}." for note in item.notes)
        sub(entry, "summary", f"{item.label}.{notes} {practice.summary}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
