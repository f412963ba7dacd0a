"""`scripts/kb.py check`: the contributors' command, run as they run it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT


def kb(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "kb.py"), *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_check_passes_on_the_real_content() -> None:
    result = kb("check")
    assert result.returncode == 0, result.stderr
    # No error; the points for the editorial team (statuses that may no longer be true) are warnings.
    assert result.stdout.splitlines()[-1].startswith(("Aucun problème", "Aucune erreur"))


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


def _system_python() -> str:
    """The Python the project's environment was made from: it does not have the project's libraries."""
    return str(Path(sys.base_prefix) / "bin" / "python3")


def test_the_system_python_runs_the_command_in_the_project_environment() -> None:
    # « python3 scripts/kb.py check », as the documents write it, from a clone where make has run.
    result = subprocess.run([_system_python(), "scripts/kb.py", "check"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith(("Aucun problème", "Aucune erreur"))


def test_a_fresh_clone_says_the_one_command_to_run_first(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")  # no .venv beside it
    result = subprocess.run([_system_python(), "scripts/kb.py", "check"], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 1
    assert "Lancez d'abord, une seule fois, depuis le dossier du projet : make check" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["--help"], ["new", "--help"], ["check", "--help"], ["nouvelle"]])
def test_help_and_usage_errors_are_in_french(command: list[str]) -> None:
    result = kb(*command)
    output = result.stdout + result.stderr
    assert "utilisation : kb.py" in output
    for english in ("usage:", "positional arguments", "show this help", "error:", "invalid choice"):
        assert english not in output
