"""Allowlist sanitising of the HTML rendered from the knowledge base's pages.

Contributed Markdown is already refused when it holds HTML, attribute lists
or unsafe links (``markdown_rules.py``); this is the second lock, on the
output, so that a gap in those rules or in Python-Markdown cannot put script
on a reader's page. It keeps exactly what the templates and Markdown
extensions produce: headings with their ids and permalinks, admonitions,
definition lists, tables with their alignment, Material's inline SVG icons,
links to http, https, mailto and the site itself, and the data attributes
that search reads.
"""

from __future__ import annotations

import nh3

__all__ = ["sanitize_html"]

_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    "svg", "path",
    # The maps of /carte/ and of the territory pages (territory_map.py, _map.md.j2).
    "g", "title", "text", "rect", "circle",
    # The charts of /chiffres/ (_chart.html.j2): bars, words and their text alternative; the data folded under them.
    "figure", "desc", "details", "summary",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "div": {"data-kb-explorer", "data-kb-compare", "data-kb-compare-table", "data-pagefind-ignore"},
    "p": {"data-pagefind-ignore"},
    # The marks of an evidence level: the words beside them are what screen readers read.
    "span": {"aria-hidden"},
    "td": {"style"},
    "th": {"style"},
    "svg": {"viewBox", "xmlns", "role", "aria-labelledby", "aria-describedby", "width", "height"},
    "path": {"d"},
    # The maps: an SVG named by its title; counts hidden from screen readers (each area's title says them).
    "g": {"aria-hidden"},
    "rect": {"x", "y", "width", "height"},
    "text": {"x", "y", "dx", "dy"},
    "circle": {"cx", "cy", "r"},
    # The charts of /chiffres/: kept out of the search index, like the tables of counts.
    "figure": {"data-pagefind-ignore"},
    "details": {"data-pagefind-ignore"},
}


def sanitize_html(html: str) -> str:
    """``html`` with everything outside the allowlist removed (script, handlers, unsafe URLs, styles)."""
    return nh3.clean(
        html,
        tags=_TAGS,
        # Removed with their content, not just unwrapped.
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "select"},
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        # Tables align their columns with « text-align »; nothing else gets through.
        filter_style_properties={"text-align"},
        strip_comments=True,
        link_rel=None,
    )
