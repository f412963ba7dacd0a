"""Contributed Markdown as a tree of plain data, for the printed editions' template.

The text is rendered by Python-Markdown, as on the site, and cleaned by the
site's allowlist (``sanitize_html``); the HTML is then read into nested lists
of ``{"t": tag, "c": children}`` and texts. The template lays each tag out
and shows each text as text: a contributor's ``#``, ``$``, ``*`` or ``<`` can
never become markup or code of the typesetter.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import markdown as python_markdown

from .pdf_content import french_spacing
from .sanitize import sanitize_html

__all__ = ["BLOCKS", "markdown_tree"]

# What the template lays out as blocks; any other tag is kept as a span of text (its children).
BLOCKS = frozenset({"p", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "pre", "hr", "div"})
_INLINE = frozenset({"strong", "em", "code", "a", "br", "sub", "sup", "del", "abbr", "span"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# The site's Markdown extensions that contributed text can use (mkdocs.yml); attribute lists are refused by markdown_rules.
_EXTENSIONS = ["abbr", "def_list", "tables"]
_VOID = frozenset({"br", "hr"})
# Blocks that hold only blocks: the blank texts between their children are layout of the HTML, not text.
_CONTAINERS = frozenset({"root", "ul", "ol", "blockquote", "table", "thead", "tbody", "tr", "dl", "div"})

Node = dict[str, Any] | str
# Not « \s »: the no-break spaces of French typography are kept.
_SPACES = re.compile(r"[ \t\r\n]+")


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict[str, Any] = {"t": "root", "c": []}
        self.stack: list[dict[str, Any]] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Headings inside a sheet's text sit below the sheet's own headings: shown as a strong paragraph.
        node: dict[str, Any] = {"t": "h" if tag in _HEADINGS else tag if tag in BLOCKS | _INLINE else "span", "c": []}
        href = dict(attrs).get("href")
        if tag == "a" and href:
            node["href"] = href
        self.stack[-1]["c"].append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        expected = "h" if tag in _HEADINGS else tag if tag in BLOCKS | _INLINE else "span"
        # Sanitised HTML is well formed; a stray end tag is ignored rather than trusted.
        if len(self.stack) > 1 and self.stack[-1]["t"] == expected:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1]["c"].append(data)


def _tidy(node: dict[str, Any], *, pre: bool = False, code: bool = False) -> dict[str, Any]:
    """Soft line breaks become spaces (as a browser shows them), blank texts between blocks go,
    French typography is applied to text (code is shown as written)."""
    children: list[Node] = []
    keep_spaces = pre or node["t"] == "pre"
    as_written = code or keep_spaces or node["t"] == "code"
    for child in node["c"]:
        if isinstance(child, str):
            # As a browser shows HTML: line breaks and runs of spaces (a list item's indented lines) are one space.
            text = child if keep_spaces else _SPACES.sub(" ", child)
            if not keep_spaces and not text.strip() and node["t"] in _CONTAINERS:
                continue
            children.append(text if as_written else french_spacing(text))
        else:
            children.append(_tidy(child, pre=keep_spaces, code=as_written))
    return {**node, "c": children}


def markdown_tree(text: str) -> list[Node]:
    """The blocks of a contributed Markdown text, as plain data."""
    html = sanitize_html(python_markdown.markdown(text, extensions=_EXTENSIONS))
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return list(_tidy(builder.root)["c"])
