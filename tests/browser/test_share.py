"""Sharing, in Chromium on the real site: the link-preview meta of every page
kind, and the « Partager » button (kb-share.js) with and without the Web Share API.

The meta check is a function that returns what is wrong, so that the last test
can feed it a copy of a page broken on purpose and see it report the breakage.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.config import load_config
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from ..conftest import ROOT
from ..support.browser import RequestLog, axe_violations, new_context, serve
from .conftest import PAGE_KINDS

PRACTICE = "pratiques/etape-ciste/"
CONFIG = load_config(str(ROOT / "mkdocs.yml"))
SITE_URL = str(CONFIG.site_url)

READ_META = """() => {
  const meta = {};
  for (const node of document.head.querySelectorAll('meta[property^="og:"], meta[name^="twitter:"]')) {
    const key = node.getAttribute("property") || node.getAttribute("name");
    meta[key] = key in meta ? null : node.content;  // null: printed twice
  }
  meta.canonical = document.head.querySelector('link[rel="canonical"]')?.href ?? "";
  return meta;
}"""

# A stand-in for the browser's share sheet: records what the page asked to share.
STUB_SHARE = """Object.defineProperty(navigator, "share", {
  configurable: true,
  value: (data) => { window.__shared = JSON.parse(JSON.stringify(data)); return Promise.resolve(); },
});"""
NO_SHARE = "delete Navigator.prototype.share; delete navigator.share;"


def on_test_server(url: str, base_url: str) -> str:
    """The published address ``url``, on the local server: the same path, which must lie under site_url."""
    published, local = urlsplit(url), urlsplit(base_url)
    site = urlsplit(SITE_URL)
    assert (published.scheme, published.netloc) == (site.scheme, site.netloc) and published.path.startswith(site.path), url
    return f"{local.scheme}://{local.netloc}{published.path}"


def preview_problems(page: Page, base_url: str, uri: str) -> list[str]:
    """What is wrong with the Open Graph / Twitter meta of the page at ``uri``; nothing if all is right."""
    page.goto(base_url + uri)
    meta: dict[str, str | None] = page.evaluate(READ_META)
    problems = [f"{key} printed twice" for key, value in meta.items() if value is None]
    expected = {"og:locale": "fr_FR", "og:site_name": CONFIG.site_name, "twitter:card": "summary_large_image", "og:image:type": "image/png"}
    problems += [f"{key} = {meta.get(key)!r}, not {value!r}" for key, value in expected.items() if meta.get(key) != value]
    for key in ("og:title", "og:description", "og:type", "og:image:alt", "twitter:title", "twitter:description", "twitter:image:alt"):
        if not meta.get(key):
            problems.append(f"{key} missing or empty")
    url, image = meta.get("og:url") or "", meta.get("og:image") or ""
    if url != meta["canonical"]:
        problems.append(f"og:url {url!r} is not the canonical URL {meta['canonical']!r}")
    if meta.get("twitter:image") != image:
        problems.append("twitter:image differs from og:image")
    unusable = [f"{key} {address!r} is not absolute" for key, address in (("og:url", url), ("og:image", image)) if not re.match(r"^https?://", address)]
    if unusable:
        return problems + unusable
    # The page's own address, and it resolves.
    if urlsplit(on_test_server(url, base_url)).path != urlsplit(page.url).path:
        problems.append(f"og:url {url!r} is not this page ({page.url})")
    response = page.request.get(on_test_server(url, base_url))
    if response.status != 200:
        problems.append(f"og:url {url!r} answers {response.status}")
    # The card: a PNG of the size the meta declares.
    response = page.request.get(on_test_server(image, base_url))
    if response.status != 200 or response.headers.get("content-type") != "image/png":
        return [*problems, f"og:image {image!r} answers {response.status} {response.headers.get('content-type')}"]
    with Image.open(io.BytesIO(response.body())) as card:
        declared = (int(meta["og:image:width"] or 0), int(meta["og:image:height"] or 0))
        if card.format != "PNG" or card.size != declared:
            problems.append(f"og:image is {card.format} {card.size}, declared {declared}")
    return problems


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_has_its_link_preview(browser: Browser, base_url: str, kind: str) -> None:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    problems = preview_problems(page, base_url, PAGE_KINDS[kind])
    context.close()
    assert problems == []


def test_share_copies_the_link_without_the_web_share_api(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog())
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    # Whatever this Chromium offers, the desktop case: no share sheet.
    context.add_init_script(NO_SHARE)
    page = context.new_page()
    page.goto(base_url + PRACTICE)
    assert page.evaluate("typeof navigator.share") == "undefined"
    button = page.get_by_role("button", name="Partager")
    # Under the page's title, and reached and pressed with the keyboard.
    assert page.evaluate("document.querySelector('.md-content h1').nextElementSibling.matches('.kb-share')")
    status = page.locator(".kb-share__status")
    expect(status).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Lien copié.")
    expect(status).to_be_visible()
    assert status.get_attribute("aria-live") == "polite"
    assert page.evaluate("navigator.clipboard.readText()") == page.url == base_url + PRACTICE
    context.close()


def test_share_opens_the_share_sheet_when_there_is_one(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog(), viewport="phone")
    context.add_init_script(STUB_SHARE)
    page = context.new_page()
    page.goto(base_url + PRACTICE)
    # The page's title as the link preview gives it (the heading holds an <abbr> and a permalink).
    title = page.evaluate("""document.querySelector('meta[property="og:title"]').content""")
    page.get_by_role("button", name="Partager").click()
    page.wait_for_function("window.__shared !== undefined")
    assert page.evaluate("window.__shared") == {"title": title, "url": base_url + PRACTICE}
    # The share sheet did the work: no « copied » message.
    expect(page.locator(".kb-share__status")).to_have_text("")
    context.close()


def test_share_falls_back_to_copying_when_the_share_sheet_fails(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog())
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.add_init_script('navigator.share = () => Promise.reject(new DOMException("refusé", "NotAllowedError"));')
    page = context.new_page()
    page.goto(base_url + PRACTICE)
    page.get_by_role("button", name="Partager").click()
    expect(page.locator(".kb-share__status")).to_have_text("Lien copié.")
    context.close()


def test_share_button_is_on_subject_pages_not_on_lists_nor_on_paper(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    for uri, count in ((PRACTICE, 1), ("organisations/face/", 1), ("guide/clauses-sociales/", 1), ("", 0), ("pratiques/", 0), ("recherche/", 0)):
        page.goto(base_url + uri)
        expect(page.get_by_role("button", name="Partager")).to_have_count(count)
    page.goto(base_url + PRACTICE)
    expect(page.get_by_role("button", name="Partager")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Partager")).to_be_hidden()
    context.close()


@pytest.mark.parametrize(("viewport", "scheme"), [("desktop", "light"), ("desktop", "dark"), ("phone", "light")])
def test_practice_page_with_the_share_button_has_no_serious_accessibility_violation(browser: Browser, base_url: str, viewport: str, scheme: str) -> None:
    context = new_context(browser, RequestLog(), viewport=viewport, color_scheme=scheme)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.add_init_script(NO_SHARE)
    page = context.new_page()
    page.goto(base_url + PRACTICE)
    # Pressed: the button keeps the focus, the confirmation is shown.
    page.get_by_role("button", name="Partager").click()
    expect(page.locator(".kb-share__status")).to_have_text("Lien copié.")
    # Material fades a button's colours: measured once the fade is over.
    page.wait_for_function("document.getAnimations().every((a) => a.playState !== 'running')")
    violations = axe_violations(page)
    context.close()
    assert violations == []


# --- the meta check, seen failing -------------------------------------------------------


@pytest.fixture(scope="module")
def broken_url(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    copy = tmp_path_factory.mktemp("broken-share") / "site"
    shutil.copytree(site_dir, copy)
    page = copy / PRACTICE / "index.html"
    html = page.read_text(encoding="utf-8")
    right = f'<meta property="og:url" content="{SITE_URL}{PRACTICE}">'
    assert right in html and '<meta property="og:image:width" content="1200">' in html
    canonical = f'<link rel="canonical" href="{SITE_URL}{PRACTICE}">'
    assert canonical in html
    # og:url and the canonical link agree, on an address that is not this page and leads nowhere.
    html = html.replace(right, f'<meta property="og:url" content="{SITE_URL}pratiques/nulle-part/">')
    html = html.replace(canonical, f'<link rel="canonical" href="{SITE_URL}pratiques/nulle-part/">')
    html = html.replace('<meta property="og:image:width" content="1200">', '<meta property="og:image:width" content="1201">')
    page.write_text(html, encoding="utf-8")
    with serve(copy) as url:
        yield url


def test_the_preview_check_reports_a_broken_page(browser: Browser, broken_url: str) -> None:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    problems = preview_problems(page, broken_url, PRACTICE)
    context.close()
    assert problems == [
        f"og:url '{SITE_URL}pratiques/nulle-part/' is not this page ({broken_url}{PRACTICE})",
        f"og:url '{SITE_URL}pratiques/nulle-part/' answers 404",
        "og:image is PNG (1200, 630), declared (1201, 630)",
    ]
