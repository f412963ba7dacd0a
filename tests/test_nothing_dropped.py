"""Nothing a contributor writes is silently dropped: every field shows on its page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from knowledge import COLLECTIONS, Page, build_pages, load_knowledge_base
from knowledge.labels import LABELS, date_fr
from knowledge.render import md_text
from knowledge.schema import ref_of

from .conftest import FIXTURES, ROOT

ENUM_LABELS = {
    "kind": "kind",
    "status": "status",
    "type": "figure_type",
    "funding": "funding",
    "editorial_status": "editorial_status",
    "what": "change",
    "how": "spread",
}
# A field whose enumeration depends on the model it is in.
MODEL_ENUMS = {("Territory", "level"): "territory_level", ("Evidence", "level"): "evidence_level"}


def expected_texts(model: BaseModel) -> Iterator[tuple[str, str]]:
    """(field, text that must appear) for every value set in ``model``."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None or value == []:
            continue
        collection = ref_of(field.annotation, field.metadata)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if collection:
                yield name, f"/{COLLECTIONS[collection].page_uri(item)}"
            elif isinstance(item, BaseModel):
                yield from expected_texts(item)
            elif isinstance(item, dt.date):
                yield name, date_fr(item.isoformat())
            elif name == "kind" and type(model).__name__ == "Organisation":
                yield name, LABELS["organisation_kind"][item]
            elif name == "kind" and type(model).__name__ == "Agreement":
                yield name, LABELS["agreement_kind"][item]
            elif (type(model).__name__, name) in MODEL_ENUMS:
                yield name, LABELS[MODEL_ENUMS[type(model).__name__, name]][item]
            elif name in ENUM_LABELS:
                yield name, LABELS[ENUM_LABELS[name]][item]
            elif name in {"date", "signed", "end", "start", "status_date", "until"}:
                yield name, date_fr(item)
            elif name in {"id", "practices"}:
                continue  # the principle's anchor and its links are checked elsewhere
            else:
                yield name, str(item).split("\n")[0].strip() if "\n" in str(item) else md_text(item)


def pages_by_source(directory: Path) -> dict[str, list[Page]]:
    found: dict[str, list[Page]] = {}
    for page in build_pages(directory, repo_root=ROOT):
        found.setdefault(page.uri, []).append(page)
    return found


@pytest.mark.parametrize("directory", [FIXTURES / "small", ROOT / "practices"], ids=["fixture", "real-content"])
def test_every_written_value_appears_on_its_page(directory: Path) -> None:
    kb = load_knowledge_base(directory)
    pages = {page.uri: page.content for page in build_pages(directory, repo_root=ROOT)}
    missing = []
    for collection in COLLECTIONS.values():
        for key, entry in kb.collection(collection.name).items():
            content = pages[collection.page_uri(key).split("#")[0]]  # the glossary's entries are sections of its page
            missing += [(collection.name, key, field, text) for field, text in expected_texts(entry.data) if text not in content]
    assert not missing, "\n".join(map(str, missing))
