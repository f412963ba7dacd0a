"""MkDocs glue: each event calls one function of the ``knowledge`` core package.

The settings under ``extra.knowledge_base`` in mkdocs.yml are checked with
MkDocs' own ``Config`` classes in ``on_config``: a misspelt or unknown key
stops the build with its name. Per-build state (settings, phase clock) lives
on the build's config object, made anew for each build, never in this module:
under ``mkdocs serve`` this module outlives builds. The module-level objects
belong to a session, not a build: the preview session of ``make serve``
(``knowledge/preview.py``, ``on_startup`` → ``on_shutdown``), which must
remember the previous build to know what changed, and the search index it
writes beside the server; the list of running search indexers, which a
failed build must stop; and, under ``mkdocs build``, the build whose search
index is written by ``on_shutdown``.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import logging
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data
from mkdocs.utils.templates import TemplateContext

from knowledge import Graph, KnowledgeBaseError, closest, format_problems, link, load_knowledge_base, render_site, repair_theme_markup, sanitize_html
from knowledge.clock import PhaseClock
from knowledge.editorial import build_date
from knowledge.glossary import Abbreviations, abbreviations
from knowledge.model import KnowledgeBase
from knowledge.pdf import CACHE, Edition, PdfError, build_editions
from knowledge.preview import NEXT_BUILD_AFTER_S, PreviewSession, site_key
from knowledge.print_links import absolute_url, mark_link_targets, print_date
from knowledge.render import Page as RenderedPage
from knowledge.render import render_entry_pages
from knowledge.search_index import SearchIndexError, SiteIndexer
from knowledge.share import SHARE_KINDS, Card, card_png, cards, share_meta
from knowledge.site_tree import generated_files, menu_entries, site_nav
from knowledge.territory_map import MapDataMissing, TerritoryMap, territory_map

log = logging.getLogger("mkdocs.plugins.knowledge_base")


class Settings(base.Config):  # type: ignore[no-untyped-call]
    """``extra.knowledge_base`` in mkdocs.yml."""

    practices_dir = c.Type(str, default="practices")
    """Folder of the sheets, relative to mkdocs.yml."""
    branch = c.Type(str, default="main")
    """Branch that « Modifier cette fiche » links edit."""
    search = c.Choice(("pagefind", "material"), default="pagefind")
    """``material``: no Pagefind index (the search benchmark builds Material's search instead)."""
    timings = c.Optional(c.Type(str))
    """File to write the phase times to, after the build (the scale benchmark)."""


@dataclass
class _Build:
    settings: Settings
    practices: Path
    clock: PhaseClock = field(default_factory=PhaseClock)
    # The glossary's acronyms, marked in every page (set once the sheets are loaded).
    abbreviations: Abbreviations = field(default_factory=lambda: Abbreviations({}))
    # The link-preview card of each page kind (« "" »: the site's), set once the registry is loaded.
    cards: dict[str, Card] = field(default_factory=dict)
    # The search index, fed each page as it is written (started by on_env, written by on_post_build).
    indexer: SiteIndexer | None = None
    # Under « make serve »: only the edited sheets' pages are rebuilt, every other page by the build asked for next.
    first: bool = False
    # When the build started (on_config): a full build's duration decides whether the next edit is shown first.
    started: float = field(default_factory=time.perf_counter)


# What « make serve » (mkdocs serve --dirty) remembers between builds.
_SESSION: PreviewSession | None = None
# Under « mkdocs serve » the PDFs are not made (minutes at 10,000 practices): the preview is for the pages.
_SERVING = False
# The search indexes being fed, to stop their Pagefind if the build fails (on_build_error has no config).
_INDEXERS: list[SiteIndexer] = []
# The MkDocs command running (on_startup), and under « mkdocs build » the build whose search index is
# written once MkDocs has returned (on_shutdown).
_COMMAND = ""
_AFTER_BUILD: list[_Build] = []
# Under « mkdocs serve », the last build's search index being written once its pages are
# served (the page reloads without waiting for it); the next build waits for it.
_INDEXING: threading.Thread | None = None


def _settings(config: MkDocsConfig) -> Settings:
    settings = Settings(config_file_path=config.config_file_path)
    raw = config.extra.get("knowledge_base", {})
    if not isinstance(raw, dict):
        raise Abort("mkdocs.yml : extra.knowledge_base doit être un ensemble de réglages")
    settings.load_dict(raw)
    errors, warnings = settings.validate()
    # An unknown key is only a warning for MkDocs; here it is a mistake to fix.
    unknown = set(raw) - {key for key, _ in settings._schema}
    problems = [f"extra.knowledge_base.{key} : {error}" for key, error in errors]
    problems += [f"extra.knowledge_base.{key} : réglage inconnu ; {closest(key, [k for k, _ in settings._schema]) or 'retirez-le'}" for key in sorted(unknown)]
    problems += [f"extra.knowledge_base.{key} : {warning}" for key, warning in warnings if key not in unknown]
    if problems:
        raise Abort("Réglages invalides dans mkdocs.yml :\n  " + "\n  ".join(problems))
    return settings


def _build(config: MkDocsConfig) -> _Build:
    build: _Build = getattr(config, "_knowledge_base")  # noqa: B009 (set by on_config)
    return build


def _searched_text(path: Path) -> str:
    """A hand-written page's text, or nothing if the page is left out of the search index (« kb: {index: false} »)."""
    markdown, meta = get_data(path.read_text(encoding="utf-8"))
    settings = meta.get("kb")
    return "" if isinstance(settings, dict) and settings.get("index") is False else markdown


def _edit_base(config: MkDocsConfig, branch: str) -> str | None:
    """Repository URL of the practices folder's parent, for 'edit this sheet' links."""
    if not config.repo_url:
        return None
    return f"{config.repo_url.rstrip('/')}/edit/{branch}/"


class _FrenchServeMessages(logging.Filter):
    """MkDocs' English lines that a contributor meets under « make serve », said in French."""

    SAID: ClassVar[dict[str, tuple[int, str]]] = {
        "A 'dirty' build is being performed": (logging.INFO, "Aperçu : seules les pages que la modification change sont reconstruites."),
        "An error happened during the rebuild": (
            logging.ERROR,
            "Aperçu en attente : corrigez l'erreur ci-dessus et enregistrez le fichier, l'aperçu reprendra seul (d'ici là, le navigateur reste en chargement).",
        ),
    }
    LOGGERS: ClassVar[tuple[str, ...]] = ("mkdocs.commands.build", "mkdocs.livereload")

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for english, (level, french) in self.SAID.items():
            if english in text:
                # The server's lines start with their time, « [22:01:27] »: kept.
                record.msg, record.args = text[: text.index(english)] + french, ()
                record.levelno, record.levelname = level, logging.getLevelName(level)
        return True


_MESSAGES = _FrenchServeMessages()


def on_startup(command: str, dirty: bool) -> None:
    global _SESSION, _SERVING, _COMMAND
    _SERVING = command == "serve"
    _COMMAND = command
    if _SERVING:
        for name in _MESSAGES.LOGGERS:
            logging.getLogger(name).addFilter(_MESSAGES)
    if command == "serve" and dirty and _SESSION is None:
        _SESSION = PreviewSession()


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]) -> LiveReloadServer:
    # « make serve »: after an edit, the sheet's page first, then every page (PreviewSession.sheets_first); the second
    # build is asked for by writing in a folder the server watches, as any edit does.
    if _SESSION is not None and _SESSION.next_build is None:
        server.watch(str(_SESSION.watched_folder()))
    return server


def on_shutdown() -> None:
    global _SESSION
    for name in _MESSAGES.LOGGERS:
        logging.getLogger(name).removeFilter(_MESSAGES)
    _wait_for_search_index()
    # « mkdocs build »: the search index is written now, once MkDocs has returned and its pages
    # are freed, so that Pagefind's peak (building the index) does not add up with MkDocs'.
    while _AFTER_BUILD:
        build = _AFTER_BUILD.pop()
        gc.collect()
        # Freed memory stays in the C allocator's heap; glibc gives it back to the system
        # (at 1,000 practices, the peak of the process tree: 716 MB without, 537 MB with).
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).malloc_trim(0)
        _finish(build)
    if _SESSION is not None:
        _SESSION.close()
        _SESSION = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    settings = _settings(config)
    practices = (Path(config.config_file_path).parent / settings.practices_dir).resolve()
    setattr(config, "_knowledge_base", _Build(settings, practices))  # noqa: B010 (one attribute per build)
    # Live reload when any sheet changes, wherever the sheets are.
    if practices.is_dir() and str(practices) not in config.watch:
        config.watch.append(str(practices))
    return config


def _preview_sources(config: MkDocsConfig, generated: dict[str, str], menu: object) -> dict[str, str]:
    """Under ``serve --dirty``: generated files on disk, rewritten only when changed (see knowledge/preview.py)."""
    assert _SESSION is not None
    overrides = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    theme_files = sorted(p for p in overrides.rglob("*") if p.is_file()) if overrides else []
    key = site_key([Path(config.config_file_path).read_bytes(), *(p.read_bytes() for p in theme_files), json.dumps(menu).encode()])
    sync = _SESSION.files.sync(generated, key)
    site = Path(config.site_dir)
    if sync.site_changed:
        # The menu, the theme or the configuration changed: every page shows them.
        for child in site.iterdir() if site.is_dir() else ():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    for uri in sync.removed:
        Path(File.generated(config, uri, content="").abs_dest_path).unlink(missing_ok=True)
    return {uri: str(_SESSION.files.path(uri)) for uri in generated}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _build(config)
    try:
        with build.clock.phase("load_validate_s"):
            kb = load_knowledge_base(build.practices, cache=_SESSION.reads if _SESSION else None)
        with build.clock.phase("link_s"):
            graph = link(kb)
            build.abbreviations = Abbreviations(abbreviations(kb))
        if _SESSION is not None:
            _SESSION.cancel_next_build()
        first = _SESSION.sheets_first(kb.registry) if _SESSION else None
        if first is not None:
            return _first_files(files, config, build, graph, *first)
        pages, editions = _render(files, config, build, graph)
    except KnowledgeBaseError as error:
        for problem in error.problems:
            log.error(str(problem))
        # Under « make serve » nothing is to be started again: the next save rebuilds.
        then = " Corrigez-les puis enregistrez : l'aperçu reprendra seul." if _SERVING else " Corrigez les fiches puis relancez."
        log.error(format_problems(error.problems).splitlines()[-1] + then)
        raise Abort("Construction interrompue : fiches invalides.") from None

    for edition in editions.values():
        files.append(File.generated(config, edition.uri, abs_src_path=str(edition.path)))
    generated = generated_files(pages)
    clashes = [uri for uri in generated if files.get_file_from_path(uri) is not None]
    if clashes:
        raise Abort("Pages écrites à la main en conflit avec des pages générées : " + ", ".join(clashes))

    sources = _preview_sources(config, generated, menu_entries(kb)) if _SESSION else {}
    _add_cards(files, config, build, kb)
    visible = {page.uri: page for page in pages}
    layout: dict[str, tuple[bool, str | None]] = {}
    for uri, content in generated.items():
        # Pages reached through list pages stay out of the menu; data files are not pages.
        # Material's edit button: edit_uri is relative to docs/, the sheets are beside it.
        edit_path = visible[uri].edit_path if uri in visible else None
        layout[uri] = (uri in visible and not visible[uri].in_nav, f"../{edit_path}" if edit_path else None)
        files.append(_generated(config, uri, layout[uri], source=sources.get(uri), content=content))
    if _SESSION is not None:
        _SESSION.layout = layout
    _set_nav(config, kb)
    return files


def _render(files: Files, config: MkDocsConfig, build: _Build, graph: Graph) -> tuple[list[RenderedPage], dict[str, Edition]]:
    """Every generated page, and the PDFs."""
    # The map is drawn once per build, whatever the number of sheets (about 0.5 s: outlines read, projected, simplified).
    with build.clock.phase("map_s"):
        france_map = _map(graph)
    # The hand-written pages are searched too: their words belong to the search vocabulary.
    written = [text for file in files.documentation_pages() if file.abs_src_path and (text := _searched_text(Path(file.abs_src_path)))]
    with build.clock.phase("pdf_s"):
        editions = _editions(graph, config)
    with build.clock.phase("render_s"):
        pages = render_site(
            graph,
            repo_root=Path(config.config_file_path).parent.resolve(),
            edit_base=_edit_base(config, build.settings.branch),
            site_texts=written,
            site_url=config.site_url or None,
            site_name=config.site_name,
            france_map=france_map,
            downloads=editions,
            # Parts of the rendering, inside render_s (« render.feeds_s »…), for the benchmark.
            phase=build.clock.phase,
        )
    return pages, editions


def _generated(config: MkDocsConfig, uri: str, layout: tuple[bool, str | None], *, source: str | None, content: str = "") -> File:
    out_of_menu, edit_uri = layout
    inclusion = InclusionLevel.NOT_IN_NAV if out_of_menu else InclusionLevel.UNDEFINED
    file = (
        File.generated(config, uri, abs_src_path=source, inclusion=inclusion) if source else File.generated(config, uri, content=content, inclusion=inclusion)
    )
    file.edit_uri = edit_uri
    return file


def _add_cards(files: Files, config: MkDocsConfig, build: _Build, kb: KnowledgeBase) -> None:
    """The link-preview image of each page kind."""
    build.cards = cards([kind for c in kb.registry.values() for kind in (c.kind, c.index_kind)])
    with build.clock.phase("cards_s"):
        for card in {card.uri: card for card in build.cards.values()}.values():
            files.append(File.generated(config, card.uri, content=card_png(config.site_name, card.label)))


def _set_nav(config: MkDocsConfig, kb: KnowledgeBase) -> None:
    if config.nav is not None:
        config.nav, missing = site_nav(config.nav, kb)
        for uri in missing:
            log.warning(f"mkdocs.yml : aucune section du menu ne contient {uri} ; les pages qui s'y rattachent n'y sont pas listées")


def _first_files(files: Files, config: MkDocsConfig, build: _Build, graph: Graph, collection: str, keys: frozenset[str]) -> Files:
    """The edited sheets' pages rendered again, every other generated file kept as the last build left it
    (MkDocs' dirty mode rebuilds only what is newer than its HTML); the next build is asked for at the end."""
    assert _SESSION is not None
    build.first = True
    with build.clock.phase("render_s"):
        pages = render_entry_pages(
            graph,
            collection,
            keys,
            repo_root=Path(config.config_file_path).parent.resolve(),
            edit_base=_edit_base(config, build.settings.branch),
            site_url=config.site_url or None,
        )
    _SESSION.files.update({page.uri: page.content for page in pages})
    _add_cards(files, config, build, graph.kb)
    for uri, layout in _SESSION.layout.items():
        files.append(_generated(config, uri, layout, source=str(_SESSION.files.path(uri))))
    _set_nav(config, graph.kb)
    return files


def _map(graph: Graph) -> TerritoryMap:
    try:
        return territory_map(graph)
    except MapDataMissing as error:
        raise Abort(str(error)) from None


def _editions(graph: Graph, config: MkDocsConfig) -> dict[str, Edition]:
    """The guide and the cards as PDF (knowledge/pdf.py), kept in « .cache/pdf/ » for the next build of the same content.

    None under « mkdocs serve », nor without ``site_url``: the cards' QR codes give the sheets' addresses.
    """
    if _SERVING or not config.site_url:
        return {}
    cache = Path(config.config_file_path).parent / CACHE
    try:
        return build_editions(graph, cache=cache, site_url=config.site_url, site_name=config.site_name, today=build_date())
    except PdfError as error:
        log.error(f"PDF du guide et des cartes : {error}")
        raise Abort("Construction interrompue : PDF impossible à produire.") from error


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _build(config)
    with build.clock.phase("page_hooks_s"):
        return build.abbreviations(markdown)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Pages made from the sheets carry contributors' text: only allowlisted HTML
    # reaches the template. Hand-written pages in docs/ are ours and keep their forms.
    with _build(config).clock.phase("page_hooks_s"):
        if page.file.generated_by is not None:
            html = sanitize_html(html)
        # After the sanitiser: the absolute address each link prints on paper (kb-print.css).
        return mark_link_targets(html, config.site_url or "", page.url) if config.site_url else html


def on_page_context(context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    # Keys of our own for overrides/main.html: the printed page's header, and the link previews.
    context["kb_print"] = _print_header(page, config)  # type: ignore[typeddict-unknown-key]
    share = _share(page, config)
    if share:
        context["kb_share"] = share  # type: ignore[typeddict-unknown-key]
    return context


def _print_header(page: Page, config: MkDocsConfig) -> dict[str, str]:
    """The header of a printed page: its address and the build day (SOURCE_DATE_EPOCH when set: reproducible)."""
    return {"url": absolute_url(config.site_url, page.url) if config.site_url else "", "date": print_date(build_date())}


def _share(page: Page, config: MkDocsConfig) -> dict[str, object] | None:
    """Link previews (Open Graph, Twitter), printed by overrides/partials/kb-share.html, and whether the page has a share button."""
    build = _build(config)
    settings = page.meta.get("kb")
    kind = settings.get("kind") if isinstance(settings, dict) else None
    card = build.cards.get(kind or "", build.cards.get(""))
    if card is None or not config.site_url or not page.canonical_url:
        return None
    title = config.site_name if page.is_homepage else str(page.meta.get("title") or page.title or config.site_name)
    description = str(page.meta.get("description") or config.site_description or "")
    meta = share_meta(
        title=title,
        description=description,
        url=page.canonical_url,
        site_url=config.site_url,
        site_name=config.site_name,
        card=card,
        article=kind in SHARE_KINDS,
    )
    return {"meta": meta, "button": kind in SHARE_KINDS}


def on_env(env: object, config: MkDocsConfig, files: Files) -> None:
    # The pages are about to be written: Pagefind starts beside MkDocs, and indexes
    # each page on the second core as it is written. The search benchmark turns it
    # off to build the same pages with Material's search.
    build = _build(config)
    # The first build after an edit rebuilds a page or two; the search index follows the next one.
    if build.settings.search == "pagefind" and not build.first:
        _wait_for_search_index()
        build.indexer = SiteIndexer(Path(config.site_dir))
        _INDEXERS.append(build.indexer)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    build = _build(config)
    with build.clock.phase("page_hooks_s"):
        output = repair_theme_markup(output)
    if build.indexer is not None:
        with build.clock.phase("search_feed_s"):
            build.indexer.add(page.file.dest_uri, output)
    return output


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # 404.html is rendered as a static template, not as a page.
    return repair_theme_markup(output_content)


def on_post_build(config: MkDocsConfig) -> None:
    # Pagefind has the pages written (French stemming from <html lang="fr">, accents
    # folded, index split in chunks fetched on demand); the other HTML files of the
    # site are read from disk, then the bundle is written.
    # Under « mkdocs build », written by on_shutdown; under « mkdocs serve », beside the server,
    # once MkDocs has the pages reloaded (a few seconds at 1,000 sheets the preview need not wait).
    global _INDEXING
    build = _build(config)
    if _SESSION is not None and build.first:
        # The next build, with every page showing the edited sheets.
        _SESSION.ask_next_build(after=NEXT_BUILD_AFTER_S)
    elif _SESSION is not None:
        _SESSION.full_build(time.perf_counter() - build.started)
    if _COMMAND == "build" and build.indexer is not None:
        _AFTER_BUILD.append(build)
    elif _SERVING and build.indexer is not None:
        _INDEXING = threading.Thread(target=_finish_in_background, args=(build,), name="kb-search-index", daemon=True)
        _INDEXING.start()
    else:
        _finish(build)


def _finish_in_background(build: _Build) -> None:
    try:
        _finish(build)
    except Abort as error:
        log.error(f"Recherche de l'aperçu non mise à jour : {error}")


def _wait_for_search_index() -> None:
    """Under « mkdocs serve »: the previous build's search index, if still being written, is finished first."""
    global _INDEXING
    if _INDEXING is not None:
        _INDEXING.join()
        _INDEXING = None


def _finish(build: _Build) -> None:
    if build.indexer is not None:
        with build.clock.phase("search_index_s"):
            try:
                build.indexer.finish()
            except SearchIndexError as error:
                raise Abort(str(error)) from error
            finally:
                _INDEXERS.remove(build.indexer)
                build.indexer = None
    if build.settings.timings:
        build.clock.write(Path(build.settings.timings))


def on_build_error(error: Exception) -> None:
    # A failed build writes no search index: Pagefind is stopped, not left running
    # beside « mkdocs serve » (this event has no config, hence the module's list).
    _AFTER_BUILD.clear()
    while _INDEXERS:
        _INDEXERS.pop().close()
