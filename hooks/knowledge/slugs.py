"""Ids and accent folding: one pattern for every id, one folding for every comparison."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SLUG", "SLUG_PATTERN", "fold", "phrase", "slugify", "words"]

# Ids are file names and URL parts: lowercase ASCII letters, digits, single hyphens.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG = re.compile(SLUG_PATTERN)


def fold(text: str) -> str:
    """Without accents or case: « Éducation » → « education », for sorting and comparing."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def slugify(text: str) -> str:
    """ASCII slug of a French text: « Découverte des métiers » → decouverte-des-metiers."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The words of a text as search compares them: folded, split on anything but letters and digits."""
    return _WORD.findall(fold(text))


def phrase(text: str) -> str:
    """« Jobs-eating » → « jobs eating »: a text as search compares it."""
    return " ".join(words(text))
