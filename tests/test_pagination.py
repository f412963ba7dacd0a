"""Long lists are split into pages: no page grows with the number of practices."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from knowledge import COLLECTIONS, Page, build_pages
from knowledge.render import LIST_SIZE, Pager, paginate

from .support.synthetic import write_synthetic

LINK = re.compile(r"\]\(/pratiques/([a-z0-9-]+)\.md\)")


def test_pager_links_first_last_and_neighbours() -> None:
    uris = tuple(f"p{n}.md" for n in range(1, 11))
    assert Pager(1, uris).links() == [("**1**", None), ("2", "p2.md"), ("3", "p3.md"), ("…", None), ("10", "p10.md"), ("suivante ›", "p2.md")]
    middle = [text for text, _ in Pager(6, uris).links()]
    assert middle == ["‹ précédente", "1", "…", "4", "5", "**6**", "7", "8", "…", "10", "suivante ›"]
    assert [text for text, _ in Pager(10, uris).links()][-1] == "**10**"


def test_paginate_keeps_every_item_once_in_order() -> None:
    items = [f"i{n}" for n in range(2 * LIST_SIZE + 1)]
    split = paginate("a.md", "a/fiches/{n}.md", items)
    assert [pager.number for pager, _ in split] == [1, 2, 3]
    assert split[0][0].uris == ("a.md", "a/fiches/2.md", "a/fiches/3.md")
    assert [item for _, chunk in split for item in chunk] == items
    assert paginate("a.md", "a/fiches/{n}.md", [])[0][0].count == 1


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    practices = tmp_path_factory.mktemp("kb") / "practices"
    write_synthetic(practices, 1000)
    return {page.uri: page for page in build_pages(practices)}


def _linked(page: Page) -> list[str]:
    """Practices in the table of a page of the list of all practices (not its page links)."""
    return LINK.findall(page.content.split("<div data-kb-explorer", 1)[1].split("</div>", 1)[0])


def test_the_list_of_all_practices_is_split_and_complete(large: dict[str, Page]) -> None:
    pages = [large["pratiques/index.md"]] + [large[f"pratiques/page/{n}.md"] for n in range(2, 11)]
    assert "pratiques/page/11.md" not in large
    listed = [pid for page in pages for pid in _linked(page)]
    assert len(listed) == len(set(listed)) == 1000
    assert "Page 1 sur 10" in pages[0].content and "[suivante ›](/pratiques/page/2.md)" in pages[0].content


def test_every_entity_list_is_split_into_pages_that_hold_all_its_practices(large: dict[str, Page]) -> None:
    split = 0
    pages_of: defaultdict[str, list[Page]] = defaultdict(list)
    for uri, page in large.items():
        if match := re.fullmatch(r"([a-z-]+/[a-z0-9-]+)/fiches/\d+\.md", uri):
            pages_of[match.group(1)].append(page)
            assert '"index": false' in page.content  # continuation pages stay out of search
            assert not page.in_nav and not page.searchable
    for collection in (c for c in COLLECTIONS.values() if c.lists):
        for key in {uri.split("/")[1].removesuffix(".md") for uri in large if uri.startswith(collection.url + "/") and uri.count("/") == 1}:
            if key == "index":
                continue
            first = large[collection.page_uri(key)]
            listed = _linked_list(first) + [pid for page in pages_of[f"{collection.url}/{key}"] for pid in _linked_list(page)]
            total = re.search(r"sur (\d+)\.\*", first.content)
            if total:
                split += 1
                assert len(listed) == int(total.group(1)), key
            assert len(listed) == len(set(listed))
            assert max(len(_linked_list(page)) for page in [first, *pages_of[f"{collection.url}/{key}"]]) <= LIST_SIZE
    assert split >= 10  # audiences, regions and France hold hundreds of practices at this size


def _linked_list(page: Page) -> list[str]:
    # The page's own list: a territory's « Démarches venues d'ailleurs » and « parties d'ici » are other lists.
    own = page.content.split("## Démarches ")[0]
    block = own.split("<div data-pagefind-ignore markdown>")
    return [pid for part in block[1:] for pid in LINK.findall(part.split("</div>", 1)[0])]


def test_no_generated_page_grows_with_the_knowledge_base(large: dict[str, Page]) -> None:
    # Markdown, before the theme adds its ~35 KB: the largest list page stays small.
    sizes = {uri: len(page.content.encode()) for uri, page in large.items() if uri.endswith(".md")}
    assert max(sizes.values()) < 120 * 1024, max(sizes, key=sizes.__getitem__)


def test_the_figures_page_stays_bounded(large: dict[str, Page]) -> None:
    # /chiffres/ at 1,000 practices and 400 territories: at most CHART_BARS bars a chart (years: YEAR_BARS and
    # the older ones and the undated), TABLE_ROWS rows a table, the rest summed up and linked.
    from knowledge.figures import CHART_BARS, TABLE_ROWS, YEAR_BARS

    page = large["chiffres.md"].content
    sections = re.findall(r"^## (.+?)\n(.*?)(?=^## |\Z)", page, re.S | re.M)
    assert len(sections) == 6
    for title, body in sections:
        bars = body.count('<g class="kb-chart__row">')
        rows = len(re.findall(r"^\| (?!---)", body.split("<summary>", 1)[1], re.M)) - 1
        assert 0 < bars <= max(CHART_BARS, YEAR_BARS + 2), title
        assert bars <= rows <= TABLE_ROWS, title
    territories = dict(sections)["Fiches par territoire"]
    assert '<text class="kb-chart__rest"' in territories and "voir le tableau" in territories
    assert re.search(r"\[… et \d+\xa0territoires de plus : tous les territoires\]\(/territoires/index\.md\)", territories)
    assert len(page.encode()) < 80 * 1024
