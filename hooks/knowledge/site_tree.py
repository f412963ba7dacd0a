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
from .published_schema import schema_files
from .render import Page, html_text

__all__ = ["export_docs", "generated_files", "menu_entries", "site_nav"]


def generated_files(pages: Iterable[Page]) -> dict[str, str]:
    """Every generated file of the docs tree, by path: pages, data files and JSON schemas."""
    files = {page.uri: page.content for page in pages}
    files.update({f"schema/{name}": text for name, text in schema_files().items()})
    return files


def menu_entries(kb: KnowledgeBase) -> dict[str, list[dict[str, str]]]:
    """The entries that the registry puts in the menu, titled, by the list page they go under.

    The entries of a collection declared ``in_nav`` (the guide's chapters) go
    under its list page, in file order; the list pages go beside the list of
    all practices. Titled here rather than by their pages: under ``mkdocs serve
    --dirty`` a page that is not rebuilt is not read, and the menu would lose
    its title. Escaped, as the theme prints menu titles as HTML.
    """
    registry = kb.registry
    entries: dict[str, list[dict[str, str]]] = {}
    for collection in registry.values():
        if collection.in_nav and not collection.single and collection.index_template:
            name = _titles(kb, collection.name)
            entries[collection.index_uri] = [{html_text(name[key]): collection.page_uri(key)} for key in kb.collection(collection.name)]
    lists = [{html_text(c.index_title): c.index_uri} for c in registry.values() if c.index_title]
    entries[registry["practices"].index_uri] = lists
    return entries


def _titles(kb: KnowledgeBase, collection: str) -> dict[str, str]:
    return {key: str(getattr(entry.data, "title", None) or entry.data.name) for key, entry in kb.collection(collection).items()}


def site_nav(nav: list[Any], kb: KnowledgeBase) -> tuple[list[Any], list[str]]:
    """``nav`` with the registry's menu entries added where they belong, and the list pages
    that have no section to go in (for a warning). Entries already in ``nav`` stay as written."""
    full = json.loads(json.dumps(nav))
    missing = []
    for anchor, items in menu_entries(kb).items():
        section = _section_of(full, anchor)
        if section is None:
            missing.append(anchor)
            continue
        ours = {anchor, *(_leaf(item) for item in items)}
        present = [_leaf(item) for item in section]
        # New entries go after the last of their kind already listed (after the anchor at least).
        position = max(k for k, leaf in enumerate(present) if leaf in ours) + 1
        section[position:position] = [item for item in items if _leaf(item) not in present]
    return full, missing


def _leaf(item: Any) -> Any:
    return next(iter(item.values())) if isinstance(item, dict) else item


def _section_of(nav: list[Any], uri: str) -> list[Any] | None:
    """The list of menu items that holds ``uri``, at any depth."""
    if uri in [_leaf(item) for item in nav]:
        return nav
    for item in nav:
        children = _leaf(item)
        if isinstance(children, list) and (found := _section_of(children, uri)) is not None:
            return found
    return None


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
    full_nav, _ = site_nav(nav, kb)
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
