"""The scale benchmark's quick mode (100 and 1,000 practices), run to prove it still works.

A benchmark, not a timed test: nothing here compares a duration with a
threshold; the figures are checked for being measured, complete and coherent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

KEYS = {
    "practices",
    "build_s",
    "baseline_s",
    "overhead",
    "peak_rss_mb",
    "site_mb",
    "max_page_kb",
    "median_page_kb",
    "search_query_kb",
    "search_query_gzip_kb",
    "load_validate_s",
    "link_s",
    "render_s",
    "search_index_s",
    "mkdocs_s",
    "pdf_s",
}


def test_quick_benchmark_measures_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.scale", "--sizes", "100,1000", "--json", str(out), "--keep", str(tmp_path / "work")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
        timeout=1500,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert [size["practices"] for size in figures] == [100, 1000]
    for size in figures:
        assert size.keys() >= KEYS, KEYS - size.keys()
        # The ratio of the unrounded times, PDFs left out: equal to that of the rounded ones within rounding.
        assert abs(size["overhead"] - (size["build_s"] - size["pdf_s"]) / size["baseline_s"]) < 0.01
        # The guide and the cards, on a line of their own.
        assert sorted(size["pdf"]) == ["cartes-pratiques.pdf", "guide-des-bonnes-pratiques.pdf"]
        assert size["pdf"]["cartes-pratiques.pdf"]["pages"] == -(-size["practices"] // 4)
        assert f"PDF at {size['practices']:,} practices" in result.stdout
        assert all(size[key] > 0 for key in KEYS)
        assert size["max_page_kb"] >= size["median_page_kb"]
    small, large = figures
    assert large["pages"] > small["pages"] and large["site_mb"] > small["site_mb"]
    # The live preview is measured at every size (the page, then search holding the edit), and compared
    # with a rebuild without --dirty up to 1,000 practices.
    for size in figures:
        assert size["serve"]["shown_after_edit_s"] > 0 and size["serve"]["searched_after_edit_s"] > 0
        assert size["serve_full"]["rebuild_s"] > 0  # both sizes are at most 1,000
    # Progress on stderr, the table on stdout.
    assert "1,000 practices: building with the hooks" in result.stderr
    assert result.stdout.startswith("| practices |") and "| 1,000 |" in result.stdout
    # --keep leaves the corpora and the exported trees.
    assert (tmp_path / "work" / "1000" / "practices" / "pratique-00999.yml").is_file()
    assert (tmp_path / "work" / "1000" / "export" / "mkdocs.yml").is_file()
