"""Each guard, seen failing: a copy of the real site is broken on purpose.

If one of these tests starts passing without its breakage being reported, the
matching check in test_quality.py could be passing vacuously.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from ..support.browser import RequestLog, axe_violations, crawl, new_context, serve, vnu_messages

PAGE = "pratiques/etape-ciste/"
BREAKAGE = {
    "missing alt": '<img src="../../assets/images/favicon.png">',
    "unclosed tag": "<p><span>Texte dont la balise span n'est jamais fermée</p>",
    "dead link": '<a href="../nulle-part/">Lien mort</a> <a href="#ancre-absente">Ancre absente</a>',
}
EXTERNAL_FONT = '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'


@pytest.fixture(scope="module")
def broken_site(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("broken-site") / "site"
    shutil.copytree(site_dir, copy)
    page = copy / PAGE / "index.html"
    html = page.read_text(encoding="utf-8")
    marker = '<article class="md-content__inner md-typeset">'
    assert marker in html and "</head>" in html
    html = html.replace(marker, marker + "".join(BREAKAGE.values()), 1).replace("</head>", EXTERNAL_FONT + "</head>", 1)
    page.write_text(html, encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def broken_url(broken_site: Path) -> Iterator[str]:
    with serve(broken_site) as url:
        yield url


def test_axe_reports_the_missing_alt_text(browser: Browser, broken_url: str) -> None:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.goto(broken_url + PAGE)
    violations = axe_violations(page)
    context.close()
    assert [v["id"] for v in violations] == ["image-alt"]


def test_vnu_reports_the_unclosed_tag(broken_site: Path) -> None:
    errors = [m for m in vnu_messages([broken_site / PAGE / "index.html"]) if m["type"] == "error"]
    assert errors
    assert any("span" in m["message"] for m in errors), errors


def test_crawler_reports_the_dead_link_and_anchor(broken_url: str) -> None:
    report = crawl(broken_url, [PAGE])
    assert len(report.broken) == 2, report.broken
    assert "nulle-part/ (page introuvable)" in report.broken[0] + report.broken[1]
    assert "#ancre-absente (ancre introuvable)" in report.broken[0] + report.broken[1]


def test_request_log_reports_the_external_font(browser: Browser, broken_url: str) -> None:
    log = RequestLog()
    context = new_context(browser, log)
    page = context.new_page()
    page.goto(broken_url + PAGE)
    page.wait_for_load_state("networkidle")
    context.close()
    assert log.third_party == ["https://fonts.googleapis.com/css?family=Roboto"]
