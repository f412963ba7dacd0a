"""From a practices directory to a KnowledgeBase, or to every problem found.

Each file is loaded and checked against the schema on its own, then the
references between files are checked once everything is loaded, so that one
run reports all problems of all files.
"""

from __future__ import annotations

import os
import re
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, RootModel, ValidationError
from pydantic.fields import FieldInfo

from .labels import LABELS
from .loader import Document, Location, parse_document
from .model import Entry, KnowledgeBase
from .privacy import personal_data_warnings
from .problems import KnowledgeBaseError, Problem, closest
from .read_cache import ReadCache
from .registry import COLLECTIONS, Collection, Registry
from .schema import ref_of
from .slugs import SLUG, slugify
from .value_slips import explain, field_name_hint, label_hint

__all__ = ["answer_problems", "load_knowledge_base"]
# Each collection's index page lives at <collection>/index: an entity with this
# id would take its URL. Reported here, with every other problem, rather than
# only when the pages are rendered.
_RESERVED_IDS = {"index"}


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


def _field_at(model: type[BaseModel], location: Location) -> FieldInfo | None:
    """The declaration of the field ``location`` is (or is an item of)."""
    names = [index for index, part in enumerate(location) if isinstance(part, str)]
    if not names:
        return None
    owner = _model_at(model, location[: names[-1]])
    if owner is None or issubclass(owner, RootModel):
        return None
    return owner.model_fields.get(str(location[names[-1]]))


def _first_model(annotation: Any, *, value: bool = False) -> type[BaseModel] | None:
    if value:  # dict[key, Model]
        annotation = typing.get_args(annotation)[1]
    for candidate in _unwrap(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _location(error: Any) -> Location:
    """Where the error is, without pydantic's « [key] » marker of an error in a mapping's key. An unknown
    field's name is its last part, whatever it is: a key written « [key] » is still that key."""
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden" and loc:
        return (*(p for p in loc[:-1] if p != "[key]"), loc[-1])
    return tuple(p for p in loc if p != "[key]")


def _translate(document: Document, model: type[BaseModel], error: Any) -> Problem:
    location = _location(error)
    kind = error["type"]
    if kind.startswith("kb_"):
        return document.problem(location, error["msg"], str(error.get("ctx", {}).get("hint", "")))
    explained = explain(location, kind, error.get("input"), _field_at(model, location), _model_at(model, location))
    if explained is not None:
        return document.problem(location, explained.message, explained.hint, at=explained.at, at_value=explained.at_value)
    message, hint = _GENERIC_MESSAGES.get(kind, (error["msg"], ""))
    if kind == "extra_forbidden":
        owner = _model_at(model, location[:-1])
        known = list(owner.model_fields) if owner else []
        renamed = field_name_hint(str(location[-1]), known)
        hint = closest(str(location[-1]), known)
        if renamed is not None and owner is not None:
            described = owner.model_fields[renamed[0]].description
            hint = f"écrivez « {renamed[0]}: »{f' ({described})' if described else ''} : {renamed[1]}"
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
        labels = next((labels for labels in LABELS.values() if list(labels) == allowed), {})
        choices = ", ".join(f"{value} ({labels[value]})" if value in labels else value for value in allowed)
        suggestion = closest(str(given), allowed) if isinstance(given, str) else ""
        hint = suggestion if suggestion.startswith("vouliez-vous") else f"valeurs possibles : {choices}"
        hint = (label_hint(given, allowed) if isinstance(given, str) else None) or hint
        message = f"valeur non autorisée « {given} »" if isinstance(given, str) else message
    elif kind == "too_short":
        minimum = error.get("ctx", {}).get("min_length", 1)
        message = f"au moins {minimum} élément{'s' if minimum > 1 else ''} attendu{'s' if minimum > 1 else ''}"
    return document.problem(location, message, hint)


def _renamed(model: type[BaseModel], errors: list[Any]) -> set[Location]:
    """Required fields reported missing because they are written under another name (« Titre: »): one problem, not two."""
    found = set()
    for error in errors:
        location = _location(error)
        if error["type"] == "extra_forbidden" and (owner := _model_at(model, location[:-1])) is not None:
            renamed = field_name_hint(str(location[-1]), list(owner.model_fields))
            if renamed is not None:
                found.add((*location[:-1], renamed[0]))
    return found


def _validate(document: Document, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        # With hide_input_in_errors the input is still provided in errors() for our use.
        errors = error.errors(include_url=False)
        renamed = _renamed(model, errors)
        return None, [_translate(document, model, e) for e in errors if not (e["type"] == "missing" and _location(e) in renamed)]


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
    for name, info in model.model_fields.items():
        child = value.get(name)
        if child is None:
            continue
        target = ref_of(info.annotation, info.metadata)
        if target is not None:
            if typing.get_origin(info.annotation) is list and not isinstance(child, list):
                continue  # « partners: aucun »: the schema says it is not a list; « aucun » is no organisation to look for
            items = enumerate(child) if isinstance(child, list) else [(None, child)]
            for index, item in items:
                if isinstance(item, str):
                    yield ((*location, name) if index is None else (*location, name, index)), target, item
            continue
        nested = _first_model(info.annotation)
        if isinstance(child, list):
            for index, item in enumerate(child):
                yield from _refs(nested, item, (*location, name, index))
        else:
            yield from _refs(nested, child, (*location, name))


# A reference written in a file: where, to which collection, to which id.
_Ref = tuple[Location, str, str]


def _check_references(documents: list[tuple[Document, tuple[_Ref, ...]]], known: dict[str, set[str]], registry: Registry) -> list[Problem]:
    """Each file's references (``_refs``, found once per file) against the ids of every file."""
    problems = []
    for document, refs in documents:
        for location, name, target in refs:
            if target in known[name] or not SLUG.match(target):
                continue
            collection = registry[name]
            hint = closest(target, known[name])
            # A typo is the likely case: the new id comes second (« à définir » read as « create it »).
            if hint:
                hint = (
                    f"{hint} Sinon, s'il est nouveau, ajoutez-le dans {collection.source}"
                    if hint.endswith("?")
                    else f"{hint} ; sinon, ajoutez-le dans {collection.source}"
                )
            else:
                hint = f"ajoutez-le dans {collection.source}"
            problems.append(document.problem(location, f"{collection.unknown} « {target} »", hint))
    return problems


# ---------------------------------------------------------------------------
# Files


def _id_problem(document: Document, key: str) -> Problem | None:
    """Ids become URLs: slugs only, and never the list page's own name."""
    if key in _RESERVED_IDS:
        return document.problem(
            (key,), f"identifiant réservé « {key} » : il prendrait l'adresse de la page d'index", f"choisissez un autre identifiant, par exemple « {key}-1 »"
        )
    if not SLUG.match(key):
        return document.problem(
            (key,), f"identifiant invalide « {key} » : lettres minuscules sans accent, chiffres et tirets uniquement", f"par exemple « {slugify(key)} »"
        )
    return None


def _file_name_problem(path: Path) -> Problem | None:
    if path.suffix == ".yaml":
        return Problem(display_path(path), 1, 1, "", "extension .yaml non prise en compte", f"renommez le fichier en {path.stem}.yml")
    if path.suffix != ".yml":
        return None
    if path.stem in _RESERVED_IDS:
        return Problem(
            display_path(path),
            1,
            1,
            "",
            "nom de fichier réservé : la fiche prendrait l'adresse de la liste des fiches",
            "renommez le fichier d'après le titre de la pratique",
        )
    if not SLUG.match(path.stem):
        return Problem(
            display_path(path),
            1,
            1,
            "",
            "nom de fichier invalide : lettres minuscules sans accent, chiffres et tirets uniquement",
            f"renommez-le en {slugify(path.stem) or 'ma-pratique'}.yml",
        )
    return None


@dataclass
class _Loading:
    """What one run has found so far: entries, documents to cross-check, ids seen, problems."""

    registry: Registry
    entries: dict[str, dict[str, Entry[Any]]]
    known: dict[str, set[str]]
    checked: list[tuple[Document, tuple[_Ref, ...]]] = field(default_factory=list)
    # Entries written one file per entry, with their file: for the rules across files.
    documents: dict[str, dict[str, tuple[Document, Any]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    cache: ReadCache[tuple[str, str]] | None = None


@dataclass(frozen=True)
class _Checked:
    """One file read and checked alone: what does not depend on the other files (kept by a ReadCache)."""

    document: Document | None
    value: Any = None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    # Its references to other entries, checked against every file's ids once all are read.
    refs: tuple[_Ref, ...] = ()


def _check_alone(collection: Collection, raw: bytes, display: str) -> _Checked:
    """Parse ``raw``, validate it against the collection's schema, apply the collection's rules."""
    document = parse_document(raw, display)
    if isinstance(document, Problem):
        return _Checked(None, problems=(document,))
    model = _file_model(collection)
    refs = tuple(_refs(model, document.data, ()))
    if collection.file is None:
        warnings = tuple(personal_data_warnings(document))
        value, found = _validate(document, model)
        rules = [p for rule in collection.rules for p in rule(document, value)] if value is not None else []
        return _Checked(document, value, (*found, *rules), warnings, refs)
    value, found = _validate(document, model)
    if value is None:
        return _Checked(document, None, tuple(found), refs=refs)
    ids = [] if collection.single else [p for key in value.root if (p := _id_problem(document, key))]
    rules = [p for rule in collection.rules for p in rule(document, value if collection.single else value.root)]
    return _Checked(document, value, (*found, *ids, *rules), refs=refs)


def _file_model(collection: Collection) -> type[BaseModel]:
    """What a file of the collection holds: one entry, or (a reference file) entries by id."""
    if collection.file is None or collection.single:
        return collection.model
    return RootModel[dict[str, collection.model]]  # type: ignore[name-defined]


def _checked(state: _Loading, collection: Collection, path: Path) -> _Checked:
    display = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return _Checked(None, problems=(Problem(display, 1, 1, "", f"fichier illisible ({error.strerror})"),))
    if state.cache is None:
        return _check_alone(collection, raw, display)
    return state.cache.get((collection.name, display), raw, lambda: _check_alone(collection, raw, display))


def _load_file(state: _Loading, collection: Collection, path: Path) -> None:
    """A reference file: every entry by id, or the single entry."""
    if not path.is_file():
        if not collection.optional:
            state.problems.append(Problem(display_path(path), 1, 1, "", "fichier de référence manquant", f"créez {path.name} (voir le modèle dans le dépôt)"))
        return
    checked = _checked(state, collection, path)
    state.problems += checked.problems
    document, value = checked.document, checked.value
    if document is None:
        return
    state.checked.append((document, checked.refs))
    # Ids are known from the raw files, valid or not, so that one broken entry
    # does not turn every link to it into a second, misleading problem.
    state.known[collection.name].update([collection.url] if collection.single else document.data)
    if value is None:
        return
    if collection.single:
        state.entries[collection.name] = {collection.url: Entry(collection.url, value, document.path)}
    else:
        state.entries[collection.name] = {key: Entry(key, item, document.path, document.mark((key,)).line) for key, item in value.root.items()}


def _load_entry_files(state: _Loading, collection: Collection, directory: Path) -> None:
    """One file per entry (the practices), named after its id."""
    # Listed with their kind (one system call for the folder, not one per file).
    for path in sorted(Path(entry.path) for entry in os.scandir(directory) if not entry.is_dir()):
        problem = _file_name_problem(path)
        if path.suffix == ".yaml":
            # Named in its one problem (« renommez-le en .yml »), not again by every link to it.
            state.known[collection.name].add(path.stem)
        if problem or path.suffix != ".yml":
            state.problems += [problem] if problem else []
            continue
        # Known before it is read: a sheet with a slip is one problem, not one more for each link to it.
        state.known[collection.name].add(path.stem)
        checked = _checked(state, collection, path)
        state.problems += checked.problems
        state.warnings += checked.warnings
        if checked.document is None:
            continue
        state.checked.append((checked.document, checked.refs))
        if checked.value is not None:
            state.entries[collection.name][path.stem] = Entry(path.stem, checked.value, checked.document.path)
            state.documents.setdefault(collection.name, {})[path.stem] = (checked.document, checked.value)


def load_knowledge_base(directory: Path, registry: Registry = COLLECTIONS, *, cache: ReadCache[tuple[str, str]] | None = None) -> KnowledgeBase:
    """Load, validate and cross-check a practices directory, or raise every problem.

    With a ``cache`` (the live preview), files whose bytes have not changed since
    the last load are not parsed nor checked alone again.
    """
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
    state = _Loading(registry, entries={name: {} for name in registry}, known={name: set() for name in registry}, cache=cache)
    reference_dir = directory / "reference"
    files = registry.reference_files
    for file_name, collection in files.items():
        _load_file(state, collection, reference_dir / file_name)
    for extra in sorted(reference_dir.glob("*.y*ml")) if reference_dir.is_dir() else []:
        if extra.name not in files:
            state.problems.append(Problem(display_path(extra), 1, 1, "", "fichier de référence inconnu", closest(extra.name, list(files))))
    for collection in registry.values():
        if collection.file is None:
            _load_entry_files(state, collection, directory)
    state.problems += _check_references(state.checked, state.known, registry)
    for collection in registry.values():
        for cross_rule in collection.cross_rules:
            state.problems += cross_rule(state.documents.get(collection.name, {}))
    if cache is not None:
        cache.end_round()
    missing = [c for c in registry.values() if c.single and not state.entries[c.name]]
    if state.problems or missing:
        raise KnowledgeBaseError(state.problems)
    return KnowledgeBase(
        entries=types.MappingProxyType({name: types.MappingProxyType(entries) for name, entries in state.entries.items()}),
        registry=registry,
        warnings=tuple(state.warnings),
    )


def answer_problems(
    kb: KnowledgeBase, collection: str, data: dict[str, Any], *, source: str = "réponse", known: Mapping[str, set[str]] | None = None
) -> list[Problem]:
    """The problems the build would report on the fields of ``data``, an entry of ``collection``
    being written (by ``kb.py new`` or from an issue form): its schema, then its references
    to ``kb`` (or to ``known`` ids, which may hold entries being written too). Fields not in
    ``data`` are not reported missing: they are not written yet."""
    model = kb.registry[collection].model
    document = Document(source, data)
    _, found = _validate(document, model)
    problems = [p for p in found if re.split(r"[.\[]", p.field, maxsplit=1)[0] in data]
    ids = known if known is not None else {name: set(kb.collection(name)) for name in kb.registry}
    return problems + _check_references([(document, tuple(_refs(model, document.data, ())))], dict(ids), kb.registry)
