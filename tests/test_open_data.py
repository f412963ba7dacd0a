"""Open data: practices.json and practices.csv hold every field of every practice,
as written in the YAML, practices-excel.csv the same table for French Excel, and
the JSON Schema is published at a stable address."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from knowledge import Document, build_pages, load_document
from knowledge.export import LIST_SEPARATOR
from knowledge.schema import Practice

from .conftest import FIXTURES, ROOT


def exports(directory: Path) -> dict[str, str]:
    return {
        page.uri: page.content for page in build_pages(directory) if page.uri in ("practices.json", "practices.csv", "practices-excel.csv", "pathways.json")
    }


def trimmed(value: Any) -> Any:
    # The schema trims text, as pages show it: the newline YAML adds at the end of a
    # « | » block is syntax, not content. Nothing else may differ.
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [trimmed(item) for item in value]
    if isinstance(value, dict):
        return {key: trimmed(item) for key, item in value.items()}
    return value


def written(directory: Path) -> dict[str, dict[str, Any]]:
    """Each sheet as the contributor wrote it: the loader keeps every scalar as typed."""
    sheets = {}
    for path in sorted(directory.glob("*.yml")):
        document = load_document(path)
        assert isinstance(document, Document), document
        sheets[path.stem] = trimmed(document.data)
    return sheets


@pytest.mark.parametrize("directory", [ROOT / "practices", FIXTURES / "small"], ids=["real", "small"])
def test_json_export_round_trips_field_by_field(directory: Path) -> None:
    data = json.loads(exports(directory)["practices.json"])
    assert data["schema"] == "schema/practice.schema.json" and data["count"] == len(data["practices"])
    records = {record.pop("id"): record for record in data["practices"]}
    sheets = written(directory)
    assert sorted(records) == sorted(sheets)
    for practice_id, sheet in sheets.items():
        assert sorted(records[practice_id]) == sorted(sheet), practice_id
        for field, value in sheet.items():
            assert records[practice_id][field] == value, (practice_id, field)


@pytest.mark.parametrize("directory", [ROOT / "practices", FIXTURES / "small"], ids=["real", "small"])
def test_csv_export_has_one_row_per_practice_and_every_field(directory: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(exports(directory)["practices.csv"], newline="")))
    sheets = written(directory)
    assert [row["id"] for row in rows] == sorted(sheets)
    assert list(rows[0]) == ["id", *Practice.model_fields]
    for row in rows:
        sheet = sheets[row["id"]]
        for field, value in sheet.items():
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                assert row[field].split(LIST_SEPARATOR) == value, (row["id"], field)
            elif isinstance(value, (list, dict)):
                assert json.loads(row[field]) == value, (row["id"], field)
            else:
                assert row[field] == value, (row["id"], field)
        assert all(row[field] == "" for field in Practice.model_fields if field not in sheet), row["id"]


@pytest.mark.parametrize("directory", [ROOT / "practices", FIXTURES / "small"], ids=["real", "small"])
def test_pathways_export_is_the_file_as_written(directory: Path) -> None:
    data = json.loads(exports(directory)["pathways.json"])
    document = load_document(directory / "reference" / "pathways.yml")
    assert isinstance(document, Document), document
    assert data["schema"] == "schema/pathways.schema.json" and data["count"] == len(document.data) >= 1
    assert [record.pop("id") for record in data["pathways"]] == list(document.data)
    assert data["pathways"] == [trimmed(entry) for entry in document.data.values()]


def excel_rows(data: bytes) -> list[list[str]]:
    """The Excel file read as French Excel reads it: UTF-8 announced by its BOM, cells split on « ; »."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("directory", [ROOT / "practices", FIXTURES / "small"], ids=["real", "small"])
def test_excel_csv_has_the_same_rows_and_cells_as_the_csv(directory: Path) -> None:
    files = exports(directory)
    standard = list(csv.reader(io.StringIO(files["practices.csv"], newline="")))
    excel = excel_rows(files["practices-excel.csv"].encode("utf-8"))
    assert excel == standard
    assert len(excel) == len(written(directory)) + 1 and excel[0] == ["id", *Practice.model_fields]
    # Not vacuous: accents and the list separator, which a comma-only or Latin-1 reading would break.
    cells = [cell for row in excel[1:] for cell in row]
    assert any("é" in cell for cell in cells) and any(LIST_SEPARATOR in cell for cell in cells)


def test_exports_and_schema_are_in_the_built_site(tmp_path: Path) -> None:
    from .helpers import mkdocs_build

    result = mkdocs_build(FIXTURES / "small", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert json.loads((site / "practices.json").read_text(encoding="utf-8"))["count"] == 3
    assert (site / "practices.csv").read_bytes().startswith(b"id,title,summary,")
    excel = (site / "practices-excel.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbfid;title;summary;")
    assert excel_rows(excel) == list(csv.reader(io.StringIO((site / "practices.csv").read_text(encoding="utf-8"), newline="")))
    schema = json.loads((site / "schema" / "practice.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"] == "schema/practice.schema.json" and "title" in schema["properties"]
    assert {"inspired_by", "spread"} <= set(schema["properties"])
    pathways = json.loads((site / "pathways.json").read_text(encoding="utf-8"))
    assert pathways["count"] == 1 and pathways["pathways"][0]["steps"][1]["requires"] == ["ateliers"]
    pathway_schema = json.loads((site / pathways["schema"]).read_text(encoding="utf-8"))
    assert "steps" in pathway_schema["$defs"]["Pathway"]["properties"]
