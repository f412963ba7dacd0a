"""The absolute addresses a printed page shows after its links (knowledge/print_links.py)."""

from __future__ import annotations

from knowledge.print_links import absolute_url, mark_link_targets, print_date

SITE = "https://reseaux-emploi.github.io/bonnes-pratiques/"


def test_relative_links_get_their_address_under_site_url() -> None:
    html = '<p><a href="../../organisations/ave/">Alliance Villes Emploi (<abbr title="x">AVE</abbr>)</a></p>'
    assert mark_link_targets(html, SITE, "pratiques/etape-ciste/") == (
        '<p><a href="../../organisations/ave/" data-kb-href="https://reseaux-emploi.github.io/bonnes-pratiques/organisations/ave/">'
        'Alliance Villes Emploi (<abbr title="x">AVE</abbr>)</a></p>'
    )


def test_external_links_keep_their_address_and_escaped() -> None:
    html = '<a href="https://example.org/a?b=1&amp;c=2" title="t">la source</a>'
    assert 'data-kb-href="https://example.org/a?b=1&amp;c=2"' in mark_link_targets(html, SITE, "")


def test_no_address_repeated_when_the_words_are_the_address() -> None:
    for words in ("www.ciste.fr", "http://www.ciste.fr", "ciste.fr/"):
        assert 'data-kb-href=""' in mark_link_targets(f'<a href="http://www.ciste.fr">{words}</a>', SITE, "")
    assert 'data-kb-href=""' in mark_link_targets('<a href="mailto:contact@example.org">contact@example.org</a>', SITE, "")


def test_mail_addresses_are_printed_without_mailto() -> None:
    assert 'data-kb-href="contact@example.org"' in mark_link_targets('<a href="mailto:contact@example.org">écrire</a>', SITE, "")


def test_links_within_the_page_and_already_marked_ones_are_left() -> None:
    html = '<a class="headerlink" href="#sources">¶</a><a href="x/" data-kb-href="y">x</a><a>no href</a>'
    assert mark_link_targets(html, SITE, "a/") == html


def test_page_address_and_date() -> None:
    assert absolute_url(SITE.rstrip("/"), "comparer/") == SITE + "comparer/"
    assert absolute_url(SITE, "") == SITE
    assert print_date("2023-11-14") == "14 novembre 2023"
    assert print_date("2024-05-01") == "1er mai 2024"


def test_words_that_cannot_be_an_address_do_not_stop_the_build() -> None:
    # A hostile title written as Markdown link syntax, shown as text inside a link (tests/hostile/harmless).
    html = "<a href=\"../x/\">[Rapport](javascript:alert('source'))</a>"
    marked = mark_link_targets(html, SITE, "pratiques/a/")
    assert 'data-kb-href="https://reseaux-emploi.github.io/bonnes-pratiques/pratiques/x/"' in marked
