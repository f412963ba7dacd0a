"""The search benchmark still works end to end (a tiny size; no timing is asserted)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from ..bench import search as bench_search


def test_search_benchmark_measures_both_engines(browser: Browser, tmp_path: Path) -> None:
    result = bench_search.bench_size(browser, 40, tmp_path)
    assert result["practices"] == 40
    for engine in ("pagefind", "material"):
        queries = result[engine]["queries"]
        assert len(queries) == len(bench_search.QUERIES)
        assert all(q["page_and_search_kb"] > q["search_only_kb"] > 0 for q in queries)
    # The property the benchmark exists to show: accent-free French is found by Pagefind only.
    answered = {engine: {q["query"]: q["results_shown"] > 0 for q in result[engine]["queries"]} for engine in ("pagefind", "material")}
    assert answered["pagefind"]["mobilite"]
    assert not answered["material"]["mobilite"]
    assert all(q["engine_ms"] > 0 for q in result["pagefind"]["queries"])
    assert "| 40 | pagefind |" in bench_search.table([result])
    # What the steps around Pagefind add: the search data is fetched, the typo is answered.
    steps = {q["query"]: q for q in result["steps"]}
    assert list(steps) == bench_search.STEP_QUERIES
    assert all(q["steps"]["search_data_kb"] > 0 and q["pagefind"]["search_data_kb"] == 0 for q in steps.values())
    assert steps["accompagnment"]["steps"]["results"] > 0
    # A word found nowhere does not empty the answer.
    assert steps["formation zorglub"]["steps"]["results"] > 0
    assert steps["gpec"]["steps"]["results"] >= steps["gpec"]["pagefind"]["results"]
    assert "| 40 | accompagnment |" in bench_search.steps_table([result])
