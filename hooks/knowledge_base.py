"""MkDocs glue: each event calls one function of the ``knowledge`` core package.

MkDocs puts this folder on sys.path only while importing this module, so the
core is imported here, at the top. Under ``mkdocs serve`` this module lives
across rebuilds while the config does not: the module state is the phase
clock, reset by every build, and the preview cache of ``serve --dirty``, which
must outlive builds to know what changed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from knowledge import KnowledgeBaseError, format_problems, link, load_knowledge_base, render_site, repair_theme_markup, sanitize_html
from knowledge.clock import PhaseClock
from knowledge.preview import PreviewCache, site_key
from knowledge.search_index import SearchIndexError, index_site
from knowledge.site_tree import generated_files, guide_chapters, with_guide_chapters

log = logging.getLogger("mkdocs.plugins.knowledge_base")
# Phase times, written to the file named by KB_TIMINGS after the build (benchmark).
_CLOCK = PhaseClock()
# Generated files on disk, only under « mkdocs serve --dirty » (make serve).
_PREVIEW: PreviewCache | None = None


def _practices_dir(config: MkDocsConfig) -> Path:
    settings = config.extra.get("knowledge_base", {})
    configured = os.environ.get("KB_PRACTICES_DIR") or settings.get("practices_dir", "practices")
    return (Path(config.config_file_path).parent / configured).resolve()


def _edit_base(config: MkDocsConfig) -> str | None:
    """Repository URL of the practices folder's parent, for 'edit this sheet' links."""
    if not config.repo_url:
        return None
    branch = config.extra.get("knowledge_base", {}).get("branch", "main")
    return f"{config.repo_url.rstrip('/')}/edit/{branch}/"


def on_startup(command: str, dirty: bool) -> None:
    global _PREVIEW
    if command == "serve" and dirty and _PREVIEW is None:
        _PREVIEW = PreviewCache(Path(tempfile.mkdtemp(prefix="kb-preview-")))


def on_shutdown() -> None:
    global _PREVIEW
    if _PREVIEW is not None:
        shutil.rmtree(_PREVIEW.root, ignore_errors=True)
        _PREVIEW = None


def _preview_sources(config: MkDocsConfig, generated: dict[str, str], chapters: list[dict[str, str]]) -> dict[str, str]:
    """Under ``serve --dirty``: generated files on disk, rewritten only when changed (see knowledge/preview.py)."""
    assert _PREVIEW is not None
    overrides = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    theme_files = sorted(p for p in overrides.rglob("*") if p.is_file()) if overrides else []
    key = site_key([Path(config.config_file_path).read_bytes(), *(p.read_bytes() for p in theme_files), json.dumps(chapters).encode()])
    sync = _PREVIEW.sync(generated, key)
    site = Path(config.site_dir)
    if sync.site_changed:
        # The menu, the theme or the configuration changed: every page shows them.
        for child in site.iterdir() if site.is_dir() else ():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    for uri in sync.removed:
        Path(File.generated(config, uri, content="").abs_dest_path).unlink(missing_ok=True)
    return {uri: str(_PREVIEW.path(uri)) for uri in generated}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _CLOCK.reset()
    practices = _practices_dir(config)
    # Live reload when any sheet changes, wherever KB_PRACTICES_DIR points.
    if practices.is_dir() and str(practices) not in config.watch:
        config.watch.append(str(practices))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    practices = _practices_dir(config)
    repo_root = Path(config.config_file_path).parent.resolve()
    try:
        with _CLOCK.phase("load_validate_s"):
            kb = load_knowledge_base(practices)
        with _CLOCK.phase("link_s"):
            graph = link(kb)
        with _CLOCK.phase("render_s"):
            pages = render_site(graph, repo_root=repo_root, edit_base=_edit_base(config))
    except KnowledgeBaseError as error:
        for problem in error.problems:
            log.error(str(problem))
        log.error(format_problems(error.problems).splitlines()[-1] + " Corrigez les fiches puis relancez.")
        raise Abort("Construction interrompue : fiches invalides.") from None

    generated = generated_files(pages)
    clashes = [uri for uri in generated if files.get_file_from_path(uri) is not None]
    if clashes:
        raise Abort("Pages écrites à la main en conflit avec des pages générées : " + ", ".join(clashes))

    sources = _preview_sources(config, generated, guide_chapters(kb)) if _PREVIEW else {}
    edit_paths = {page.uri: page.edit_path for page in pages}
    hidden = {page.uri for page in pages if not page.in_nav}
    for uri, content in generated.items():
        # Data files (exports) are not pages: inclusion is moot for them.
        listed = uri not in hidden and not (uri.startswith(_OUT_OF_NAV) and not uri.endswith("/index.md"))
        inclusion = InclusionLevel.UNDEFINED if listed else InclusionLevel.NOT_IN_NAV
        if uri in sources:
            file = File.generated(config, uri, abs_src_path=sources[uri], inclusion=inclusion)
        else:
            file = File.generated(config, uri, content=content, inclusion=inclusion)
        # Material's edit button: edit_uri is relative to docs/, the sheets are beside it.
        edit_path = edit_paths.get(uri)
        file.edit_uri = f"../{edit_path}" if edit_path else None
        files.append(file)
    if config.nav is not None and not with_guide_chapters(config.nav, guide_chapters(kb)):
        log.warning("mkdocs.yml : aucune section du menu ne contient guide/index.md ; les chapitres n'y sont pas listés")
    return files


# Entity pages are reached through index pages, never listed in the sidebar:
# Material renders the whole nav on every page, which would be O(n²).
_OUT_OF_NAV = ("pratiques/", "organisations/", "territoires/", "conventions/", "publics/", "champs-de-cooperation/")


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Pages made from the sheets carry contributors' text: only allowlisted HTML
    # reaches the template. Hand-written pages in docs/ are ours and keep their forms.
    if page.file.generated_by is None:
        return html
    with _CLOCK.phase("page_hooks_s"):
        return sanitize_html(html)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    with _CLOCK.phase("page_hooks_s"):
        return repair_theme_markup(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # 404.html is rendered as a static template, not as a page.
    return repair_theme_markup(output_content)


def on_post_build(config: MkDocsConfig) -> None:
    # Pagefind reads the written HTML: French stemming from <html lang="fr">,
    # accents folded, index split in chunks fetched on demand. The search
    # benchmark turns it off to build the same pages with Material's search.
    if os.environ.get("KB_SEARCH") != "material":
        with _CLOCK.phase("search_index_s"):
            _index_for_search(config)
    if os.environ.get("KB_TIMINGS"):
        _CLOCK.write(Path(os.environ["KB_TIMINGS"]))


def _index_for_search(config: MkDocsConfig) -> None:
    try:
        index_site(Path(config.site_dir))
    except SearchIndexError as error:
        raise Abort(str(error)) from error
