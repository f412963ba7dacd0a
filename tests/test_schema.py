"""One schema: the committed JSON Schema export never drifts from the code."""

from __future__ import annotations

import json
import subprocess
import sys

from knowledge import schema_files

from .conftest import ROOT


def test_committed_json_schema_matches_the_code() -> None:
    committed = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "practices" / "schema").glob("*.json")}
    assert committed == schema_files(), "run: python scripts/kb.py schema"


def test_json_schema_forbids_unknown_fields_and_describes_in_french() -> None:
    practice = json.loads(schema_files()["practice.schema.json"])
    assert practice["additionalProperties"] is False
    assert set(practice["required"]) >= {"title", "summary", "kind", "territories", "themes", "description", "sources", "reviewed"}
    assert practice["properties"]["sources"]["minItems"] == 1
    assert "Au moins une source" in practice["properties"]["sources"]["description"]


def test_schema_check_command_detects_drift(tmp_path: object) -> None:
    target = ROOT / "practices" / "schema" / "audiences.schema.json"
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(original.replace("Public", "Publique"), encoding="utf-8")
        result = subprocess.run([sys.executable, "scripts/kb.py", "schema", "--check"], cwd=ROOT, capture_output=True, text=True, check=False)
        assert result.returncode == 1
        assert "audiences.schema.json" in result.stderr
    finally:
        target.write_text(original, encoding="utf-8")
