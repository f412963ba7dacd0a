"""The link phase: backlinks both ways, territory tree, related practices."""

from __future__ import annotations

from pathlib import Path

from knowledge import link, load_knowledge_base
from knowledge.graph import RELATED_LIMIT


def test_backlinks_go_both_ways(small_kb: Path) -> None:
    graph = link(load_knowledge_base(small_kb))
    assert graph.by_organisation["reseau-a"] == ("ateliers-nationaux", "visites-entreprises")
    assert graph.by_theme["decouverte"] == ("ateliers-nationaux", "parrainage-jeunes", "visites-entreprises")
    assert graph.by_agreement["convention-a-c"] == ("ateliers-nationaux", "visites-entreprises")
    assert graph.agreements_by_organisation["operateur-c"] == ("convention-a-c",)
    assert graph.agreements_by_field["partage"] == ("convention-a-c",)
    assert graph.members["reseau-a"] == ("maison-b",)
    assert graph.cited_by["parrainage-jeunes"] == ("visites-entreprises",)
    assert graph.principles_by_practice["visites-entreprises"] == ("ensemble",)
    assert "parrainage-jeunes" not in graph.principles_by_practice


def test_a_territory_includes_what_lies_inside_it(small_kb: Path) -> None:
    graph = link(load_knowledge_base(small_kb))
    assert graph.ancestors["ville-b"] == ("region-b", "france")
    assert graph.children["france"] == ("region-b",)
    assert graph.by_territory["france"] == ("ateliers-nationaux",)
    assert graph.by_territory_tree["france"] == ("ateliers-nationaux", "parrainage-jeunes", "visites-entreprises")
    assert graph.by_territory_tree["region-b"] == ("parrainage-jeunes", "visites-entreprises")


def test_related_puts_explicit_links_first_then_shared_features(small_kb: Path) -> None:
    graph = link(load_knowledge_base(small_kb))
    # Explicit link first, then the practice sharing organisations, agreement and theme.
    assert graph.related["visites-entreprises"] == ("parrainage-jeunes", "ateliers-nationaux")
    # Sharing an organisation and a theme ranks above sharing a theme only.
    assert graph.related["parrainage-jeunes"][0] == "ateliers-nationaux"
    for pid, related in graph.related.items():
        assert pid not in related
        assert len(related) == len(set(related)) <= RELATED_LIMIT


def test_practices_without_shared_features_are_not_related(small_kb: Path) -> None:
    sheet = small_kb / "parrainage-jeunes.yml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(
        text.replace("lead: operateur-c\n", "").replace("themes: [parrainage, decouverte]", "themes: [parrainage]").replace("[region-b]", "[region-b]"),
        encoding="utf-8",
    )
    graph = link(load_knowledge_base(small_kb))
    assert "parrainage-jeunes" not in graph.related["ateliers-nationaux"]
    # visites-entreprises still names it explicitly, so the link stays from that side.
    assert graph.related["visites-entreprises"][0] == "parrainage-jeunes"


def test_each_practice_knows_its_place_in_the_pathways(small_kb: Path) -> None:
    graph = link(load_knowledge_base(small_kb))
    assert graph.by_pathway["decouvrir-puis-parrainer"] == ("ateliers-nationaux", "visites-entreprises", "parrainage-jeunes")
    (place,) = graph.places["visites-entreprises"]
    assert (place.pathway, place.number, place.total, place.step) == ("decouvrir-puis-parrainer", 2, 3, "visites")
    # The pathway is a search filter of its practices, as a theme is.
    assert graph.refs_of("parrainage-jeunes", "pathways") == ("decouvrir-puis-parrainer",)


def test_an_approach_spreads_to_the_territories_it_reaches_not_to_its_own(small_kb: Path) -> None:
    graph = link(load_knowledge_base(small_kb))
    assert graph.inspired["ateliers-nationaux"] == ("visites-entreprises",)
    # « Ateliers nationaux » (France) was taken up in Ville B, inside Région B: both received it, not France, its home.
    assert "ateliers-nationaux" in graph.spread_to["ville-b"] and "ateliers-nationaux" in graph.spread_to["region-b"]
    # « Parrainage de jeunes » (Région B) was taken up in Ville B: new for the town, not for its own region.
    assert "parrainage-jeunes" in graph.spread_to["ville-b"] and "parrainage-jeunes" not in graph.spread_to["region-b"]
    assert "france" not in graph.spread_to
    # And where they left from: the territories the practice was already in.
    assert graph.spread_from["region-b"] == ("parrainage-jeunes",) and "ateliers-nationaux" in graph.spread_from["france"]
