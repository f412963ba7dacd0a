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
_ID = re.compile(r'\sid="([^"]+)"')


def repair_theme_markup(html: str) -> str:
    html = _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
    html = _CHECKBOX_AUTOCOMPLETE_FIRST.sub(r"\1\2", html)
    html = _EMPTY_TABINDEX.sub(r"\1", html)
    ids = set(_ID.findall(html))
    return _LABEL_FOR.sub(lambda m: m.group(0) if m.group(2) in ids else m.group(1), html)
