"""The collection registry: one declaration per collection, everything else derived."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from pydantic import BaseModel, Field

from knowledge import COLLECTIONS, Collection, KnowledgeBaseError, Registry, json_schemas, link, load_knowledge_base, render_site
from knowledge.labels import LABELS
from knowledge.registry import SEARCH_FACETS
from knowledge.schema import PracticeId, Strict, Text
from knowledge.search_data import SYNONYMS_PATH, VOCABULARY_DIR
from knowledge.site_tree import site_nav

from .conftest import FIXTURES, ROOT


class Toy(Strict):
    """A collection the project does not have: games that practices use."""

    name: Text
    practices: list[PracticeId] = Field(default_factory=list)


TOY_TEMPLATE = """{% import "_macros.md.j2" as m with context %}
{{ m.front(entry.data.name, "Jeu") }}

# {{ entry.data.name | text }}

{% for pid in entry.data.practices %}
- {{ link('practices', pid) }}
{% endfor %}
"""


def _toys(templates: Path) -> Collection:
    return Collection(
        "toys",
        Toy,
        file="toys.yml",
        url="jeux",
        template="toy.md.j2",
        templates=templates,
        kind="Jeu",
        one="un jeu",
        unknown="jeu inconnu",
        noun="jeu",
        index_title="Jeux",
    )


@pytest.fixture
def toy_kb(tmp_path: Path) -> tuple[Path, Any]:
    """The small fixture with a toy collection: its model, its template and one registry entry."""
    practices = tmp_path / "practices"
    shutil.copytree(FIXTURES / "small", practices)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "toy.md.j2").write_text(TOY_TEMPLATE, encoding="utf-8")
    (practices / "reference" / "toys.yml").write_text(
        "memory-des-metiers:\n  name: Memory des métiers\n  practices:\n    - visites-entreprises\n    - parrainage-jeunes\ndes:\n  name: Dés\n",
        encoding="utf-8",
    )
    return practices, Registry([*COLLECTIONS.values(), _toys(templates)])


def test_a_toy_collection_gets_its_pages_list_links_menu_and_schema(toy_kb: tuple[Path, Any]) -> None:
    practices, registry = toy_kb
    kb = load_knowledge_base(practices, registry)
    pages = {page.uri: page for page in render_site(link(kb))}

    game = pages["jeux/memory-des-metiers.md"]
    assert "# Memory des métiers" in game.content
    assert "(/pratiques/visites-entreprises.md)" in game.content and "(/pratiques/parrainage-jeunes.md)" in game.content
    assert '"kind": "Jeu"' in game.content  # the search result's page kind
    assert not game.in_nav and game.searchable  # reached through its list, found by search
    listing = pages["jeux/index.md"].content
    assert "[Dés](/jeux/des.md)" in listing and "[Memory des métiers](/jeux/memory-des-metiers.md)" in listing

    # The list page joins the others in the project's menu, after the last list page, the search page last.
    nav, missing = site_nav(load_config(str(ROOT / "mkdocs.yml")).nav or [], kb)
    explorer = next(item["Explorer"] for item in nav if isinstance(item, dict) and "Explorer" in item)
    leaves = [next(iter(item.values())) for item in explorer]
    assert leaves.index("jeux/index.md") == leaves.index("glossaire/index.md") + 1 and leaves[-1] == "recherche.md"
    assert {"Jeux": "jeux/index.md"} in explorer and not missing

    schema = json_schemas(registry)["toys.schema.json"]
    assert schema["$defs"]["Toy"]["properties"]["practices"]["items"]["description"] == "Nom de fichier (sans .yml) d'une autre fiche de practices/"


def test_a_toy_collection_is_validated_like_the_others(toy_kb: tuple[Path, Any]) -> None:
    practices, registry = toy_kb
    (practices / "reference" / "toys.yml").write_text("des:\n  name: Dés\n  practices:\n    - visites-entreprise\n  colour: rouge\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(practices, registry)
    found = {(Path(p.path).name, p.line, p.field, p.message, p.hint) for p in raised.value.problems}
    assert ("toys.yml", 5, "des.colour", "champ inconnu", "") in {(a, b, c, d, "") for a, b, c, d, _ in found}
    assert (
        "toys.yml",
        4,
        "des.practices[0]",
        "fiche inconnue « visites-entreprise »",
        "vouliez-vous dire « visites-entreprises » ? Sinon, s'il est nouveau, ajoutez-le dans practices/",
    ) in found
    # Without its registry entry, the same file is one the project does not know.
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(practices)
    assert [(Path(p.path).name, p.message) for p in raised.value.problems] == [("toys.yml", "fichier de référence inconnu")]


def _literals(annotation: Any) -> typing.Iterator[tuple[str, ...]]:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        yield typing.get_args(annotation)
    for arg in typing.get_args(annotation):
        if not isinstance(arg, str):
            yield from _literals(arg)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for field in annotation.model_fields.values():
            yield from _literals(field.annotation)


def test_every_enumerated_value_has_a_french_label() -> None:
    enumerations = [values for collection in COLLECTIONS.values() for values in _literals(collection.model)]
    assert len(enumerations) >= 5  # kind, status, organisation kind, territory level, agreement kind
    declared = {tuple(labels) for labels in LABELS.values()}
    unlabelled = [values for values in enumerations if values not in declared]
    assert not unlabelled, f"values without French labels (declare them in knowledge/labels.py): {unlabelled}"
    assert all(label.strip() for labels in LABELS.values() for label in labels.values())


def test_the_search_page_shows_the_facets_the_registry_declares() -> None:
    script = (ROOT / "docs" / "assets" / "javascripts" / "kb-search.js").read_text(encoding="utf-8")
    block = re.search(r"const FACETS = \[(.*?)\];", script, re.DOTALL)
    assert block
    assert dict(re.findall(r'\["([^"]+)", "([^"]+)"\]', block.group(1))) == SEARCH_FACETS
    assert {c.facet for c in COLLECTIONS.values() if c.facet} <= set(SEARCH_FACETS)


def test_search_knows_the_list_pages_and_the_search_data() -> None:
    template = (ROOT / "hooks" / "overrides" / "main.html").read_text(encoding="utf-8")
    block = re.search(r"kb\.kind in \[(.*?)\]", template)
    assert block
    # The home page and each collection's index are marked, to come after the other results.
    assert set(re.findall(r'"([^"]+)"', block.group(1))) == {"Accueil"} | {c.index_kind for c in COLLECTIONS.values()}
    script = (ROOT / "docs" / "assets" / "javascripts" / "kb-search.js").read_text(encoding="utf-8")
    assert 'const LIST_FILTER = { liste: "oui" };' in script and 'data-pagefind-filter="liste:oui"' in template
    assert f'const VOCABULARY_DIR = "{VOCABULARY_DIR}/";' in script
    assert f'const SYNONYMS_FILE = "{SYNONYMS_PATH}";' in script


def _build_with(tmp_path: Path, settings: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "mkdocs.yml"
    # JSON is YAML; INHERIT merges this extra block into the project's.
    overrides = {
        "docs_dir": str(ROOT / "docs"),
        "hooks": [str(ROOT / "hooks" / "knowledge_base.py")],
        "theme": {"custom_dir": str(ROOT / "hooks" / "overrides")},
        "extra": {"knowledge_base": {"practices_dir": str(ROOT / "practices"), **settings}},
    }
    config.write_text(
        f"INHERIT: {json.dumps(str(ROOT / 'mkdocs.yml'))}\n" + "".join(f"{key}: {json.dumps(value)}\n" for key, value in overrides.items()), encoding="utf-8"
    )
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"practice_dir": "practices"}, "extra.knowledge_base.practice_dir : réglage inconnu ; vouliez-vous dire « practices_dir » ?"),
        ({"search": "elasticsearch"}, "extra.knowledge_base.search"),
        ({"branch": ["main"]}, "extra.knowledge_base.branch"),
    ],
    ids=["misspelt-key", "unknown-value", "wrong-type"],
)
def test_a_wrong_setting_stops_the_build_with_its_name(tmp_path: Path, settings: dict[str, Any], named: str) -> None:
    result = _build_with(tmp_path, settings)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Réglages invalides dans mkdocs.yml" in output and named in output, output
    assert "Traceback" not in output
