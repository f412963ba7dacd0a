from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A writable copy of the small fixture knowledge base."""
    target = tmp_path / "practices"
    shutil.copytree(FIXTURES / "small", target)
    return target
