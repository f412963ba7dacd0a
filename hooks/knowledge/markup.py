"""Repairs to the theme's HTML that the Nu HTML Checker reports as errors.

Material for MkDocs 9.x writes attributes that HTML does not allow:
``autocomplete`` on its checkbox toggles (drawer, search, palette), an empty
``tabindex=""`` on navigation labels, and, on pages kept out of the nav, a
``<label for="__toc">`` whose checkbox it never writes. Browsers ignore all
three, so removing them changes no behaviour and makes every page valid HTML.
"""

from __future__ import annotations

import re

__all__ = ["repair_theme_markup"]

_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
_CHECKBOX_AUTOCOMPLETE_FIRST = re.compile(r'(<input\b[^>]*?)\s+autocomplete="off"([^>]*\btype="checkbox")')
_EMPTY_TABINDEX = re.compile(r'(<label\b[^>]*?)\s+tabindex=""')
_LABEL_FOR = re.compile(r'(<label\b[^>]*?)\s+for="([^"]*)"')
# Searched from its literal start, each match then checked for the space before it: « \sid= » would try
# a match at every space of the page (three quarters of the repair's time, on 40 KB pages).
_ID = re.compile(r'id="([^"]+)"')


def repair_theme_markup(html: str) -> str:
    html = _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
    html = _CHECKBOX_AUTOCOMPLETE_FIRST.sub(r"\1\2", html)
    html = _EMPTY_TABINDEX.sub(r"\1", html)
    ids = {match.group(1) for match in _ID.finditer(html) if html[match.start() - 1 : match.start()].isspace()}
    return _LABEL_FOR.sub(lambda m: m.group(0) if m.group(2) in ids else m.group(1), html)
