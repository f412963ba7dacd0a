#!/usr/bin/env python3
"""Search benchmark: Pagefind against Material's built-in search, same pages.

For each size, a seeded synthetic knowledge base is built twice: with the
knowledge base's Pagefind search, and with Material's lunr search plugin and
its own header. Then, in Debian's Chromium, for a few queries typed in the
header from a practice page, it measures the bytes fetched from opening the
page to seeing the first results, and the time to results. Pagefind's engine
latency is also measured once its chunks are cached.

    python -m tests.bench.search [--sizes 1000,10000] [--json FILE] [--keep DIR]   (make bench-search)

A benchmark, not a test: figures depend on the machine; compare them within
one run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml
from playwright.sync_api import Browser, Page, sync_playwright

from knowledge.search_data import SYNONYMS_PATH, VOCABULARY_DIR
from knowledge.search_index import index_site

from ..support.browser import ROOT, RequestLog, launch, new_context, serve
from ..support.synthetic import write_synthetic

QUERIES = ["accompagnement", "formation des jeunes", "clause sociale", "mobilite"]
# What the steps before and around Pagefind cost (vocabulary, synonyms, missing
# words, list pages last): the same queries, a typo, an acronym of the glossary,
# and a word found nowhere beside one found everywhere.
STEP_QUERIES = [*QUERIES, "accompagnment", "gpec", "formation zorglub"]
JS_URI_SAFE = "!*'()"
PRACTICE_PAGE = "pratiques/pratique-00042/"


def build(practices: Path, site: Path, *, material: bool, work: Path) -> float:
    env = {**os.environ, "KB_PRACTICES_DIR": str(practices), "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    config = ROOT / "mkdocs.yml"
    if material:
        env["KB_SEARCH"] = "material"
        empty_theme = work / "material-theme"
        empty_theme.mkdir(exist_ok=True)
        config = work / "mkdocs-material-search.yml"
        # Same site, but Material's search plugin and its untouched templates.
        config.write_text(
            f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\nhooks: [{ROOT / 'hooks' / 'knowledge_base.py'}]\n"
            f"theme:\n  custom_dir: {empty_theme}\nplugins:\n  - search:\n      lang: fr\n",
            encoding="utf-8",
        )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)], env=env, cwd=ROOT, check=True)
    return time.perf_counter() - start


def pagefind_index_time(site: Path) -> float:
    """Time to index the built site again, as the hook does."""
    start = time.perf_counter()
    index_site(site)
    return time.perf_counter() - start


def with_glossary(practices: Path) -> None:
    """The real glossary in the synthetic base (its 60-odd synonym groups), without its links to real organisations."""
    glossary = yaml.safe_load((ROOT / "practices" / "reference" / "glossary.yml").read_text(encoding="utf-8"))
    for term in glossary.values():
        term.pop("organisation", None)
    target = practices / "reference" / "glossary.yml"
    target.write_text(yaml.safe_dump(glossary, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _sizes(site: Path, base_url: str, urls: list[str]) -> list[tuple[str, int, int]]:
    """(url, bytes, gzip bytes) of each fetched file, read from the served folder (a missing one is the 404 page)."""
    sizes = []
    for url in urls:
        relative = urlsplit(url).path[len(urlsplit(base_url).path) :]
        path = site / relative
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() and url.endswith(".json"):
            path = site / "404.html"
        if path.is_file():
            body = path.read_bytes()
            sizes.append((url, len(body), len(gzip.compress(body, 6))))
    return sizes


def _measure(browser: Browser, site: Path, base_url: str, query: str, *, material: bool) -> dict[str, Any]:
    fetched: list[str] = []
    context = new_context(browser, RequestLog())
    # Only the URL here: reading bodies inside the event handler stalls on worker fetches.
    context.on("requestfinished", lambda request: fetched.append(request.url))
    page = context.new_page()
    page.goto(base_url + PRACTICE_PAGE, wait_until="load")
    # Typed as a reader types, for both engines (Material listens to key events).
    page.locator("input.md-search__input" if material else "#kb-search-input").click()
    start = time.perf_counter()
    page.keyboard.type(query)
    # Wait for the search to answer, found or not: Material's status says « … trouvé(s) »,
    # ours puts the query in its "all results" link.
    if material:
        page.wait_for_function("() => /trouvé/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=120_000)
        found = page.locator(".md-search-result__item").count()
    else:
        page.locator(f'.kb-search__all[href$="?q={quote(query, safe=JS_URI_SAFE)}"]').wait_for(state="attached", timeout=120_000)
        found = page.locator(".kb-search__list .kb-result").count()
    to_results_ms = (time.perf_counter() - start) * 1000
    page.wait_for_timeout(200)
    responses = _sizes(site, base_url, list(fetched))
    engine_ms = None if material else _engine_latency(page, base_url, query)
    context.close()
    search_assets = [r for r in responses if "/pagefind/" in r[0] or "/search/" in r[0]]
    # Every step of a query: Pagefind's files and the site's search data (vocabulary, synonyms).
    step_assets = [r for r in responses if "/pagefind/" in r[0] or _is_search_data(urlsplit(r[0]).path)]
    return {
        "query": query,
        "page_and_search_kb": round(sum(r[1] for r in responses) / 1024, 1),
        "page_and_search_gzip_kb": round(sum(r[2] for r in responses) / 1024, 1),
        "search_only_kb": round(sum(r[1] for r in search_assets) / 1024, 1),
        "search_only_gzip_kb": round(sum(r[2] for r in search_assets) / 1024, 1),
        "search_steps_kb": round(sum(r[1] for r in step_assets) / 1024, 1),
        "search_steps_gzip_kb": round(sum(r[2] for r in step_assets) / 1024, 1),
        "results_shown": found,
        "requests": len(responses),
        "time_to_results_ms": round(to_results_ms),
        "engine_ms": engine_ms,
    }


def _is_search_data(path: str) -> bool:
    """A file of the site's search data (knowledge/search_data.py), by its path under the site."""
    return f"/{VOCABULARY_DIR}/" in path or path.endswith(f"/{SYNONYMS_PATH}")


def _engine_latency(page: Page, base_url: str, query: str) -> float:
    """Pagefind search of the header's words + first five results' data, chunks already cached (median of 5)."""
    timings = page.evaluate(
        """async ([url, query]) => {
            const pf = await import(url + 'pagefind/pagefind.js');
            // The words the header sends (the page has already loaded this module).
            const { searchTerms } = await import(url + 'assets/javascripts/kb-search.js');
            await pf.options({baseUrl: new URL(url).pathname});
            const runs = [];
            for (let i = 0; i < 6; i++) {
                const t = performance.now();
                const r = await pf.search(searchTerms(query));
                await Promise.all(r.results.slice(0, 5).map(x => x.data()));
                runs.push(performance.now() - t);
            }
            return runs.slice(1);
        }""",
        [base_url, query],
    )
    return round(float(statistics.median(timings)), 1)


# The search as it was (Pagefind on the words minus stop words) and as it is
# (kb-search.js's searchSite), each with the data of the first six results; six
# runs, the first one cold (its fetches are the bytes), the others with the data
# cached (their median is the time).
STEPS_JS = """async ([url, query, path]) => {
    const kb = await import(url + 'assets/javascripts/kb-search.js');
    const pf = await import(url + 'pagefind/pagefind.js');
    const run = path === 'steps'
        ? async () => {
            const answer = await kb.searchSite(query);
            await Promise.all(answer.results.slice(0, 6).map((entry) => entry.result.data()));
            return answer.results.length;
        }
        : async () => {
            await pf.options({ baseUrl: new URL(url).pathname, excerptLength: 24 });
            const search = await pf.search(kb.searchTerms(query));
            await Promise.all(search.results.slice(0, 6).map((result) => result.data()));
            return search.results.length;
        };
    const runs = [];
    let found = 0;
    for (let i = 0; i < 6; i++) {
        const start = performance.now();
        found = await run();
        runs.push(performance.now() - start);
    }
    return { ms: runs.slice(1), found };
}"""


def _steps(browser: Browser, site: Path, base_url: str, query: str) -> dict[str, Any]:
    """What the steps around Pagefind add to a query, in bytes fetched and in engine time."""
    out: dict[str, Any] = {"query": query}
    for path in ("pagefind", "steps"):
        log = RequestLog()
        context = new_context(browser, log)
        page = context.new_page()
        page.goto(base_url + PRACTICE_PAGE, wait_until="networkidle")
        opened = len(log.requested)
        result = page.evaluate(STEPS_JS, [base_url, query, path])
        page.wait_for_timeout(200)
        context.close()
        # What the search asked for once the page was there (the script itself is the page's).
        sizes = _sizes(site, base_url, list(dict.fromkeys(url for url in log.requested[opened:] if "/assets/javascripts/" not in url)))
        out[path] = {
            "kb": round(sum(r[1] for r in sizes) / 1024, 1),
            "gzip_kb": round(sum(r[2] for r in sizes) / 1024, 1),
            "ms": round(float(statistics.median(result["ms"])), 1),
            "results": result["found"],
            "search_data_kb": round(sum(r[1] for r in sizes if "/recherche/" in r[0]) / 1024, 1),
        }
    out["added_kb"] = round(out["steps"]["kb"] - out["pagefind"]["kb"], 1)
    out["added_gzip_kb"] = round(out["steps"]["gzip_kb"] - out["pagefind"]["gzip_kb"], 1)
    out["added_ms"] = round(out["steps"]["ms"] - out["pagefind"]["ms"], 1)
    return out


def bench_size(browser: Browser, size: int, work: Path) -> dict[str, Any]:
    practices = work / "practices"
    print(f"[{size}] generating…", flush=True)
    write_synthetic(practices, size)
    with_glossary(practices)
    sites = {"pagefind": work / "site-pagefind", "material": work / "site-material"}
    print(f"[{size}] building with Pagefind…", flush=True)
    build_pagefind = build(practices, sites["pagefind"], material=False, work=work)
    index_pagefind = pagefind_index_time(sites["pagefind"])
    print(f"[{size}] building with Material's search…", flush=True)
    build_material = build(practices, sites["material"], material=True, work=work)
    result: dict[str, Any] = {
        "practices": size,
        "pages": sum(1 for _ in sites["pagefind"].rglob("index.html")),
        "pagefind": {
            "build_s": round(build_pagefind, 1),
            "index_s": round(index_pagefind, 2),
            "index_mb": round(sum(p.stat().st_size for p in (sites["pagefind"] / "pagefind").rglob("*") if p.is_file()) / 2**20, 1),
        },
        "material": {
            "build_s": round(build_material, 1),
            # Same pages, same hooks: the difference is Material's index step (Pagefind's own run is taken out).
            "index_s": round(build_material - (build_pagefind - index_pagefind), 2),
            "index_mb": round((sites["material"] / "search" / "search_index.json").stat().st_size / 2**20, 1),
        },
    }
    for engine, site in sites.items():
        with serve(site) as base_url:
            print(f"[{size}] measuring {engine} in Chromium…", flush=True)
            result[engine]["queries"] = [_measure(browser, site, base_url, q, material=engine == "material") for q in QUERIES]
            if engine == "pagefind":
                print(f"[{size}] measuring the steps around Pagefind…", flush=True)
                result["steps"] = [_steps(browser, site, base_url, q) for q in STEP_QUERIES]
                result["search_data_kb"] = round(sum(f.stat().st_size for f in (site / "recherche").rglob("*.json")) / 1024, 1)
    return result


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| practices | engine | index build | index on disk | fetched per query (page + search) | of which search "
        "| time to results | engine latency | queries answered |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        for engine in ("pagefind", "material"):
            e = r[engine]
            q = e["queries"]
            fetched = statistics.median(x["page_and_search_kb"] for x in q)
            fetched_gz = statistics.median(x["page_and_search_gzip_kb"] for x in q)
            search = statistics.median(x["search_only_kb"] for x in q)
            search_gz = statistics.median(x["search_only_gzip_kb"] for x in q)
            ttr = statistics.median(x["time_to_results_ms"] for x in q)
            engine_ms = [x["engine_ms"] for x in q if x["engine_ms"] is not None]
            latency = f"{statistics.median(engine_ms):.1f} ms" if engine_ms else "—"
            lines.append(
                f"| {r['practices']:,} | {engine} | {e['index_s']:.1f} s | {e['index_mb']} MB | {fetched:,.0f} KB ({fetched_gz:,.0f} KB gz) "
                f"| {search:,.0f} KB ({search_gz:,.0f} KB gz) | {ttr:,.0f} ms | {latency} | {sum(1 for x in q if x['results_shown'])}/{len(q)} |"
            )
    return "\n".join(lines)


def steps_table(results: list[dict[str, Any]]) -> str:
    """Per query: what the vocabulary, the synonyms, the missing words and the ranking add to Pagefind alone."""
    lines = [
        "| practices | query | Pagefind alone | with the steps | added (gz) | of which search data | engine, alone | added time | results, alone → with |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        for q in r.get("steps", []):
            alone, steps = q["pagefind"], q["steps"]
            lines.append(
                f"| {r['practices']:,} | {q['query']} | {alone['kb']:,.0f} KB ({alone['gzip_kb']:,.0f} gz) "
                f"| {steps['kb']:,.0f} KB ({steps['gzip_kb']:,.0f} gz) | {q['added_kb']:+,.1f} KB ({q['added_gzip_kb']:+,.1f} gz) "
                f"| {steps['search_data_kb']:,.1f} KB | {alone['ms']:.1f} ms | {q['added_ms']:+.1f} ms | {alone['results']} → {steps['results']} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="keep the generated knowledge bases and sites here")
    args = parser.parse_args()
    results = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for size in (int(s) for s in args.sizes.split(",")):
            work = (args.keep / str(size)) if args.keep else Path(tempfile.mkdtemp(prefix=f"bench-search-{size}-"))
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            results.append(bench_size(browser, size, work))
            if not args.keep:
                shutil.rmtree(work)
        browser.close()
    print(table(results))
    print()
    print(steps_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
