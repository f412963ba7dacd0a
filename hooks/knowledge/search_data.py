"""What the search page needs besides Pagefind's index: the site's words, and the glossary's synonyms.

- The vocabulary lets the reader's browser tell a typo from a word of the
  site before asking Pagefind (which would fall back on the longest indexed
  prefix of an unknown word, often a stop word), and suggest the closest
  words. It is split by first character, as Pagefind splits its index, so
  that a query fetches only the parts it needs, whatever the size of the base.
- The synonyms let a query in the readers' words find the sources' words:
  each group holds the phrases of one glossary entry (term, expansion,
  readers' words).

Words are compared as ``slugs.words`` makes them: folded, split on anything
but letters and digits; the script folds queries the same way.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from .labels import LABELS
from .model import KnowledgeBase
from .registry import Registry
from .slugs import phrase, words

__all__ = ["SYNONYMS_PATH", "VOCABULARY_DIR", "search_files"]

VOCABULARY_DIR = "recherche/vocabulaire"
SYNONYMS_PATH = "recherche/synonymes.json"
_FIRSTS = "0123456789abcdefghijklmnopqrstuvwxyz"


# Ids, web addresses and dates are not read on the pages: not words of the site.
# A one-word text (« apprentissage ») is a word: only hyphenated ids are left out.
_NOT_TEXT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$|^https?://|^mailto:|^[\w.+-]+@|^\d{4}(-\d{2}){0,2}$")


def _texts(value: Any) -> Iterator[str]:
    """Every text held by a validated entry, however deep; not its ids, addresses and dates."""
    if isinstance(value, str):
        if not _NOT_TEXT.match(value) or " " in value:
            yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _template_texts(registry: Registry) -> Iterator[str]:
    """The words the templates write on every page (« Partenaires », « Sources »…), outside their tags."""
    for folder in dict.fromkeys(c.templates for c in registry.values()):
        for path in sorted(folder.glob("*.j2")):
            yield _LINK_TARGET.sub("] ", _TAG.sub(" ", path.read_text(encoding="utf-8")))


_TAG = re.compile(r"\{[{%#].*?[}%#]\}|<[^>]*>", re.DOTALL)
# A Markdown link's address in a template (« [Natural Earth](https://…) »): not words readers search.
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")


def _vocabulary(kb: KnowledgeBase, texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in [*_template_texts(kb.registry), *texts]:
        counts.update(words(_TAG.sub(" ", text)))
    for name in kb.registry:
        for entry in kb.collection(name).values():
            for text in _texts(entry.data):
                counts.update(words(text))
    # The labels of enumerations are on the pages too (« Expérimentation », « En cours »).
    for labels in LABELS.values():
        for label in labels.values():
            counts.update(words(label))
    return counts


def _synonym_groups(kb: KnowledgeBase) -> list[list[str]]:
    groups = []
    for entry in kb.collection("glossary").values() if "glossary" in kb.registry else ():
        term = entry.data
        group = list(dict.fromkeys(phrase(text) for text in [term.term, term.expansion, *term.synonyms] if text and phrase(text)))
        if len(group) > 1:
            groups.append(group)
    return sorted(groups)


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def search_files(kb: KnowledgeBase, texts: Iterable[str] = ()) -> dict[str, str]:
    """The vocabulary, one file per first character, and the synonym groups, by path in the site.

    ``texts`` are the other searchable pages (hand-written ones), as Markdown.
    """
    chunks: dict[str, list[tuple[str, int]]] = {}
    for word, count in sorted(_vocabulary(kb, texts).items()):
        chunks.setdefault(word[0], []).append((word, count))
    # Every first character has its file, empty or not: a query never asks for a missing one (the site's 404).
    files = {f"{VOCABULARY_DIR}/{first}.json": _compact({"words": chunks.get(first, [])}) for first in _FIRSTS}
    files[SYNONYMS_PATH] = json.dumps({"groups": _synonym_groups(kb)}, ensure_ascii=False, indent=1) + "\n"
    return files
