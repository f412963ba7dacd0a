"""Building the real site from tests, as `make build` does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE = re.compile(r"<title>(.*?)</title>")


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
