"""What's new: /nouveautes/ and the Atom feeds, read back with a real feed parser."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path

import feedparser  # type: ignore[import-untyped]  # no stubs; the tests only read its results
import pytest

from knowledge import COLLECTIONS, Page, build_pages, link, load_knowledge_base
from knowledge.news import FEED_SIZE, NEWS_LIMIT, NEWS_MONTHS, Item, items, month_news, page_url

from .conftest import FIXTURES
from .support.synthetic import write_synthetic
from .test_validate import edit, only, problems_of

SITE_URL = "https://exemple.org/bonnes-pratiques/"


@pytest.fixture(scope="module")
def small_pages() -> dict[str, Page]:
    with contextlib.chdir(FIXTURES):
        return {page.uri: page for page in build_pages(Path("small"), site_url=SITE_URL, site_name="Bonnes pratiques")}


def test_items_separate_additions_from_revisions_by_month() -> None:
    kb = load_knowledge_base(FIXTURES / "small")
    found = [(i.practice, i.month, i.added, i.what) for i in items(kb)]
    assert found == [
        ("parrainage-jeunes", "2026-11", True, ()),
        ("visites-entreprises", "2026-11", True, ()),
        # Two revisions in March 2020: one item, saying both, in the labels' order.
        ("ateliers-nationaux", "2020-03", False, ("new-source", "status-dated")),
        # The correction of June 2019 is part of the sheet's first version: added once.
        ("ateliers-nationaux", "2019-06", True, ()),
    ]
    revised = items(kb)[2]
    assert (revised.published, revised.updated) == (dt.date(2020, 3, 1), dt.date(2020, 3, 5))
    assert revised.label == "Fiche revue : nouvelle source, statut daté"
    assert items(kb)[3].updated == dt.date(2019, 6, 20)


def test_the_news_page_lists_months_newest_first_with_additions_and_revisions_apart(small_pages: dict[str, Page]) -> None:
    content = small_pages["nouveautes.md"].content
    headings = re.findall(r"^## (.+)$", content, re.MULTILINE)
    # The months, then how to follow them with a feed reader.
    assert headings[-1].endswith("{ #suivre }") and "lecteur de flux" in content[content.index(headings[-1]) :]
    months = headings[:-1]
    assert months == ["Novembre 2026", "Mars 2020", "Juin 2019"]
    sections = dict(zip(months, re.split(r"^## .+$", content, flags=re.MULTILINE)[1:-1], strict=True))
    assert "### Fiches ajoutées" in sections["Novembre 2026"] and "### Fiches revues" not in sections["Novembre 2026"]
    assert "parrainage-jeunes" in sections["Novembre 2026"] and "visites-entreprises" in sections["Novembre 2026"]
    assert "### Fiches revues" in sections["Mars 2020"] and "### Fiches ajoutées" not in sections["Mars 2020"]
    assert "nouvelle source, statut daté, le 5 mars 2020 ; un communiqué de 2018" in sections["Mars 2020"]
    assert "### Fiches ajoutées" in sections["Juin 2019"] and "ateliers-nationaux" in sections["Juin 2019"]
    assert "(/flux/tout.xml)" in content
    home = small_pages["index.md"].content
    assert "## Nouveautés" in home and "**Fiches ajoutées**" in home and "**Fiches revues**" in home and "(/nouveautes.md)" in home


def _item(n: int) -> Item:
    day = dt.date(2026, 1, 1) - dt.timedelta(days=n)
    return Item(f"p{n}", f"{day.year:04d}-{day.month:02d}", n % 3 == 0, day, day, () if n % 3 == 0 else ("correction",), ())


def test_the_news_page_is_bounded_in_months_and_items() -> None:
    many = [_item(n) for n in range(3000)]
    months, older = month_news(many)
    assert len(months) == NEWS_MONTHS
    listed = sum(len(m.added) + len(m.revised) for m in months)
    assert listed == NEWS_LIMIT
    assert listed + sum(m.more_added + m.more_revised for m in months) + older == len(many)
    assert [m.month for m in months] == sorted((m.month for m in months), reverse=True)


def _feeds(pages: dict[str, Page]) -> dict[str, feedparser.FeedParserDict]:
    return {uri: feedparser.parse(page.content) for uri, page in pages.items() if uri.startswith("flux/")}


def test_every_feed_parses_and_links_to_generated_pages(small_pages: dict[str, Page]) -> None:
    feeds = _feeds(small_pages)
    folders = {c.url for c in COLLECTIONS.values() if c.feed}
    assert {uri.split("/")[1] for uri in feeds if uri.count("/") == 2} == folders
    addresses = {page_url(SITE_URL, uri) for uri in small_pages if uri.endswith(".md")}
    for uri, feed in feeds.items():
        assert not feed.bozo, (uri, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        assert feed.feed.link in addresses, uri
        assert feed.feed.title and feed.feed.updated
        updated = [entry.updated_parsed for entry in feed.entries]
        assert updated == sorted(updated, reverse=True), uri
        assert len(feed.entries) <= FEED_SIZE
        for entry in feed.entries:
            assert entry.link in addresses, (uri, entry.link)
            assert entry.id.startswith("tag:exemple.org,"), entry.id
            assert entry.title and entry.summary and entry.published_parsed
        assert len({entry.id for entry in feed.entries}) == len(feed.entries)


def test_a_region_feed_holds_the_sheets_of_its_towns(small_pages: dict[str, Page]) -> None:
    feeds = _feeds(small_pages)
    town = {entry.link for entry in feeds["flux/territoires/ville-b.xml"].entries}
    region = {entry.link for entry in feeds["flux/territoires/region-b.xml"].entries}
    nation = {entry.link for entry in feeds["flux/territoires/france.xml"].entries}
    assert town == {f"{SITE_URL}pratiques/visites-entreprises/"}
    assert town < region < nation
    assert len(feeds["flux/tout.xml"].entries) == 4


def test_feeds_are_announced_only_with_a_site_url(small_pages: dict[str, Page]) -> None:
    assert 'feed: {"href": "flux/territoires/region-b.xml"' in small_pages["territoires/region-b.md"].content
    with contextlib.chdir(FIXTURES):
        pages = {page.uri: page for page in build_pages(Path("small"))}
    assert not [uri for uri in pages if uri.startswith("flux/")]
    assert "feed:" not in pages["territoires/region-b.md"].content and "flux/" not in pages["nouveautes.md"].content


def test_feeds_stay_bounded_at_scale(tmp_path: Path) -> None:
    practices = tmp_path / "practices"
    write_synthetic(practices, 300)
    graph = link(load_knowledge_base(practices))
    assert graph.kb.practices
    pages = {page.uri: page for page in build_pages(practices, site_url=SITE_URL, site_name="Bonnes pratiques")}
    feeds = _feeds(pages)
    assert len(feeds["flux/tout.xml"].entries) == FEED_SIZE
    assert max(len(page.content.encode()) for uri, page in pages.items() if uri.startswith("flux/")) < 40 * 1024


# ---------------------------------------------------------------------------
# Validation of « changes »


def test_a_change_before_the_sheet_was_created_is_refused(small_kb: Path) -> None:
    sheet = small_kb / "ateliers-nationaux.yml"
    edit(sheet, "  - date: 2019-06-20", "  - date: 2019-05-20")
    problem = only(problems_of(small_kb))
    assert problem.field == "changes[0].date"
    assert problem.message == "révision du 20 mai 2019 antérieure à la création de la fiche (1er juin 2019)"
    assert "created" in problem.hint


def test_a_change_in_the_future_is_refused(small_kb: Path) -> None:
    sheet = small_kb / "ateliers-nationaux.yml"
    edit(sheet, "  - date: 2020-03-05", "  - date: 2999-03-05")
    problem = only(problems_of(small_kb))
    assert problem.field == "changes[2].date"
    assert problem.message == "révision datée du 5 mars 2999, dans le futur"
    assert "au plus tard aujourd'hui" in problem.hint


def test_an_unknown_kind_of_change_names_the_values_and_their_labels(small_kb: Path) -> None:
    sheet = small_kb / "ateliers-nationaux.yml"
    edit(sheet, "    what: status-dated", "    what: statut")
    problem = only(problems_of(small_kb))
    assert problem.field == "changes[1].what"
    assert "« statut »" in problem.message
    assert problem.hint == "écrivez « status-updated » (Statut mis à jour) : les valeurs s'écrivent en anglais"


def test_a_change_needs_a_date_written_in_full(small_kb: Path) -> None:
    sheet = small_kb / "ateliers-nationaux.yml"
    edit(sheet, "  - date: 2020-03-05", "  - date: 2020-03")
    problem = only(problems_of(small_kb))
    assert problem.field == "changes[2].date"
    assert "AAAA-MM-JJ" in problem.message
