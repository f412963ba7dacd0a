"""Links between entities, computed once everything is loaded.

Every relation is stored both ways so pages can show who points at them.
Related practices are scored through an inverted index (feature → practices),
so the cost follows the number of shared features, not the number of pairs.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .model import KnowledgeBase
from .schema import Practice, references
from .slugs import fold as sort_key  # French reading order without accents or case getting in the way

__all__ = ["CITED_BY_LIMIT", "RELATED_LIMIT", "Graph", "Place", "link"]

RELATED_LIMIT = 6
# A page lists at most this many citing practices, so its weight stays bounded
# however many sheets point at it; the rest are counted, not listed.
CITED_BY_LIMIT = 20
# Weight of one shared feature by kind: sharing an agreement or an organisation
# says more about two practices than sharing a broad audience.
_WEIGHTS = {"agreement": 2.0, "organisation": 1.5, "theme": 1.0, "territory": 1.0, "audience": 0.5, "field": 0.5}
# A feature carried by more practices than this is too common to tell them
# apart; skipping it bounds the work per practice, so that linking stays linear
# (measured at 10,000 practices: 20 s with 1,000, 3 s with 200; 1,000 takes 0.4 s).
_MAX_POSTING = 200

Index = Mapping[str, tuple[str, ...]]

# Collection → the practice's fields holding its ids (the contact's organisation is not a facet).
_PRACTICE_REFS: dict[str, list[str]] = {}
for _field, _collection in references(Practice).items():
    _PRACTICE_REFS.setdefault(_collection, []).append(_field)


@dataclass(frozen=True)
class Place:
    """Where a practice sits in a pathway: « étape 2 sur 5 », and the steps around it."""

    pathway: str
    number: int  # from 1
    total: int
    step: str  # the step's id, its anchor on the pathway's page


@dataclass(frozen=True)
class Graph:
    kb: KnowledgeBase
    practices_sorted: tuple[str, ...]
    by_theme: Index
    by_organisation: Index
    by_territory: Index  # directly attached
    by_territory_tree: Index  # attached to the territory or any territory inside it
    by_audience: Index
    by_agreement: Index
    by_field: Index
    agreements_by_organisation: Index
    agreements_by_field: Index
    agreements_by_territory: Index
    members: Index  # organisation → organisations that are member_of it
    organisations_by_territory: Index
    children: Index  # territory → child territories
    ancestors: Index  # territory → parents from nearest to national
    cited_by: Index  # practice → practices listing it in related
    principles_by_practice: Index
    related: Index
    by_pathway: Index  # pathway → its practices, in step order
    places: Mapping[str, tuple[Place, ...]]  # practice → its places in the pathways
    inspired: Index  # practice → practices that say they were inspired by it
    spread_to: Index  # territory → practices whose approach reached it from elsewhere (inside it, too)
    spreading: tuple[str, ...]  # practices whose approach went elsewhere (spread, or a sheet inspired by them), by title
    spread_from: Index  # territory → practices there (or inside it) whose approach went elsewhere

    def organisations_of(self, practice_id: str) -> tuple[str, ...]:
        return self.refs_of(practice_id, "organisations")

    def refs_of(self, practice_id: str, collection: str) -> tuple[str, ...]:
        """Ids of ``collection`` a practice refers to, in field order (lead, then partners);
        a territory brings the territories around it."""
        practice = self.kb.practices[practice_id].data
        keys: list[str] = []
        for field_name in _PRACTICE_REFS.get(collection, ()):
            value = getattr(practice, field_name)
            keys += value if isinstance(value, list) else [value] if value else []
        if collection == "territories":
            keys = [t for own in keys for t in (own, *self.ancestors[own])]
        if collection == "pathways":  # pathways name their practices, not the other way round
            keys = [place.pathway for place in self.places.get(practice_id, ())]
        return tuple(dict.fromkeys(keys))


def _freeze(index: Mapping[str, Iterable[str]], order: Mapping[str, int]) -> Index:
    return MappingProxyType({key: tuple(sorted(set(values), key=order.__getitem__)) for key, values in sorted(index.items())})


def link(kb: KnowledgeBase) -> Graph:
    titles = sorted(kb.practices, key=lambda pid: (sort_key(kb.practices[pid].data.title), pid))
    order = {pid: rank for rank, pid in enumerate(titles)}
    org_order = {oid: rank for rank, oid in enumerate(sorted(kb.organisations, key=lambda o: (sort_key(kb.organisations[o].data.name), o)))}
    agreement_order = {aid: rank for rank, aid in enumerate(sorted(kb.agreements, key=lambda a: (kb.agreements[a].data.signed, a)))}
    territory_order = {tid: rank for rank, tid in enumerate(sorted(kb.territories, key=lambda t: (sort_key(kb.territories[t].data.name), t)))}

    by: dict[str, defaultdict[str, list[str]]] = {
        k: defaultdict(list) for k in ("theme", "organisation", "territory", "audience", "agreement", "field", "cited")
    }
    for pid, entry in kb.practices.items():
        p = entry.data
        for theme in p.themes:
            by["theme"][theme].append(pid)
        for org in ([p.lead] if p.lead else []) + list(p.partners):
            by["organisation"][org].append(pid)
        for territory in p.territories:
            by["territory"][territory].append(pid)
        for audience in p.audiences:
            by["audience"][audience].append(pid)
        for agreement in p.agreements:
            by["agreement"][agreement].append(pid)
        for field in p.cooperation_fields:
            by["field"][field].append(pid)
        for other in p.related:
            by["cited"][other].append(pid)

    children: defaultdict[str, list[str]] = defaultdict(list)
    ancestors: dict[str, list[str]] = {}
    for tid, place_entry in kb.territories.items():
        if place_entry.data.parent:
            children[place_entry.data.parent].append(tid)
        chain, current = [], place_entry.data.parent
        while current and current not in chain:
            chain.append(current)
            current = kb.territories[current].data.parent
        ancestors[tid] = chain
    tree: defaultdict[str, list[str]] = defaultdict(list)
    for tid, pids in by["territory"].items():
        for owner in [tid, *ancestors[tid]]:
            tree[owner].extend(pids)

    agreements_by_org: defaultdict[str, list[str]] = defaultdict(list)
    agreements_by_field: defaultdict[str, list[str]] = defaultdict(list)
    agreements_by_territory: defaultdict[str, list[str]] = defaultdict(list)
    for aid, agreement_entry in kb.agreements.items():
        for org in [*agreement_entry.data.signatories, *agreement_entry.data.supporters]:
            agreements_by_org[org].append(aid)
        for field in agreement_entry.data.cooperation_fields:
            agreements_by_field[field].append(aid)
        for place in agreement_entry.data.territories:
            agreements_by_territory[place].append(aid)

    members: defaultdict[str, list[str]] = defaultdict(list)
    orgs_by_territory: defaultdict[str, list[str]] = defaultdict(list)
    for oid, organisation in kb.organisations.items():
        if organisation.data.member_of:
            members[organisation.data.member_of].append(oid)
        if organisation.data.territory:
            orgs_by_territory[organisation.data.territory].append(oid)

    principles: defaultdict[str, list[str]] = defaultdict(list)
    principle_order = {p.id: rank for rank, p in enumerate(kb.manifesto.data.principles)}
    for principle in kb.manifesto.data.principles:
        for pid in principle.practices:
            principles[pid].append(principle.id)

    by_pathway, places = _pathways(kb)
    arrivals, departures = _spread(kb, ancestors)
    inspired: defaultdict[str, list[str]] = defaultdict(list)
    for pid, entry in kb.practices.items():
        for source in entry.data.inspired_by:
            inspired[source.practice].append(pid)
    return Graph(
        kb=kb,
        practices_sorted=tuple(titles),
        by_theme=_freeze(by["theme"], order),
        by_organisation=_freeze(by["organisation"], order),
        by_territory=_freeze(by["territory"], order),
        by_territory_tree=_freeze(tree, order),
        by_audience=_freeze(by["audience"], order),
        by_agreement=_freeze(by["agreement"], order),
        by_field=_freeze(by["field"], order),
        agreements_by_organisation=_freeze(agreements_by_org, agreement_order),
        agreements_by_field=_freeze(agreements_by_field, agreement_order),
        agreements_by_territory=_freeze(agreements_by_territory, agreement_order),
        members=_freeze(members, org_order),
        organisations_by_territory=_freeze(orgs_by_territory, org_order),
        children=_freeze(children, territory_order),
        ancestors=MappingProxyType({tid: tuple(chain) for tid, chain in sorted(ancestors.items())}),
        cited_by=_freeze(by["cited"], order),
        principles_by_practice=_freeze(principles, principle_order),
        related=_related(kb, by, order),
        by_pathway=by_pathway,
        places=places,
        inspired=_freeze(inspired, order),
        spread_to=_freeze(arrivals, order),
        spread_from=_freeze(departures, order),
        spreading=tuple(pid for pid in titles if kb.practices[pid].data.spread or pid in inspired),
    )


def _pathways(kb: KnowledgeBase) -> tuple[Index, Mapping[str, tuple[Place, ...]]]:
    """Each pathway's practices in step order, and each practice's places in the pathways (in the file's order)."""
    pathways = kb.collection("pathways")
    ordered: dict[str, tuple[str, ...]] = {}
    places: defaultdict[str, list[Place]] = defaultdict(list)
    for key, entry in pathways.items():
        steps = entry.data.steps
        ordered[key] = tuple(dict.fromkeys(pid for step in steps for pid in step.practices))
        for number, step in enumerate(steps, start=1):
            for pid in step.practices:
                places[pid].append(Place(key, number, len(steps), step.id))
    return MappingProxyType(ordered), MappingProxyType({pid: tuple(found) for pid, found in sorted(places.items())})


def _spread(kb: KnowledgeBase, ancestors: Mapping[str, list[str]]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Where approaches went: territory → practices whose approach reached it (through their « spread »,
    or a sheet there inspired by them), and territory → practices there whose approach went elsewhere.

    A territory counts what happened inside it, as its list of practices does;
    a territory where the practice already was is not reached.
    """

    def around(places: Iterable[str]) -> list[str]:
        return [owner for place in places for owner in (place, *ancestors[place])]

    arrivals: defaultdict[str, list[str]] = defaultdict(list)
    departures: defaultdict[str, list[str]] = defaultdict(list)
    for pid, entry in kb.practices.items():
        p = entry.data
        home = set(around(p.territories))
        moves = [(pid, around(link.territory for link in p.spread), home)]
        # A sheet inspired by another brings that other's approach to its own territories.
        for source in p.inspired_by:
            if source.practice in kb.practices:
                moves.append((source.practice, list(home), set(around(kb.practices[source.practice].data.territories))))
        for origin, reached, already in moves:
            new = [owner for owner in reached if owner not in already]
            for owner in new:
                arrivals[owner].append(origin)
            if new:
                for owner in already:
                    departures[owner].append(origin)
    return arrivals, departures


def _features(kb: KnowledgeBase, pid: str) -> list[tuple[str, str]]:
    p = kb.practices[pid].data
    return (
        [("theme", t) for t in p.themes]
        + [("organisation", o) for o in dict.fromkeys(([p.lead] if p.lead else []) + list(p.partners))]
        + [("territory", t) for t in p.territories]
        + [("audience", a) for a in p.audiences]
        + [("agreement", a) for a in p.agreements]
        + [("field", f) for f in p.cooperation_fields]
    )


def _related(kb: KnowledgeBase, by: Mapping[str, Mapping[str, list[str]]], order: Mapping[str, int]) -> Index:
    total = len(kb.practices)
    postings = {(kind, key): pids for kind in ("theme", "organisation", "territory", "audience", "agreement", "field") for key, pids in by[kind].items()}
    # Each feature's weight in billionths, as an integer: sums are exact whatever the order the
    # features come in (a set's), so equal scores are equal and ties go to the title order.
    weights = {feature: round(_WEIGHTS[feature[0]] * math.log(1 + total / len(posting)) * 1e9) for feature, posting in postings.items()}
    related: dict[str, tuple[str, ...]] = {}
    for pid in kb.practices:
        scores: defaultdict[str, int] = defaultdict(int)
        for feature in set(_features(kb, pid)):
            posting = postings[feature]
            if len(posting) > _MAX_POSTING:
                continue
            weight = weights[feature]
            for other in posting:
                scores[other] += weight
        explicit = list(dict.fromkeys(kb.practices[pid].data.related))
        scores.pop(pid, None)
        for other in explicit:
            scores.pop(other, None)
        # The few best, not every scored practice sorted: nsmallest(k) is sorted()[:k] in O(n log k).
        wanted = max(0, RELATED_LIMIT - len(explicit))
        computed = heapq.nsmallest(wanted, scores, key=lambda other: (-scores[other], order[other]))
        related[pid] = tuple(explicit + computed)
    return MappingProxyType(dict(sorted(related.items())))
