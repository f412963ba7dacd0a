"""`kb.py new`, without dead ends: every field of the schema asked in French, in the schema's order.

Pure: what to ask (read from the models' JSON Schema, so that a new field is
asked without touching this file), how a contributor's answer becomes a value
(French labels for choices, dates as people write them, names or ids for
references), which answers the build's own validator refuses, new
organisations and territories on the way, and the draft that keeps every
answer. The command line asks, prints and writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .labels import LABELS, MONTHS
from .loader import Document, dotted
from .model import KnowledgeBase
from .problems import Problem
from .registry import Registry
from .scaffold import AUTOMATIC, dump_yaml
from .schema import REF_KEY, Organisation, Territory
from .slugs import fold, slugify
from .validate import answer_problems

__all__ = [
    "CREATABLE",
    "Ask",
    "Draft",
    "Interview",
    "Repeat",
    "Resolution",
    "append_entries",
    "asks",
    "parse",
    "problems_of",
    "resolve",
    "restore",
    "unique_id",
    "wants",
]

# Collections a contributor may add to on the way (an organisation or a town the base does not know
# yet), with the fields asked then; the others can be written in the file later.
CREATABLE: dict[str, type[BaseModel]] = {"organisations": Organisation, "territories": Territory}
_CREATE_FIELDS = {"organisations": ("name", "acronym", "kind", "territory", "url"), "territories": ("name", "level", "parent", "code")}
_YES = {"o", "oui", "y", "yes"}


@dataclass(frozen=True)
class Ask:
    """One value to ask for."""

    path: tuple[str | int, ...]
    prompt: str
    required: bool
    kind: str  # text, markdown, list, choice, refs, date, url, email
    many: bool = False
    collection: str | None = None
    labels: Mapping[str, str] | None = None

    @property
    def key(self) -> str:
        return dotted(self.path)


@dataclass(frozen=True)
class Repeat:
    """A list of structured items (sources, key figures): asked one item at a time."""

    path: tuple[str | int, ...]
    prompt: str
    minimum: int
    schema: Mapping[str, Any]

    @property
    def key(self) -> str:
        return dotted(self.path)


def _resolve_ref(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    if "$ref" in node:
        found: Mapping[str, Any] = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        return found
    return node


def _concrete(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """The non-null alternative of an optional value."""
    for option in node.get("anyOf", []):
        if option.get("type") != "null":
            return _resolve_ref(schema, option)
    return _resolve_ref(schema, node)


def _labels_for(values: list[str]) -> Mapping[str, str] | None:
    return next((labels for labels in LABELS.values() if list(labels) == values), None)


def _ask(schema: Mapping[str, Any], path: tuple[str | int, ...], node: Mapping[str, Any], required: bool, prompt: str) -> Ask:
    value = _concrete(schema, node)
    many = value.get("type") == "array"
    item = _concrete(schema, value.get("items", {})) if many else value
    if REF_KEY in item:
        return Ask(path, prompt, required, "refs", many=many, collection=item[REF_KEY])
    if "enum" in item:
        return Ask(path, prompt, required, "choice", labels=_labels_for(item["enum"]) or {v: v for v in item["enum"]})
    if many:
        return Ask(path, prompt, required, "list", many=True)
    kind = {"uri": "url", "email": "email", "date": "date"}.get(item.get("format", ""), "text")
    if item.get("contentMediaType") == "text/markdown":
        kind = "markdown"
    elif "pattern" in item and item["pattern"].startswith("^\\d{4}"):
        kind = "date"
    return Ask(path, prompt, required, kind)


def asks(model: type[BaseModel], *, skip: frozenset[str] = frozenset(AUTOMATIC)) -> Iterator[Ask | Repeat]:
    """What to ask for ``model``, in its fields' order; nested groups field by field."""
    schema = model.model_json_schema()
    yield from _walk(schema, schema, (), skip)


def _walk(schema: Mapping[str, Any], node: Mapping[str, Any], path: tuple[str | int, ...], skip: frozenset[str]) -> Iterator[Ask | Repeat]:
    required = set(node.get("required", []))
    for name, prop in node["properties"].items():
        if name in skip:
            continue
        here = (*path, name)
        value = _concrete(schema, prop)
        prompt = prop.get("description") or value.get("description") or name
        if value.get("type") == "object" and "properties" in value:
            # A group (period, keywords, contact): its own fields, each with its own prompt.
            yield from _walk(schema, value, here, frozenset())
        elif value.get("type") == "array" and "properties" in _concrete(schema, value.get("items", {})):
            yield Repeat(here, prompt, int(value.get("minItems", 0)), _concrete(schema, value["items"]))
        else:
            yield _ask(schema, here, prop, name in required, prompt.split(" (Markdown)")[0])


# ---------------------------------------------------------------------------
# Answers as people write them


def parse_choice(labels: Mapping[str, str], answer: str) -> str:
    """« pratique », « Expérimentation », « en cours » → the schema's value; anything else unchanged (the validator says why)."""
    wanted = fold(answer.strip())
    for value, label in labels.items():
        if wanted in (fold(value), fold(label)):
            return value
    starts = [value for value, label in labels.items() if len(wanted) >= 3 and (fold(label).startswith(wanted) or fold(value).startswith(wanted))]
    # « pratique » is not « practice »: a French word close to a label counts too.
    close = [value for value, label in labels.items() if difflib.SequenceMatcher(None, wanted, fold(label)).ratio() >= 0.8]
    found = list(dict.fromkeys(starts + close))
    return found[0] if len(found) == 1 else answer.strip()


_MONTH = {fold(name): number for number, name in enumerate(MONTHS, start=1)}


def parse_date(answer: str) -> str:
    """« 12/03/2019 », « 03/2019 », « mars 2019 », « 1er mars 2019 », « 2019-3-5 » → AAAA[-MM[-JJ]]; anything else unchanged."""
    text = fold(answer.strip()).replace("1er", "1")
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    words = re.findall(r"[a-z]+", text)
    month = _MONTH.get(words[0]) if len(words) == 1 else None
    try:
        if re.fullmatch(r"\d{4}", text):
            return text
        if month and len(numbers) == 1:
            return f"{numbers[0]:04d}-{month:02d}"
        if month and len(numbers) == 2:
            return dt.date(numbers[1], month, numbers[0]).isoformat()
        if re.fullmatch(r"\d{1,2}[/.-]\d{4}", text):
            return f"{numbers[1]:04d}-{numbers[0]:02d}"
        if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}", text):
            return dt.date(numbers[2], numbers[1], numbers[0]).isoformat()
        if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", text):
            return "-".join(f"{n:02d}" if i else f"{n:04d}" for i, n in enumerate(numbers))
    except ValueError:
        pass
    return answer.strip()


def split(answer: str) -> list[str]:
    return [part.strip() for part in answer.replace(";", ",").split(",") if part.strip()]


@dataclass(frozen=True)
class Resolution:
    """Ids found for an answer, texts that match nothing, and suggestions applied (text → id)."""

    ids: list[str]
    unknown: list[str]
    applied: dict[str, str]


def _names(kb: KnowledgeBase, collection: str, pending: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """Each id with the names a contributor may type for it: id, name or title, acronym."""
    names: dict[str, list[str]] = {}
    for key, entry in kb.collection(collection).items():
        data = entry.data
        names[key] = [key, *(str(getattr(data, attr)) for attr in ("name", "title", "acronym", "term") if getattr(data, attr, None))]
    for key, data in pending.items():
        names[key] = [key, *(str(data[attr]) for attr in ("name", "acronym") if data.get(attr))]
    return names


def resolve(kb: KnowledgeBase, collection: str, answer: str, pending: Mapping[str, Mapping[str, Any]] = {}) -> Resolution:
    """Ids for the comma-separated ``answer``: an id, a name (accents and case aside), or one unambiguous close match."""
    names = _names(kb, collection, pending)
    by_name: dict[str, set[str]] = {}
    for key, forms in names.items():
        for form in forms:
            by_name.setdefault(fold(form), set()).add(key)
            by_name.setdefault(slugify(form), set()).add(key)
    ids, unknown, applied = [], [], {}
    for item in split(answer):
        exact = by_name.get(fold(item)) or by_name.get(slugify(item))
        if exact and len(exact) == 1:
            (key,) = exact
            ids.append(key)
            if key != item:
                applied[item] = key
            continue
        close = difflib.get_close_matches(slugify(item), [k for k in by_name if "-" in k or k.isalnum()], n=2, cutoff=0.88)
        owners = {k for match in close for k in by_name[match]}
        if len(owners) == 1:
            (key,) = owners
            ids.append(key)
            applied[item] = key
        else:
            unknown.append(item)
    return Resolution(ids, unknown, applied)


def parse(ask: Ask, answer: str) -> Any:
    """The value an answer stands for (references are resolved by ``resolve``)."""
    answer = answer.strip()
    if ask.kind == "choice" and ask.labels:
        return parse_choice(ask.labels, answer)
    if ask.kind == "date":
        return parse_date(answer)
    if ask.many:
        return split(answer)
    return answer


def unique_id(name: str, taken: set[str]) -> str:
    """An id for a new entry, from its name; numbered if taken."""
    base = slugify(name) or "nouvelle-entree"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


# ---------------------------------------------------------------------------
# Checks and draft


def problems_of(kb: KnowledgeBase, collection: str, data: dict[str, Any], path: tuple[str | int, ...], known: Mapping[str, set[str]]) -> list[str]:
    """The build's messages about the value at ``path`` of an entry being written (not about what is not asked yet)."""
    here = dotted(path)
    found = answer_problems(kb, collection, data, known=known)
    messages = []
    for problem in found:
        mine = problem.field == here or problem.field.startswith((here + ".", here + "["))
        parent = here.startswith(problem.field) and "manquant" not in problem.message
        if mine or parent:
            messages.append(f"{problem.message} ; {problem.hint}" if problem.hint else problem.message)
    return messages


@dataclass
class Draft:
    """Every answer so far: the sheet as it will be written, what was asked, the new entries."""

    sheet: dict[str, Any] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    new: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {name: {} for name in CREATABLE})

    def to_json(self) -> str:
        return json.dumps({"sheet": self.sheet, "asked": self.asked, "new": self.new}, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Draft:
        data = json.loads(text)
        return cls(sheet=data["sheet"], asked=list(data["asked"]), new={name: dict(data["new"].get(name, {})) for name in CREATABLE})

    def put(self, path: tuple[str | int, ...], value: Any) -> None:
        """Set the value at ``path`` (empty answers are not written); mark the question as asked."""
        node: Any = self.sheet
        for part in path[:-1]:
            node = node.setdefault(part, {}) if isinstance(part, str) else node[part]
        if value not in ("", [], None):
            node[path[-1]] = value
        self.asked.append(dotted(path))

    def written(self) -> dict[str, Any]:
        """The sheet as it will be written: groups left empty (no contact given…) are left out."""
        written: dict[str, Any] = _pruned(self.sheet)
        return written

    def known(self, kb: KnowledgeBase) -> dict[str, set[str]]:
        """Ids of every collection, new entries included."""
        return {name: set(kb.collection(name)) | set(self.new.get(name, {})) for name in kb.registry}


def wants(answer: str) -> bool:
    return fold(answer.strip()) in _YES


# ---------------------------------------------------------------------------
# The interview: the questions asked one by one, through the functions given


# Short questions where the schema's description spells out the values (they are listed anyway).
_SHORT = {
    "kind": "Nature",
    "status": "Statut",
    "level": "Niveau",
    "evidence.level": "Niveau de preuve (voir la page « La méthode » du site)",
    "type": "Ce chiffre est",
    "funding": "Financé par",
    "name": "Nom",
    "contact.organisation": "Contact : organisation",
}
_NEW = {"organisations": "nouvelle organisation", "territories": "nouveau territoire"}
_ITEM = {
    "key_figures": ("un chiffre clé", "un autre chiffre clé"),
    "sources": ("une source", "une autre source"),
    "cautions": ("un point de vigilance", "un autre point de vigilance"),
    "inspired_by": ("une fiche dont l'action s'est inspirée", "une autre fiche d'inspiration"),
    "spread": ("un territoire où la démarche a été présentée ou reprise", "un autre territoire où elle a été présentée ou reprise"),
}


def _first_source(sheet: Mapping[str, Any]) -> str:
    sources = sheet.get("sources") or [{}]
    return str(sources[0].get("title", ""))


# Optional fields that become required by another answer (of the sheet, or of the same item of a list):
# a status holds at its source's date; a result is dated.
_REQUIRED_WHEN: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "status_date": lambda sheet: bool(sheet.get("status")),
    "key_figures.date": lambda item: item.get("type") == "result",
}

# Answers offered in brackets, from what is already written: Entrée accepts them.
_DEFAULTS: dict[str, Callable[[Mapping[str, Any]], str]] = {"evidence.source": _first_source}
# Up to this many known entries are listed with the question; beyond, « ? » lists them.
_CHOICES_SHOWN = 15


class Interview:
    """Asks every field of a practice through ``ask`` and ``say``; keeps each answer in ``draft`` and calls ``save``.

    Ctrl-C and end of input propagate to the caller, which keeps the draft.
    """

    def __init__(self, kb: KnowledgeBase, draft: Draft, *, ask: Callable[[str], str], say: Callable[[str], None], save: Callable[[Draft], None]) -> None:
        self.kb, self.draft, self.ask_line, self.say, self.save = kb, draft, ask, say, save

    def run(self, model: type[BaseModel]) -> None:
        for step in asks(model):
            if step.key in self.draft.asked:
                continue
            if isinstance(step, Repeat):
                self._repeat(step)
            else:
                if step.key in _REQUIRED_WHEN and _REQUIRED_WHEN[step.key](self.draft.sheet):
                    step = dataclasses.replace(step, required=True)
                default = _DEFAULTS[step.key](self.draft.sheet) if step.key in _DEFAULTS else ""
                self._question(step, self.draft.sheet, "practices", record=True, default=default)
            self.save(self.draft)

    def _prompt(self, step: Ask) -> str:
        text = _SHORT.get(step.key, _SHORT.get(str(step.path[-1]), step.prompt)) if step.kind == "choice" or step.key in _SHORT else step.prompt
        if step.many:
            text += " (séparés par des virgules)"
        return text + ("" if step.required else " — facultatif, Entrée pour passer")

    def _offer(self, step: Ask, *, everything: bool = False) -> None:
        if step.labels:
            self.say("  Réponses possibles : " + ", ".join(f"{label} ({value})" for value, label in step.labels.items()))
        elif step.collection:
            names = _names(self.kb, step.collection, self.draft.new.get(step.collection, {}))
            if len(names) <= _CHOICES_SHOWN or everything:
                self.say("  Connus : " + "; ".join(f"{forms[1]} ({key})" if len(forms) > 1 else key for key, forms in sorted(names.items())))
            else:
                self.say(f"  Tapez un nom ou un identifiant ({len(names)} connus ; « ? » pour les voir).")
            if step.collection in CREATABLE:
                self.say(f"  Un nom que la base ne connaît pas encore ? Tapez-le : il sera ajouté comme {_NEW[step.collection]}.")

    def _question(self, step: Ask, target: dict[str, Any], collection: str, *, record: bool, default: str = "") -> Any:
        """Ask until the answer passes the build's checks; set it in ``target`` (the draft's sheet or a new entry)."""
        self._offer(step)
        while True:
            suffix = f" [{default}]" if default else ""
            raw = self.ask_line(f"{self._prompt(step)}{suffix} : ").strip() or default
            if raw == "?":
                self._offer(step, everything=True)
                continue
            if not raw:
                if step.required:
                    self.say("  → réponse obligatoire")
                    continue
                value: Any = None
            elif step.kind == "refs":
                value = self._references(step, raw)
                if value is None:
                    continue
            else:
                value = parse(step, raw)
            trial = json.loads(json.dumps(target))
            _set(trial, step.path, value)
            messages = problems_of(self.kb, collection, trial, step.path, self.draft.known(self.kb)) if value not in (None, "", []) else []
            if messages:
                for message in messages:
                    self.say(f"  → {message}")
                continue
            if record:
                self.draft.put(step.path, value)
            else:
                _set(target, step.path, value)
            return value

    def _references(self, step: Ask, raw: str) -> Any:
        assert step.collection is not None
        found = resolve(self.kb, step.collection, raw, self.draft.new.get(step.collection, {}))
        ids = list(found.ids)
        for text, key in found.applied.items():
            self.say(f"  « {text} » : {key}")
        for text in found.unknown:
            question = f"  « {text} » n'est pas dans la base. L'ajouter comme {_NEW.get(step.collection, '')} ? (o/n) : "
            if step.collection in CREATABLE and wants(self.ask_line(question)):
                ids.append(self._create(step.collection, text))
            else:
                # The validator says it best: the unknown id, and the closest ones.
                ids.append(slugify(text) or text)
        if not step.many and len(ids) > 1:
            self.say("  → une seule réponse attendue ici")
            return None
        return ids if step.many else ids[0]

    def _create(self, collection: str, name: str) -> str:
        """A new organisation or territory, asked field by field, checked like the others (its rules too)."""
        self.say(f"  Nouvelle entrée de practices/reference/{self.kb.registry[collection].file} :")
        steps = {s.key: s for s in asks(CREATABLE[collection]) if isinstance(s, Ask) and s.key in _CREATE_FIELDS[collection]}
        entry: dict[str, Any] = {}
        typed = name[:1].upper() + name[1:] if name.islower() else name
        pending = [key for key in _CREATE_FIELDS[collection] if key in steps]
        while pending:
            for key in pending:
                self._question(steps[key], entry, collection, record=False, default=typed if key == "name" else "")
            entry = {key: value for key, value in entry.items() if value not in (None, "", [])}
            new_id = self._new_id(collection, entry)
            problems = self._rule_problems(collection, new_id, entry)
            for problem in problems:
                self.say(f"  → {problem.message}" + (f" ; {problem.hint}" if problem.hint else ""))
            # Ask again what the rules found wrong (a parent that does not contain the new territory…).
            pending = [field for field in _CREATE_FIELDS[collection] if any(problem.field.endswith("." + field) for problem in problems)]
        self.draft.new[collection][new_id] = entry
        self.save(self.draft)
        self.say(f"  Ajouté : {entry.get('name')} ({new_id})")
        return new_id

    def _new_id(self, collection: str, entry: Mapping[str, Any]) -> str:
        """An organisation is known by its acronym when it is free (« face »), otherwise by its name."""
        taken = self.draft.known(self.kb)[collection]
        acronym = slugify(str(entry.get("acronym") or "")) if collection == "organisations" else ""
        return acronym if acronym and acronym not in taken else unique_id(str(entry["name"]), taken)

    def _rule_problems(self, collection: str, key: str, entry: Mapping[str, Any]) -> list[Problem]:
        model = CREATABLE[collection]
        entries = {k: e.data for k, e in self.kb.collection(collection).items()}
        entries.update({k: model.model_validate(e) for k, e in self.draft.new[collection].items()})
        entries[key] = model.model_validate(entry)
        document = Document("réponse", {key: dict(entry)})
        found = [problem for rule in self.kb.registry[collection].rules for problem in rule(document, entries)]
        return [problem for problem in found if problem.field.split(".")[0] == key]

    def _repeat(self, step: Repeat) -> None:
        """Items one by one (each a group of fields); the first ones are required when the schema asks for some."""
        name = str(step.path[0])
        # Items already given before an interruption are kept.
        items: list[dict[str, Any]] = list(self.draft.sheet.get(name, []))
        while True:
            one, another = _ITEM.get(step.key, ("un élément", "un autre élément"))
            if len(items) < step.minimum:
                self.say(f"{step.prompt} : {one} au moins.")
            elif not wants(self.ask_line(f"Ajouter {another if items else one} ? (o/n) : ")):
                break
            item: dict[str, Any] = {}
            schema = {"$defs": {}, **step.schema}
            for sub in _walk(schema, step.schema, (), frozenset()):
                if isinstance(sub, Ask):
                    sub_path = (*step.path, len(items), *sub.path)
                    when = _REQUIRED_WHEN.get(f"{name}.{sub.key}")
                    required = sub.required or bool(when and when(item))
                    located = Ask(sub_path, sub.prompt, required, sub.kind, sub.many, sub.collection, sub.labels)
                    holder: dict[str, Any] = {name: [*items, item]}
                    self._question(located, holder, "practices", record=False)
            items.append({key: value for key, value in item.items() if value not in (None, "", [])})
            self.draft.sheet[name] = items
            self.save(self.draft)
        self.draft.sheet.pop(name, None)
        self.draft.put(step.path, items)


def _set(target: Any, path: tuple[str | int, ...], value: Any) -> None:
    node = target
    for part in path[:-1]:
        node = node[part] if isinstance(part, int) else node.setdefault(part, {})
    if value in (None, "", []):
        if isinstance(node, dict):
            node.pop(path[-1], None)
    else:
        node[path[-1]] = value


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in ({}, [], None, "")}
    if isinstance(value, list):
        return [_pruned(item) for item in value]
    return value


def append_entries(directory: Path, registry: Registry, new: Mapping[str, Mapping[str, Any]]) -> dict[Path, str]:
    """Append new entries to their reference files, as written by hand; return each file's previous text, to undo."""
    originals: dict[Path, str] = {}
    for collection, entries in new.items():
        if entries:
            path = directory / "reference" / str(registry[collection].file)
            originals[path] = path.read_text(encoding="utf-8")
            path.write_text(originals[path].rstrip("\n") + "\n\n" + dump_yaml(dict(entries)), encoding="utf-8")
    return originals


def restore(originals: Mapping[Path, str]) -> None:
    for path, text in originals.items():
        path.write_text(text, encoding="utf-8")
