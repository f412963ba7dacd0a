"""argparse in French: the contributor commands' ``--help`` and errors, as contributors read them.

argparse writes its own words (« usage: », « options », « error: »…) through
gettext, which has no French catalogue here: its messages are translated by
replacing the module's ``_`` before any parser is made.
"""

from __future__ import annotations

import argparse

__all__ = ["install"]

_FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix inconnu : %(value)r (possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur est attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut être %(matches)s",
}


def _translate(message: str) -> str:
    return _FRENCH.get(message, message)


def install() -> None:
    argparse._ = _translate  # type: ignore[attr-defined]
