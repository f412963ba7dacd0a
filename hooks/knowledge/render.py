"""Markdown pages of the site, rendered in memory from Jinja templates."""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .export import CSV_PATH, JSON_PATH, practices_csv, practices_json
from .graph import CITED_BY_LIMIT, Graph
from .labels import LABELS, date_fr, period_fr
from .problems import KnowledgeBaseError, Problem

__all__ = ["LIST_SIZE", "URLS", "Page", "Pager", "paginate", "render_site"]

TEMPLATES = Path(__file__).parent / "templates"

# Where each collection lives in the site; French because readers see URLs.
URLS = {
    "practices": "pratiques",
    "organisations": "organisations",
    "territories": "territoires",
    "agreements": "conventions",
    "themes": "guide",
    "audiences": "publics",
    "cooperation_fields": "champs-de-cooperation",
}

# Practices per list page: a list longer than this is split into numbered pages,
# so that no page grows with the knowledge base (about 100 KB of HTML each).
LIST_SIZE = 100

# Which practices an entity's page lists, by collection (see Graph).
LISTS = {
    "themes": "by_theme",
    "organisations": "by_organisation",
    "territories": "by_territory_tree",
    "audiences": "by_audience",
    "agreements": "by_agreement",
    "cooperation_fields": "by_field",
}


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
    # Continuation pages of long lists: reached from their first page, not the menu.
    in_nav: bool = True


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


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # the output is Markdown; text is escaped with md_text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(text=md_text, yaml=yaml_string, date_fr=date_fr, html=html_text)
    env.globals.update(period_fr=period_fr)
    env.globals.update(labels=LABELS, urls=URLS, cited_by_limit=CITED_BY_LIMIT, list_size=LIST_SIZE)
    return env


# The page kind shown beside each search result, by template.
PAGE_KINDS = {
    "home.md.j2": "Accueil",
    "guide.md.j2": "Guide",
    "theme.md.j2": "Chapitre du guide",
    "manifesto.md.j2": "Manifeste",
    "practice.md.j2": "Fiche",
    "organisation.md.j2": "Organisation",
    "territory.md.j2": "Territoire",
    "agreement.md.j2": "Convention",
    "audience.md.j2": "Public",
    "field.md.j2": "Champ de coopération",
}


def _decade(year: str) -> str:
    return f"années {year[:3]}0"


def practice_facets(graph: Graph, practice_id: str) -> dict[str, list[str]]:
    """Facet values of a practice, as readers filter on them; a region includes its towns."""
    kb = graph.kb
    p = kb.practices[practice_id].data
    territories = dict.fromkeys(t for own in p.territories for t in (own, *graph.ancestors[own]))
    period = (p.period.start or p.period.end) if p.period else None
    facets = {
        "theme": [kb.themes[t].data.title for t in p.themes],
        "territoire": [kb.territories[t].data.name for t in territories],
        "public": [kb.audiences[a].data.name for a in p.audiences],
        "organisation": [_organisation_name(kb.organisations[o].data) for o in graph.organisations_of(practice_id)],
        "nature": [LABELS["kind"][p.kind]],
        "statut": [LABELS["status"][p.status]] if p.status else [],
        "periode": [_decade(period)] if period else [],
    }
    return {name: values for name, values in facets.items() if values}


def _organisation_name(organisation: Any) -> str:
    acronym = organisation.acronym
    return f"{organisation.name} ({acronym})" if acronym and acronym != organisation.name else str(organisation.name)


def _uri(collection: str, key: str) -> str:
    return f"{URLS[collection]}/{key}.md"


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


def render_site(graph: Graph, *, repo_root: Path | None = None, edit_base: str | None = None) -> list[Page]:
    """Every generated page, in a stable order; raise if two would share a URL.

    ``repo_root`` is where source paths are shown from and edited from;
    ``edit_base`` is the forge URL that an edit path is appended to.
    """
    kb = graph.kb
    env = _environment()
    # Once per practice: its page's search filters.
    facets = {pid: practice_facets(graph, pid) for pid in kb.practices}

    def edit_path(path: str | None) -> str | None:
        if path is None or repo_root is None:
            return path
        absolute = Path(path).absolute()
        return absolute.relative_to(repo_root.absolute()).as_posix() if absolute.is_relative_to(repo_root.absolute()) else None

    def edit_url(path: str | None) -> str | None:
        relative = edit_path(path)
        return f"{edit_base}{relative}" if edit_base and relative else None

    name, link = _naming(graph)
    common: dict[str, Any] = {"kb": kb, "graph": graph, "name": name, "link": link, "edit_url": edit_url, "edit_path": edit_path}

    def render(template: str, uri: str, source: str | None, *, in_nav: bool = True, **context: Any) -> Page:
        kind = PAGE_KINDS.get(template, "Index")
        # List continuation pages are not searched: their titles would only repeat the first page's.
        search = {"kind": kind, "filters": facets[context["id"]] if template == "practice.md.j2" else {}, **({} if in_nav else {"index": False})}
        content = env.get_template(template).render(**common, page_uri=uri, search=search, **context)
        return Page(uri=uri, content=content, source=source, edit_path=edit_path(source), in_nav=in_nav)

    pages = [
        render("home.md.j2", "index.md", None),
        render("guide.md.j2", "guide/index.md", next((t.path for t in kb.themes.values()), None)),
        render("manifesto.md.j2", "manifeste.md", kb.manifesto.path),
    ]
    for pager, pids in paginate("pratiques/index.md", "pratiques/page/{n}.md", graph.practices_sorted):
        pages.append(render("practices_index.md.j2", pager.uris[pager.number - 1], None, in_nav=pager.number == 1, pager=pager, pids=pids))
    pages += [
        Page(uri=JSON_PATH, content=practices_json(kb), source=None),
        Page(uri=CSV_PATH, content=practices_csv(kb), source=None),
        render("organisations_index.md.j2", "organisations/index.md", None),
        render("territories_index.md.j2", "territoires/index.md", None),
        render("agreements_index.md.j2", "conventions/index.md", None),
        render("audiences_index.md.j2", "publics/index.md", None),
        render("fields_index.md.j2", "champs-de-cooperation/index.md", None),
    ]
    chapters = list(kb.themes)
    numbers = {tid: number for number, tid in enumerate(chapters, start=1)}
    kinds = [
        ("themes", "theme.md.j2"),
        ("practices", "practice.md.j2"),
        ("organisations", "organisation.md.j2"),
        ("territories", "territory.md.j2"),
        ("agreements", "agreement.md.j2"),
        ("audiences", "audience.md.j2"),
        ("cooperation_fields", "field.md.j2"),
    ]
    for collection, template in kinds:
        entries = kb.collection(collection).items() if collection == "themes" else sorted(kb.collection(collection).items())
        for key, entry in entries:
            extra: dict[str, Any] = {"number": numbers[key], "chapters": chapters} if collection == "themes" else {}
            if collection not in LISTS:
                pages.append(render(template, _uri(collection, key), entry.path, id=key, entry=entry, **extra))
                continue
            listed = getattr(graph, LISTS[collection]).get(key, ())
            split = paginate(_uri(collection, key), f"{URLS[collection]}/{key}/fiches/{{n}}.md", listed)
            first, pids = split[0]
            pages.append(render(template, _uri(collection, key), entry.path, id=key, entry=entry, pager=first, pids=pids, total=len(listed), **extra))
            for pager, pids in split[1:]:
                pages.append(
                    render(
                        "practice_list_page.md.j2",
                        pager.uris[pager.number - 1],
                        entry.path,
                        in_nav=False,
                        id=key,
                        collection=collection,
                        pager=pager,
                        pids=pids,
                        total=len(listed),
                    )
                )
    _check_uris(pages)
    _check_collisions(pages)
    return pages


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
        return f"[{md_text(name(collection, key))}](/{_uri(collection, key)})"

    return name, link
