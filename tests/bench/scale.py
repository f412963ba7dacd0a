"""Scale benchmark: the knowledge base from 100 to 10,000 practices, beside plain MkDocs.

Run through ``make bench`` or ``python -m tests.bench.scale [--sizes 100,1000,10000] [--json FILE] [--keep DIR]``.

For each size, a seeded synthetic knowledge base is generated, then built:

- with the hooks, as ``make build`` does (phase times from the hook's clock);
- as the plain baseline: ``kb.py export-docs`` writes the same pages to a
  folder, which plain ``mkdocs build`` builds with the same theme and no hooks.

It then reads the site (total size, largest and median page), asks Chromium
for a few searches (bytes fetched), and at up to 1,000 practices runs a real
``mkdocs serve``, edits one sheet and times the rebuild.

A benchmark, not a test: figures depend on the machine. Compare them within
one run (the overhead and scaling ratios are measured side by side).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.request import urlopen

import psutil

from knowledge.pdf import CACHE as PDF_CACHE

from ..support.synthetic import write_synthetic

ROOT = Path(__file__).resolve().parents[2]

# The live preview (as make serve) is measured at every size; the full rebuild it is compared
# with (serve without --dirty) costs two more builds, so only up to this size.
SERVE_FULL_MAX_PRACTICES = 1000
EDITED_SHEET = "pratique-00042.yml"
FACET_PAGE_LIMIT_KB = 300
PRACTICE_PAGE_LIMIT_KB = 80


# ---------------------------------------------------------------------------
# Measuring a process


def _tree_rss_kb(pid: int, by_name: dict[str, int]) -> int:
    """Resident memory of a process and all its descendants (Pagefind runs beside MkDocs);
    also keeps the peak of each program, by name, in ``by_name``."""
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:  # already ended
        return 0
    total = 0
    for process in tree:
        try:
            name, rss = process.name(), process.memory_info().rss // 1024
        except psutil.Error:  # ended (or became a zombie) since the tree was listed
            continue
        total += rss
        by_name[name] = max(by_name.get(name, 0), rss)
    return total


def run_measured(command: list[str], env: dict[str, str], by_name: dict[str, int] | None = None) -> tuple[float, float]:
    """Run a command; return its wall time (s) and the peak resident memory of its process tree (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    names: dict[str, int] = {} if by_name is None else by_name
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(process.stderr or []), daemon=True)
    reader.start()
    while process.poll() is None:
        peak = max(peak, _tree_rss_kb(process.pid, names))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    reader.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])}… failed:\n{''.join(stderr)[-3000:]}")
    return elapsed, peak / 1024


def _env(practices: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "KB_PRACTICES_DIR": str(practices), "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000", **extra}


# ---------------------------------------------------------------------------
# Progress


class Progress:
    """One line per step on stderr, with the step's duration: long runs show where they are."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        began = time.perf_counter()
        print(f"[{time.perf_counter() - self.start:7.1f} s] {label}…", file=sys.stderr, flush=True)
        yield
        print(f"{'':12}{label}: {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# One size


def site_figures(site: Path) -> dict[str, Any]:
    """Total size, and sizes of the HTML pages: largest (and which), median, largest practice page."""
    files = [path for path in site.rglob("*") if path.is_file()]
    pages = {path.relative_to(site).as_posix(): path.stat().st_size for path in files if path.suffix == ".html"}
    largest = max(pages, key=lambda name: pages[name])
    practice_pages = [size for name, size in pages.items() if re.fullmatch(r"pratiques/[^/]+/index\.html", name) and "/page-" not in name]
    return {
        "pages": len(pages),
        "site_mb": round(sum(path.stat().st_size for path in files) / 2**20, 1),
        "max_page_kb": round(pages[largest] / 1024, 1),
        "max_page": largest,
        "median_page_kb": round(statistics.median(pages.values()) / 1024, 1),
        "max_practice_page_kb": round(max(practice_pages, default=0) / 1024, 1),
        f"pages_over_{FACET_PAGE_LIMIT_KB}_kb": sum(1 for size in pages.values() if size > FACET_PAGE_LIMIT_KB * 1024),
    }


def pdf_figures(site: Path) -> dict[str, dict[str, float]]:
    """Pages and size of each PDF the build wrote (site/telechargements/)."""
    from pypdf import PdfReader

    return {
        path.name: {"pages": len(PdfReader(path).pages), "mb": round(path.stat().st_size / 2**20, 1)}
        for path in sorted((site / "telechargements").glob("*.pdf"))
    }


def search_query_kb(site: Path) -> dict[str, float]:
    """Median kilobytes Chromium fetches for the benchmark's queries typed in the header, every step
    included (Pagefind's files, the site's vocabulary and synonyms): as served, and gzip-compressed
    as a static host sends them."""
    from playwright.sync_api import sync_playwright

    from ..support.browser import launch, serve
    from . import search as bench_search

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            with serve(site) as base_url:
                measures = [bench_search._measure(browser, site, base_url, query, material=False) for query in bench_search.QUERIES]
        finally:
            browser.close()
    return {
        "raw": float(statistics.median(m["search_steps_kb"] for m in measures)),
        "gzip": float(statistics.median(m["search_steps_gzip_kb"] for m in measures)),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_rebuild(practices: Path, *, dirty: bool) -> dict[str, float]:
    """``_serve_rebuild``, started again on another port if the one chosen was taken meanwhile (a port is
    free when chosen, not necessarily when ``mkdocs serve`` binds it: other runs share the machine)."""
    try:
        return _serve_rebuild(practices, dirty=dirty)
    except RuntimeError as error:
        if "Address already in use" not in str(error):
            raise
        return _serve_rebuild(practices, dirty=dirty)


def _serve_rebuild(practices: Path, *, dirty: bool) -> dict[str, float]:
    """Start ``mkdocs serve``, edit one sheet's title, time the rebuild (MkDocs' own figure) and until the page shows it."""
    port = _free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    if dirty:
        command.append("--dirty")
    process = subprocess.Popen(command, env=_env(practices), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr or []), daemon=True)
    reader.start()
    sheet = practices / EDITED_SHEET
    original = sheet.read_text(encoding="utf-8")
    try:
        _wait(lambda: any("Serving on" in line for line in lines), process, lines, reader)
        # The search index is written beside the server once the pages are served: its entry file
        # (the hash of each index part) changes when the index holds the edit.
        base_url = f"http://127.0.0.1:{port}/bonnes-pratiques/"
        entry_url = f"{base_url}pagefind/pagefind-entry.json"
        _wait(lambda: _get(entry_url), process, lines, reader)
        entry_before = _get(entry_url)
        built_before = sum("Documentation built in" in line for line in lines)
        marker = "Titre modifié pour le banc"
        start = time.perf_counter()
        sheet.write_text(re.sub(r"^title: .*$", f"title: {marker}", original, count=1, flags=re.MULTILINE), encoding="utf-8")
        url = f"{base_url}pratiques/{sheet.stem}/"
        _wait(lambda: marker in _get(url), process, lines, reader)
        shown = time.perf_counter() - start
        _wait(lambda: _get(entry_url) not in ("", entry_before), process, lines, reader)
        searched = time.perf_counter() - start
        _wait(lambda: sum("Documentation built in" in line for line in lines) > built_before, process, lines, reader)
        rebuilt = [float(m.group(1)) for line in lines if (m := re.search(r"Documentation built in ([\d.]+) seconds", line))]
        return {"rebuild_s": rebuilt[-1], "shown_after_edit_s": round(shown, 2), "searched_after_edit_s": round(searched, 2)}
    finally:
        sheet.write_text(original, encoding="utf-8")
        process.terminate()
        process.wait(timeout=30)


def _get(url: str) -> str:
    try:
        with urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (URLError, OSError):
        return ""


def _wait(condition: Any, process: subprocess.Popen[str], lines: list[str], reader: threading.Thread, timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            # The last lines (the error) may still be in the pipe: read them before saying why.
            reader.join(timeout=5)
            raise RuntimeError(f"mkdocs serve stopped (exit code {process.poll()}) or timed out:\n" + "".join(lines[-30:]))
        time.sleep(0.05)


def bench_size(size: int, work: Path, progress: Progress, *, browser: bool) -> dict[str, Any]:
    practices, site, baseline_site, export = work / "practices", work / "site", work / "site-baseline", work / "export"
    timings = work / "timings.json"
    with progress.step(f"{size:,} practices: generating the knowledge base"):
        write_synthetic(practices, size)
    by_name: dict[str, int] = {}
    # The PDFs are timed as made, not as found in the cache of an earlier run of the same seeded base.
    shutil.rmtree(ROOT / PDF_CACHE, ignore_errors=True)
    with progress.step(f"{size:,} practices: building with the hooks"):
        build_s, rss = run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], _env(practices, KB_TIMINGS=str(timings)), by_name)
    with progress.step(f"{size:,} practices: exporting the Markdown tree"):
        run_measured([sys.executable, str(ROOT / "scripts" / "kb.py"), "export-docs", str(export), "--practices", str(practices)], _env(practices))
    with progress.step(f"{size:,} practices: building the exported tree with plain MkDocs"):
        baseline_s, baseline_rss = run_measured(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(export / "mkdocs.yml"), "-d", str(baseline_site)], _env(practices)
        )
    phases = json.loads(timings.read_text(encoding="utf-8"))
    # Parts of a phase (« render.feeds_s ») are inside it: counted once.
    ours = sum(value for name, value in phases.items() if "." not in name)
    # The PDFs (guide and cards) are reported on their own line, outside the overhead (issue 18).
    pdf_s = phases.get("pdf_s", 0.0)
    result: dict[str, Any] = {
        "practices": size,
        "build_s": round(build_s, 2),
        "baseline_s": round(baseline_s, 2),
        "overhead": round((build_s - pdf_s) / baseline_s, 3),
        "pdf": pdf_figures(site),
        "peak_rss_mb": round(rss),
        "baseline_peak_rss_mb": round(baseline_rss),
        # Peak of each program alone (MkDocs is « python »), to tell whose memory it is.
        "peak_rss_by_program_mb": {name: round(kb / 1024) for name, kb in sorted(by_name.items())},
        **{name: round(value, 2) for name, value in phases.items()},
        # The rest of the build: start-up, Markdown, the theme's templates, writing files.
        "mkdocs_s": round(build_s - ours, 2),
        **site_figures(site),
    }
    if browser:
        with progress.step(f"{size:,} practices: searching in Chromium"):
            query = search_query_kb(site)
            result["search_query_kb"], result["search_query_gzip_kb"] = round(query["raw"], 1), round(query["gzip"], 1)
    if size <= SERVE_FULL_MAX_PRACTICES:
        with progress.step(f"{size:,} practices: mkdocs serve, one sheet edited (full rebuild)"):
            result["serve_full"] = serve_rebuild(practices, dirty=False)
    with progress.step(f"{size:,} practices: mkdocs serve --dirty, one sheet edited (as make serve)"):
        result["serve"] = serve_rebuild(practices, dirty=True)
    result["serve_rebuild_s"] = result["serve"]["rebuild_s"]
    return result


# ---------------------------------------------------------------------------
# Report


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| practices | pages | build | plain MkDocs | overhead | load+validate | link | render | page hooks | MkDocs | search index (waited for) "
        "| peak RSS | site | largest page | median page | practice page | search query | serve: page shown, search updated |",
        "| ---: " * 18 + "|",
    ]
    for r in results:
        serve = f"{r['serve']['shown_after_edit_s']:.1f} s, {r['serve']['searched_after_edit_s']:.1f} s" if "serve" in r else "—"
        if "serve_full" in r:
            serve += f" (rebuild {r['serve']['rebuild_s']:.1f} s; without --dirty {r['serve_full']['rebuild_s']:.1f} s)"
        search = f"{r['search_query_gzip_kb']:,.0f} KB gz ({r['search_query_kb']:,.0f} KB)" if "search_query_kb" in r else "—"
        lines.append(
            f"| {r['practices']:,} | {r['pages']:,} | {r['build_s']:.1f} s | {r['baseline_s']:.1f} s | {r['overhead']:.2f}× "
            f"| {r.get('load_validate_s', 0):.2f} s | {r.get('link_s', 0):.2f} s | {r.get('render_s', 0):.2f} s | {r.get('page_hooks_s', 0):.2f} s "
            f"| {r['mkdocs_s']:.1f} s | {r.get('search_feed_s', 0) + r.get('search_index_s', 0):.1f} s | {r['peak_rss_mb']:,} MB | {r['site_mb']:,} MB "
            f"| {r['max_page_kb']:,.0f} KB | {r['median_page_kb']:.0f} KB | {r['max_practice_page_kb']:.0f} KB | {search} | {serve} |"
        )
    for r in results:
        files = ", ".join(f"{name}: {f['pages']:,.0f} pages, {f['mb']:.1f} MB" for name, f in r.get("pdf", {}).items())
        lines.append(f"\nPDF at {r['practices']:,} practices (not in the build's overhead): {r.get('pdf_s', 0):.1f} s ({files})")
    by_size = {r["practices"]: r for r in results}
    for small, large in ((100, 1000), (1000, 10000)):
        if small in by_size and large in by_size:
            ratio = by_size[large]["build_s"] / by_size[small]["build_s"]
            base = by_size[large]["baseline_s"] / by_size[small]["baseline_s"]
            lines.append(f"\n{large:,} / {small:,} practices: build × {ratio:.2f} (plain MkDocs × {base:.2f}) for × {large // small} practices")
            lines.append(growth(by_size[small], by_size[large]))
    return "\n".join(lines)


# Figures whose growth is printed: the phases of the hook's clock, MkDocs' rest, the memory.
GROWTH = ("build_s", "baseline_s", "mkdocs_s", "peak_rss_mb")


def growth(small: dict[str, Any], large: dict[str, Any]) -> str:
    """Each phase's growth from one size to the next: a phase growing faster than the practices is a quadratic step."""
    phases = [key for key in large if key.endswith("_s") and key not in GROWTH and isinstance(large[key], float | int)]
    parts = []
    for key in [*phases, *GROWTH]:
        if small.get(key) and key in large:
            factor = large[key] / small[key]
            flag = " (!)" if factor > large["practices"] / small["practices"] else ""
            parts.append(f"{key.removesuffix('_s').removesuffix('_mb')} × {factor:.1f}{flag}")
    return f"growth {small['practices']:,} → {large['practices']:,} (× {large['practices'] // small['practices']} practices): " + ", ".join(parts)


def run(sizes: list[int], *, json_path: Path | None, keep: Path | None, browser: bool = True) -> int:
    progress = Progress()
    results = []
    for size in sizes:
        work = (keep / str(size)) if keep else Path(tempfile.mkdtemp(prefix=f"kb-bench-{size}-"))
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        try:
            results.append(bench_size(size, work, progress, browser=browser))
        finally:
            if not keep:
                shutil.rmtree(work, ignore_errors=True)
        if json_path:
            # Written after each size: a long run that stops still leaves its figures.
            json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.scale", description="Build synthetic knowledge bases of several sizes, beside plain MkDocs.")
    parser.add_argument("--sizes", default="100,1000,10000", help="sizes, comma-separated")
    parser.add_argument("--json", type=Path, help="write the results to this JSON file")
    parser.add_argument("--keep", type=Path, help="keep the knowledge bases, exported trees and sites in this folder")
    parser.add_argument("--no-browser", action="store_true", help="do not measure search in Chromium")
    args = parser.parse_args(argv)
    return run([int(size) for size in args.sizes.split(",")], json_path=args.json, keep=args.keep, browser=not args.no_browser)


if __name__ == "__main__":
    sys.exit(main())
