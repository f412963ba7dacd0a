"""Safe, strict YAML loading that keeps where every value was written.

PyYAML's ``safe_load`` silently keeps the last of duplicate keys and guesses
types (``NO`` becomes ``False``, ``3.10`` becomes ``3.1``). Contributors must
never lose what they wrote, so this loader composes the node graph itself and
keeps every scalar exactly as written: typing is the schema's job, where it
can be explained in French.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem
from .yaml_slips import Slip, scalar_slip, sign_first, syntax_slip

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Document", "Location", "Mark", "load_document", "parse_document"]

MAX_BYTES = 1024 * 1024
# A practice sheet nests at most four levels (sources → item → field); leave room
# for reference files without letting a hostile file exhaust the stack.
MAX_DEPTH = 16

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    line: int
    column: int


@dataclass(frozen=True)
class Document:
    """A loaded file: plain data plus the mark of every key and list item.

    ``values`` holds where a text starts when it is not on its key's line
    (« period: » then « start:2011 » below it): a problem with that text is
    shown on the line of the text.
    """

    path: str
    data: dict[str, Any]
    marks: Mapping[Location, Mark] = field(default_factory=dict)
    values: Mapping[Location, Mark] = field(default_factory=dict)

    def mark(self, location: Location) -> Mark:
        """Mark of the deepest written part of ``location``."""
        for end in range(len(location), -1, -1):
            found = self.marks.get(tuple(location[:end]))
            if found is not None:
                return found
        return Mark(1, 1)

    def problem(self, location: Location, message: str, hint: str = "", *, at: Location | None = None, at_value: bool = False) -> Problem:
        """A problem of ``location``, shown on its key, or on the key ``at`` inside it, or
        (``at_value``) on its text when that starts below the key."""
        mark = (self.values.get(location) if at_value else None) or self.mark(at or location)
        return Problem(self.path, mark.line, mark.column, dotted(location), message, hint)


def dotted(location: Location) -> str:
    """``('sources', 0, 'url')`` → ``sources[0].url``, as contributors read it."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class _Refused(Exception):
    def __init__(self, mark: Any, message: str, hint: str = "", field: str = "") -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.hint = hint
        self.field = field

    @classmethod
    def slip(cls, slip: Slip, location: Location) -> _Refused:
        mark = yaml.Mark("", 0, slip.line - 1, slip.column - 1, None, 0)
        return cls(mark, slip.message, slip.hint, dotted(location))


class _StrictLoader(yaml.SafeLoader):
    """Refuses anchors, aliases, explicit tags and deep nesting while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) and (slip := self._text_not_alias(event)) is not None:
            raise _Refused(event.start_mark, slip.message, slip.hint)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(
                event.start_mark,
                "les ancres et alias YAML (& et *) ne sont pas acceptés",
                "recopiez la valeur là où elle sert ; un texte qui commence par « * » ou « & » (du Markdown *italique*, par exemple) "
                's\'écrit entre guillemets droits "…"',
            )
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            written = str(tag).replace("tag:yaml.org,2002:", "!!")
            raise _Refused(
                event.start_mark,
                f"les étiquettes YAML explicites (« {written} ») ne sont pas acceptées",
                "écrivez la valeur telle quelle, entre guillemets droits si elle commence par « ! »",
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(
                event.start_mark,
                f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)",
                "une fiche n'a besoin que de quelques niveaux d'indentation",
            )
        try:
            node: yaml.Node = super().compose_node(parent, index)  # type: ignore[assignment]
            return node
        finally:
            self._depth -= 1

    @staticmethod
    def _text_not_alias(event: Any) -> Slip | None:
        """« *Des parrains* accompagnent… »: Markdown emphasis at the start of a text, not an alias."""
        start, end = event.start_mark, event.end_mark
        if start.buffer is None:
            return None
        rest = start.buffer[end.pointer :].split("\n", 1)[0].strip(" \0")
        if not rest or rest[0] in ",]}#":
            return None
        return sign_first(start.buffer.rstrip("\0").splitlines(), start.line, start.column)


_NULL = "tag:yaml.org,2002:null"

_SINGLE_DOCUMENT = (
    "le fichier contient plusieurs documents YAML (séparés par ---)",
    "une fiche par fichier : retirez le second document ou créez un autre fichier",
)


def _yaml_problem(path: str, lines: list[str], error: yaml.MarkedYAMLError) -> Problem:
    """PyYAML's error, told in French at the line of the likely slip (``yaml_slips``)."""
    if (error.context or "").startswith("expected a single document"):
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        return Problem(path, line, 1, "", *_SINGLE_DOCUMENT)
    slip = syntax_slip(lines, error)
    return Problem(path, slip.line, slip.column, "", slip.message, slip.hint)


def _to_data(node: yaml.Node, location: Location, marks: dict[Location, Mark], values: dict[Location, Mark], lines: list[str]) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node.start_mark, "un nom de champ doit être un simple mot")
            key = key_node.value
            if key in result:
                first = marks[(*location, key)]
                raise _Refused(
                    key_node.start_mark,
                    f"le champ « {key} » apparaît deux fois",
                    f"il est déjà écrit ligne {first.line} : gardez-en un seul, en réunissant les deux textes si besoin",
                )
            child = (*location, key)
            marks[child] = Mark(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if isinstance(value_node, yaml.ScalarNode) and value_node.start_mark.line != key_node.start_mark.line:
                values[child] = Mark(value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            result[key] = _to_data(value_node, child, marks, values, lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*location, index)
            marks[child] = Mark(item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(_to_data(item, child, marks, values, lines))
        return items
    slip = scalar_slip(lines, location, node.style, node.start_mark, node.end_mark)  # type: ignore[attr-defined]
    if slip is not None:
        raise _Refused.slip(slip, location)
    if node.tag == _NULL and getattr(node, "style", None) is None:
        return None
    # Every other scalar stays the text the contributor typed.
    return str(node.value)


def _decode(path: str, raw: bytes) -> str | Problem:
    if len(raw) > MAX_BYTES:
        return Problem(
            path,
            1,
            1,
            "",
            f"fichier trop volumineux ({len(raw)} octets, maximum {MAX_BYTES})",
            "une fiche tient en quelques kilo-octets : découpez-la ou retirez le contenu collé",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        return Problem(
            path,
            1,
            1,
            "",
            "le fichier commence par une marque d'ordre des octets (BOM)",
            "enregistrez le fichier en « UTF-8 » sans BOM",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return Problem(
            path,
            line,
            column,
            "",
            "le fichier n'est pas encodé en UTF-8",
            "enregistrez le fichier en « UTF-8 » depuis votre éditeur",
        )
    if not text.strip():
        return Problem(path, 1, 1, "", "le fichier est vide", "lancez python scripts/kb.py new, ou copiez une fiche existante et adaptez-la")
    for number, line_text in enumerate(text.splitlines(), start=1):
        indent = line_text[: len(line_text) - len(line_text.lstrip(_BLANKS))]
        if "\t" in indent:
            return Problem(
                path,
                number,
                indent.index("\t") + 1,
                "",
                "tabulation en début de ligne",
                "remplacez-la par des espaces : les fiches n'utilisent que des espaces",
            )
        odd = next((character for character in indent if character != " "), None)
        if odd is not None:
            return Problem(
                path,
                number,
                indent.index(odd) + 1,
                "",
                "espace insécable en début de ligne : YAML ne la compte pas comme une espace",
                "remplacez-la par une espace ordinaire (elle vient souvent d'un copier-coller depuis un traitement de texte ou une page web)",
            )
    return text


# Spaces a word processor or a web page pastes: not spaces for YAML.
_BLANKS = " \t\u00a0\u2007\u2009\u202f\u3000"
_RESOLVER = yaml.resolver.Resolver()
# libyaml accepts a few things PyYAML refuses (found by fuzzing both): a tab in
# a plain scalar, « ? » inside brackets, « >-# » with no space before the
# comment. Texts holding these characters go the strict way.
_LIBYAML_LENIENT = re.compile(r"[\t?]|[|>][-+0-9]*#")
_CONTAINER_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Unusual(Exception):
    """Anything the fast path does not handle: the strict loader decides and explains."""


def _fast_document(text: str, lines: list[str]) -> tuple[dict[str, Any], dict[Location, Mark], dict[Location, Mark]]:
    """The same data and marks as the strict loader, from libyaml's events (about 10× faster).

    Only plain documents take this path: an alias, anchor, explicit tag, deep
    nesting, duplicate key, complex key, second document, syntax error or slip
    in a text (``yaml_slips.scalar_slip``) raises ``_Unusual``, and the strict
    loader then says what is wrong in its own words.
    """
    if not yaml.__with_libyaml__ or _LIBYAML_LENIENT.search(text) or yaml.reader.Reader.NON_PRINTABLE.search(text):
        raise _Unusual
    try:
        # Any: the stubs type events as the base class, libyaml's marks as optional.
        events: list[Any] = list(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        raise _Unusual from None
    # StreamStart, DocumentStart, <one mapping>, DocumentEnd, StreamEnd.
    if len(events) < 5 or not isinstance(events[2], yaml.MappingStartEvent) or not isinstance(events[-2], yaml.DocumentEndEvent):
        raise _Unusual
    marks: dict[Location, Mark] = {}
    values: dict[Location, Mark] = {}
    position = 2

    def value(location: Location, depth: int) -> Any:
        nonlocal position
        event = events[position]
        position += 1
        if depth > MAX_DEPTH or isinstance(event, yaml.AliasEvent) or event.anchor is not None or event.tag not in (None, "!"):
            raise _Unusual
        if isinstance(event, yaml.ScalarEvent):
            if scalar_slip(lines, location, event.style, event.start_mark, event.end_mark) is not None:
                raise _Unusual
            resolved = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
            tag = resolved if event.tag is None else "!"
            # A plain scalar's style is None in PyYAML, "" in libyaml.
            return None if tag == _NULL and not event.style else event.value
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(events[position], _CONTAINER_ENDS):
                child = (*location, len(items))
                start = events[position].start_mark
                marks[child] = Mark(start.line + 1, start.column + 1)
                items.append(value(child, depth + 1))
            position += 1
            return items
        if isinstance(event, yaml.MappingStartEvent):
            result: dict[str, Any] = {}
            while not isinstance(events[position], _CONTAINER_ENDS):
                key_event = events[position]
                if not isinstance(key_event, yaml.ScalarEvent) or key_event.anchor is not None or key_event.tag not in (None, "!"):
                    raise _Unusual
                key = key_event.value
                if key in result:
                    raise _Unusual
                position += 1
                child = (*location, key)
                key_start: Any = key_event.start_mark
                marks[child] = Mark(key_start.line + 1, key_start.column + 1)
                value_start = events[position].start_mark
                if isinstance(events[position], yaml.ScalarEvent) and value_start.line != key_start.line:
                    values[child] = Mark(value_start.line + 1, value_start.column + 1)
                result[key] = value(child, depth + 1)
            position += 1
            return result
        raise _Unusual

    data = value((), 1)
    if position != len(events) - 2:
        raise _Unusual
    return data, marks, values


def load_document(file: Path, display: str | None = None, *, fast: bool = True) -> Document | Problem:
    """Load one YAML file as a mapping, or say in French why it cannot be.

    ``fast=False`` skips libyaml: the tests compare both paths.
    """
    path = display or str(file)
    try:
        raw = file.read_bytes()
    except OSError as error:
        return Problem(path, 1, 1, "", f"fichier illisible ({error.strerror})")
    return parse_document(raw, path, fast=fast)


def parse_document(raw: bytes, path: str, *, fast: bool = True) -> Document | Problem:
    """``load_document`` of bytes already read from the file shown as ``path``."""
    text = _decode(path, raw)
    if isinstance(text, Problem):
        return text
    lines = text.splitlines()
    if fast:
        try:
            data, marks, values = _fast_document(text, lines)
            return Document(path=path, data=data, marks=marks, values=values)
        except _Unusual:
            pass
    marks, values = {}, {}
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(text)
        node = loader.get_single_node()
        if node is None:
            return Problem(path, 1, 1, "", "le fichier ne contient aucune donnée")
        if not isinstance(node, yaml.MappingNode):
            return Problem(
                path,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "",
                "le fichier doit décrire un ensemble de champs (« champ: valeur »), pas une liste ni un texte seul",
                "commencez par « title: … » sans tiret devant",
            )
        data = _to_data(node, (), marks, values, lines)
    except _Refused as refused:
        line, column = (refused.mark.line + 1, refused.mark.column + 1) if refused.mark else (1, 1)
        return Problem(path, line, column, refused.field, refused.message, refused.hint)
    except yaml.MarkedYAMLError as error:
        return _yaml_problem(path, lines, error)
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        return Problem(
            path,
            before.count("\n") + 1,
            len(before) - (before.rfind("\n") + 1) + 1,
            "",
            f"YAML invalide : caractère de contrôle interdit (code {error.character:#04x})",
            "retirez ce caractère invisible, souvent venu d'un copier-coller",
        )
    finally:
        if loader is not None:
            loader.dispose()
    return Document(path=path, data=data, marks=marks, values=values)
