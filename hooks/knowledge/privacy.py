"""Warnings about what looks like personal data in a sheet.

Contacts are organisational only (the schema says so). A mobile number or a
personal webmail address is probably someone's own: the check warns, and a
reviewer decides, because a structure may really publish such a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .loader import Document, Location
from .problems import Problem, line_in_text

__all__ = ["personal_data_warnings"]

# French mobile numbers: 06 / 07, written with spaces, dots, dashes or +33.
_MOBILE = re.compile(r"(?<!\d)(?:\+33[\s.-]?|0033[\s.-]?|0)[67](?:[\s.-]?\d{2}){4}(?!\d)")
_WEBMAIL = re.compile(
    r"[\w.+-]+@(?:gmail|googlemail|hotmail|outlook|live|yahoo|icloud|me|orange|wanadoo|free|sfr|laposte|neuf|aol|gmx|protonmail|proton)\.[a-z.]+",
    re.IGNORECASE,
)


def _strings(value: Any, location: Location) -> Iterator[tuple[Location, str]]:
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*location, index))


_CHECKS = (
    (
        _MOBILE,
        "ceci ressemble à un numéro de portable personnel",
        "les fiches sont publiques : donnez le standard ou l'adresse générique de la structure, pas le numéro d'une personne",
    ),
    (
        _WEBMAIL,
        "ceci ressemble à une adresse personnelle",
        "donnez l'adresse générique de la structure (contact@…), pas celle d'une personne",
    ),
)


def personal_data_warnings(document: Document) -> list[Problem]:
    """One warning per value of ``document`` holding a mobile number or a personal address."""
    warnings = []
    for location, text in _strings(document.data, ()):
        for pattern, message, hint in _CHECKS:
            found = pattern.search(text)
            if found:
                warnings.append(document.problem(location, f"{message}{line_in_text(text, found.start())} : « {found.group(0)} »", hint))
    return warnings
