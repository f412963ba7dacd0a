"""The benchmark's synthetic knowledge bases are valid and reproducible."""

from __future__ import annotations

from pathlib import Path

from knowledge import build_pages, load_knowledge_base
from knowledge.synthetic import write_synthetic


def test_synthetic_knowledge_base_is_valid_and_seeded(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "a", 60, seed=3)
    write_synthetic(tmp_path / "b", 60, seed=3)
    kb = load_knowledge_base(tmp_path / "a")
    assert len(kb.practices) == 60
    assert len(kb.organisations) >= 100 and len(kb.territories) >= 100 and len(kb.themes) >= 24
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yml"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yml"))
    for path in files:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()
    assert len(build_pages(tmp_path / "a")) > 60
