"""`scripts/kb.py check`: the contributors' command, run as they run it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES, ROOT


def kb(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "kb.py"), *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_check_passes_on_the_real_content() -> None:
    result = kb("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Aucun problème")


def test_check_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    practices = tmp_path / "practices"
    shutil.copytree(FIXTURES / "small", practices)
    (practices / "vide.yml").write_text("", encoding="utf-8")
    (practices / "liste.yml").write_text("- a\n", encoding="utf-8")
    (practices / "binaire.yml").write_bytes(b"\x00\xff\xfe garbage")
    result = kb("check", str(practices), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "practices/vide.yml:1:1: le fichier est vide" in result.stderr
    assert "practices/liste.yml:1:1:" in result.stderr
    assert "practices/binaire.yml:" in result.stderr
    assert "3 problèmes dans 3 fichiers." in result.stderr


def test_check_reads_kb_practices_dir(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "kb.py"), "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"KB_PRACTICES_DIR": str(FIXTURES / "small"), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert "3 fiches" in result.stdout
