"""The rendering's parts are timed apart for the scale benchmark (feeds, each site page, each collection)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from knowledge import link, load_knowledge_base, render_site
from knowledge.clock import PhaseClock

from .conftest import FIXTURES


def test_the_benchmark_sees_what_feeds_figures_map_and_pathways_cost() -> None:
    clock = PhaseClock()
    entered: list[str] = []

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        entered.append(name)
        with clock.phase(name):
            yield

    pages = render_site(link(load_knowledge_base(FIXTURES / "small")), site_url="https://example.org/site/", phase=phase)
    assert {"render.feeds_s", "render.chiffres_s", "render.carte_s", "render.pathways_s", "render.practices_s"} <= set(entered)
    assert all(name.startswith("render.") and name.endswith("_s") for name in entered)
    assert all(seconds >= 0 for seconds in clock.seconds.values()) and len(pages) > 50
    # Without a site address no feed is written, and none is timed.
    entered.clear()
    render_site(link(load_knowledge_base(FIXTURES / "small")), phase=phase)
    assert "render.feeds_s" not in entered and "render.chiffres_s" in entered
