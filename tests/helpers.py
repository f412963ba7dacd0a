"""Building the real site from tests, as `make build` does; the English a contributor must never read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE = re.compile(r"<title>(.*?)</title>")
# PyYAML's and pydantic's words: none may reach a contributor (tests/test_slips.py, tests/test_fuzz.py).
ENGLISH = re.compile(
    r"\b(expected|found|scalar|mapping|block|sequence|while|parsing|scanning|token|stream|document start|simple key|"
    r"indicator|anchor|node|could not|not allowed|cannot|but got|flow|plain|directive|tag|input|should|valid|field required)\b",
    re.IGNORECASE,
)


def mkdocs_build(practices: Path, site: Path, *, engine: str = "mkdocs") -> subprocess.CompletedProcess[str]:
    """The strict build of the project, hooks included; ``engine`` is ``mkdocs`` or ``properdocs`` (its maintained fork)."""
    env = {**os.environ, "KB_PRACTICES_DIR": str(practices), "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "--site-dir", str(site), "--config-file", str(ROOT / "mkdocs.yml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def page_titles(site: Path) -> dict[str, str]:
    """Every HTML page of a built site, by path, with its <title>."""
    return {path.relative_to(site).as_posix(): TITLE.search(path.read_text(encoding="utf-8")).group(1) for path in site.rglob("*.html")}  # type: ignore[union-attr]


def english(text: str) -> list[str]:
    """The parser's English words in ``text``, outside what it quotes of the sheet (« … »)."""
    while re.search(r"«[^«»]*»", text):
        text = re.sub(r"«[^«»]*»", "", text)
    return ENGLISH.findall(text)
