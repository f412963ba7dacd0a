"""Problems found in contributed files, reported in French to contributors."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["KnowledgeBaseError", "Problem", "closest", "format_problems", "line_in_text"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, located as precisely as the YAML allows.

    ``path`` is shown as given (relative to the working directory when
    possible) so that editors and CI logs turn it into a clickable location.
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        field = f" {self.field}:" if self.field else ""
        text = f"{where}:{field} {self.message}"
        if self.hint:
            text += f"\n    → {self.hint}"
        return text


class KnowledgeBaseError(Exception):
    """Raised with every problem of every file, never only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(set(problems)))
        super().__init__(format_problems(self.problems))


def format_problems(problems: Iterable[Problem]) -> str:
    items = list(problems)
    lines = [str(p) for p in items]
    files = len({p.path for p in items})
    noun = "problème" if len(items) == 1 else "problèmes"
    lines.append(f"{len(items)} {noun} dans {files} fichier{'s' if files > 1 else ''}.")
    return "\n".join(lines)


def closest(word: str, candidates: Iterable[str], *, limit: int = 3) -> str:
    """A French hint naming the closest known values, or listing a few."""
    pool = sorted(set(candidates))
    if not pool:
        return ""
    matches = difflib.get_close_matches(word, pool, n=limit, cutoff=0.5)
    # Short or partial ids (« cv » for « cv-video ») score low on similarity.
    matches = matches or [c for c in pool if word and (word in c or c in word)][:limit]
    if matches:
        return "vouliez-vous dire " + " ou ".join(f"« {m} »" for m in matches) + " ?"
    shown = ", ".join(pool[:8]) + (", …" if len(pool) > 8 else "")
    return f"valeurs connues : {shown}"


def line_in_text(text: str, index: int) -> str:
    """« (ligne k du texte) » for a position inside a multi-line value, else nothing.

    A problem is located at its field's line; inside a long text, this says
    which of the text's own lines to look at.
    """
    if "\n" not in text.strip():
        return ""
    return f" (ligne {text.count(chr(10), 0, index) + 1} du texte)"
