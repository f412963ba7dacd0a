"""Browser harness shared by the browser tests and `make screenshots`.

Serves a built site on 127.0.0.1, drives Debian's Chromium through Playwright
(browser downloads are not possible here), records every request, runs
axe-core and the Nu HTML Checker, and crawls internal links.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

from mkdocs.config import load_config
from playwright.sync_api import Browser, BrowserContext, Playwright, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium calls home at start-up, which this closed network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LOCAL_HOST = "127.0.0.1"


# ---------------------------------------------------------------------------
# Serving


def mount_path(config_file: Path = ROOT / "mkdocs.yml") -> str:
    """The path part of ``site_url``: where the published site lives, e.g. /bonnes-pratiques/."""
    site_url = load_config(str(config_file)).site_url
    path = urlsplit(site_url).path if site_url else "/"
    return path if path.endswith("/") else path + "/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    mount = "/"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def translate_path(self, path: str) -> str:
        # Outside the mount path nothing exists, as on the published host.
        if not path.startswith(self.mount):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + path[len(self.mount) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Serve the site's own 404 page, as GitHub Pages does.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextmanager
def serve(directory: Path, mount: str | None = None) -> Iterator[str]:
    """Serve ``directory`` on a free loopback port under the site's mount path; yield its base URL."""
    mount = mount or mount_path()
    handler = functools.partial(type("Handler", (_QuietHandler,), {"mount": mount}), directory=str(directory))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------
# Browser


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, or a clear failure: a missing browser is never a skip."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium introuvable ({CHROMIUM}) : apt-get install chromium, ou CHROMIUM=/chemin/vers/chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class RequestLog:
    """Every URL the browser asked for; anything off the loopback is refused and kept."""

    requested: list[str] = field(default_factory=list)

    @property
    def third_party(self) -> list[str]:
        return [url for url in self.requested if not _is_local(url)]


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == LOCAL_HOST


def new_context(browser: Browser, log: RequestLog, *, viewport: str = "desktop", color_scheme: str = "light") -> BrowserContext:
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=color_scheme, locale="fr-FR")  # type: ignore[arg-type]
    context.on("request", lambda request: log.requested.append(request.url))
    # Refuse (after recording) rather than wait for a network that is not there.
    context.route(lambda url: not _is_local(url), lambda route: route.abort())
    return context


# ---------------------------------------------------------------------------
# Accessibility


def axe_violations(page: Any, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations of the given impacts on the loaded page."""
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


# ---------------------------------------------------------------------------
# HTML validity


def vnu_messages(files: list[Path]) -> list[dict[str, Any]]:
    """The Nu HTML Checker's messages (errors and warnings) for the given files."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("Java introuvable : apt-get install default-jre-headless")
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        raise RuntimeError("vnu.jar introuvable : npm ci")
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    messages: list[dict[str, Any]] = json.loads(result.stderr or result.stdout)["messages"]
    return messages


# ---------------------------------------------------------------------------
# Links


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(str(values[name]))
        for name in ("href", "src"):
            target = values.get(name)
            if target and not (tag == "link" and values.get("rel") in {"canonical", "alternate"}):
                self.links.append(target)


@dataclass
class CrawlReport:
    pages: int
    broken: list[str]


def crawl(base_url: str, starts: list[str]) -> CrawlReport:
    """Follow every internal link from ``starts``; report dead targets and anchors."""
    pages: dict[str, _LinkParser | None] = {}
    queue = [urljoin(base_url, start) for start in starts]
    references: list[tuple[str, str]] = []  # (from page, absolute target with fragment)
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        parsed = _fetch(url)
        pages[url] = parsed
        if parsed is None:
            continue
        for link in parsed.links:
            target = urljoin(url, link)
            if not target.startswith(base_url):
                continue  # external links are not requests; the no-third-party check covers those
            references.append((url, target))
            page_url, _ = urldefrag(target)
            if page_url not in pages and _is_html(page_url):
                queue.append(page_url)
    broken = []
    for source, target in references:
        page_url, fragment = urldefrag(target)
        if page_url not in pages:
            pages[page_url] = _fetch(page_url) if _is_html(page_url) else (_LinkParser() if _exists(page_url) else None)
        parsed = pages[page_url]
        if parsed is None:
            broken.append(f"{source} → {target} (page introuvable)")
        elif fragment and fragment not in parsed.ids:
            broken.append(f"{source} → {target} (ancre introuvable)")
    return CrawlReport(pages=sum(1 for p in pages.values() if p is not None), broken=sorted(set(broken)))


def _is_html(url: str) -> bool:
    path = urlsplit(url).path
    return path.endswith("/") or path.endswith(".html")


def _exists(url: str) -> bool:
    try:
        with urlopen(url, timeout=10) as response:
            return bool(response.status == 200)
    except HTTPError:
        return False


def _fetch(url: str) -> _LinkParser | None:
    try:
        with urlopen(url, timeout=10) as response:
            body = response.read().decode("utf-8", "replace")
    except HTTPError:
        return None
    parser = _LinkParser()
    parser.feed(body)
    return parser


# ---------------------------------------------------------------------------
# Screenshots

SCREENSHOTS = {
    "accueil": "",
    "fiche": "pratiques/facilitateurs-clauses-sociales/",
    "manifeste": "manifeste/",
    "guide": "guide/",
    # A typo corrected, and the list of all practices under its folded filters.
    "recherche": "recherche/?q=parainage",
    "pratiques": "pratiques/",
    # Deciding what to copy: the evidence map, and three sheets side by side.
    "preuves": "preuves/",
    "comparer": "comparer/?fiches=etape-ciste,facilitateurs-clauses-sociales,jobs-eating-alpes-maritimes",
    # « What exists near me? »: the map of the territories.
    "carte": "carte/",
    # The elected official's adviser: the base in charts.
    "chiffres": "chiffres/",
    # « In what order? »: a whole approach, step by step.
    "parcours": "parcours/partir-des-besoins-des-entreprises-alpes-maritimes/",
}


# Printed (print media), at the width and height of a sheet of A4 (96 dots per inch): the first page.
PRINT_SCREENSHOTS = {"fiche": SCREENSHOTS["fiche"], "comparer": SCREENSHOTS["comparer"]}
A4_VIEWPORT: ViewportSize = {"width": 794, "height": 1123}


def take_screenshots(browser: Browser, base_url: str, out_dir: Path) -> list[Path]:
    """Home, a practice, the manifesto, the guide, a search and the list of practices, at desktop and phone widths;
    a practice and a comparison as printed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for viewport in VIEWPORTS:
        log = RequestLog()
        context = new_context(browser, log, viewport=viewport)
        page = context.new_page()
        for name, uri in SCREENSHOTS.items():
            page.goto(urljoin(base_url, uri))
            # Search results and filters are drawn once the search data has come.
            page.wait_for_load_state("networkidle")
            target = out_dir / f"{name}-{viewport}.png"
            page.screenshot(path=str(target))
            written.append(target)
        context.close()
    return written + take_print_screenshots(browser, base_url, out_dir)


def take_print_screenshots(browser: Browser, base_url: str, out_dir: Path) -> list[Path]:
    """The first printed page of a practice and of a comparison (kb-print.css)."""
    written = []
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.set_viewport_size(A4_VIEWPORT)
    page.emulate_media(media="print")
    for name, uri in PRINT_SCREENSHOTS.items():
        page.goto(urljoin(base_url, uri))
        page.wait_for_load_state("networkidle")
        # The sheet's margins (@page in kb-print.css) exist only on paper: drawn here so the picture looks like the sheet.
        page.add_style_tag(content="html { padding: 12mm 12mm 0; }")
        target = out_dir / f"{name}-print.png"
        page.screenshot(path=str(target))
        written.append(target)
    context.close()
    return written
