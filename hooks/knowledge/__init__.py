"""Core of the knowledge base: load, then link, then render. No MkDocs here."""

from pathlib import Path

from .graph import Graph, link
from .loader import Document, load_document
from .markup import repair_theme_markup
from .model import Entry, KnowledgeBase
from .problems import KnowledgeBaseError, Problem, closest, format_problems
from .published_schema import json_schemas, schema_files
from .registry import COLLECTIONS, Collection, Registry
from .render import Page, render_site
from .sanitize import sanitize_html
from .slugs import slugify
from .validate import load_knowledge_base

__all__ = [
    "COLLECTIONS",
    "Collection",
    "Document",
    "Entry",
    "Graph",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Page",
    "Problem",
    "Registry",
    "build_pages",
    "closest",
    "format_problems",
    "json_schemas",
    "link",
    "load_document",
    "load_knowledge_base",
    "render_site",
    "repair_theme_markup",
    "sanitize_html",
    "schema_files",
    "slugify",
]


def build_pages(
    directory: Path, *, repo_root: Path | None = None, edit_base: str | None = None, site_url: str | None = None, site_name: str = ""
) -> list[Page]:
    """The whole pipeline for one practices directory; raises KnowledgeBaseError."""
    return render_site(link(load_knowledge_base(directory)), repo_root=repo_root, edit_base=edit_base, site_url=site_url, site_name=site_name)
