"""Open data: every field of every practice, as JSON and as CSV.

The JSON export is the sheets as written (``exclude_unset``: a field is
exported when the contributor wrote it, with the value they wrote), so that a
test can compare it with the YAML field by field. The CSV has one row per
practice and one column per field, for spreadsheets: lists of ids are joined
with « ; » and structured fields (period, sources, key figures…) are JSON.
The same table is published twice: ``practices.csv``, standard CSV (UTF-8,
commas), and ``practices-excel.csv`` for French Excel, which reads a CSV in
the system's code page unless it starts with a byte-order mark and splits
cells on the French list separator, « ; ». Same columns, same cells.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from .model import KnowledgeBase
from .schema import Practice

__all__ = [
    "CSV_PATH",
    "EXCEL_CSV_PATH",
    "JSON_PATH",
    "PATHWAYS_JSON_PATH",
    "SCHEMA_PATH",
    "pathways_json",
    "practice_record",
    "practices_csv",
    "practices_excel_csv",
    "practices_json",
]

JSON_PATH = "practices.json"
CSV_PATH = "practices.csv"
EXCEL_CSV_PATH = "practices-excel.csv"
SCHEMA_PATH = "schema/practice.schema.json"
PATHWAYS_JSON_PATH = "pathways.json"
LIST_SEPARATOR = " ; "


def practice_record(practice_id: str, practice: Practice) -> dict[str, Any]:
    """One practice as exported: its id, then the fields it was written with, in schema order."""
    return {"id": practice_id, **practice.model_dump(mode="json", exclude_unset=True)}


def practices_json(kb: KnowledgeBase) -> str:
    records = [practice_record(pid, kb.practices[pid].data) for pid in sorted(kb.practices)]
    document = {"schema": SCHEMA_PATH, "count": len(records), "practices": records}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def pathways_json(kb: KnowledgeBase) -> str:
    """The pathways as written, in the file's order (the order readers see them in)."""
    pathways = kb.collection("pathways")
    records = [{"id": key, **entry.data.model_dump(mode="json", exclude_unset=True)} for key, entry in pathways.items()]
    schema = f"schema/{Path(kb.registry['pathways'].source).stem}.schema.json"
    document = {"schema": schema, "count": len(records), "pathways": records}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _table(kb: KnowledgeBase, delimiter: str) -> str:
    columns = ["id", *Practice.model_fields]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for pid in sorted(kb.practices):
        record = practice_record(pid, kb.practices[pid].data)
        writer.writerow([_cell(record.get(column)) for column in columns])
    return out.getvalue()


def practices_csv(kb: KnowledgeBase) -> str:
    """Standard CSV: UTF-8 without BOM, commas."""
    return _table(kb, ",")


def practices_excel_csv(kb: KnowledgeBase) -> str:
    """The same table for French Excel: a byte-order mark (accents intact) and semicolons."""
    return "\ufeff" + _table(kb, ";")
