"""The glossary in the pages: each acronym marked with its expansion.

Python-Markdown's ``abbr`` extension turns a definition line
``*[GPEC]: Gestion prévisionnelle…`` into ``<abbr title="…">GPEC</abbr>`` on
every occurrence of the word in the page; the definitions are appended to a
page only for the acronyms it holds, so that pages stay light.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import KnowledgeBase

__all__ = ["Abbreviations", "abbreviations"]


def abbreviations(kb: KnowledgeBase) -> dict[str, str]:
    """Acronym → expansion, for the glossary's entries that have one."""
    if "glossary" not in kb.registry:
        return {}
    terms = (entry.data for entry in kb.collection("glossary").values())
    return {term.term: term.expansion for term in terms if term.expansion}


class Abbreviations:
    """Appends to a page's Markdown the definitions of the acronyms it holds."""

    def __init__(self, expansions: Mapping[str, str]) -> None:
        self.expansions = dict(expansions)
        # Longest first: « TPE/PME » before « TPE ».
        alternatives = "|".join(re.escape(term) for term in sorted(self.expansions, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if alternatives else None

    def __call__(self, markdown: str) -> str:
        if self._pattern is None:
            return markdown
        found = sorted(set(self._pattern.findall(markdown)))
        if not found:
            return markdown
        definitions = "\n".join(f"*[{term}]: {_one_line(self.expansions[term])}" for term in found)
        return f"{markdown}\n\n{definitions}\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
