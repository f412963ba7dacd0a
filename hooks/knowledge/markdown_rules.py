"""What contributed Markdown may contain: text, emphasis, lists, tables, links.

Python-Markdown passes raw HTML, attribute lists (``{onclick=…}``) and any link
scheme straight through. Contributors never need them, so they are refused
here with a message saying what to write instead; the generated HTML is also
sanitised (``sanitize.py``) in case something gets past these rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .problems import line_in_text

__all__ = ["markdown_problem", "relative_site_links"]

# What Python-Markdown treats as raw HTML: a tag, a closing tag, a comment,
# a declaration or a processing instruction. Autolinks (<https://…>, <a@b.fr>)
# are not matched: a tag name is followed by a space, « / » or « > ».
_HTML = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|!|\?)")
# attr_list: « {: .classe } », « {#ancre} », « {onclick=…} ».
_ATTRIBUTES = re.compile(r"\{:?[ \t]*(?:[#.][^\s}]|[A-Za-z_][\w-]*[ \t]*=)[^}\n]*\}")
# Destinations of inline links and images, and of reference definitions.
_INLINE_TARGET = re.compile(r"\]\(\s*<?([^\s)>]*)")
_REFERENCE_TARGET = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S*?)>?(?:\s|$)", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\s*[(\[]")
_FENCED_CODE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?^[ ]{0,3}\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
ALLOWED_SCHEMES = ("http", "https", "mailto")


def _without_code(text: str) -> str:
    """``text`` with code blocks and code spans blanked out (same length, same lines).

    Markdown shows their content as text, so « `<script>` » is harmless there.
    """
    blank = lambda match: re.sub(r"[^\n]", " ", match.group(0))  # noqa: E731
    text = _FENCED_CODE.sub(blank, text)
    return _CODE_SPAN.sub(blank, text)


def _link_targets(plain: str) -> Iterator[re.Match[str]]:
    """Destinations of inline links and reference definitions (group 1) in ``plain``, code blanked out."""
    for pattern in (_INLINE_TARGET, _REFERENCE_TARGET):
        yield from pattern.finditer(plain)


def relative_site_links(text: str, uri: str) -> str:
    """``text``, the page at ``uri``, with its docs-absolute links (``/guide/index.md``) made relative.

    MkDocs resolves both forms to the same address; Zensical resolves only
    relative ones. Code is left as written, and so is the front matter.
    """
    head = _FRONT_MATTER.match(text)
    start = head.end() if head else 0
    up = "../" * uri.count("/")
    parts, last = [text[:start]], start
    for match in sorted(_link_targets(_without_code(text[start:])), key=lambda m: m.start(1)):
        target, begin = match.group(1), start + match.start(1)
        if not target.startswith("/") or target.startswith("//") or begin < last:
            continue
        relative = up + target[1:]
        parts += [text[last:begin], relative if relative[:1] not in ("", "#", "?") else "./" + relative]
        last = begin + len(target)
    return "".join([*parts, text[last:]])


def markdown_problem(text: str) -> tuple[str, str] | None:
    """(problem, how to fix it), in French, for the first thing ``text`` may not contain."""
    plain = _without_code(text)
    found = _HTML.search(plain)
    if found:
        snippet = text[found.start() : found.start() + 30].split("\n")[0]
        return (
            f"HTML refusé dans le texte{line_in_text(text, found.start())} : « {snippet} »",
            "écrivez en Markdown (**gras**, *italique*, listes, [lien](https://…)) ; pour écrire le signe <, faites-le suivre d'une espace",
        )
    found = _ATTRIBUTES.search(plain)
    if found:
        return (
            f"attributs entre accolades refusés{line_in_text(text, found.start())} : « {found.group(0)[:40]} »",
            "retirez-les : la mise en forme vient du site",
        )
    found = _IMAGE.search(plain)
    if found:
        return (
            f"image refusée dans le texte{line_in_text(text, found.start())} : « {found.group(0)[:40]} »",
            "le site ne charge rien d'un autre site : faites plutôt un lien vers la page qui montre l'image",
        )
    for pattern in (_INLINE_TARGET, _REFERENCE_TARGET):
        for match in pattern.finditer(plain):
            target = match.group(1)
            scheme = _SCHEME.match(target)
            if (scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES) or target.startswith("//") or "&" in target.split("?")[0]:
                return (
                    f"lien refusé{line_in_text(text, match.start(1))} : « {target[:60]} »",
                    "un lien commence par https://, http:// ou mailto:",
                )
    return None
