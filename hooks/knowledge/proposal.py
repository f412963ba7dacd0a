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
from typing import Any

import yaml

from .labels import LABELS
from .model import KnowledgeBase
from .scaffold import QUESTIONS, answer_problem, paired_problems, sheet_text
from .slugs import slugify
from .validate import answer_problems
from .wizard import parse_choice, parse_date, resolve, unique_id

__all__ = ["MAX_BODY", "Proposal", "form_labels", "read_proposal"]

MAX_BODY = 64 * 1024
_NO_RESPONSE = "_No response_"
_HEADING = re.compile(r"^### (.+?)\s*$", re.MULTILINE)
_CHECKED = re.compile(r"^- \[[xX]\] ", re.MULTILINE)
# Dropdowns answer with the French label: back to the schema's value.


@dataclass(frozen=True)
class Proposal:
    """The sheet made from an issue, the organisations and territories it adds, or why it could not be made."""

    practice_id: str = ""
    text: str = ""
    problems: list[str] = field(default_factory=list)
    new: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # What was understood from the answers: « découverte des métiers » → decouverte-des-metiers.
    notes: list[str] = field(default_factory=list)


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


# The form's fields for an organisation or a territory the base does not know yet.
_NEW_FIELDS = {
    "organisations": {"new_organisation": "name", "new_organisation_kind": "kind"},
    "territories": {"new_territory": "name", "new_territory_level": "level", "new_territory_parent": "parent", "new_territory_code": "code"},
}
_CHOSEN_BY_LABEL = {"new_organisation_kind": "organisation_kind", "new_territory_level": "territory_level"}


def _new_entries(answers: Mapping[str, str], kb: KnowledgeBase, label_of: Mapping[str, str]) -> tuple[dict[str, dict[str, dict[str, Any]]], list[str]]:
    """The organisation and territory described in the form's « nouvelle … » fields, checked like the others."""
    new: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in _NEW_FIELDS}
    problems = []
    for collection, fields in _NEW_FIELDS.items():
        entry = {key: answers.get(field_id, "").strip() for field_id, key in fields.items() if answers.get(field_id, "").strip()}
        if not entry:
            continue
        for field_id, enumeration in _CHOSEN_BY_LABEL.items():
            if fields.get(field_id) in entry:
                entry[fields[field_id]] = parse_choice(LABELS[enumeration], entry[fields[field_id]])
        if "parent" in entry:
            found = resolve(kb, "territories", entry["parent"])
            entry["parent"] = found.ids[0] if len(found.ids) == 1 and not found.unknown else slugify(entry["parent"])
        if "name" not in entry:
            problems.append(f"« {label_of.get(next(iter(fields)), collection)} » : indiquez le nom")
            continue
        key = unique_id(entry["name"], set(kb.collection(collection)))
        known = {name: set(kb.collection(name)) | set(new.get(name, {})) for name in kb.registry}
        for problem in answer_problems(kb, collection, entry, known=known):
            field_id = next((f for f, k in fields.items() if problem.field.split(".")[0] == k), next(iter(fields)))
            problems.append(f"« {label_of.get(field_id, field_id)} » : {problem.message}" + (f" ; {problem.hint}" if problem.hint else ""))
        new[collection][key] = entry
    return new, problems


def read_proposal(body: str, labels: Mapping[str, str], kb: KnowledgeBase, *, today: dt.date) -> Proposal:
    """The sheet for the issue ``body``, with every problem found, in French."""
    if len(body.encode("utf-8")) > MAX_BODY:
        return Proposal(problems=[f"la proposition dépasse {MAX_BODY // 1024} Ko : raccourcissez la description"])
    answers, problems = _sections(body.replace("\r\n", "\n"), labels)
    if "consent" in labels.values() and not _CHECKED.search(answers.get("consent", "")):
        problems.append("cochez la case « Publication » pour accepter que la fiche soit publiée")
    label_of = {field_id: label for label, field_id in labels.items()}
    new, found = _new_entries(answers, kb, label_of)
    problems += found
    known = {name: set(kb.collection(name)) | set(new.get(name, {})) for name in kb.registry}
    notes = []
    for question in QUESTIONS:
        answer = answers.get(question.field, "")
        if question.values is not None and answer:
            answers[question.field] = parse_choice(question.values, answer)
        elif question.is_date and answer:
            answers[question.field] = parse_date(answer)
        elif question.choices and answer:
            # Names or ids; an unambiguous match is applied and said.
            resolution = resolve(kb, question.choices, answer, new.get(question.choices, {}))
            # Unknown names go to the validator as ids, so that it names them with the closest known ones.
            answers[question.field] = ", ".join([*resolution.ids, *(slugify(text) or text for text in resolution.unknown)])
            notes += [f"« {text} » compris comme « {key} »" for text, key in resolution.applied.items()]
        problem = answer_problem(question, answers.get(question.field, ""), kb, known=known)
        if problem:
            problems.append(f"« {label_of.get(question.field, question.field)} » : {problem}")
    problems += [f"« {label_of.get(field, field)} » : {message}" for field, message in paired_problems(answers)]
    if problems:
        return Proposal(problems=problems)
    practice_id, text = sheet_text(answers, today=today)
    if not practice_id:
        return Proposal(problems=["le titre doit contenir au moins une lettre ou un chiffre"])
    return Proposal(practice_id=practice_id, text=text, new={name: entries for name, entries in new.items() if entries}, notes=notes)
