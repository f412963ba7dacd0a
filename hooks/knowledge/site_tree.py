"""The generated site as files: what the hook hands MkDocs, and the same tree on disk.

``export_docs`` writes the docs folder MkDocs would see (hand-written pages,
generated pages, data files, schemas), the theme overrides and a
self-contained ``mkdocs.yml`` without hooks: building that folder with plain
MkDocs renders the same pages (the benchmark's baseline), and so does
Zensical, which runs no hooks. The tree can be moved: nothing in it points
back to the repository.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .markdown_rules import relative_site_links
from .model import KnowledgeBase
from .published_schema import schema_files
from .render import Page, html_text

__all__ = ["export_docs", "exported_config", "generated_files", "menu_entries", "site_nav"]


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


@dataclass(frozen=True)
class _Tagged:
    """A tagged YAML value kept as written (``!!python/name:…``, ``!ENV``): MkDocs resolves it, not us."""

    tag: str
    value: Any


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data, keeping its tags instead of running them."""


class _ConfigDumper(yaml.SafeDumper):
    """Writes the configuration back, tags included, long texts as blocks."""


def _construct_tagged(loader: yaml.SafeLoader, tag: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.ScalarNode):
        return _Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node, deep=True))
    assert isinstance(node, yaml.MappingNode)
    return _Tagged(node.tag, loader.construct_mapping(node, deep=True))


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


def _represent_text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


_ConfigLoader.add_multi_constructor("!", _construct_tagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_ConfigDumper.add_representer(_Tagged, _represent_tagged)
_ConfigDumper.add_representer(str, _represent_text)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """MkDocs' INHERIT merge: mappings merged key by key, anything else replaced."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def _read_config(config_file: Path) -> dict[str, Any]:
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}  # tags are kept as data, never run
    parent = config.pop("INHERIT", None)
    return _merge(_read_config(config_file.parent / parent), config) if parent else config


def exported_config(config_file: Path, kb: KnowledgeBase) -> str:
    """The project's configuration, merged and self-contained, for the exported tree.

    Hooks and their settings are dropped, the guide's chapters are written
    into the nav (the hook adds them at build time), and Zensical is asked for
    its Material look (``variant: classic``; MkDocs ignores the setting).
    """
    config = _read_config(config_file)
    config.pop("hooks", None)
    extra = {key: value for key, value in (config.get("extra") or {}).items() if key != "knowledge_base"}
    if isinstance(config.get("theme"), str):
        config["theme"] = {"name": config["theme"]}
    config = _merge(config, {"docs_dir": "docs", "theme": {"custom_dir": "overrides", "variant": "classic"}})
    if extra:
        config["extra"] = extra
    else:
        config.pop("extra", None)
    config["nav"], _ = site_nav(config.get("nav") or [], kb)
    header = "# Written by « python scripts/kb.py export-docs »: the same site, built without hooks by MkDocs, ProperDocs or Zensical.\n"
    return header + yaml.dump(config, Dumper=_ConfigDumper, sort_keys=False, allow_unicode=True, width=1000)


def export_docs(kb: KnowledgeBase, pages: list[Page], target: Path, *, config_file: Path, docs_dir: Path, overrides: Path) -> int:
    """Write the docs tree, the overrides and a self-contained, hook-free ``mkdocs.yml`` into ``target``; return the file count.

    Links are made relative (``relative_site_links``): Zensical resolves no
    docs-absolute link, and MkDocs renders both forms the same.
    """
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(docs_dir, target / "docs")
    shutil.copytree(overrides, target / "overrides")
    files = generated_files(pages)
    written = {path.relative_to(docs_dir).as_posix(): path.read_text(encoding="utf-8") for path in docs_dir.rglob("*.md")}
    written.update(files)
    for uri, text in written.items():
        path = target / "docs" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(relative_site_links(text, uri) if uri.endswith(".md") else text, encoding="utf-8")
    (target / "mkdocs.yml").write_text(exported_config(config_file, kb), encoding="utf-8")
    return len(files)
