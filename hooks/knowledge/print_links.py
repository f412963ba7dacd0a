"""What a printed page needs to say where it and its links live.

On paper a link is only its words. The print stylesheet (kb-print.css) writes
each link's address after it, but CSS's ``attr(href)`` gives the address as
written, and the site writes its own links relative (``../../organisations/
ave/``), useless on paper. So the build adds to every link of a page's content
a ``data-kb-href`` holding the absolute address (from ``site_url``), which the
stylesheet prints. The attribute is left empty when printing the address
would only repeat the link's words (``https://www.ciste.fr`` written as
``www.ciste.fr``), and is not added to links within the page (``#…``): the
permalinks beside headings and the notes' back-links lead nowhere on paper.

Runs on HTML already sanitised: it reads ``href`` values the allowlist kept
and adds one attribute whose value it computes and escapes itself.
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import unquote, urljoin, urlsplit

from .labels import date_fr

__all__ = ["absolute_url", "mark_link_targets", "print_date"]

# Sanitised and Markdown-made HTML: « <a href="…" …> », never nested.
_LINK = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<text>.*?)</a>", re.DOTALL | re.IGNORECASE)
_HREF = re.compile(r"""\shref\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def absolute_url(site_url: str, page_url: str, href: str = "") -> str:
    """``href`` read from the page at ``page_url`` (relative to the site), as a full address under ``site_url``."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return urljoin(urljoin(base, page_url), href)


# The same words and addresses come back on page after page (titles, organisations): read once each.
@functools.lru_cache(maxsize=65536)
def _bare(address: str) -> str:
    """An address as a reader types it: no scheme, no « www. », no trailing slash, decoded."""
    text = unquote(address.strip())
    if text.lower().startswith("mailto:"):
        return text[len("mailto:") :].lower()
    # « www.ciste.fr » written without its scheme is still a host.
    try:
        parts = urlsplit(text if "://" in text else "//" + text)
    except ValueError:  # words that cannot be an address (« [Rapport](…) » reads as a bracketed host)
        return text
    host = parts.netloc.lower().removeprefix("www.")
    return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def _printed(absolute: str) -> str:
    """The address as printed: a mail address without its « mailto: »."""
    return absolute.removeprefix("mailto:")


def mark_link_targets(content: str, site_url: str, page_url: str) -> str:
    """``content`` with ``data-kb-href`` (the absolute address, or empty when the words already are it) on each link."""
    # absolute_url(site_url, page_url, href), with the page's own address computed once.
    page = absolute_url(site_url, page_url)

    def mark(match: re.Match[str]) -> str:
        attrs, text = match.group("attrs"), match.group("text")
        found = _HREF.search(attrs)
        if found is None or "data-kb-href" in attrs:
            return match.group(0)
        href = html.unescape(found.group("dq") if found.group("dq") is not None else found.group("sq") or "")
        if not href or href.startswith("#"):
            return match.group(0)
        absolute = urljoin(page, href)
        words = html.unescape(_TAG.sub("", text))
        value = "" if _bare(words) == _bare(absolute) or words.strip() == _printed(absolute) else _printed(absolute)
        return f'<a{attrs} data-kb-href="{html.escape(value, quote=True)}">{text}</a>'

    return _LINK.sub(mark, content)


def print_date(day: object) -> str:
    """The build day as the printed header says it: « 14 novembre 2023 », « 1er mai 2024 »."""
    return date_fr(str(day))
