#!/usr/bin/env python3
"""Regenerate the README's screenshots from the built site: ``make screenshots`` (``python -m tests.support.screenshots``)."""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from .browser import ROOT, launch, serve, take_screenshots

OUT = ROOT / "docs" / "assets" / "screenshots"


def main() -> int:
    site = ROOT / "site"
    if not (site / "index.html").is_file():
        print("Construisez d'abord le site : make build", file=sys.stderr)
        return 1
    with serve(site) as base_url, sync_playwright() as playwright:
        browser = launch(playwright)
        written = take_screenshots(browser, base_url, OUT)
        browser.close()
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
