"""Hostile contributions: every sheet of tests/hostile/rejected/ is refused where
tests/hostile/rejected.yml says, and the sheets of tests/hostile/harmless/ are
built into pages where their tricks are plain text."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import markdown
import pytest
import yaml

from knowledge import KnowledgeBaseError, build_pages, load_knowledge_base, sanitize_html
from knowledge.loader import MAX_BYTES

from .conftest import FIXTURES, ROOT

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load((HOSTILE / "rejected.yml").read_text(encoding="utf-8"))


def with_sheet(small_kb: Path, sheet: Path) -> Path:
    shutil.copy(sheet, small_kb / sheet.name)
    return small_kb


def problems_for(practices: Path) -> list[object]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(practices)
    return list(caught.value.problems)


def test_every_rejected_sheet_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in (HOSTILE / "rejected").iterdir())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_sheet_is_rejected_with_file_line_field_and_message(small_kb: Path, name: str) -> None:
    expected = EXPECTED[name]
    problems = problems_for(with_sheet(small_kb, HOSTILE / "rejected" / name))
    # The hostile sheet is the only thing wrong, and it is named with its line and field.
    assert len(problems) == 1, problems
    problem = problems[0]
    assert Path(problem.path).name == name  # type: ignore[attr-defined]
    assert (problem.line, problem.field) == (expected["line"], expected["field"]), problem  # type: ignore[attr-defined]
    assert str(expected["message"]) in problem.message, problem.message  # type: ignore[attr-defined]
    assert problem.hint or expected["field"] in ("territories[0]", "lead", "reviewed", "sources[0].url", "contact.url", "contact.email"), problem  # type: ignore[attr-defined]


def test_oversized_sheet_is_rejected(small_kb: Path) -> None:
    (small_kb / "trop-gros.yml").write_text("title: " + "x" * MAX_BYTES + "\n", encoding="utf-8")
    (problem,) = problems_for(small_kb)
    assert problem.path.endswith("trop-gros.yml") and problem.line == 1  # type: ignore[attr-defined]
    assert "fichier trop volumineux" in problem.message  # type: ignore[attr-defined]


@pytest.fixture
def harmless_kb(small_kb: Path) -> Path:
    for sheet in (HOSTILE / "harmless").glob("*.yml"):
        shutil.copy(sheet, small_kb / sheet.name)
    return small_kb


def test_harmless_sheets_keep_their_tricks_as_text(harmless_kb: Path) -> None:
    pages = {page.uri: page.content for page in build_pages(harmless_kb)}
    tricked = pages["pratiques/balises-en-texte.md"]
    body = tricked.split("\n---\n", 1)[1]
    # Outside code, no tag survives as markup: every < of the contributor is escaped.
    outside_code = re.sub(r"```.*?```|`[^`]*`", "", body, flags=re.DOTALL)
    assert not re.search(r"<(script|img|svg|b|a|marquee)\b", outside_code), outside_code
    assert "&lt;script&gt;window.\\_\\_hostile" in body
    assert "\\[lien\\](javascript:alert(1))" in body
    assert "\\{\\{ config.site\\_name \\}\\}" in body
    # The theme prints title and description unescaped: the front matter holds them escaped.
    front = yaml.safe_load(tricked.split("---\n")[1])
    assert front["title"].startswith("&lt;script&gt;window.__hostile = &quot;titre&quot;")


def test_implicit_typing_changes_no_value(harmless_kb: Path) -> None:
    kb = load_knowledge_base(harmless_kb)
    sheet = kb.practices["typage-implicite"].data
    assert sheet.title == "NO"
    assert [figure.value for figure in sheet.key_figures] == ["3.10", "01000", "2024-01-02", "1:20"]
    assert sheet.keywords is not None and sheet.keywords.geographic == ["on", "off", "yes", "no", "~", "null-ville"]
    assert sheet.period is not None and sheet.period.note == "0x1F"
    assert sheet.sources[0].title == "1e3"


def test_no_page_path_leaves_the_site(harmless_kb: Path) -> None:
    for page in build_pages(harmless_kb):
        path = PurePosixPath(page.uri)
        assert not path.is_absolute() and ".." not in path.parts and re.fullmatch(r"[a-z0-9/._-]+", page.uri), page.uri


HOSTILE_MARKDOWN = """\
<script>window.__hostile = 1</script>
<img src="x" onerror="alert(1)"> [a](javascript&colon;alert(1)) [b](vbscript:x) [c](data:text/html,x)

<div markdown onclick="alert(1)">*texte*</div>

Paragraphe *piégé*{onclick="alert(1)" style="position:fixed"}

<iframe src="https://exemple.invalid/"></iframe><form action="/"><input></form><style>*{}</style>
"""


def test_sanitizer_removes_what_python_markdown_lets_through() -> None:
    # What the Markdown rules refuse, rendered anyway: the sanitiser is the second lock.
    raw = markdown.markdown(HOSTILE_MARKDOWN, extensions=["attr_list", "md_in_html", "def_list", "tables", "admonition"])
    assert "<script>" in raw and "onerror" in raw and "onclick" in raw and "javascript&colon;" in raw  # the threat is real
    clean = sanitize_html(raw)
    for forbidden in ("<script", "onerror", "onclick", "javascript", "vbscript", "data:", "<iframe", "<form", "<input", "<style", "style=", "<img"):
        assert forbidden not in clean.lower(), (forbidden, clean)
    assert "<em>texte</em>" in clean and "<em>piégé</em>" in clean


def test_sanitizer_keeps_what_the_site_renders(tmp_path: Path) -> None:
    html = (
        '<h2 id="elements-descriptifs">Éléments<a class="headerlink" href="#elements-descriptifs" title="Lien">¶</a></h2>'
        '<div class="admonition info"><p class="admonition-title">Info</p><dl><dt>Nature</dt><dd><a href="../../organisations/a/">A</a></dd></dl></div>'
        '<table><thead><tr><th style="text-align: right;">N</th></tr></thead><tbody><tr><td style="text-align: right;">1</td></tr></tbody></table>'
        '<div data-pagefind-ignore=""><ul><li><a href="https://exemple.fr/">e</a> <a href="mailto:a@exemple.fr">m</a></li></ul></div>'
    )
    assert sanitize_html(html) == html.replace("text-align: right;", "text-align:right")


def test_hook_sanitises_generated_pages_only() -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = load_config(str(ROOT / "mkdocs.yml"))
    # The hook module as MkDocs loaded it, and the build's state as on_config makes it.
    hook: Any = config["hooks"]["hooks/knowledge_base.py"]
    hook.on_config(config)
    made = File("pratiques/x.md", src_dir=None, dest_dir=config.site_dir, use_directory_urls=True)
    made.generated_by = "knowledge_base"  # what File.generated records during the hook's on_files
    generated = Page(None, made, config)
    written = Page(None, File("recherche.md", str(ROOT / "docs"), "/tmp/site", False), config)
    form = '<form><input name="q"></form><p onclick="x">t</p>'
    assert hook.on_page_content(form, generated, config, Files([])) == "<p>t</p>"
    assert hook.on_page_content(form, written, config, Files([])) == form


def test_fixture_is_untouched() -> None:
    # The hostile tests copy the fixture; none may write into it.
    assert not list(FIXTURES.joinpath("small").glob("balises*"))


def test_personal_contacts_are_flagged_for_review_not_refused(harmless_kb: Path) -> None:
    kb = load_knowledge_base(harmless_kb)
    warnings = [(Path(w.path).name, w.line, w.field, w.message) for w in kb.warnings]
    assert warnings == [
        ("donnees-personnelles.yml", 7, "description", "ceci ressemble à un numéro de portable personnel (ligne 2 du texte) : « 06.12.34.56.78 »"),
        ("donnees-personnelles.yml", 12, "contact.service", "ceci ressemble à un numéro de portable personnel : « +33 7 98 76 54 32 »"),
        ("donnees-personnelles.yml", 13, "contact.email", "ceci ressemble à une adresse personnelle : « claire.martin@gmail.com »"),
    ]
    # The check still passes, and says what to look at.
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "kb.py"), "check", str(harmless_kb)], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Attention : " in result.stdout and "contact.email: ceci ressemble à une adresse personnelle" in result.stdout
    # The three above, and the fixture's statuses older than two years (editorial warnings, see test_editorial).
    assert re.search(r"Aucune erreur, \d+ points à vérifier par la relecture", result.stdout)
    assert result.stdout.count("ceci ressemble à") == 3


def test_render_refuses_a_page_path_that_would_leave_the_site() -> None:
    from knowledge.render import Page, _check_uris

    _check_uris([Page("pratiques/une-fiche.md", "", None), Page("schema/practice.schema.json", "", None)])
    for unsafe in ("../index.md", "pratiques/../../x.md", "/etc/passwd", "pratiques//x.md", "a/./b.md"):
        with pytest.raises(ValueError, match="unsafe page path"):
            _check_uris([Page(unsafe, "", None)])
