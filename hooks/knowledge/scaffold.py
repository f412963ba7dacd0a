"""A new practice sheet from a contributor's answers: `kb.py new`.

Pure: the questions, the checks on each answer and the YAML text. The
command line asks (or reads flags) and writes the file; the same validator as
the build then checks it.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .labels import LABELS
from .model import KnowledgeBase
from .schema import Evidence, Practice, Source, ref_of
from .slugs import slugify
from .validate import answer_problems

__all__ = ["AUTOMATIC", "QUESTIONS", "SCHEMA_COMMENT", "Question", "answer_problem", "choices_help", "dump_yaml", "paired_problems", "sheet_text", "sheet_yaml"]

SCHEMA_COMMENT = "# yaml-language-server: $schema=schema/practice.schema.json"
# Fields the tools fill, never asked: a new sheet is created and reviewed today, and proposed;
# it has no revisions yet (« changes » records those that come after its creation).
AUTOMATIC = ("created", "reviewed", "changes", "editorial_status")


@dataclass(frozen=True)
class Question:
    """One field to ask for, by its name in the schema, and its French prompt.

    Whether it is required, holds a list, takes ids of a collection or one of
    fixed values comes from the schema: the wizard asks what the build checks.
    """

    field: str
    prompt: str

    @property
    def _info(self) -> FieldInfo:
        # The first source and the evidence level are asked field by field (their title, address…).
        for prefix, model in _GROUPS.items():
            if self.field.startswith(prefix):
                return model.model_fields[self.field.removeprefix(prefix)]
        return Practice.model_fields[self.field]

    @property
    def is_date(self) -> bool:
        """Answered as people write dates (« 12/03/2023 », « mars 2023 »)."""
        return self.field.endswith("date")

    @property
    def required(self) -> bool:
        return self._info.is_required()

    @property
    def many(self) -> bool:
        return typing.get_origin(self._info.annotation) is list

    @property
    def choices(self) -> str | None:
        """A collection of the knowledge base whose ids are the only valid answers."""
        return ref_of(self._info.annotation, self._info.metadata)

    @property
    def values(self) -> Mapping[str, str] | None:
        """Fixed values, with their French labels."""
        allowed = [arg for literal in _literals(self._info.annotation) for arg in typing.get_args(literal)]
        return next((labels for labels in LABELS.values() if list(labels) == allowed), None) if allowed else None


_GROUPS: dict[str, type[BaseModel]] = {"source_": Source, "evidence_": Evidence}


def _literals(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) is typing.Literal:
        return [annotation]
    return [found for arg in typing.get_args(annotation) for found in _literals(arg)]


QUESTIONS: tuple[Question, ...] = (
    Question("title", "Titre de la fiche"),
    Question("summary", "Résumé en une ou deux phrases"),
    Question("kind", "Nature"),
    Question("status", "Statut (laisser vide si inconnu)"),
    Question("status_date", "Date de la source qui donne ce statut (obligatoire avec un statut)"),
    Question("lead", "Organisation porteuse (identifiant, vide si aucune)"),
    Question("partners", "Organisations partenaires (identifiants séparés par des virgules)"),
    Question("territories", "Territoires (identifiants séparés par des virgules)"),
    Question("themes", "Thèmes du guide (identifiants séparés par des virgules)"),
    Question("audiences", "Publics visés (identifiants séparés par des virgules)"),
    Question("description", "Description : ce que fait l'action, pour qui, avec qui"),
    Question("lessons", "Leçons pour essaimer (vide pour plus tard)"),
    Question("success_factors", "Ce qui a fait réussir l'action, selon la source (vide si elle n'en dit rien)"),
    Question("difficulties", "Difficultés rencontrées et échecs, selon la source (vide si elle n'en dit rien)"),
    Question("prerequisites", "Ce qu'il faut réunir avant de reprendre l'action (vide si la source n'en dit rien)"),
    Question("source_title", "Titre de la source (article, rapport, compte rendu…)"),
    Question("source_url", "Adresse web de la source (vide si elle n'est pas en ligne)"),
    Question("source_date", "Date de la source (AAAA, AAAA-MM ou AAAA-MM-JJ)"),
    Question("evidence_level", "Niveau de preuve : annoncée, décrite par ses acteurs, suivie (chiffres publiés), évaluée, évaluée avec comparaison"),
    Question("evidence_justification", "Pourquoi ce niveau, en une phrase"),
)


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as in the sheets written by hand (and yamllint's config)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def split(answer: str) -> list[str]:
    return [part.strip() for part in answer.replace(";", ",").split(",") if part.strip()]


def _as_data(question: Question, answer: str) -> dict[str, Any]:
    """The answer as the sheet would hold it, for the validator."""
    for prefix, group in (("source_", "sources"), ("evidence_", "evidence")):
        if question.field.startswith(prefix):
            # The other required fields of the group get a stand-in: only this answer is checked.
            item = {"title": "source"} if group == "sources" else {"level": "described", "justification": "x", "source": "x"}
            item[question.field.removeprefix(prefix)] = answer
            return {group: [item] if group == "sources" else item}
    return {question.field: split(answer) if question.many else answer}


def answer_problem(question: Question, answer: str, kb: KnowledgeBase, *, known: Mapping[str, set[str]] | None = None) -> str | None:
    """Why ``answer`` cannot be used for ``question``, in French, or None.

    The build's own validator says it, with the build's words: the wizard, the
    issue form and CI cannot disagree on what a sheet may hold.
    """
    answer = answer.strip()
    if not answer:
        return "réponse obligatoire" if question.required else None
    problems = answer_problems(kb, "practices", _as_data(question, answer), known=known)
    if not problems:
        return None
    first = problems[0]
    return f"{first.message} ; {first.hint}" if first.hint else first.message


def paired_problems(answers: Mapping[str, str]) -> list[tuple[str, str]]:
    """(field, message) for answers that need another: a status is true at the date of its source."""
    if answers.get("status", "").strip() and not answers.get("status_date", "").strip():
        return [("status_date", "un statut vaut à la date de sa source : indiquez cette date, ou laissez le statut vide")]
    return []


def sheet_text(answers: Mapping[str, str], *, today: dt.date) -> tuple[str, str]:
    """(id, YAML text) of the sheet made from valid ``answers``."""
    sheet: dict[str, object] = {}
    groups: dict[str, dict[str, str]] = {prefix: {} for prefix in _GROUPS}
    for question in QUESTIONS:
        value = answers.get(question.field, "").strip()
        prefix = next((p for p in _GROUPS if question.field.startswith(p)), None)
        if value and prefix:
            groups[prefix][question.field.removeprefix(prefix)] = value
        elif value:
            sheet[question.field] = split(value) if question.many else value
    source = groups["source_"]
    # The sheet's level rests on its only source.
    evidence = {**groups["evidence_"], "source": source["title"]}
    ordered = {name: sheet[name] for name in Practice.model_fields if name in sheet}
    return sheet_yaml({**ordered, "sources": [source], "evidence": evidence}, today=today)


def dump_yaml(data: Mapping[str, Any]) -> str:
    """YAML as the sheets are written by hand: keys in the given order, lists indented, accents as typed."""
    return yaml.dump(dict(data), Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False, width=88, default_flow_style=False)


def sheet_yaml(sheet: Mapping[str, Any], *, today: dt.date) -> tuple[str, str]:
    """(id, YAML text) of a new practice sheet: created and reviewed ``today``, proposed to the editorial team."""
    text = dump_yaml({**sheet, "created": today.isoformat(), "reviewed": today.isoformat(), "editorial_status": "proposed"})
    return slugify(str(sheet.get("title", ""))), f"{SCHEMA_COMMENT}\n{text}"


def choices_help(question: Question, kb: KnowledgeBase, limit: int = 40) -> Sequence[str]:
    """Lines listing the valid answers of ``question``, for the interactive prompt."""
    if question.values is not None:
        return [f"  {key} : {label}" for key, label in question.values.items()]
    if question.choices is None:
        return []
    entries = sorted(kb.collection(question.choices).items())
    lines = [f"  {key} : {getattr(entry.data, 'name', None) or getattr(entry.data, 'title', '')}" for key, entry in entries[:limit]]
    if len(entries) > limit:
        lines.append(f"  … et {len(entries) - limit} autres (voir practices/reference/)")
    return lines
