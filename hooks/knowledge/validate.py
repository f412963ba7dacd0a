"""From a practices directory to a KnowledgeBase, or to every problem found.

Each file is loaded and checked against the schema on its own, then the
references between files are checked once everything is loaded, so that one
run reports all problems of all files.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, RootModel, ValidationError

from .loader import Document, Location, load_document
from .model import Entry, KnowledgeBase
from .privacy import personal_data_warnings
from .problems import KnowledgeBaseError, Problem, closest
from .schema import MANIFESTO_FILE, REFERENCE_FILES, Manifesto, Practice, Ref, slugify

__all__ = ["load_knowledge_base", "slugify"]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Each collection's index page lives at <collection>/index: an entity with this
# id would take its URL. Reported here, with every other problem, rather than
# only when the pages are rendered.
_RESERVED_IDS = {"index"}
_IGNORED_DIRS = {"schema"}


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it, as editors and CI expect."""
    absolute = path.absolute()
    return str(absolute.relative_to(Path.cwd())) if absolute.is_relative_to(Path.cwd()) else str(absolute)


# ---------------------------------------------------------------------------
# Pydantic errors, told in French


_GENERIC_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("champ obligatoire manquant", ""),
    "string_type": ("doit être un texte", "écrivez le texte sur la même ligne, entre guillemets s'il contient « : »"),
    "list_type": ("doit être une liste", "écrivez un élément par ligne, précédé de « - »"),
    "model_type": ("doit être un ensemble de champs", "écrivez « champ: valeur » sur les lignes suivantes, indentées"),
    "model_attributes_type": ("doit être un ensemble de champs", "écrivez « champ: valeur » sur les lignes suivantes, indentées"),
    "dict_type": ("doit être un ensemble de champs", "écrivez « identifiant: » puis les champs indentés"),
    "too_short": ("ne peut pas être vide", ""),
    "string_too_short": ("ne peut pas être vide", "écrivez un texte ou retirez le champ s'il est facultatif"),
    "extra_forbidden": ("champ inconnu", ""),
    "literal_error": ("valeur non autorisée", ""),
}


def _unwrap(annotation: Any) -> Iterator[Any]:
    """Every concrete type inside Optional/list/Annotated/union annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _unwrap(typing.get_args(annotation)[0])
    elif origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _unwrap(arg)
    else:
        yield annotation


def _model_at(model: type[BaseModel], location: Location) -> type[BaseModel] | None:
    """The model that owns the last part of ``location``."""
    current: type[BaseModel] | None = model
    for part in location:
        if current is None or isinstance(part, int):
            continue
        if issubclass(current, RootModel):
            # Reference files: the first part is the entity id.
            current = _first_model(current.model_fields["root"].annotation, value=True)
            continue
        field = current.model_fields.get(part)
        current = _first_model(field.annotation) if field else None
    return current


def _first_model(annotation: Any, *, value: bool = False) -> type[BaseModel] | None:
    if value:  # dict[key, Model]
        annotation = typing.get_args(annotation)[1]
    for candidate in _unwrap(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _translate(document: Document, model: type[BaseModel], error: Any) -> Problem:
    location: Location = tuple(p for p in error["loc"] if p != "[key]")
    kind = error["type"]
    if kind.startswith("kb_"):
        return document.problem(location, error["msg"], str(error.get("ctx", {}).get("hint", "")))
    message, hint = _GENERIC_MESSAGES.get(kind, (error["msg"], ""))
    if kind == "extra_forbidden":
        owner = _model_at(model, location[:-1])
        known = list(owner.model_fields) if owner else []
        hint = closest(str(location[-1]), known)
    elif kind == "missing":
        owner = _model_at(model, location[:-1])
        field = owner.model_fields.get(str(location[-1])) if owner else None
        if field and field.description:
            hint = f"{location[-1]} : {field.description}"
        if len(location) > 1:
            # The missing key has no mark; point at its parent instead.
            return document.problem(location[:-1], f"champ obligatoire « {location[-1]} » manquant", hint)
    elif kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        given = error.get("input")
        allowed = re.findall(r"'([^']+)'", expected)
        hint = closest(str(given), allowed) if isinstance(given, str) else f"valeurs possibles : {', '.join(allowed)}"
        hint = hint or f"valeurs possibles : {', '.join(allowed)}"
    elif kind == "too_short":
        minimum = error.get("ctx", {}).get("min_length", 1)
        message = f"au moins {minimum} élément{'s' if minimum > 1 else ''} attendu{'s' if minimum > 1 else ''}"
    return document.problem(location, message, hint)


def _validate(document: Document, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        # With hide_input_in_errors the input is still provided in errors() for our use.
        return None, [_translate(document, model, e) for e in error.errors(include_url=False)]


# ---------------------------------------------------------------------------
# References between files


def _refs(model: Any, value: Any, location: Location) -> Iterator[tuple[Location, str, str]]:
    """(location, collection, id) of every reference in raw data, guided by the model.

    Raw data rather than validated models: a file with a schema error still
    gets its references checked, so one run reports every problem.
    """
    if isinstance(model, type) and issubclass(model, RootModel):
        item_model = _first_model(model.model_fields["root"].annotation, value=True)
        if isinstance(value, dict):
            for key, item in value.items():
                yield from _refs(item_model, item, (*location, key))
        return
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or not isinstance(value, dict):
        return
    for name, field in model.model_fields.items():
        child = value.get(name)
        if child is None:
            continue
        target = _ref_of(field.annotation, field.metadata)
        if target is not None:
            items = enumerate(child) if isinstance(child, list) else [(None, child)]
            for index, item in items:
                if isinstance(item, str):
                    yield ((*location, name) if index is None else (*location, name, index)), target, item
            continue
        nested = _first_model(field.annotation)
        if isinstance(child, list):
            for index, item in enumerate(child):
                yield from _refs(nested, item, (*location, name, index))
        else:
            yield from _refs(nested, child, (*location, name))


def _ref_of(annotation: Any, metadata: list[Any]) -> str | None:
    for item in metadata:
        if isinstance(item, Ref):
            return item.collection
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        args = typing.get_args(annotation)
        return _ref_of(args[0], list(args[1:]))
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _ref_of(arg, [])
            if found:
                return found
    return None


_COLLECTION_LABELS = {
    "organisations": ("organisation inconnue", "practices/reference/organisations.yml"),
    "territories": ("territoire inconnu", "practices/reference/territories.yml"),
    "themes": ("thème inconnu", "practices/reference/themes.yml"),
    "audiences": ("public inconnu", "practices/reference/audiences.yml"),
    "agreements": ("convention inconnue", "practices/reference/agreements.yml"),
    "cooperation_fields": ("champ de coopération inconnu", "practices/reference/cooperation-fields.yml"),
    "practices": ("fiche inconnue", "practices/"),
}


def _check_references(
    documents: list[tuple[Document, type[BaseModel]]],
    known: dict[str, set[str]],
) -> list[Problem]:
    problems = []
    for document, model in documents:
        for location, collection, target in _refs(model, document.data, ()):
            if target in known[collection] or not _SLUG.match(target):
                continue
            label, where = _COLLECTION_LABELS[collection]
            hint = closest(target, known[collection])
            hint = f"{hint} (à définir dans {where})" if hint else f"ajoutez-le dans {where}"
            problems.append(document.problem(location, f"{label} « {target} »", hint))
    return problems


def _check_territory_tree(document: Document, territories: dict[str, Any]) -> list[Problem]:
    ranks = {"national": 0, "region": 1, "department": 2, "employment-area": 3, "municipality": 4}
    problems = []
    for key, territory in territories.items():
        parent = territories.get(territory.parent) if territory.parent else None
        if territory.level != "national" and territory.parent is None:
            problems.append(document.problem((key, "level"), "un territoire non national doit avoir un parent", "ajoutez « parent: <identifiant> »"))
        if parent is not None and ranks[parent.level] >= ranks[territory.level]:
            problems.append(
                document.problem((key, "parent"), f"le parent « {territory.parent} » ({parent.level}) n'englobe pas un territoire de niveau {territory.level}")
            )
        seen, current = {key}, territory
        while current.parent and current.parent in territories:
            if current.parent in seen:
                problems.append(document.problem((key, "parent"), "les parents de ce territoire forment une boucle"))
                break
            seen.add(current.parent)
            current = territories[current.parent]
    return problems


# ---------------------------------------------------------------------------


def _practice_files(directory: Path) -> tuple[list[Path], list[Problem]]:
    files, problems = [], []
    for path in sorted(directory.iterdir()):
        if path.is_dir():
            continue
        if path.suffix == ".yaml":
            problems.append(Problem(display_path(path), 1, 1, "", "extension .yaml non prise en compte", f"renommez le fichier en {path.stem}.yml"))
        elif path.suffix == ".yml":
            if path.stem in _RESERVED_IDS:
                problems.append(
                    Problem(
                        display_path(path),
                        1,
                        1,
                        "",
                        "nom de fichier réservé : la fiche prendrait l'adresse de la liste des fiches",
                        "renommez le fichier d'après le titre de la pratique",
                    )
                )
            elif not _SLUG.match(path.stem):
                problems.append(
                    Problem(
                        display_path(path),
                        1,
                        1,
                        "",
                        "nom de fichier invalide : lettres minuscules sans accent, chiffres et tirets uniquement",
                        f"renommez-le en {slugify(path.stem) or 'ma-pratique'}.yml",
                    )
                )
            else:
                files.append(path)
    return files, problems


def load_knowledge_base(directory: Path) -> KnowledgeBase:
    """Load, validate and cross-check a practices directory, or raise every problem."""
    problems: list[Problem] = []
    if not directory.is_dir():
        raise KnowledgeBaseError(
            [
                Problem(
                    display_path(directory),
                    1,
                    1,
                    "",
                    "dossier des fiches introuvable",
                    "vérifiez KB_PRACTICES_DIR ou extra.knowledge_base.practices_dir dans mkdocs.yml",
                )
            ]
        )
    reference_dir = directory / "reference"
    collections: dict[str, dict[str, Entry[Any]]] = {name: {} for name, _ in REFERENCE_FILES.values()}
    collections["practices"] = {}
    checked: list[tuple[Document, type[BaseModel]]] = []
    # Ids are known from the raw files, valid or not, so that one broken entry
    # does not turn every link to it into a second, misleading problem.
    known: dict[str, set[str]] = {name: set() for name in collections}

    for file_name, (collection, model) in REFERENCE_FILES.items():
        path = reference_dir / file_name
        if not path.is_file():
            problems.append(Problem(display_path(path), 1, 1, "", "fichier de référence manquant", f"créez {file_name} (voir le modèle dans le dépôt)"))
            continue
        document = load_document(path, display_path(path))
        if isinstance(document, Problem):
            problems.append(document)
            continue
        collection_model = RootModel[dict[str, model]]  # type: ignore[valid-type]
        checked.append((document, collection_model))
        known[collection].update(document.data)
        value, found = _validate(document, collection_model)
        problems += found
        if value is None:
            continue
        for key in value.root:
            if key in _RESERVED_IDS:
                problems.append(
                    document.problem(
                        (key,),
                        f"identifiant réservé « {key} » : il prendrait l'adresse de la page d'index",
                        f"choisissez un autre identifiant, par exemple « {key}-1 »",
                    )
                )
            elif not _SLUG.match(key):
                problems.append(
                    document.problem(
                        (key,),
                        f"identifiant invalide « {key} » : lettres minuscules sans accent, chiffres et tirets uniquement",
                        f"par exemple « {slugify(key)} »",
                    )
                )
        entries = {key: Entry(key, item, document.path, document.mark((key,)).line) for key, item in value.root.items()}
        collections[collection] = entries
        if collection == "territories":
            problems += _check_territory_tree(document, value.root)

    for extra in sorted(reference_dir.glob("*.y*ml")) if reference_dir.is_dir() else []:
        if extra.name not in REFERENCE_FILES and extra.name != MANIFESTO_FILE:
            problems.append(Problem(display_path(extra), 1, 1, "", "fichier de référence inconnu", closest(extra.name, [*REFERENCE_FILES, MANIFESTO_FILE])))

    manifesto: Entry[Manifesto] | None = None
    manifesto_path = reference_dir / MANIFESTO_FILE
    manifesto_doc = (
        load_document(manifesto_path, display_path(manifesto_path))
        if manifesto_path.is_file()
        else Problem(display_path(manifesto_path), 1, 1, "", "manifeste manquant")
    )
    if isinstance(manifesto_doc, Problem):
        problems.append(manifesto_doc)
    else:
        checked.append((manifesto_doc, Manifesto))
        value, found = _validate(manifesto_doc, Manifesto)
        problems += found
        if value is not None:
            manifesto = Entry("manifeste", value, manifesto_doc.path)
            seen: dict[str, int] = {}
            for index, principle in enumerate(value.principles):
                if principle.id in seen:
                    problems.append(
                        manifesto_doc.problem(
                            ("principles", index, "id"), f"identifiant de principe « {principle.id} » déjà utilisé", f"au principe n°{seen[principle.id] + 1}"
                        )
                    )
                seen.setdefault(principle.id, index)

    files, found = _practice_files(directory)
    problems += found
    warnings: list[Problem] = []
    for path in files:
        document = load_document(path, display_path(path))
        if isinstance(document, Problem):
            problems.append(document)
            continue
        known["practices"].add(path.stem)
        warnings += personal_data_warnings(document)
        checked.append((document, Practice))
        practice, found = _validate(document, Practice)
        problems += found
        if practice is not None:
            collections["practices"][path.stem] = Entry(path.stem, practice, document.path)
            if path.stem in practice.related:
                problems.append(document.problem(("related",), "une fiche ne peut pas être liée à elle-même", f"retirez « {path.stem} » de related"))

    problems += _check_references(checked, known)

    if problems or manifesto is None:
        raise KnowledgeBaseError(problems)
    return KnowledgeBase(
        practices=types.MappingProxyType(collections["practices"]),
        organisations=types.MappingProxyType(collections["organisations"]),
        territories=types.MappingProxyType(collections["territories"]),
        agreements=types.MappingProxyType(collections["agreements"]),
        themes=types.MappingProxyType(collections["themes"]),
        audiences=types.MappingProxyType(collections["audiences"]),
        cooperation_fields=types.MappingProxyType(collections["cooperation_fields"]),
        manifesto=manifesto,
        warnings=tuple(warnings),
    )
