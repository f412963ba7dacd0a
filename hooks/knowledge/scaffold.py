"""A new practice sheet from a contributor's answers: `kb.py new`.

Pure: the questions, the checks on each answer and the YAML text. The
command line asks (or reads flags) and writes the file; the same validator as
the build then checks it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml

from .labels import LABELS
from .markdown_rules import markdown_problem
from .model import KnowledgeBase
from .problems import closest
from .slugs import slugify

__all__ = ["QUESTIONS", "Question", "answer_problem", "choices_help", "sheet_text"]

SCHEMA_COMMENT = "# yaml-language-server: $schema=schema/practice.schema.json"
MARKDOWN_FIELDS = ("description", "lessons")


@dataclass(frozen=True)
class Question:
    """One field to ask for: its flag, its French prompt, and where its valid values come from."""

    field: str
    prompt: str
    required: bool = True
    many: bool = False
    # A collection of the knowledge base whose ids are the only valid answers.
    choices: str | None = None
    # Fixed values (with their French labels).
    values: Mapping[str, str] | None = None


QUESTIONS: tuple[Question, ...] = (
    Question("title", "Titre de la fiche"),
    Question("summary", "Résumé en une ou deux phrases"),
    Question("kind", "Nature", values=LABELS["kind"]),
    Question("status", "Statut (laisser vide si inconnu)", required=False, values=LABELS["status"]),
    Question("lead", "Organisation porteuse (identifiant, vide si aucune)", required=False, choices="organisations"),
    Question("partners", "Organisations partenaires (identifiants séparés par des virgules)", required=False, many=True, choices="organisations"),
    Question("territories", "Territoires (identifiants séparés par des virgules)", many=True, choices="territories"),
    Question("themes", "Thèmes du guide (identifiants séparés par des virgules)", many=True, choices="themes"),
    Question("audiences", "Publics visés (identifiants séparés par des virgules)", required=False, many=True, choices="audiences"),
    Question("description", "Description : ce que fait l'action, pour qui, avec qui"),
    Question("lessons", "Leçons pour essaimer (vide pour plus tard)", required=False),
    Question("source_title", "Titre de la source (article, rapport, compte rendu…)"),
    Question("source_url", "Adresse web de la source (vide si elle n'est pas en ligne)", required=False),
)


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as in the sheets written by hand (and yamllint's config)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def split(answer: str) -> list[str]:
    return [part.strip() for part in answer.replace(";", ",").split(",") if part.strip()]


def answer_problem(question: Question, answer: str, kb: KnowledgeBase) -> str | None:
    """Why ``answer`` cannot be used for ``question``, in French, or None."""
    answer = answer.strip()
    if not answer:
        return "réponse obligatoire" if question.required else None
    if question.values is not None and answer not in question.values:
        options = ", ".join(f"{key} ({label})" for key, label in question.values.items())
        return f"« {answer} » n'est pas une valeur possible : {options}"
    if question.choices:
        known = list(kb.collection(question.choices))
        for item in split(answer) if question.many else [answer]:
            if item not in kb.collection(question.choices):
                return f"identifiant inconnu « {item} » ; {closest(item, known) or 'voir la liste ci-dessus'}"
    if question.field == "source_url" and not answer.lower().startswith(("https://", "http://")):
        return "l'adresse doit commencer par https:// ou http://"
    if question.field in MARKDOWN_FIELDS:
        problem = markdown_problem(answer)
        if problem:
            return f"{problem[0]} ; {problem[1]}"
    return None


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
    sheet["reviewed"] = today.isoformat()
    text = yaml.dump(sheet, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False, width=88, default_flow_style=False)
    return slugify(answers["title"]), f"{SCHEMA_COMMENT}\n{text}"


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
