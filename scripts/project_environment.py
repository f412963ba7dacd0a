"""Run the contributor commands in the project's environment, whichever Python started them.

``python3 scripts/kb.py check``, as the documents write it, starts the
system's Python, which lacks the project's libraries. The Makefile installs
them in ``.venv``: the command then re-runs itself there. In a fresh clone
without ``.venv``, it says in French the one command to run first.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

__all__ = ["use_project_environment"]

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
FIRST_COMMAND = "make check"


def use_project_environment() -> None:
    """Return if the project's libraries import here; else re-run in .venv, or stop with the command to run first."""
    if all(importlib.util.find_spec(name) is not None for name in ("knowledge", "pydantic", "yaml", "shapely")):
        return
    if VENV_PYTHON.is_file() and Path(sys.executable).absolute() != VENV_PYTHON.absolute():
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])
    sys.exit(
        "L'environnement du projet n'est pas encore installé sur cet ordinateur.\n"
        f"Lancez d'abord, une seule fois, depuis le dossier du projet : {FIRST_COMMAND}\n"
        "(il installe ce qu'il faut dans .venv, puis vérifie les fiches ; ensuite cette commande marche telle quelle)."
    )
