"""MkDocs glue: each event calls one function of the ``knowledge`` core package.

MkDocs puts this folder on sys.path only while importing this module, so the
core is imported here, at the top. Nothing is kept in module globals: under
``mkdocs serve`` this module lives across rebuilds while the config does not.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from knowledge import KnowledgeBaseError, build_pages, format_problems, repair_theme_markup, sanitize_html, schema_files
from knowledge.pagefind_bundle import canonicalize_bundle

log = logging.getLogger("mkdocs.plugins.knowledge_base")


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


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    practices = _practices_dir(config)
    # Live reload when any sheet changes, wherever KB_PRACTICES_DIR points.
    if practices.is_dir() and str(practices) not in config.watch:
        config.watch.append(str(practices))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    practices = _practices_dir(config)
    repo_root = Path(config.config_file_path).parent.resolve()
    try:
        pages = build_pages(practices, repo_root=repo_root, edit_base=_edit_base(config))
    except KnowledgeBaseError as error:
        for problem in error.problems:
            log.error(str(problem))
        log.error(format_problems(error.problems).splitlines()[-1] + " Corrigez les fiches puis relancez.")
        raise Abort("Construction interrompue : fiches invalides.") from None

    clashes = [page.uri for page in pages if files.get_file_from_path(page.uri) is not None]
    if clashes:
        raise Abort("Pages écrites à la main en conflit avec des pages générées : " + ", ".join(clashes))

    for page in pages:
        # Data files (exports, the explorer's facets) are not pages: inclusion is moot for them.
        inclusion = InclusionLevel.NOT_IN_NAV if page.uri.startswith(_OUT_OF_NAV) and not page.uri.endswith("/index.md") else InclusionLevel.UNDEFINED
        file = File.generated(config, page.uri, content=page.content, inclusion=inclusion)
        # Material's edit button: edit_uri is relative to docs/, the sheets are beside it.
        file.edit_uri = f"../{page.edit_path}" if page.edit_path else None
        files.append(file)
    for name, text in schema_files().items():
        files.append(File.generated(config, f"schema/{name}", content=text))
    _add_guide_chapters(config, [p.uri for p in pages if p.uri.startswith("guide/") and p.uri != "guide/index.md"])
    return files


# Entity pages are reached through index pages, never listed in the sidebar:
# Material renders the whole nav on every page, which would be O(n²).
_OUT_OF_NAV = ("pratiques/", "organisations/", "territoires/", "conventions/", "publics/", "champs-de-cooperation/")


def _add_guide_chapters(config: MkDocsConfig, chapters: list[str]) -> None:
    """Append the guide's chapters, in guide order, to the nav section holding guide/index.md."""

    def visit(items: list[object]) -> bool:
        for item in items:
            children = next(iter(item.values())) if isinstance(item, dict) else None
            if isinstance(children, list):
                leaves = [next(iter(c.values())) if isinstance(c, dict) else c for c in children]
                if "guide/index.md" in leaves:
                    children.extend(chapters)
                    return True
                if visit(children):
                    return True
        return False

    if config.nav is not None and not visit(config.nav):
        log.warning("mkdocs.yml : aucune section du menu ne contient guide/index.md ; les chapitres n'y sont pas listés")


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Pages made from the sheets carry contributors' text: only allowlisted HTML
    # reaches the template. Hand-written pages in docs/ are ours and keep their forms.
    return sanitize_html(html) if page.file.generated_by is not None else html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return repair_theme_markup(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # 404.html is rendered as a static template, not as a page.
    return repair_theme_markup(output_content)


def on_post_build(config: MkDocsConfig) -> None:
    # Pagefind reads the written HTML: French stemming from <html lang="fr">,
    # accents folded, index split in chunks fetched on demand. The search
    # benchmark turns it off to build the same pages with Material's search.
    if os.environ.get("KB_SEARCH") == "material":
        return
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", config.site_dir, "--quiet", "--exclude-selectors", ".headerlink"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise Abort("Indexation Pagefind échouée :\n" + (result.stderr or result.stdout))
    canonicalize_bundle(Path(config.site_dir) / "pagefind")
