"""Why a value does not fit the schema, told from what was written, with the fix.

Pydantic says « Input should be a valid list »; a contributor wrote
« themes: parrainage, decouverte », « partners: aucun » or « sources: » with
no « - ». Each case here recognises one such slip from the value itself and
answers with the corrected line. ``validate.py`` falls back to its generic
French messages when none applies.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .labels import LABELS, MONTHS

__all__ = ["Explained", "date_hint", "explain", "field_name_hint", "label_hint"]


@dataclass(frozen=True)
class Explained:
    """Message and hint for a value, and where to show it (``at``: a location inside it, ``at_value``: its text's line)."""

    message: str
    hint: str
    at: tuple[str | int, ...] | None = None
    at_value: bool = False


# Answers meaning « none »: the field should be left out.
_NOTHING = {"aucun", "aucune", "aucuns", "non", "neant", "rien", "sans", "n/a", "na", "nc", "-", "/", "?", "none", "no", "false", "non applicable", "x"}
_BULLETS = "•·▪◦‣∙●○■□➢►–—"
_GLUED = re.compile(r"([a-z_]+):(\S.*)")


def _plain(text: str) -> str:
    """Lower case, without accents, spaces and underscores as dashes: how names are compared."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower())
    return re.sub(r"[\s_'’]+", "-", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _nothing(value: Any) -> bool:
    return isinstance(value, str) and _plain(value).replace("-", " ").strip() in _NOTHING | {""} and value.strip() != ""


def _items(text: str, separators: str) -> list[str]:
    return [part.strip() for part in re.split(f"[{re.escape(separators)}]", text) if part.strip()]


def _is_markdown(info: FieldInfo | None) -> bool:
    return info is not None and "text/markdown" in repr(info)


def explain(location: tuple[str | int, ...], kind: str, given: Any, info: FieldInfo | None, expected: type[BaseModel] | None) -> Explained | None:
    """The slip behind a type error at ``location``, or None to keep the generic message.

    ``info`` is the field's declaration, ``expected`` the model a set of
    fields should have matched (for « doit être un ensemble de champs »).
    """
    name = next((str(part) for part in reversed(location) if isinstance(part, str)), "champ")
    item = bool(location) and isinstance(location[-1], int)
    required = info is not None and info.is_required() and not item
    if kind == "list_type":
        return _not_a_list(location, name, given, required)
    if kind == "string_type":
        return _not_a_text(name, given, required, item, info)
    if kind == "string_too_short" and not item:
        return Explained(
            f"« {name} » est vide",
            "écrivez le texte entre les guillemets" + (" (ce champ est obligatoire)" if required else f", ou retirez la ligne « {name}: »"),
        )
    if kind in ("model_type", "model_attributes_type", "dict_type") and expected is not None:
        return _not_fields(name, given, item, expected)
    return None


def _not_a_list(location: tuple[str | int, ...], name: str, given: Any, required: bool) -> Explained | None:
    if given is None:
        return Explained(
            f"« {name}: » est vide",
            f"écrivez au moins un élément : « {name}: [premier, second] »"
            if required
            else f"écrivez les éléments (« {name}: [premier, second] ») ou retirez la ligne « {name}: »",
        )
    if isinstance(given, str):
        if _nothing(given):
            return Explained(
                f"« {given} » n'est pas une liste",
                f"« {name} » est obligatoire : indiquez au moins un élément, par exemple « {name}: [premier] »"
                if required
                else f"pour dire qu'il n'y en a pas, retirez simplement la ligne « {name}: »",
            )
        bullet = next((b for b in given if b in _BULLETS), None)
        if bullet is not None:
            return Explained(
                f"puces « {bullet} » copiées d'un traitement de texte : une liste s'écrit avec des tirets « - »",
                f"écrivez « {name}: [{', '.join(_items(given, _BULLETS))}] », ou un élément par ligne précédé de « - »",
            )
        if "," in given or ";" in given:
            return Explained(
                "liste écrite sans crochets : YAML y lit un seul texte",
                f"écrivez « {name}: [{', '.join(_items(given, ',;'))}] »",
            )
        return Explained(f"« {name} » est une liste, même pour un seul élément", f"écrivez « {name}: [{given.strip()}] »")
    if isinstance(given, dict) and given:
        dashed = next((key for key in given if str(key).startswith("-")), None)
        if dashed is not None:
            value = given[dashed] if isinstance(given[dashed], str) else "…"
            return Explained(
                f"il manque une espace après le tiret : « {dashed}: »",
                f"écrivez « - {str(dashed)[1:]}: {value} » : un tiret, une espace, puis le champ",
                at=(*location, dashed),
            )
        first = next(iter(given))
        value = given[first] if isinstance(given[first], str) else "…"
        return Explained(
            f"il manque le tiret « - » devant « {first}: » : « {name} » est une liste",
            f"écrivez « - {first}: {value} » ; les autres champs du même élément se placent en dessous, alignés sur « {first} »",
            at=(*location, first),
        )
    return None


def _not_a_text(name: str, given: Any, required: bool, item: bool, info: FieldInfo | None) -> Explained | None:
    if given is None:
        if item:
            return Explained("élément vide : un tiret sans rien après", "retirez la ligne « - » vide, ou écrivez l'élément après le tiret")
        return Explained(
            f"« {name}: » est vide",
            f"écrivez le texte après « {name}: », sur la même ligne" + (" (ce champ est obligatoire)" if required else ", ou retirez la ligne"),
        )
    if isinstance(given, dict) and len(given) == 1 and next(iter(given.values())) is None:
        word = next(iter(given))
        return Explained(f"deux-points en trop après « {word} »", f"écrivez « {word} » sans « : »")
    if isinstance(given, list):
        if _is_markdown(info):
            hint = (
                f"pour une liste dans le texte, écrivez « {name}: | » seul sur sa ligne, "
                "puis les lignes « - … » en dessous, avec deux espaces en début de ligne"
            )
        else:
            hint = f"écrivez un seul texte : « {name}: … », sans tirets"
        return Explained(f"« {name} » est un texte, pas une liste", hint)
    if isinstance(given, dict):
        return Explained(
            f"« {name} » est un texte, pas un ensemble de champs",
            f'un texte qui contient « : » s\'écrit entre guillemets droits : {name}: "…"',
        )
    return None


def _not_fields(name: str, given: Any, item: bool, expected: type[BaseModel]) -> Explained | None:
    fields = list(expected.model_fields)
    first = next((f for f, i in expected.model_fields.items() if i.is_required()), fields[0])
    listed = ", ".join(fields[:5]) + (", …" if len(fields) > 5 else "")
    if isinstance(given, str):
        glued = _GLUED.fullmatch(given.strip())
        if glued and glued.group(1) in expected.model_fields:
            return Explained(
                f"il manque une espace après « {glued.group(1)}: »",
                f"écrivez « {glued.group(1)}: {glued.group(2)} » : une espace après les deux-points",
                at_value=True,
            )
        if _nothing(given) and not item:
            return Explained(
                f"« {given} » ne convient pas : « {name} » regroupe des champs ({listed})",
                f"pour dire qu'il n'y en a pas, retirez simplement la ligne « {name}: »",
            )
        if item:
            return Explained(
                f"un élément de « {name} » regroupe des champs ({listed}), pas un simple texte",
                f"écrivez « - {first}: {given.strip()} », puis les autres champs en dessous, alignés sur « {first} »",
            )
        return Explained(
            f"« {name} » regroupe des champs ({listed}), pas un simple texte",
            f"écrivez « {name}: » seul sur sa ligne, puis en dessous, avec deux espaces de plus : « {first}: {given.strip()} »",
        )
    if given is None:
        return Explained(f"« {name}: » est vide", f"ajoutez ses champs en dessous, avec deux espaces de plus ({listed}), ou retirez la ligne")
    if isinstance(given, list):
        return Explained(f"« {name} » regroupe des champs ({listed}), ce n'est pas une liste", "retirez les tirets « - » devant ses champs")
    return None


# ---------------------------------------------------------------------------
# Names and values in French

# Field names as a French contributor may write them → the schema's name.
_FRENCH_NAMES = {
    "titre": "title",
    "intitule": "title",
    "nom": "name",
    "resume": "summary",
    "synthese": "summary",
    "nature": "kind",
    "type": "kind",
    "statut": "status",
    "etat": "status",
    "periode": "period",
    "dates": "period",
    "porteur": "lead",
    "pilote": "lead",
    "partenaires": "partners",
    "partenaire": "partners",
    "territoires": "territories",
    "territoire": "territories",
    "themes": "themes",
    "theme": "themes",
    "publics": "audiences",
    "public": "audiences",
    "publics-vises": "audiences",
    "conventions": "agreements",
    "convention": "agreements",
    "accords": "agreements",
    "champs-de-cooperation": "cooperation_fields",
    "cooperation": "cooperation_fields",
    "descriptif": "description",
    "economie": "economy",
    "pouvoir-d-agir": "empowerment",
    "questions-recurrentes": "recurring_questions",
    "questions": "recurring_questions",
    "lecons": "lessons",
    "enseignements": "lessons",
    "chiffres-cles": "key_figures",
    "chiffres": "key_figures",
    "mots-cles": "keywords",
    "source": "sources",
    "fiches-liees": "related",
    "voir-aussi": "related",
    "relecture": "reviewed",
    "relu": "reviewed",
    "date-de-relecture": "reviewed",
    "mise-a-jour": "reviewed",
    "debut": "start",
    "fin": "end",
    "remarque": "note",
    "lien": "url",
    "adresse": "url",
    "site": "url",
    "editeur": "publisher",
    "libelle": "label",
    "valeur": "value",
    "unite": "unit",
    "structure": "organisation",
    "courriel": "email",
    "mail": "email",
    "e-mail": "email",
    "sigle": "acronym",
    "taille": "size",
    "niveau": "level",
    "parent": "parent",
}


def field_name_hint(key: str, known: list[str]) -> tuple[str, str] | None:
    """(schema name, why) for an unknown key that is a known field in capitals or in French."""
    if key.lower() in known and key.lower() != key:
        return key.lower(), "les noms de champs s'écrivent en minuscules"
    plain = _plain(key)
    for candidate in (plain, plain.replace("-", "_"), _FRENCH_NAMES.get(plain, ""), _FRENCH_NAMES.get(plain.rstrip("s"), "")):
        if candidate and candidate in known and candidate != key:
            return candidate, "les noms de champs s'écrivent en anglais, en minuscules et sans accent"
    return None


def label_hint(given: str, allowed: list[str]) -> str | None:
    """« en cours » → « écrivez « ongoing » (En cours) »: a value written as its French label."""
    labels = next((labels for labels in LABELS.values() if list(labels) == allowed), {})
    plain = _plain(given)
    for value, label in labels.items():
        if plain in (_plain(label), _plain(label).rstrip("e")) or (len(plain) > 3 and _plain(label).startswith(plain)):
            return f"écrivez « {value} » ({label}) : les valeurs s'écrivent en anglais"
    return None


_MONTH_NUMBERS = {_plain(month): number for number, month in enumerate(MONTHS, start=1)} | {
    "janv": 1,
    "fev": 2,
    "fevr": 2,
    "avr": 4,
    "juil": 7,
    "aout": 8,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}


def date_hint(text: str, *, full: bool) -> str:
    """The same date as AAAA-MM-JJ (or AAAA-MM), from « 12/03/2019 », « mars 2019 », « 2019-3-5 »… or ''."""
    plain = _plain(text).replace("-", " ").replace(".", " ")
    year = month = day = None
    if found := re.fullmatch(r"(\d{1,2})[/. -](\d{1,2})[/. -](\d{4})", text.strip()):
        day, month, year = (int(g) for g in found.groups())
    elif found := re.fullmatch(r"(\d{4})[/. -](\d{1,2})(?:[/. -](\d{1,2}))?", text.strip()):
        year, month = int(found.group(1)), int(found.group(2))
        day = int(found.group(3)) if found.group(3) else None
    elif found := re.fullmatch(r"(\d{1,2})[/. -](\d{4})", text.strip()):
        month, year = int(found.group(1)), int(found.group(2))
    elif found := re.fullmatch(r"(?:(\d{1,2}|1er)\s+)?([a-z]+)\s+(\d{4})", plain):
        month = _MONTH_NUMBERS.get(found.group(2))
        year = int(found.group(3))
        day = (1 if found.group(1) == "1er" else int(found.group(1))) if found.group(1) else None
    if year is None or month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return ""
    if day is None:
        if full:
            return f"la date complète est attendue : écrivez {year}-{month:02d}-JJ, avec le jour (par exemple {year}-{month:02d}-01)"
        return f"écrivez {year}-{month:02d} (année-mois)"
    return f"écrivez {year}-{month:02d}-{day:02d} (année-mois-jour)"
