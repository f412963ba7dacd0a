"""The generated site as files: what the hook hands MkDocs, and the same tree on disk.

``export_docs`` writes the docs folder MkDocs would see (hand-written pages,
generated pages, data files, schemas), the theme overrides and a
``mkdocs.yml`` without hooks: building that folder with plain MkDocs renders
the same pages, which is the benchmark's baseline.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .model import KnowledgeBase
from .render import URLS, Page, html_text
from .schema import schema_files

__all__ = ["GUIDE_INDEX", "export_docs", "generated_files", "guide_chapters", "with_guide_chapters"]

GUIDE_INDEX = "guide/index.md"


def generated_files(pages: Iterable[Page]) -> dict[str, str]:
    """Every generated file of the docs tree, by path: pages, data files and JSON schemas."""
    files = {page.uri: page.content for page in pages}
    files.update({f"schema/{name}": text for name, text in schema_files().items()})
    return files


def guide_chapters(kb: KnowledgeBase) -> list[dict[str, str]]:
    """The guide's chapters as menu entries, in guide order, titled.

    Titled here rather than by their pages: under ``mkdocs serve --dirty`` a
    page that is not rebuilt is not read, and the menu would lose its title.
    Escaped, as the theme prints menu titles as HTML.
    """
    return [{html_text(theme.data.title): f"{URLS['themes']}/{tid}.md"} for tid, theme in kb.themes.items()]


def with_guide_chapters(nav: list[Any], chapters: list[dict[str, str]]) -> bool:
    """Append the chapters to the nav section holding guide/index.md; False if there is none."""
    for item in nav:
        children = next(iter(item.values())) if isinstance(item, dict) else None
        if isinstance(children, list):
            leaves = [next(iter(c.values())) if isinstance(c, dict) else c for c in children]
            if GUIDE_INDEX in leaves:
                children.extend(chapters)
                return True
            if with_guide_chapters(children, chapters):
                return True
    return False


def export_docs(kb: KnowledgeBase, pages: list[Page], target: Path, *, config_file: Path, docs_dir: Path, overrides: Path, nav: list[Any]) -> int:
    """Write the docs tree, the overrides and a hook-free ``mkdocs.yml`` into ``target``; return the file count."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(docs_dir, target / "docs")
    shutil.copytree(overrides, target / "overrides")
    files = generated_files(pages)
    for uri, text in files.items():
        path = target / "docs" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    full_nav = json.loads(json.dumps(nav))
    with_guide_chapters(full_nav, guide_chapters(kb))
    # JSON is YAML: the nav is written exactly, whatever its titles hold.
    (target / "mkdocs.yml").write_text(
        "# Written by « python scripts/kb.py export-docs »: the same site, built by plain MkDocs.\n"
        f"INHERIT: {json.dumps(str(config_file.resolve()))}\n"
        "docs_dir: docs\n"
        "hooks: []\n"
        "theme:\n  custom_dir: overrides\n"
        f"nav: {json.dumps(full_nav, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    return len(files)
