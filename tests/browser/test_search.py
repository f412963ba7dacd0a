"""Search as readers use it: French queries, typos, missing words and synonyms, through the header
field and the search page at both widths; facets, the list filters, the pieces of the script."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, expect

from knowledge.slugs import words as python_words

from ..support.browser import ROOT, RequestLog, new_context

QUERIES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent.parent / "search" / "queries-fr.yml").read_text(encoding="utf-8"))
TOP = 5
SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "kb-search.js"
# The words the script leaves out of queries (its own list).
STOP_WORDS = set(re.search(r'const STOP_WORDS = new Set\(\s*"([^"]+)"', SCRIPT.read_text(encoding="utf-8")).group(1).split())  # type: ignore[union-attr]


# --- asking the site, as a reader does -----------------------------------------------------------


@dataclass
class Answer:
    status: str
    titles: list[str]
    suggestions: list[str]
    marks: list[list[str]]  # the highlighted words of each result's excerpt
    missing: list[str]  # each result's « Mot absent : … » line, if any


@dataclass
class Searcher:
    """One entry point (the header field or the search page) at one width, kept open for many queries."""

    entry: str
    viewport: str
    page: Page

    @property
    def field(self) -> str:
        return "#kb-search-input" if self.entry == "header" else "#kb-search-page-input"

    @property
    def scope(self) -> str:
        return "#kb-search-results" if self.entry == "header" else "#kb-search-page"

    def ask(self, query: str) -> Answer:
        self.page.locator(self.field).fill(query)
        # Each entry point writes the query it answered once its results are shown.
        done = "#kb-search-results" if self.entry == "header" else ".kb-results"
        self.page.wait_for_function("([s, q]) => document.querySelector(s).dataset.query === q", arg=[done, query])
        return Answer(**self.page.evaluate(READ_ANSWER, self.scope))


READ_ANSWER = """(scope) => {
  const root = document.querySelector(scope);
  const results = [...root.querySelectorAll(".kb-result")];
  return {
    status: root.querySelector("[role=status]").textContent.trim(),
    titles: results.map((r) => r.querySelector(".kb-result__title").textContent.trim()),
    suggestions: [...root.querySelectorAll(".kb-suggest:not([hidden]) button")].map((b) => b.textContent.trim()),
    marks: results.map((r) => [...r.querySelectorAll(".kb-result__excerpt mark")].map((m) => m.textContent)),
    missing: results.map((r) => r.querySelector(".kb-result__missing")?.textContent ?? ""),
  };
}"""


def open_header_field(page: Page) -> None:
    """The header field; on a phone the search button opens it over the header."""
    if not page.locator("#kb-search-input").is_visible():
        page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#kb-search-input")).to_be_visible()


@pytest.fixture(scope="module", params=["header-desktop", "header-phone", "page-desktop", "page-phone"])
def searcher(request: pytest.FixtureRequest, browser: Browser, base_url: str) -> Iterator[Searcher]:
    entry, viewport = request.param.split("-")
    log = RequestLog()
    context: BrowserContext = new_context(browser, log, viewport=viewport)
    page = context.new_page()
    page.goto(base_url + ("a-propos/" if entry == "header" else "recherche/"))
    if entry == "header":
        open_header_field(page)
    yield Searcher(entry, viewport, page)
    context.close()
    assert not log.third_party


def nonsense(mark: str, query: str, status: str) -> bool:
    """A highlight that proves nothing: a stop word, or a prefix much shorter than a word typed (« par » for « parainage »)
    — unless the status names it (a correction, a synonym)."""
    folded = " ".join(python_words(mark))
    typed = python_words(query)
    if folded in STOP_WORDS:
        return True
    if folded in python_words(status):
        return False
    return any(word.startswith(folded) and len(word) - len(folded) >= 3 for word in typed if word != folded)


# --- the reader's queries ---------------------------------------------------------------------------


def test_the_query_set_is_large_enough() -> None:
    assert len(QUERIES) >= 12 + 30 + 20
    assert len({q["query"] for q in QUERIES}) == len(QUERIES)
    kinds = {key for q in QUERIES for key in q if key != "query"}
    assert kinds == {"expect", "expect_none", "corrected", "suggest", "missing"}
    assert sum(1 for q in QUERIES if q.get("expect_none")) >= 3


@pytest.mark.parametrize("case", QUERIES, ids=[q["query"] for q in QUERIES])
def test_french_query_finds_what_it_must(searcher: Searcher, case: dict[str, Any]) -> None:
    query = str(case["query"])
    answer = searcher.ask(query)
    where = (searcher.entry, searcher.viewport, query, answer.status, answer.titles[:TOP])
    if case.get("expect_none"):
        assert not answer.titles and answer.status.startswith("Aucun résultat"), where
        assert not answer.suggestions, where
    if "expect" in case:
        expected = [str(word).casefold() for word in case["expect"]]
        assert any(word in title.casefold() for title in answer.titles[:TOP] for word in expected), where
    if "corrected" in case:
        assert f"« {case['corrected']} »" in answer.status and "aucun résultat pour" in answer.status, where
    if "suggest" in case:
        assert case["suggest"] in answer.suggestions, (*where, answer.suggestions)
        assert "Vouliez-vous dire" in searcher.page.locator(f"{searcher.scope} .kb-suggest").inner_text(), where
    for word in case.get("missing", []):
        assert f"« {word} »" in answer.status or any(word in line for line in answer.missing), (*where, answer.missing)
    # Never a result found only on a stop word or on the beginning of a word typed.
    for title, marks in zip(answer.titles, answer.marks, strict=True):
        assert not marks or not all(nonsense(mark, query, answer.status) for mark in marks), (*where, title, marks)


def test_a_suggestion_is_one_tap_away(searcher: Searcher) -> None:
    answer = searcher.ask("achteurs publics")
    assert "acheteurs" in answer.suggestions, answer
    searcher.page.locator(f"{searcher.scope} .kb-suggest button", has_text="acheteurs").click()
    expect(searcher.page.locator(searcher.field)).to_have_value("acheteurs publics")
    done = "#kb-search-results" if searcher.entry == "header" else ".kb-results"
    searcher.page.wait_for_function("([s, q]) => document.querySelector(s).dataset.query === q", arg=[done, "acheteurs publics"])
    expect(searcher.page.locator(f"{searcher.scope} .kb-result__title").first).to_contain_text("cheteurs")


# --- the script's pieces, with data of our own --------------------------------------------------------


@pytest.fixture(scope="module")
def script_page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = new_context(browser, RequestLog())
    page = context.new_page()
    page.goto(base_url + "a-propos/")
    page.evaluate("async (url) => { window.kb = await import(url + 'assets/javascripts/kb-search.js'); }", base_url)
    yield page
    context.close()


def test_words_found_on_every_page_are_not_sent_to_the_index(script_page: Page) -> None:
    terms = script_page.evaluate("""() => ["La formation des jeunes", "maison de l’emploi", "l'insertion", "de la", "  du  "].map(kb.searchTerms)""")
    assert terms == ["formation jeunes", "maison emploi", "insertion", "de la", "du"]


def test_the_script_folds_words_as_the_build_does(script_page: Page) -> None:
    texts = ["Éducation", "l’emploi des seniors", "Jobs-eating", "Cœur de métier", "Straße", "CV vidéo 2.0", "Île-de-France", "TPE/PME", "À°ñ"]
    assert script_page.evaluate("(texts) => texts.map(kb.words)", texts) == [python_words(text) for text in texts]


def test_edit_distance_counts_a_swap_as_one(script_page: Page) -> None:
    pairs = [["parainage", "parrainage"], ["plei", "plie"], ["metier", "metiers"], ["insertion", "insertoin"], ["abc", "xyz"], ["gpec", "gpec"]]
    assert script_page.evaluate("(pairs) => pairs.map(([a, b]) => kb.editDistance(a, b, 3))", pairs) == [1, 1, 1, 1, 3, 0]
    assert script_page.evaluate("() => kb.editDistance('zorglubement', 'groupement', 2)") == 3  # « more than 2 »


VOCABULARY = [["parrain", 3], ["parrainage", 14], ["parrainages", 2], ["partage", 9], ["partager", 2], ["partenaires", 40], ["par", 90]]


def test_known_words_and_suggestions(script_page: Page) -> None:
    result = script_page.evaluate(
        """(entries) => ({
            known: ["parr", "parrainage", "parrainages", "partagees", "partenaire", "par", "parainage", "pzr"].map((w) => kb.isKnown(w, entries)),
            closest: kb.closestWords("parainage", entries),
            clear: kb.clearlyBest("parainage", kb.closestWords("parainage", entries)),
            tie: kb.clearlyBest("partagr", [{word: "partage", distance: 1, count: 9}, {word: "partagé", distance: 1, count: 5}]),
            frequent: kb.clearlyBest("accompagnment", [{word: "accompagnement", distance: 1, count: 11}, {word: "accompagnent", distance: 1, count: 2}]),
            closer: kb.clearlyBest("abcdefgh", [{word: "abcdefxy", distance: 2, count: 9}, {word: "abcdexyz", distance: 3, count: 4}]),
            short: kb.closestWords("pare", entries),
        })""",
        sorted(VOCABULARY),
    )
    # Known: a word of the site, its beginning, or a plural or feminine Pagefind's stemmer will find.
    assert result["known"] == [True, True, True, True, True, True, False, False]
    # parrainage, parrainages and parrain… are one suggestion, the most frequent form.
    assert [c["word"] for c in result["closest"]] == ["parrainage"]
    assert result["clear"] == "parrainage"
    assert result["tie"] is None
    assert result["frequent"] == "accompagnement"
    assert result["closer"] == "abcdefxy"
    assert result["short"] == []  # four letters or fewer: no guess


ANALYSE = """async ([query, groups, vocabulary]) => {
    const data = { groups, vocabulary: async (first) => vocabulary.filter(([w]) => w[0] === first).sort() };
    return kb.analyse(query, data);
}"""
GROUPS = [["gpec", "gestion previsionnelle des emplois et des competences"], ["job dating", "jobs eating"], ["seniors", "quinquagenaires"]]
WORDS = [
    ["gpec", 5], ["gestion", 9], ["previsionnelle", 4], ["emplois", 30], ["competences", 20], ["jobs", 2], ["eating", 2],
    ["job", 1], ["dating", 1], ["seniors", 7], ["quinquagenaires", 1], ["pme", 0], ["parrainage", 14],
]  # fmt: skip


def test_a_phrase_is_searched_with_its_synonyms(script_page: Page) -> None:
    plan = script_page.evaluate(ANALYSE, ["GPEC des PME", GROUPS, WORDS])
    assert plan["units"][0]["alternatives"] == ["gpec", "gestion previsionnelle emplois competences"]
    assert plan["units"][1]["alternatives"] == ["PME"]
    plan = script_page.evaluate(ANALYSE, ["gestion prévisionnelle des emplois et des compétences", GROUPS, WORDS])
    assert [u["alternatives"] for u in plan["units"]] == [["gpec", "gestion previsionnelle emplois competences"]]
    plan = script_page.evaluate(ANALYSE, ["Job-Dating", GROUPS, WORDS])
    assert plan["units"][0]["alternatives"] == ["job dating", "jobs eating"]
    # Whatever the number: « quinquagenaire » is in « quinquagenaires ».
    plan = script_page.evaluate(ANALYSE, ["quinquagénaire", GROUPS, WORDS])
    assert plan["units"][0]["alternatives"] == ["seniors", "quinquagenaires"]


def test_a_typo_is_corrected_or_left_out(script_page: Page) -> None:
    plan = script_page.evaluate(ANALYSE, ["parainage quinquagenaires zorglubement", GROUPS, WORDS])
    assert plan["fixes"] == [{"typed": "parainage", "used": "parrainage"}]
    assert plan["corrected"] == "parrainage quinquagenaires zorglubement"
    assert [u["alternatives"] for u in plan["units"]] == [["parrainage"], ["seniors", "quinquagenaires"], []]
    assert plan["suggestions"] == []


FAKE_PAGEFIND = """([pages, kinds]) => ({
    // Pages holding every word of the query (words as typed), each with a score; filters: {liste: "oui"}.
    search: async (query, { filters } = {}) => {
        const wanted = query ? query.replaceAll('"', "").split(" ") : [];
        const listsOnly = filters?.liste === "oui";
        const results = Object.entries(pages)
            .filter(([id, p]) => wanted.every((w) => p.words.includes(w)) && (!listsOnly || kinds[id] === "Index"))
            .map(([id, p]) => ({ id, score: p.score, data: async () => ({ url: id, meta: { title: id, kind: kinds[id] }, excerpt: "" }) }))
            .sort((a, b) => b.score - a.score);
        const counts = {};
        for (const r of results) (counts.type ??= {})[kinds[r.id]] = ((counts.type ?? {})[kinds[r.id]] || 0) + 1;
        return { results, filters: counts };
    },
})"""
PAGES = {
    "fiche-gpec": {"words": ["gpec"], "score": 5},
    "fiche-expansion": {"words": ["gestion", "previsionnelle", "emplois", "competences"], "score": 9},
    "fiche-both": {"words": ["gpec", "gestion", "previsionnelle", "emplois", "competences", "pme"], "score": 1},
    "index": {"words": ["gpec", "pme", "insertion"], "score": 30},
    "fiche-insertion": {"words": ["insertion"], "score": 2},
    "organisation": {"words": ["gpec", "gestion", "previsionnelle", "emplois", "competences"], "score": 7},
}
KINDS = {"fiche-gpec": "Fiche", "fiche-expansion": "Fiche", "fiche-both": "Fiche", "index": "Index", "fiche-insertion": "Fiche", "organisation": "Organisation"}
FIND = (
    """async ([pages, kinds, plan]) => {
    const pf = ("""
    + FAKE_PAGEFIND
    + """)([pages, kinds]);
    const answer = await kb.find(pf, plan, {}, { counts: true });
    return {
        mode: answer.mode, ids: answer.results.map((r) => r.result.id), missing: answer.results.map((r) => r.missing),
        counts: answer.counts, absent: answer.absent,
    };
}"""
)


def plan_of(*units: list[str]) -> dict[str, Any]:
    units_ = [{"label": u[0], "alternatives": u, "phrases": u, "typed": 0} for u in units]
    return {"query": "q", "corrected": "q", "fixes": [], "suggestions": [], "units": units_}


def test_synonyms_are_merged_by_page_list_pages_last(script_page: Page) -> None:
    found = script_page.evaluate(FIND, [PAGES, KINDS, plan_of(["gpec", "gestion previsionnelle emplois competences"])])
    # Union, deduplicated by page: the pages found through the word typed by score (per word of the
    # query), then those found through its synonym only; the index page, best scored, comes last.
    assert found["ids"] == ["organisation", "fiche-gpec", "fiche-both", "fiche-expansion", "index"]
    assert found["mode"] == "all"
    # Facet counts of the union, exact: pages holding both phrases are counted once.
    assert found["counts"] == {"type": {"Fiche": 3, "Organisation": 1, "Index": 1}}


def test_when_no_page_holds_every_word_the_pages_holding_most_come(script_page: Page) -> None:
    found = script_page.evaluate(FIND, [PAGES, KINDS, plan_of(["pme"], ["insertion"], ["gpec"])])
    assert found["mode"] == "some"
    # « index » holds the three words; then the pages holding two, then one; list pages after the others.
    assert found["ids"][0] == "index"
    assert found["ids"][1] == "fiche-both"
    assert found["missing"][1] == ["insertion"]
    assert set(found["ids"]) == {"index", "fiche-both", "fiche-gpec", "fiche-insertion", "organisation"}
    assert found["counts"]["type"] == {"Fiche": 3, "Index": 1, "Organisation": 1}
    # A word on no page is said to be missing everywhere, not on each result.
    found = script_page.evaluate(FIND, [PAGES, KINDS, {**plan_of(), "units": [*plan_of(["gpec"])["units"], {"label": "zorglub", "alternatives": []}]}])
    assert found["absent"] == ["zorglub"] and found["mode"] == "some"
    assert all(m == [] for m in found["missing"])
    found = script_page.evaluate(FIND, [PAGES, KINDS, {**plan_of(), "units": [{"label": "zorglub", "alternatives": []}]}])
    assert found["mode"] == "none" and found["ids"] == []


# --- the entry points -------------------------------------------------------------------------------------


def test_header_search_shows_title_kind_and_highlighted_excerpt_with_keyboard(page: Page, base_url: str) -> None:
    page.goto(base_url + "a-propos/")
    # « / » focuses the field; on a phone it opens it over the header.
    page.keyboard.press("/")
    expect(page.locator("#kb-search-input")).to_be_focused()
    page.keyboard.type("metiers")
    first = page.locator(".kb-search__list .kb-result").first
    expect(first.locator(".kb-result__title")).to_contain_text("métiers")
    expect(first.locator(".kb-result__kind")).not_to_be_empty()
    expect(first.locator(".kb-result__excerpt mark").first).to_contain_text("métier")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".kb-search__list a").first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".kb-search__list a").nth(1)).to_be_focused()
    title = page.locator(".kb-search__list a").nth(1).locator(".kb-result__title").inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("article h1")).to_contain_text(title.strip())


def test_phone_search_button_opens_the_field_and_closes_it(browser: Browser, base_url: str) -> None:
    context = new_context(browser, RequestLog(), viewport="phone")
    page = context.new_page()
    page.goto(base_url + "a-propos/")
    button = page.get_by_role("button", name="Rechercher")
    expect(page.locator("#kb-search-input")).to_be_hidden()
    button.click()
    expect(page.locator("#kb-search-input")).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.type("cherbourg")
    expect(page.locator(".kb-search__list .kb-result__title").first).to_contain_text("Cherbourg")
    # The results take the screen's width, not the header's corner.
    box = page.locator("#kb-search-results").bounding_box()
    assert box and box["x"] <= 1 and box["width"] >= 388
    page.keyboard.press("Escape")  # closes the results
    page.keyboard.press("Escape")  # then the field, back to the button
    expect(page.locator("#kb-search-input")).to_be_hidden()
    expect(button).to_be_focused()
    context.close()


def test_search_page_runs_the_query_from_the_url(page: Page, base_url: str) -> None:
    page.goto(base_url + "recherche/?q=" + quote("clauses sociales"))
    expect(page.locator("#kb-search-page-input")).to_have_value("clauses sociales")
    expect(page.locator(".kb-results__status")).to_contain_text("résultat")
    links = page.locator(".kb-results a.kb-result__link")
    expect(links.first).to_be_visible()
    href = links.first.get_attribute("href")
    assert href and href.startswith("/bonnes-pratiques/")
    links.first.click()
    expect(page.locator("article h1")).to_contain_text("lauses sociales")


def test_the_search_page_is_not_a_result(page: Page, base_url: str, site_dir: Path) -> None:
    page.goto(base_url + "recherche/?q=" + quote("votre recherche"))
    expect(page.locator(".kb-results__status")).not_to_be_empty()
    assert not [href for href in page.locator(".kb-result__link").evaluate_all("(links) => links.map((a) => a.href)") if href.endswith("/recherche/")]
    assert "data-pagefind-body" not in (site_dir / "recherche" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in (site_dir / "a-propos" / "index.html").read_text(encoding="utf-8")


def count_of(label_text: str) -> int:
    match = re.search(r"\((\d+)\)\s*$", label_text)
    assert match, label_text
    return int(match.group(1))


def open_filters(page: Page) -> None:
    """On a phone the facets are folded under « Filtrer »."""
    toggle = page.locator("#kb-search-page .kb-filter-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def test_facets_narrow_results_with_correct_counts_and_combine(page: Page, base_url: str) -> None:
    page.goto(base_url + "recherche/?q=emploi")
    status = page.locator(".kb-results__status")
    expect(status).to_contain_text("résultats")
    total = int(status.inner_text().split()[0])
    open_filters(page)
    value = page.locator(".kb-facet__value", has=page.locator('input[name="territoire"][value="Alpes-Maritimes"]'))
    expected = count_of(value.inner_text())
    assert 0 < expected < total
    value.locator("input").check()
    expect(status).to_have_text(re.compile(rf"^{expected} résultats?$"))
    expect(page).to_have_url(re.compile(r"[?&]territoire=Alpes-Maritimes"))
    expect(page.locator(".kb-result")).to_have_count(min(expected, 10))
    # A second facet combines with the first (AND), and its count is again exact.
    second = page.locator(".kb-facet__value", has=page.locator('input[name="theme"]')).first
    narrowed = count_of(second.inner_text())
    second.locator("input").check()
    expect(status).to_have_text(re.compile(rf"^{narrowed} résultats?$"))
    expect(page).to_have_url(re.compile(r"theme="))
    # Reloading the URL restores the same search: it can be shared.
    page.reload()
    expect(status).to_have_text(re.compile(rf"^{narrowed} résultats?$"))
    # The active filters are listed above the results, each removable in one tap.
    chip = page.get_by_role("button", name="Retirer le filtre Territoire : Alpes-Maritimes")
    chip.click()
    expect(page).not_to_have_url(re.compile(r"territoire="))


@pytest.mark.parametrize("query", ["gpec", "insertion seniors", "job dating"])
def test_facet_counts_of_a_merged_answer_are_exact(page: Page, base_url: str, query: str) -> None:
    # Synonyms merged, pages holding some of the words: each count is still the number of results of that kind.
    page.goto(base_url + "recherche/?q=" + quote(query))
    expect(page.locator(".kb-results")).to_have_attribute("data-query", query)
    more = page.locator(".kb-more")
    while more.is_visible():
        shown = page.locator(".kb-result").count()
        more.click()
        expect(page.locator(".kb-result")).not_to_have_count(shown)
    kinds = Counter(kind.strip() for kind in page.locator(".kb-result__kind").all_inner_texts())
    open_filters(page)
    every_value = page.locator(".kb-facet", has=page.locator('input[name="type"]')).locator(".kb-facet__more")
    if every_value.count():
        every_value.click()
    counts = {
        str(label.locator("input").get_attribute("value")): count_of(label.inner_text())
        for label in page.locator(".kb-facet__value", has=page.locator('input[name="type"]')).all()
    }
    assert counts == dict(kinds)


def test_a_region_includes_the_towns_inside_it(page: Page, base_url: str) -> None:
    # The Cherbourg practice is attached to Cherbourg only; France contains it.
    page.goto(base_url + "recherche/?q=cherbourg&territoire=France")
    expect(page.locator(".kb-result__title").first).to_contain_text("Cherbourg")


def test_explorer_filters_open_the_search_page_with_the_counted_results(page: Page, base_url: str) -> None:
    page.goto(base_url + "pratiques/")
    # Folded under a button, so that the list comes first.
    facets = page.locator(".kb-explorer .kb-facets")
    expect(facets).to_be_hidden()
    page.get_by_role("button", name="Filtrer les fiches").click()
    expect(facets).to_be_visible()
    value = page.locator(".kb-explorer .kb-facet__value", has=page.locator('input[name="nature"][value="Expérimentation"]'))
    expected = count_of(value.inner_text())
    assert 0 < expected < page.locator("[data-kb-explorer] tbody tr").count()
    # A click, not check(): the page is left at once for the search page.
    value.locator("input").click()
    expect(page).to_have_url(re.compile(r"recherche/\?nature=Exp%C3%A9rimentation$"))
    expect(page.locator("#kb-search-page .kb-results__status")).to_have_text(f"{expected} résultats")
    for kind in page.locator(".kb-result__kind").all_inner_texts():
        assert kind.strip() == "Fiche"


def test_explorer_is_a_plain_list_of_links_without_javascript(browser: Browser, base_url: str) -> None:
    log = RequestLog()
    context = browser.new_context(java_script_enabled=False)
    context.on("request", lambda request: log.requested.append(request.url))
    page = context.new_page()
    page.goto(base_url + "pratiques/")
    links = page.locator("[data-kb-explorer] tbody tr td:first-child a")
    assert links.count() >= 15
    assert page.locator(".kb-explorer").count() == 0
    links.first.click()
    expect(page.locator("article .admonition.info")).to_be_visible()
    context.close()
    assert not log.third_party
