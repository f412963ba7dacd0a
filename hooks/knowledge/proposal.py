"""An issue of the form « Proposer une pratique », turned into a practice sheet.

GitHub writes a submitted issue form as Markdown: one ``### <label>`` heading
per field, then the answer, or ``_No response_``. The labels are read from the
form itself (``.github/ISSUE_TEMPLATE/proposer-une-pratique.yml``), so that the
form and the converter cannot drift apart. Each answer is then checked like an
answer to ``kb.py new``; the caller writes the sheet and runs the full check.
The body is untrusted text: nothing in it is executed or interpolated, only
parsed and validated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .labels import LABELS
from .model import KnowledgeBase
from .scaffold import QUESTIONS, answer_problem, sheet_text

__all__ = ["MAX_BODY", "Proposal", "form_labels", "read_proposal"]

MAX_BODY = 64 * 1024
_NO_RESPONSE = "_No response_"
_HEADING = re.compile(r"^### (.+?)\s*$", re.MULTILINE)
_CHECKED = re.compile(r"^- \[[xX]\] ", re.MULTILINE)
# Dropdowns answer with the French label: back to the schema's value.
_FROM_LABEL = {field: {label: key for key, label in LABELS[field].items()} for field in ("kind", "status")}


@dataclass(frozen=True)
class Proposal:
    """The sheet made from an issue, or why it could not be made."""

    practice_id: str = ""
    text: str = ""
    problems: list[str] = field(default_factory=list)


def form_labels(form: Path) -> dict[str, str]:
    """Label shown in the issue body → field id, from the issue form."""
    spec = yaml.safe_load(form.read_text(encoding="utf-8"))
    return {item["attributes"]["label"]: item["id"] for item in spec["body"] if "id" in item}


def _sections(body: str, labels: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    answers: dict[str, str] = {}
    problems = []
    matches = [m for m in _HEADING.finditer(body) if m.group(1) in labels]
    for index, match in enumerate(matches):
        field_id = labels[match.group(1)]
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        value = body[match.end() : end].strip()
        if field_id in answers:
            problems.append(f"la rubrique « {match.group(1)} » apparaît deux fois : laissez-la une seule fois")
            continue
        answers[field_id] = "" if value == _NO_RESPONSE else value
    return answers, problems


def read_proposal(body: str, labels: Mapping[str, str], kb: KnowledgeBase, *, today: dt.date) -> Proposal:
    """The sheet for the issue ``body``, with every problem found, in French."""
    if len(body.encode("utf-8")) > MAX_BODY:
        return Proposal(problems=[f"la proposition dépasse {MAX_BODY // 1024} Ko : raccourcissez la description"])
    answers, problems = _sections(body.replace("\r\n", "\n"), labels)
    if "consent" in labels.values() and not _CHECKED.search(answers.get("consent", "")):
        problems.append("cochez la case « Publication » pour accepter que la fiche soit publiée")
    for name, mapping in _FROM_LABEL.items():
        if answers.get(name) in mapping:
            answers[name] = mapping[answers[name]]
    label_of = {field_id: label for label, field_id in labels.items()}
    for question in QUESTIONS:
        problem = answer_problem(question, answers.get(question.field, ""), kb)
        if problem:
            problems.append(f"« {label_of.get(question.field, question.field)} » : {problem}")
    if problems:
        return Proposal(problems=problems)
    practice_id, text = sheet_text(answers, today=today)
    if not practice_id:
        return Proposal(problems=["le titre doit contenir au moins une lettre ou un chiffre"])
    return Proposal(practice_id=practice_id, text=text)
