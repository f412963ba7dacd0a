"""Why a sheet is not valid YAML, found from its lines and told in French.

PyYAML stops where the grammar breaks, often a line after the slip, and says it
in its own words (« expected <block end>, but found '<scalar>' »). The likely
slip is read here from the lines around that place: the indentation of the line
against the lines above it, a quote that closes a text too early, a colon or a
sign in a text without quotes, a missing space. Every message names the line of
the slip and shows the corrected line; none of PyYAML's words reach a
contributor.

The same module checks the texts the parser accepted but that do not say what
the contributor meant: a list typed under a text or inside a folded text
(« >- »), whose items YAML joins into one line, a « - » without its space, a
« # » that cuts a text short.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

__all__ = ["Slip", "scalar_slip", "sign_first", "syntax_slip"]


@dataclass(frozen=True)
class Slip:
    """A slip at a 1-based line and column, with the message and the fix."""

    line: int
    column: int
    message: str
    hint: str


# ---------------------------------------------------------------------------
# Reading lines as a contributor wrote them

# Optional list dashes, then « name: » followed by a space or the end of the line.
_LINE = re.compile(r"(?P<indent> *)(?P<dashes>(?:-(?: +|$))*)(?P<rest>.*)")
_KEY_VALUE = re.compile(r"(?P<key>[^\s:#'\"][^:]*?|'[^']*'|\"[^\"]*\") *:(?: +(?P<value>.*)|$)")
_WORD = re.compile(r"[^\W\d][\w-]*")
# « title:Foo »: a name glued to its value (an address « https://… » is not one).
_NO_SPACE = re.compile(r"(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>[^\W\d][\w-]*):(?P<value>[^\s/].*)")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*\s*(?:#.*)?")
_LIST_MARKER = re.compile(r"(?:[-*+]|\d+[.)])(?: |$)")
_OPENING_QUOTES = {"«": "»", "“": "”", "„": "“", "‘": "’", "‹": "›"}


@dataclass(frozen=True)
class _Line:
    index: int  # 0-based
    text: str
    indent: int
    dashes: list[int]  # column of each « - » that starts the line
    key: str | None  # the field named at the start of the line, if any
    key_column: int  # where that name (or the text after the dashes) starts
    value: str  # what follows « name: » on the line

    @property
    def blank(self) -> bool:
        return not self.text.strip() or self.text.lstrip().startswith("#")

    @property
    def word_key(self) -> bool:
        """Whether the line starts with a field name (a single word, as in every sheet)."""
        return self.key is not None and bool(_WORD.fullmatch(self.key))

    @property
    def block_header(self) -> bool:
        """« name: | » or « name: >- »: a text on the following lines."""
        return self.key is not None and bool(_BLOCK_HEADER.fullmatch(self.value))


def _parse(lines: Sequence[str], index: int) -> _Line:
    text = lines[index] if 0 <= index < len(lines) else ""
    match = _LINE.match(text)
    assert match is not None  # every part of the pattern is optional
    indent = len(match.group("indent"))
    dashes = [indent + m.start() for m in re.finditer(r"-(?: +|$)", match.group("dashes"))]
    rest_column = match.start("rest")
    found = _KEY_VALUE.match(match.group("rest"))
    key = found.group("key").strip() if found else None
    value = (found.group("value") or "").strip() if found else match.group("rest").strip()
    return _Line(index, text, indent, dashes, key, rest_column, value)


def _above(lines: Sequence[str], index: int) -> _Line | None:
    """The closest line above ``index`` that holds something (not blank, not a comment)."""
    for i in range(index - 1, -1, -1):
        line = _parse(lines, i)
        if not line.blank:
            return line
    return None


def _owner(lines: Sequence[str], index: int) -> _Line | None:
    """The line naming the field whose value line ``index`` belongs to (itself or above)."""
    here = _parse(lines, index)
    if here.word_key:
        return here
    for i in range(index - 1, -1, -1):
        line = _parse(lines, i)
        if not line.blank and line.indent < here.indent and line.word_key:
            return line
        if not line.blank and line.indent < here.indent:
            return None
    return None


def _spaces(count: int) -> str:
    if count == 0:
        return "en début de ligne, sans espace"
    return f"{count} espace{'s' if count > 1 else ''} en début de ligne"


def _short(text: str, limit: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quoted(key: str, value: str) -> str:
    """``key: "value"``, the text protected by straight quotes, as the contributor should type it."""
    if '"' not in value:
        return f'{key}: "{value}"'
    if "'" not in value:
        return f"{key}: '{value}'"
    return f'{key}: "{_french_quotes(value)}"'


def _french_quotes(text: str) -> str:
    """Straight double quotes inside a text turned into « », in pairs."""
    parts = text.split('"')
    result = parts[0]
    for number, part in enumerate(parts[1:]):
        result += ("« " if number % 2 == 0 else " »") + part
    return result.replace("«  ", "« ").replace("  »", " »")


@cache
def _field_kinds() -> dict[str, frozenset[str]]:
    """Every field name of the schema → what it holds there: « list », « markdown » or « other »."""
    from pydantic import BaseModel

    from . import schema

    kinds: dict[str, set[str]] = {}
    for model in vars(schema).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            for name, info in model.model_fields.items():
                described = repr(info)
                kind = "list" if described.startswith("FieldInfo(annotation=list[") else "markdown" if "text/markdown" in described else "other"
                kinds.setdefault(name, set()).add(kind)
    return {name: frozenset(found) for name, found in kinds.items()}


def _kind(key: str) -> str | None:
    found = _field_kinds().get(key)
    return next(iter(found)) if found and len(found) == 1 else None


# ---------------------------------------------------------------------------
# Syntax errors


def syntax_slip(lines: Sequence[str], error: yaml.MarkedYAMLError) -> Slip:
    """The likely slip behind PyYAML's ``error``, located on the line to correct."""
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    diagnoses: list[Callable[[Sequence[str], int, int], Slip | None]] = []
    if problem.startswith("mapping values are not allowed"):
        diagnoses = [_colon]
    elif problem.startswith("could not find expected ':'") and error.context_mark:
        line, column = error.context_mark.line, error.context_mark.column
        diagnoses = [_no_colon]
    elif problem.startswith(("expected <block end>", "expected '<document start>'")):
        diagnoses = [_closed_early, _first_line_indented, _list_under_value, _inside_block, _misaligned]
    elif problem.startswith("found character '\\t'"):
        diagnoses = [_tab]
    elif context.startswith("while parsing a flow") and error.context_mark and mark and mark.line > error.context_mark.line:
        line, column = error.context_mark.line, error.context_mark.column
        diagnoses = [_unclosed_bracket]
    elif context.startswith("while parsing a flow mapping"):
        diagnoses = [_bad_braces]
    elif context.startswith("while parsing a flow"):
        diagnoses = [_bad_brackets]
    elif context.startswith("while scanning a block scalar"):
        diagnoses = [_text_after_block_sign]
    elif context.startswith(("while scanning a quoted", "while scanning a double-quoted")) and "escape" in problem:
        diagnoses = [_backslash]
    elif context.startswith(("while scanning a quoted", "while scanning a double-quoted")) and error.context_mark:
        line, column = error.context_mark.line, error.context_mark.column
        diagnoses = [_unclosed_quote]
    elif context.startswith(("while scanning an alias", "while scanning an anchor")) and error.context_mark:
        line, column = error.context_mark.line, error.context_mark.column
        diagnoses = [sign_first]
    elif problem.startswith(("found character", "sequence entries are not allowed", "mapping keys are not allowed", "expected the node content")):
        diagnoses = [sign_first]
    for diagnose in diagnoses:
        slip = diagnose(lines, line, column)
        if slip is not None:
            return slip
    return Slip(
        line + 1,
        column + 1,
        "le fichier n'est plus lisible à partir d'ici",
        "vérifiez cette ligne et celle du dessus : les espaces en début de ligne (alignés sur les lignes voisines), "
        'les guillemets (refermés), et entourez de guillemets droits "…" un texte qui contient « : » ou « # »',
    )


def _colon(lines: Sequence[str], index: int, column: int) -> Slip:
    """« : » where YAML cannot start a field: a key out of line, a name glued to its value, or a colon in a text."""
    here = _parse(lines, index)
    before = here.text[:column]
    head = re.sub(r"^(?:-\s+)*", "", before.strip())
    above = _above(lines, index)
    if _WORD.fullmatch(head) and above is not None:
        glued = _NO_SPACE.fullmatch(above.text)
        if glued and not above.word_key:
            return _glued(above.index, glued)
        if above.key is not None or above.dashes:
            position = here.text.index(head, here.indent)
            if position > above.key_column:
                return _too_far(here, head, position, above)
    owner = _owner(lines, index)
    if owner is not None and owner.index == index and owner.word_key and column > owner.key_column + len(owner.key or ""):
        named = re.search(r"(?:^|\s)([a-z_]+)$", before)
        if named and named.group(1) in _field_kinds() and named.group(1) != owner.key:
            field = named.group(1)
            return Slip(
                index + 1,
                named.start(1) + 1,
                f"deux champs sur la même ligne : « {field}: » doit commencer sa propre ligne",
                f"passez à la ligne avant « {field}: » et alignez-le sur « {owner.key}: » ({_spaces(owner.key_column)})",
            )
    return _colon_in_text(lines, index, column, owner)


def _glued(index: int, glued: re.Match[str]) -> Slip:
    key, value = glued.group("key"), glued.group("value")
    return Slip(
        index + 1,
        glued.start("value") + 1,
        f"il manque une espace après « {key}: »",
        f"écrivez « {glued.group('dashes')}{key}: {_short(value)} » : une espace après les deux-points",
    )


def _too_far(here: _Line, head: str, position: int, above: _Line) -> Slip:
    shift = position - above.key_column
    label = f"{above.key}:" if above.key else f"- {_short(above.value, 20)}"
    return Slip(
        here.index + 1,
        position + 1,
        f"« {head}: » est décalé de {shift} espace{'s' if shift > 1 else ''} vers la droite par rapport à « {label} » (ligne {above.index + 1}) : "
        f"YAML le lit comme la suite de la ligne {above.index + 1}",
        f"alignez « {head}: » sur « {label} » : {_spaces(above.key_column)}",
    )


def _colon_in_text(lines: Sequence[str], index: int, column: int, owner: _Line | None) -> Slip:
    here = _parse(lines, index)
    key = owner.key if owner is not None and owner.word_key else None
    whose = f" de « {key} »" if key else ""
    at_end = not here.text[column + 1 :].strip()
    following = _parse(lines, index + 1)
    continued = not following.blank and following.indent > (owner.key_column if owner else here.indent) and not following.word_key
    one_line = owner is not None and owner.index == index and not at_end and not continued and key is not None
    typographic = one_line and owner is not None and owner.value[:1] in _OPENING_QUOTES
    if typographic and owner is not None and key is not None:
        return Slip(
            index + 1,
            column + 1,
            f"deux-points dans un texte : les guillemets {owner.value[0]}…{_OPENING_QUOTES[owner.value[0]]} ne le protègent pas, "
            "YAML les lit comme des lettres du texte",
            f"entourez tout le texte de guillemets droits : {_quoted(key, owner.value)}",
        )
    message = f"deux-points suivi d'une espace dans le texte{whose} : YAML y voit le début d'un nouveau champ"
    if at_end:
        message = f"deux-points en fin de ligne dans le texte{whose} : YAML y voit le début d'un nouveau champ"
    if one_line and owner is not None and key is not None:
        hint = f"entourez le texte de guillemets droits : {_quoted(key, owner.value)}"
    else:
        name = key or "champ"
        hint = (
            f"pour un texte sur plusieurs lignes, écrivez « {name}: | » seul sur sa ligne, puis tout le texte en dessous, "
            "chaque ligne avec deux espaces de plus en début de ligne : le texte peut alors contenir « : »"
        )
    return Slip(index + 1, column + 1, message, hint)


def _no_colon(lines: Sequence[str], index: int, column: int) -> Slip:
    """A line YAML could not read as « name: value » nor as the rest of a text."""
    here = _parse(lines, index)
    above = _above(lines, index)
    glued = _NO_SPACE.fullmatch(here.text)
    if glued:
        return _glued(index, glued)
    equal = re.fullmatch(r"(?P<indent> *)(?P<key>[^\W\d][\w-]*) *= *(?P<value>.*)", here.text)
    if equal:
        return Slip(
            index + 1,
            equal.start("key") + len(equal.group("key")) + 1,
            f"« = » au lieu de « : » après « {equal.group('key')} »",
            f"écrivez « {equal.group('key')}: {_short(equal.group('value'))} »",
        )
    words = re.fullmatch(r"(?P<indent> *)(?P<key>[a-z_]+) +(?P<value>\S.*)", here.text)
    if words and words.group("key") in _field_kinds():
        return Slip(
            index + 1,
            words.end("key") + 1,
            f"il manque « : » après « {words.group('key')} »",
            f"écrivez « {words.group('key')}: {_short(words.group('value'))} »",
        )
    text = _short(here.text)
    if above is not None and above.word_key and here.indent <= above.key_column:
        if above.block_header:
            return Slip(
                index + 1,
                column + 1,
                f"les lignes du texte de « {above.key} » doivent commencer par des espaces",
                f"sous « {above.key}: {above.value} » (ligne {above.index + 1}), commencez chaque ligne du texte par {above.key_column + 2} espaces",
            )
        if not above.value:
            return Slip(
                index + 1,
                column + 1,
                f"« {text} » est à la ligne sous « {above.key}: » mais sans espaces en début de ligne : YAML n'y voit pas sa valeur",
                f"écrivez la valeur sur la même ligne : « {above.key}: {_short(here.text)} », ou commencez la ligne par {above.key_column + 2} espaces",
            )
        return Slip(
            index + 1,
            column + 1,
            f"ligne sans nom de champ : « {text} »",
            f"si elle continue le texte de « {above.key} » (ligne {above.index + 1}), commencez-la par {above.key_column + 2} espaces",
        )
    return Slip(
        index + 1,
        column + 1,
        f"ligne sans nom de champ : « {text} »",
        "chaque ligne commence par « champ: valeur », ou continue le texte de la ligne au-dessus avec plus d'espaces en début de ligne",
    )


def _closed_early(lines: Sequence[str], index: int, column: int) -> Slip | None:
    """A quote or a bracket ends the text, and the line goes on: « 'l'avenir' », « "Cap" emploi », « [Vidéo] titre »."""
    here = _parse(lines, index)
    before = here.text[:column].rstrip()
    if not before or before[-1] not in "'\"]}" or column >= len(here.text):
        return None
    sign, end = before[-1], len(before)
    owner = _owner(lines, index)
    key = owner.key if owner is not None and owner.word_key else None
    if owner is None or key is None:
        return None
    one_line = owner.index == index
    value = owner.value
    if sign in "]}":
        if not one_line or value[:1] not in "[{":
            return None
        return Slip(
            index + 1,
            owner.text.index(value) + 1,
            f"le texte commence par « {value[0]} » : YAML y lit une liste, qui s'arrête à « {sign} »",
            f"entourez tout le texte de guillemets droits : {_quoted(key, value)}",
        )
    word = re.search(r"[\w'’-]*$", before[:-1])
    after = re.match(r"[\w'’-]*", here.text[end:])
    whole = (word.group(0) if word else "") + sign + (after.group(0) if after else "")
    if sign == "'" and before[-2:-1].isalpha() and here.text[end : end + 1].isalpha():
        if one_line and value.startswith("'") and value.endswith("'"):
            fix = f"entourez le texte de guillemets droits : {_quoted(key, value[1:-1].replace(chr(39) * 2, chr(39)))}"
        else:
            fix = 'remplacez les apostrophes qui entourent le texte par des guillemets droits "…"'
        return Slip(
            index + 1,
            end,
            f"apostrophe dans un texte entre apostrophes : celle de « {whole} » ferme le texte trop tôt",
            f"{fix}, ou doublez l'apostrophe : « {whole.replace(chr(39), chr(39) * 2)} »",
        )
    if sign == '"' and value.startswith('"') and not here.text[end : end + 1].isspace():
        inner = value[1:-1] if one_line and value.endswith('"') and len(value) > 1 else ""
        fix = f' : {key}: "{_french_quotes(inner)}"' if inner else ""
        where = f"celui d'avant « {after.group(0)} »" if after and after.group(0) else f"celui d'après « {_short(before[:-1], 30)} »"
        return Slip(
            index + 1,
            end,
            f"guillemet droit « \" » à l'intérieur d'un texte entre guillemets droits : {where} ferme le texte trop tôt",
            f"à l'intérieur du texte, utilisez les guillemets « »{fix}",
        )
    if one_line and value[:1] == sign == "'":
        return Slip(
            index + 1,
            end,
            "le texte commence par une apostrophe : YAML l'arrête à la suivante, et la suite de la ligne est de trop",
            f"entourez tout le texte de guillemets droits : {_quoted(key, value)}",
        )
    if one_line and value[:1] == sign == '"':
        return Slip(
            index + 1,
            end,
            "le texte commence par un guillemet droit : YAML l'arrête au suivant, et la suite de la ligne est de trop",
            f'entourez tout le texte de guillemets droits, avec « » à l\'intérieur : {key}: "{_french_quotes(value)}"',
        )
    return None


def _first_line_indented(lines: Sequence[str], index: int, column: int) -> Slip | None:
    first = next((line for i in range(len(lines)) if not (line := _parse(lines, i)).blank), None)
    if first is None or first.indent == 0 or first.index == index or _parse(lines, index).indent >= first.indent:
        return None
    return Slip(
        first.index + 1,
        1,
        f"la ligne {first.index + 1} commence par des espaces : les lignes suivantes ne sont plus alignées sur elle",
        "retirez les espaces au début de la ligne : les champs principaux (title, summary…) commencent tout à gauche",
    )


def _list_under_value(lines: Sequence[str], index: int, column: int) -> Slip | None:
    """« themes: parrainage » then « - decouverte »: a list below a field that already has its value."""
    here = _parse(lines, index)
    above = _above(lines, index)
    if not here.dashes or above is None or not above.word_key or not above.value or above.block_header:
        return None
    if above.key_column < here.dashes[0] - 2 or above.key_column > here.dashes[0]:
        return None
    items = [above.value.strip("[]"), here.value]
    return Slip(
        index + 1,
        here.dashes[0] + 1,
        f"élément de liste sous « {above.key}: {_short(above.value, 30)} », qui a déjà sa valeur sur sa ligne",
        f"écrivez la liste sur une ligne : « {above.key}: [{', '.join(items)}] », "
        f"ou « {above.key}: » seul puis un élément par ligne, chacun précédé de « - » et de {above.key_column + 2} espaces",
    )


def _inside_block(lines: Sequence[str], index: int, column: int) -> Slip | None:
    """A line of a « | » or « > » text with fewer spaces than the text's first line."""
    here = _parse(lines, index)
    for i in range(index - 1, -1, -1):
        line = _parse(lines, i)
        if line.blank or line.indent > here.indent:
            continue
        if not line.block_header:
            return None
        first = next((_parse(lines, j) for j in range(i + 1, index) if not _parse(lines, j).blank), None)
        if first is None or first.indent <= here.indent:
            return None
        return Slip(
            index + 1,
            here.indent + 1,
            f"ligne avec moins d'espaces en début de ligne que le début du texte de « {line.key} » (ligne {first.index + 1}) : "
            "pour YAML, le texte s'arrête avant elle",
            f"commencez chaque ligne du texte par {first.indent} espaces, comme la ligne {first.index + 1}",
        )
    return None


def _levels(lines: Sequence[str], index: int) -> list[tuple[int, str, _Line]]:
    """(column, kind, line) where a field (« key ») or a list item (« dash ») starts, on the lines above, innermost first.

    Only the lines that can still take a neighbour count: each one further up
    must start left of the previous one.
    """
    found: list[tuple[int, str, _Line]] = []
    limit = len(lines[index]) if index < len(lines) else 10**6
    for i in range(index - 1, -1, -1):
        line = _parse(lines, i)
        if line.blank:
            continue
        if line.indent >= limit:
            continue
        starts = ([(line.key_column, "key")] if line.word_key else []) + [(dash, "dash") for dash in reversed(line.dashes)]
        if not starts:
            limit = min(limit, line.indent + 1)
            continue
        for position, kind in starts:
            if position < limit:
                found.append((position, kind, line))
                limit = position
        if limit == 0:
            break
    return found


def _misaligned(lines: Sequence[str], index: int, column: int) -> Slip | None:
    """A field or a list item that starts at no column the lines above use."""
    here = _parse(lines, index)
    kind = "dash" if here.dashes else "key"
    position = here.dashes[0] if here.dashes else here.indent
    levels = [(p, line) for p, k, line in _levels(lines, index) if k == kind]
    if not levels or any(p == position for p, _ in levels):
        return None
    deeper = min(((p, line) for p, line in levels if p > position), default=None, key=lambda found: found[0])
    shallower = max(((p, line) for p, line in levels if p < position), default=None, key=lambda found: found[0])
    if kind == "dash":
        label = f"- {_short(here.value, 30)}"
        target = deeper or shallower
        assert target is not None
        return Slip(
            index + 1,
            position + 1,
            f"« {label} » n'est aligné sur aucun élément de liste au-dessus ({_spaces(position)})",
            f"alignez le tiret sur celui de la ligne {target[1].index + 1} : {_spaces(target[0])}",
        )
    name = f"{here.key}:" if here.word_key else _short(here.value or here.text, 30)
    options = [f"sur « {found[1].key}: » (ligne {found[1].index + 1}, {_spaces(found[0])})" for found in (deeper, shallower) if found is not None]
    return Slip(
        index + 1,
        position + 1,
        f"« {name} » n'est aligné sur aucun champ au-dessus ({_spaces(position)})",
        "alignez-le " + " s'il en fait partie, ou ".join(options) if options else "alignez-le sur le champ dont il fait partie",
    )


def _tab(lines: Sequence[str], index: int, column: int) -> Slip:
    before = _parse(lines, index).text[:column].rstrip()
    if before.endswith(":"):
        where = f"après « {before.split()[-1]} »"
    elif before.endswith("-"):
        where = "après le tiret"
    else:
        where = "dans le texte (souvent venue d'un copier-coller depuis un tableur ou un traitement de texte)"
    return Slip(index + 1, column + 1, f"tabulation {where}", "remplacez-la par une espace : les fiches n'utilisent que des espaces")


def _unclosed_bracket(lines: Sequence[str], index: int, column: int) -> Slip:
    """« [ » or « { » opened at (index, column), and the lines below read as its inside."""
    here = _parse(lines, index)
    sign = here.text[column : column + 1] or "["
    close = "}" if sign == "{" else "]"
    inside = here.text[column:].rstrip().rstrip(",")
    fix = f" : {here.key}: {inside}{close}" if here.word_key and here.value.startswith(sign) else ""
    return Slip(
        index + 1,
        column + 1,
        f"« {sign} » ouvert sur cette ligne et jamais refermé",
        f"fermez par « {close} » sur la même ligne{fix}",
    )


def _bad_brackets(lines: Sequence[str], index: int, column: int) -> Slip:
    here = _parse(lines, index)
    return Slip(
        index + 1,
        column + 1,
        f"liste entre crochets mal écrite : « {_short(here.value or here.text)} »",
        "séparez les éléments par des virgules et fermez par « ] » : [premier, second] ; "
        "un élément qui contient « : », « , » ou « # » s'écrit entre guillemets droits",
    )


def _bad_braces(lines: Sequence[str], index: int, column: int) -> Slip:
    here = _parse(lines, index)
    return Slip(
        index + 1,
        column + 1,
        f"accolades mal écrites : « {_short(here.value or here.text)} »",
        "écrivez plutôt chaque champ sur sa ligne, sous le champ qui les regroupe, avec deux espaces de plus en début de ligne",
    )


def _text_after_block_sign(lines: Sequence[str], index: int, column: int) -> Slip | None:
    here = _parse(lines, index)
    if not here.word_key or here.value[:1] not in "|>":
        return None
    sign = here.value[0]
    comparison = sign == ">" and re.match(r">\s*\d", here.value)
    quoted = f"pour un texte qui commence par « {sign} », entourez-le de guillemets droits : {_quoted(here.key or '', here.value)}"
    block = f"après « {here.key}: {sign} », passez à la ligne : le texte s'écrit sur les lignes suivantes, avec {here.key_column + 2} espaces en début de ligne"
    return Slip(
        index + 1,
        here.text.index(here.value) + 1,
        f"« {sign} » en début de valeur annonce un texte sur les lignes suivantes, pas sur la même ligne",
        f"{quoted} ; {block}" if comparison else block if sign == "|" else f"{block} ; {quoted}",
    )


def _backslash(lines: Sequence[str], index: int, column: int) -> Slip:
    owner = _owner(lines, index)
    value = owner.value if owner is not None else ""
    fix = f" : {owner.key}: '{value[1:-1]}'" if owner is not None and owner.index == index and value.startswith('"') and value.endswith('"') else ""
    return Slip(
        index + 1,
        column,
        "barre oblique inverse « \\ » dans un texte entre guillemets droits : YAML y attend un code spécial",
        f"entourez le texte d'apostrophes au lieu des guillemets droits{fix}, ou doublez la barre « \\\\ »",
    )


def _unclosed_quote(lines: Sequence[str], index: int, column: int) -> Slip:
    here = _parse(lines, index)
    sign = here.text[column : column + 1] or '"'
    name = "l'apostrophe" if sign == "'" else "le guillemet"
    return Slip(
        index + 1,
        column + 1,
        f"guillemet non refermé : {name} {sign} ouvre un texte qui ne se termine jamais",
        f"refermez le texte par « {sign} » à sa fin, ou retirez {name} du début",
    )


def sign_first(lines: Sequence[str], index: int, column: int) -> Slip | None:
    """A text starting with a sign YAML reserves: « *gras* », « @compte », « - texte », « , »."""
    here = _parse(lines, index)
    owner = _owner(lines, index)
    sign = here.text[column : column + 1]
    if owner is None or owner.index != index or not owner.word_key or not sign or sign.isspace():
        return None
    value = here.text[column:].strip()
    hint = f"entourez le texte de guillemets droits : {_quoted(owner.key or '', value)}"
    if sign == "-" and _kind(owner.key or "") == "list":
        hint = f"pour une liste, écrivez « {owner.key}: [{value.lstrip('- ')}] », ou {hint[0].lower()}{hint[1:]}"
    return Slip(index + 1, column + 1, f"un texte ne peut pas commencer par « {sign} » sans guillemets", hint)


# ---------------------------------------------------------------------------
# Texts that YAML reads, but not as they were meant


def scalar_slip(lines: Sequence[str], location: tuple[str | int, ...], style: str | None, start: Any, end: Any) -> Slip | None:
    """A list typed under a text, a « - » without its space, a « # » cutting a text: what YAML would silently change.

    ``start`` and ``end`` are the text's marks (PyYAML's or libyaml's: same
    positions), ``style`` its quoting (None or "" for plain text).
    """
    if style not in (None, "", ">"):
        return None
    folded = style == ">"
    first = lines[start.line] if start.line < len(lines) else ""
    at_line_start = not folded and not first[: start.column].strip()
    if at_line_start and re.match(r"-[^\s-]", first[start.column : start.column + 2]):
        return _dash_without_space(start.line, start.column, first)
    last = end.line if end.column > 0 or not folded else end.line - 1
    for index in range(start.line + 1, min(last, len(lines) - 1) + 1):
        text = lines[index]
        content = text.lstrip(" ")
        if folded and _LIST_MARKER.match(content):
            return _folded_list(lines, start.line, index, location)
        if not folded and re.match(r"-(?: |$)", content):
            return _list_in_text(lines, start, index, location)
    empty = (start.line, start.column) == (end.line, end.column)  # « lead:  # à compléter »: nothing is cut
    if not folded and not empty and end.line < len(lines):
        rest = lines[end.line][end.column :]
        comment = re.match(r"[ \t]+#", rest)
        if comment:
            return _comment_cut(lines, start, end, comment.end() - 1, location)
    return None


def _dash_without_space(index: int, column: int, text: str) -> Slip:
    item = text[column + 1 :].strip()
    return Slip(
        index + 1,
        column + 1,
        f"il manque une espace après le tiret : « -{_short(item, 30)} »",
        f"écrivez « - {_short(item, 30)} » : un tiret, une espace, puis l'élément",
    )


def _key_of(location: tuple[str | int, ...]) -> str:
    return next((str(part) for part in reversed(location) if isinstance(part, str)), "champ")


def _folded_list(lines: Sequence[str], header: int, index: int, location: tuple[str | int, ...]) -> Slip:
    key = _key_of(location)
    sign = _parse(lines, header).value.split("#")[0].strip() or ">"
    return Slip(
        index + 1,
        len(lines[index]) - len(lines[index].lstrip(" ")) + 1,
        f"liste dans un texte « {sign} » : YAML met les lignes de ce texte bout à bout, et les éléments de la liste se retrouvent collés",
        f"remplacez « {key}: {sign} » par « {key}: | » (ligne {header + 1}) : le texte garde alors ses retours à la ligne",
    )


def _list_in_text(lines: Sequence[str], start: Any, index: int, location: tuple[str | int, ...]) -> Slip:
    text = lines[index]
    dash = len(text) - len(text.lstrip(" "))
    item = text.strip()
    if isinstance(location[-1], int):
        # An item of a list, written further right than the item it follows: YAML joins them.
        above_dash = lines[start.line][: start.column].rstrip().rfind("-")
        return Slip(
            index + 1,
            dash + 1,
            f"« {_short(item, 30)} » est plus à droite que l'élément au-dessus : YAML le colle à cet élément",
            f"alignez le tiret sur celui de la ligne {start.line + 1} : {_spaces(max(above_dash, 0))}",
        )
    key = _key_of(location)
    kind = _kind(key)
    if kind == "list":
        hint = f"écrivez « {key}: » seul sur sa ligne, puis un élément par ligne, chacun précédé de « - »"
    else:
        hint = (
            f"écrivez « {key}: | » seul sur sa ligne, puis le texte et la liste en dessous, "
            "chaque ligne avec deux espaces en début de ligne : le texte garde alors ses retours à la ligne"
        )
    return Slip(
        index + 1,
        dash + 1,
        f"liste sous le texte de « {key} » : YAML colle ces lignes au texte, les tirets compris",
        hint,
    )


def _comment_cut(lines: Sequence[str], start: Any, end: Any, offset: int, location: tuple[str | int, ...]) -> Slip:
    key = _key_of(location)
    line = lines[end.line]
    column = end.column + offset
    cut = line[column:].strip()
    if start.line == end.line and not isinstance(location[-1], int):
        whole = line[start.column :].strip()
        fix = f"entourez le texte de guillemets droits : {_quoted(key, whole)}"
    else:
        fix = 'entourez le texte de guillemets droits "…"'
    return Slip(
        end.line + 1,
        column + 1,
        f"le texte s'arrête avant « {_short(cut, 30)} » : « # » après une espace commence une note que YAML ignore",
        f"{fix} ; une note à ignorer s'écrit seule sur sa ligne",
    )
