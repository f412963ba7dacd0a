"""Markdown pages of the site, rendered in memory from Jinja templates."""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from . import evidence, figures, news
from .editorial import REVIEW_YEARS, build_date, last_day, overdue, review_due, status_doubts, status_note
from .export import CSV_PATH, EXCEL_CSV_PATH, JSON_PATH, PATHWAYS_JSON_PATH, pathways_json, practices_csv, practices_excel_csv, practices_json
from .graph import CITED_BY_LIMIT, Graph
from .history import name_at, named_then, renamed_in, renamed_since, sheet_date
from .labels import EVIDENCE_RUBRIC, LABELS, date_fr, period_fr
from .problems import KnowledgeBaseError, Problem
from .registry import SEARCH_FACETS, TEMPLATES, Collection, Registry
from .search_data import search_files
from .territory_map import UNPLACED_LIMIT, TerritoryMap, page_url, territory_map

__all__ = ["LIST_SIZE", "SITE_PAGES", "Page", "Pager", "SitePage", "paginate", "render_site"]

# Practices per list page: a list longer than this is split into numbered pages,
# so that no page grows with the knowledge base (about 100 KB of HTML each).
LIST_SIZE = 100


@dataclass(frozen=True)
class Page:
    """A generated Markdown page and the YAML file a reader would edit to change it.

    ``source`` is the file as shown in messages; ``edit_path`` is the same file
    relative to the repository root, for "edit this sheet" links.
    """

    uri: str
    content: str
    source: str | None
    edit_path: str | None = None
    # Listed in the menu (or reached only through links: entity pages, list continuations).
    in_nav: bool = True
    # Indexed for search; continuation pages of long lists only repeat their first page's title.
    searchable: bool = True


@dataclass(frozen=True)
class Pager:
    """Where a list page sits among the pages of its list: ``uris[0]`` is the first page."""

    number: int
    uris: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.uris)

    def links(self) -> list[tuple[str, str | None]]:
        """(text, page) pairs to show: previous, first, last, two around this page, next; no page for gaps and this page."""
        keep = sorted({1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)})
        links: list[tuple[str, str | None]] = [("‹ précédente", self.uris[self.number - 2])] if self.number > 1 else []
        for previous, current in zip([0, *keep], keep, strict=False):
            if current - previous > 1:
                links.append(("…", None))
            links.append((f"**{current}**", None) if current == self.number else (str(current), self.uris[current - 1]))
        if self.number < self.count:
            links.append(("suivante ›", self.uris[self.number]))
        return links


@dataclass(frozen=True)
class SitePage:
    """A page of the site that is not an entry's nor a collection's list: the method, the evidence map…

    ``paged``: the page lists every practice, split in pages of LIST_SIZE at ``<uri without .md>/page/<n>.md``.
    """

    template: str
    uri: str
    kind: str
    in_nav: bool = True
    paged: bool = False


SITE_PAGES = (
    SitePage("method.md.j2", "methode.md", "Page"),
    SitePage("evidence_map.md.j2", "preuves.md", "Index"),
    SitePage("compare.md.j2", "comparer.md", "Index", paged=True),
    SitePage("news.md.j2", "nouveautes.md", "Index"),
    SitePage("map.md.j2", "carte.md", "Index"),
    SitePage("figures.md.j2", "chiffres.md", "Index"),
    # For the editorial team: linked from « Contribuer », not in the menu.
    SitePage("editorial.md.j2", "redaction.md", "Index", in_nav=False),
)


def paginate(first_uri: str, rest_uri: str, items: Sequence[str]) -> list[tuple[Pager, Sequence[str]]]:
    """Split ``items`` into pages of LIST_SIZE; page n > 1 lives at ``rest_uri.format(n=n)``."""
    count = max(1, math.ceil(len(items) / LIST_SIZE))
    uris = tuple([first_uri] + [rest_uri.format(n=n) for n in range(2, count + 1)])
    return [(Pager(n + 1, uris), items[n * LIST_SIZE : (n + 1) * LIST_SIZE]) for n in range(count)]


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]#|!{}])")


def md_text(value: object) -> str:
    """Plain contributor text placed inside Markdown: no markup, no HTML."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(value), quote=False))


def html_text(value: object) -> str:
    """Text for a place where the theme prints HTML unescaped (title, description).

    « ' » is kept: the theme's attributes are double-quoted, and the footer
    escapes titles once more in its aria-label, where « &#x27; » would be read aloud.
    """
    return html.escape(str(value), quote=False).replace('"', "&quot;")


def yaml_string(value: object) -> str:
    """A front-matter value that YAML reads back exactly (JSON is valid YAML)."""
    return json.dumps(value if isinstance(value, dict) else str(value), ensure_ascii=False, sort_keys=isinstance(value, dict))


# One Jinja environment per registry, kept between the builds of « mkdocs serve »: compiling the
# templates is a tenth of the rendering at 1,000 sheets. Jinja checks each template's file on use
# (auto_reload), so an edited template is compiled again.
_ENVIRONMENTS: dict[int, tuple[Registry, jinja2.Environment]] = {}


def _environment(registry: Registry) -> jinja2.Environment:
    kept = _ENVIRONMENTS.get(id(registry))
    if kept is None or kept[0] is not registry:
        kept = _ENVIRONMENTS[id(registry)] = (registry, _new_environment(registry))
    return kept[1]


def _new_environment(registry: Registry) -> jinja2.Environment:
    folders = list(dict.fromkeys([TEMPLATES, *(c.templates for c in registry.values())]))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=False,  # the output is Markdown; text is escaped with md_text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(text=md_text, yaml=yaml_string, date_fr=date_fr, html=html_text, funding_label=LABELS["funding"].__getitem__)
    env.globals.update(period_fr=period_fr, status_note=status_note, status_doubts=status_doubts, overdue=overdue, review_due=review_due, last_day=last_day)
    env.globals.update(labels=LABELS, urls=registry.urls, cited_by_limit=CITED_BY_LIMIT, list_size=LIST_SIZE, review_years=REVIEW_YEARS)
    env.globals.update(evidence=evidence, rubric=EVIDENCE_RUBRIC, sheet_date=sheet_date, renamed_since=renamed_since, name_at=name_at)
    env.globals.update(page_url=page_url, unplaced_limit=UNPLACED_LIMIT)
    env.globals.update(figures=figures)
    return env


# Statuses in the order a reader deciding what to copy looks for them; unknown last.
_STATUS_ORDER = {status: rank for rank, status in enumerate(("ongoing", "planned", "completed", "discontinued"))}


def practice_orders(graph: Graph, today: dt.date) -> dict[str, tuple[str, Sequence[str]]]:
    """The orders the list of all practices is offered in: folder under its URL ("" = by title) → (label, ids).

    Each order is its own series of list pages, so that sorting needs no
    JavaScript and covers every practice, not one page of them.
    """
    title_rank = {pid: n for n, pid in enumerate(graph.practices_sorted)}
    practices = graph.kb.practices

    def by_evidence(pid: str) -> tuple[int, int]:
        return (-evidence.rank(practices[pid].data.evidence.level), title_rank[pid])

    def by_status(pid: str) -> tuple[int, bool, int]:
        p = practices[pid].data
        note = status_note(p, today)
        return (_STATUS_ORDER.get(p.status or "", len(_STATUS_ORDER)), bool(note and not note.current), title_rank[pid])

    return {
        "": ("par titre", graph.practices_sorted),
        "par-niveau-de-preuve": ("par niveau de preuve", sorted(practices, key=by_evidence)),
        "par-statut": ("par statut", sorted(practices, key=by_status)),
    }


def _decade(year: str) -> str:
    return f"années {year[:3]}0"


def practice_facets(graph: Graph, practice_id: str, name: Callable[[str, str], str]) -> dict[str, list[str]]:
    """Facet values of a practice, as readers filter on them, in the search page's order.

    A collection with a facet gives the names of the entries the practice refers
    to (a territory counts for the territories around it); the practice's own
    enumerations give the rest.
    """
    kb = graph.kb
    p = kb.practices[practice_id].data
    period = (p.period.start or p.period.end) if p.period else None
    own = {
        "nature": [LABELS["kind"][p.kind]],
        "preuve": [LABELS["evidence_level"][p.evidence.level]],
        "statut": [LABELS["status"][p.status]] if p.status else [],
        "periode": [_decade(period)] if period else [],
    }
    by_collection = {c.facet: c.name for c in kb.registry.values() if c.facet}
    facets: dict[str, list[str]] = {}
    for facet in SEARCH_FACETS:
        collection = by_collection.get(facet)
        values = [name(collection, key) for key in graph.refs_of(practice_id, collection)] if collection else own.get(facet, [])
        if values:
            facets[facet] = values
    return facets


def _organisation_name(organisation: Any) -> str:
    acronym = organisation.acronym
    return f"{organisation.name} ({acronym})" if acronym and acronym != organisation.name else str(organisation.name)


_SAFE_URI = re.compile(r"^(?!.*(?:^|/)\.\.?(?:/|$))[a-z0-9][a-z0-9._/-]*$")


def _check_uris(pages: Iterable[Page]) -> None:
    """Ids are slugs already; this is the last lock: no page path can leave the site folder."""
    for page in pages:
        if not _SAFE_URI.match(page.uri) or "//" in page.uri:
            raise ValueError(f"unsafe page path {page.uri!r}")


def _check_collisions(pages: Iterable[Page]) -> None:
    owners: dict[str, Page] = {}
    problems = []
    for page in pages:
        first = owners.setdefault(page.uri, page)
        if first is not page:
            problems.append(
                Problem(
                    page.source or first.source or "practices",
                    1,
                    1,
                    "",
                    f"deux pages auraient la même adresse /{page.uri.removesuffix('.md').removesuffix('index')}",
                    f"renommez l'un des fichiers ({first.source or 'page du site'} ou {page.source or 'page du site'})",
                )
            )
    if problems:
        raise KnowledgeBaseError(problems)


def render_site(
    graph: Graph,
    *,
    repo_root: Path | None = None,
    edit_base: str | None = None,
    site_texts: Iterable[str] = (),
    today: dt.date | None = None,
    site_url: str | None = None,
    site_name: str = "",
    france_map: TerritoryMap | None = None,
    downloads: Mapping[str, Any] | None = None,
    phase: Callable[[str], AbstractContextManager[None]] = lambda _name: nullcontext(),
) -> list[Page]:
    """Every generated page, in a stable order; raise if two would share a URL.

    ``repo_root`` is where source paths are shown from and edited from;
    ``edit_base`` is the forge URL that an edit path is appended to;
    ``site_texts`` are the site's other pages (hand-written), for the search vocabulary;
    ``today`` is the date statuses and reviews are read at (``SOURCE_DATE_EPOCH`` by default);
    ``site_url`` is the published site's address (mkdocs' ``site_url``), which Atom feeds need
    for their absolute links: without it, no feed is written nor announced;
    ``site_name`` names the site in the feeds;
    ``france_map`` is the map of /carte/ and of the territory pages (drawn here when not given:
    the hook draws it beforehand, to time it apart);
    ``downloads`` are the PDFs made for this build (``knowledge.pdf.Edition`` by name: « guide », « cards »), which the
    home page and the guide link with their size; none: no link;
    ``phase`` times parts of the rendering for the benchmark (the hook's clock): « render.feeds_s »,
    each site page (« render.chiffres_s »…) and each collection's pages (« render.pathways_s »…).
    """
    kb = graph.kb
    renderer = _Renderer(graph, repo_root=repo_root, edit_base=edit_base, today=today or build_date(), feeds=site_url is not None)
    renderer.common["tmap"] = france_map or territory_map(graph)
    renderer.common["downloads"] = downloads or {}
    # The pages that lead somewhere first (home, list pages, single pages), then the entries'.
    pages = [renderer.render("home.md.j2", "index.md", None, kind="Accueil")]
    for collection in kb.registry.values():
        pages += renderer.index_pages(collection)
    for site_page in SITE_PAGES:
        with phase(f"render.{Path(site_page.uri).stem}_s"):
            pages += renderer.site_pages(site_page)
    pages += [
        Page(uri=JSON_PATH, content=practices_json(kb), source=None),
        Page(uri=CSV_PATH, content=practices_csv(kb), source=None),
        Page(uri=EXCEL_CSV_PATH, content=practices_excel_csv(kb), source=None),
        Page(uri=PATHWAYS_JSON_PATH, content=pathways_json(kb), source=None),
    ]
    pages += [Page(uri=uri, content=content, source=None) for uri, content in search_files(kb, site_texts).items()]
    if site_url is not None:
        with phase("render.feeds_s"):
            pages += renderer.feed_pages(site_url, site_name)
    for collection in kb.registry.values():
        with phase(f"render.{collection.name}_s"):
            pages += renderer.entry_pages(collection)
    _check_uris(pages)
    _check_collisions(pages)
    return pages


def render_entry_pages(
    graph: Graph,
    collection: str,
    keys: AbstractSet[str],
    *,
    repo_root: Path | None = None,
    edit_base: str | None = None,
    today: dt.date | None = None,
    site_url: str | None = None,
) -> list[Page]:
    """The pages of some entries of a collection only, the same as ``render_site`` makes them: the live
    preview shows an edited sheet's page first, and every other page in the build that follows."""
    renderer = _Renderer(graph, repo_root=repo_root, edit_base=edit_base, today=today or build_date(), feeds=site_url is not None)
    return renderer.entry_pages(graph.kb.registry[collection], keys)


class _Renderer:
    """The pages of each collection, from the registry's declaration and the templates."""

    def __init__(self, graph: Graph, *, repo_root: Path | None, edit_base: str | None, today: dt.date, feeds: bool = False) -> None:
        self.graph = graph
        self.kb = graph.kb
        self.repo_root = repo_root.absolute() if repo_root else None
        self.edit_base = edit_base
        self.env = _environment(self.kb.registry)
        name, link = _naming(graph)
        # Once per build, not once per page: the organisations by id, for « Noms d'aujourd'hui ».
        organisations = {key: entry.data for key, entry in self.kb.organisations.items()}
        self.name = name
        self.news = news.items(self.kb)
        months, older = news.month_news(self.news)
        self.common: dict[str, Any] = {
            "kb": self.kb,
            "graph": graph,
            "name": name,
            "link": link,
            "org_link": _organisation_link(graph, link),
            "renamed": lambda keys, when: renamed_in(organisations, list(keys), when),
            "edit_url": self.edit_url,
            "edit_path": self.edit_path,
            "today": today,
            # What is new: every item (newest first), the months of /nouveautes/, the items of older months left out.
            "news": self.news,
            "news_months": months,
            "news_older": older,
            "news_limit": news.NEWS_LIMIT,
            # The whole base's feed, when feeds are written; a page's own feed (its « feed » front matter) is set per page.
            "all_feed": {"href": news.ALL_FEED, "title": "Nouveautés de toute la base (flux Atom)"} if feeds else None,
            "feed": None,
        }
        self.feeds = feeds

    def edit_path(self, path: str | None) -> str | None:
        if path is None or self.repo_root is None:
            return path
        absolute = Path(path).absolute()
        return absolute.relative_to(self.repo_root).as_posix() if absolute.is_relative_to(self.repo_root) else None

    def edit_url(self, path: str | None) -> str | None:
        relative = self.edit_path(path)
        return f"{self.edit_base}{relative}" if self.edit_base and relative else None

    def render(
        self,
        template: str,
        uri: str,
        source: str | None = None,
        *,
        kind: str,
        in_nav: bool = True,
        searchable: bool = True,
        filters: dict[str, list[str]] | None = None,
        meta: dict[str, str] | None = None,
        **context: Any,
    ) -> Page:
        search = {"kind": kind, "filters": filters or {}, **({"meta": meta} if meta else {}), **({} if searchable else {"index": False})}
        content = self.env.get_template(template).render({**self.common, "page_uri": uri, "search": search, **context})
        return Page(uri=uri, content=content, source=source, edit_path=self.edit_path(source), in_nav=in_nav, searchable=searchable)

    def _result_meta(self, practice: Any) -> dict[str, str]:
        """What a search result shows of a practice besides its title: its evidence level and its status as true today."""
        level = practice.evidence.level
        meta = {"preuve": LABELS["evidence_level"][level], "niveau": str(evidence.rank(level))}
        note = status_note(practice, self.common["today"])
        return {**meta, "statut": note.short} if note else meta

    def _context(self, collection: Collection) -> dict[str, Any]:
        return dict(collection.context(self.kb)) if collection.context else {}

    def index_pages(self, collection: Collection) -> list[Page]:
        """The list page (the page of a single-entry collection); the list of all practices is split in pages of LIST_SIZE."""
        if collection.single and collection.template:
            entry = self.kb.single(collection.name)
            page = self.render(
                collection.template, collection.page_uri(entry.id), source=entry.path, kind=collection.kind, in_nav=collection.in_nav, entry=entry
            )
            return [page]
        if collection.index_template is None:
            return []
        entries = self.kb.collection(collection.name)
        # Where the list's own text is written, when it has some (the guide's chapters).
        source = next((e.path for e in entries.values()), None) if collection.in_nav else None
        if collection.name != "practices":
            context = {"collection": collection.name, **self._context(collection)}
            return [self.render(collection.index_template, collection.index_uri, source, kind=collection.index_kind, **context)]
        pages = []
        orders = practice_orders(self.graph, self.common["today"])
        for order, (_label, pids_in_order) in orders.items():
            folder = f"{collection.url}/{order}" if order else collection.url
            split = paginate(f"{folder}/index.md", f"{folder}/page/{{n}}.md", pids_in_order)
            # Only the list by title is in the menu and the search: the others are the same practices.
            first = not order
            pages += [
                self.render(
                    collection.index_template,
                    pager.uris[pager.number - 1],
                    source,
                    kind=collection.index_kind,
                    in_nav=first and pager.number == 1,
                    searchable=first and pager.number == 1,
                    pager=pager,
                    pids=pids,
                    order=order,
                    orders={key: (text, f"{collection.url}/{key}/index.md" if key else collection.index_uri) for key, (text, _) in orders.items()},
                )
                for pager, pids in split
            ]
        return pages

    def site_pages(self, page: SitePage) -> list[Page]:
        if not page.paged:
            return [self.render(page.template, page.uri, kind=page.kind, in_nav=page.in_nav)]
        split = paginate(page.uri, page.uri.removesuffix(".md") + "/page/{n}.md", self.graph.practices_sorted)
        return [
            self.render(
                page.template,
                pager.uris[pager.number - 1],
                kind=page.kind,
                in_nav=page.in_nav and pager.number == 1,
                searchable=pager.number == 1,
                pager=pager,
                pids=pids,
            )
            for pager, pids in split
        ]

    def entry_pages(self, collection: Collection, keys: AbstractSet[str] | None = None) -> list[Page]:
        """One page per entry (or per entry of ``keys``); the practices it lists are split in pages of LIST_SIZE."""
        if collection.single or collection.template is None:
            return []
        pages = []
        entries = self.kb.collection(collection.name)
        extra = self._context(collection)
        # Menu entries keep the file's order (the guide's chapters); the rest, their ids'.
        for key, entry in entries.items() if collection.in_nav else sorted(entries.items()):
            if keys is not None and key not in keys:
                continue
            uri = collection.page_uri(key)
            common: dict[str, Any] = {"source": entry.path, "id": key, "entry": entry, **extra}
            filters = practice_facets(self.graph, key, self.name) if collection.name == "practices" else None
            if collection.lists is None:
                meta = self._result_meta(entry.data) if collection.name == "practices" else None
                pages.append(self.render(collection.template, uri, kind=collection.kind, in_nav=collection.in_nav, filters=filters, meta=meta, **common))
                continue
            listed = getattr(self.graph, collection.lists).get(key, ())
            if collection.feed and self.feeds:
                common["feed"] = {"href": news.feed_uri(collection, key), "title": f"Nouveautés : {self.name(collection.name, key)} (flux Atom)"}
            (first, pids), *rest = paginate(uri, f"{collection.url}/{key}/fiches/{{n}}.md", listed)
            listing: dict[str, Any] = {"pager": first, "pids": pids, "total": len(listed)}
            pages.append(self.render(collection.template, uri, kind=collection.kind, in_nav=collection.in_nav, **listing, **common))
            pages += [
                self.render(
                    "practice_list_page.md.j2",
                    pager.uris[pager.number - 1],
                    kind="Index",
                    in_nav=False,
                    searchable=False,
                    collection=collection.name,
                    pager=pager,
                    pids=pids,
                    total=len(listed),
                    **common,
                )
                for pager, pids in rest
            ]
        return pages

    def feed_pages(self, site_url: str, site_name: str) -> list[Page]:
        """The Atom feeds: the whole base, then each entry of the collections declared with ``feed``."""
        kb = self.kb
        lists = {c.name: getattr(self.graph, c.lists) for c in kb.registry.values() if c.feed and c.lists}
        names = {c: {key: self.name(c, key) for key in kb.collection(c)} for c in lists}
        fallback = self.news[0].updated if self.news else self.common["today"]
        return [
            Page(uri=feed.uri, content=news.atom(feed, kb, site_url=site_url, site_name=site_name or site_url, fallback=fallback), source=None)
            for feed in news.feeds(kb, self.news, lists, names)
        ]


def _organisation_link(graph: Graph, link: Callable[[str, str], str]) -> Callable[[str, str | None], str]:
    """``org_link('pole-emploi', '2010')`` → ``[France Travail](…) (alors Pôle emploi)``: today's name, with the one a source used."""
    organisations = graph.kb.organisations

    def org_link(key: str, when: str | None) -> str:
        then = named_then(organisations[key].data, when)
        return f"{link('organisations', key)} ({md_text(then)})" if then else link("organisations", key)

    return org_link


def _naming(graph: Graph) -> tuple[Callable[[str, str], str], Callable[[str, str], str]]:
    """``name`` of an entity as readers see it, and ``link('organisations', 'face')`` →
    ``[Fondation … (FACE)](/organisations/face.md)``."""
    kb = graph.kb

    def name(collection: str, key: str) -> str:
        data: Any = kb.collection(collection)[key].data
        if collection == "organisations":
            return _organisation_name(data)
        return str(getattr(data, "title", None) or data.name)

    def link(collection: str, key: str) -> str:
        return f"[{md_text(name(collection, key))}](/{kb.registry[collection].page_uri(key)})"

    return name, link
