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
from pydantic.fields import FieldInfo

from .labels import LABELS
from .model import KnowledgeBase
from .schema import Practice, Source, ref_of
from .slugs import slugify
from .validate import answer_problems

__all__ = ["QUESTIONS", "SCHEMA_COMMENT", "Question", "answer_problem", "choices_help", "dump_yaml", "sheet_text", "sheet_yaml"]

SCHEMA_COMMENT = "# yaml-language-server: $schema=schema/practice.schema.json"


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
        # The first source is asked as two answers: its title and its address.
        if self.field.startswith("source_"):
            return Source.model_fields[self.field.removeprefix("source_")]
        return Practice.model_fields[self.field]

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


def _literals(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) is typing.Literal:
        return [annotation]
    return [found for arg in typing.get_args(annotation) for found in _literals(arg)]


QUESTIONS: tuple[Question, ...] = (
    Question("title", "Titre de la fiche"),
    Question("summary", "Résumé en une ou deux phrases"),
    Question("kind", "Nature"),
    Question("status", "Statut (laisser vide si inconnu)"),
    Question("lead", "Organisation porteuse (identifiant, vide si aucune)"),
    Question("partners", "Organisations partenaires (identifiants séparés par des virgules)"),
    Question("territories", "Territoires (identifiants séparés par des virgules)"),
    Question("themes", "Thèmes du guide (identifiants séparés par des virgules)"),
    Question("audiences", "Publics visés (identifiants séparés par des virgules)"),
    Question("description", "Description : ce que fait l'action, pour qui, avec qui"),
    Question("lessons", "Leçons pour essaimer (vide pour plus tard)"),
    Question("source_title", "Titre de la source (article, rapport, compte rendu…)"),
    Question("source_url", "Adresse web de la source (vide si elle n'est pas en ligne)"),
)


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as in the sheets written by hand (and yamllint's config)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def split(answer: str) -> list[str]:
    return [part.strip() for part in answer.replace(";", ",").split(",") if part.strip()]


def _as_data(question: Question, answer: str) -> dict[str, Any]:
    """The answer as the sheet would hold it, for the validator."""
    if question.field == "source_title":
        return {"sources": [{"title": answer}]}
    if question.field == "source_url":
        return {"sources": [{"title": "source", "url": answer}]}
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


def sheet_text(answers: Mapping[str, str], *, today: dt.date) -> tuple[str, str]:
    """(id, YAML text) of the sheet made from valid ``answers``."""
    sheet: dict[str, object] = {}
    for question in QUESTIONS:
        value = answers.get(question.field, "").strip()
        if not value or question.field.startswith("source_"):
            continue
        sheet[question.field] = split(value) if question.many else value
    source: dict[str, str] = {"title": answers["source_title"].strip()}
    if answers.get("source_url", "").strip():
        source["url"] = answers["source_url"].strip()
    sheet["sources"] = [source]
    return sheet_yaml(sheet, today=today)


def dump_yaml(data: Mapping[str, Any]) -> str:
    """YAML as the sheets are written by hand: keys in the given order, lists indented, accents as typed."""
    return yaml.dump(dict(data), Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False, width=88, default_flow_style=False)


def sheet_yaml(sheet: Mapping[str, Any], *, today: dt.date) -> tuple[str, str]:
    """(id, YAML text) of a practice sheet, reviewed ``today``."""
    text = dump_yaml({**sheet, "reviewed": today.isoformat()})
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
