"""The collections of the knowledge base, each declared once.

A collection's declaration says where its entries are written, which model
checks them, where their pages live, which templates render them, what
readers and contributors call them and how search and the menu treat them.
Loading, validation, linking, rendering, the menu, the JSON Schemas, the
scaffold and the exports read this registry: adding a collection is one
declaration, a model and a template.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .rules import (
    CrossRule,
    Rule,
    changes_dated,
    evidence_from_sources,
    glossary_words_unique,
    inspiration_loops,
    pathway_steps,
    principle_ids_unique,
    related_not_self,
    successions,
    territory_tree,
)
from .schema import Agreement, Audience, CooperationField, GlossaryTerm, Manifesto, Organisation, Pathway, Practice, Territory, Theme
from .slugs import fold
from .territory_codes import territory_codes

__all__ = ["COLLECTIONS", "SEARCH_FACETS", "TEMPLATES", "Collection", "Registry"]

TEMPLATES = Path(__file__).parent / "templates"

# The search filters, in the order the search page shows them, with their labels.
# ``type`` is the page kind; a collection's ``facet`` names one of the others.
# docs/assets/javascripts/kb-search.js lists the same (a test keeps them in step).
SEARCH_FACETS = {
    "type": "Type de page",
    "theme": "Thème",
    "territoire": "Territoire",
    "public": "Public",
    "organisation": "Organisation",
    "nature": "Nature",
    "preuve": "Niveau de preuve",
    "statut": "Statut",
    "parcours": "Parcours",
    "periode": "Période",
}


@dataclass(frozen=True)
class Collection:
    """One kind of entity: its data, its pages and its words."""

    name: str
    """Key in the knowledge base and in ``Ref`` annotations, e.g. ``organisations``."""
    model: type[BaseModel]
    url: str
    """Folder of its pages in the site; French, because readers see URLs."""
    template: str | None
    """Template of one entry's page (of the only page, for a single-entry collection);
    None: the entries are sections of the list page (the glossary), linked by anchor."""
    kind: str
    """Page kind shown beside each search result."""
    one: str
    """« une organisation »: in messages and field descriptions."""
    unknown: str
    """« organisation inconnue »: an id that matches no entry."""
    noun: str
    """« organisation »: counted by ``kb.py check`` (« 27 organisations »)."""
    file: str | None = None
    """File under ``practices/reference/`` holding every entry by id; None: one file per entry in ``practices/``."""
    single: bool = False
    """The file is one entry (the manifesto), whose page lives at ``<url>.md``."""
    optional: bool = False
    """A knowledge base may lack the file: the collection is then empty."""
    index_template: str | None = "collection_index.md.j2"
    """Template of the list page ``<url>/index.md``; None: no list page."""
    index_title: str | None = None
    """Menu title of the list page; listed beside the list of all practices."""
    index_kind: str = "Index"
    lists: str | None = None
    """Graph index whose practices each entry's page lists (paginated)."""
    facet: str | None = None
    """Search filter holding the names of the entries a practice refers to."""
    in_nav: bool = False
    """Entries' pages in the menu (the guide's chapters). Other entries are reached
    through list pages: Material renders the whole menu on every page, O(n²)."""
    rules: Sequence[Rule] = ()
    """Checks across the entries of the collection, after the schema."""
    cross_rules: Sequence[CrossRule] = ()
    """Checks across the files of a collection written one file per entry, once all are read."""
    feed: bool = False
    """Each entry has an Atom feed of the practices it lists (added and revised), at ``flux/<url>/<id>.xml``."""
    context: Callable[[Any], Mapping[str, Any]] | None = None
    """Extra template variables for every page of the collection, from the knowledge base."""
    templates: Path = TEMPLATES

    @property
    def source(self) -> str:
        """Where contributors write its entries, as messages name it."""
        return f"practices/reference/{self.file}" if self.file else "practices/"

    @property
    def ref_description(self) -> str:
        """Description of a field holding ids of this collection, in the JSON Schema."""
        if self.file is None:
            return f"Nom de fichier (sans .yml) d'{self.one.replace('une ', 'une autre ', 1)} de {self.source}"
        return f"Identifiant d'{self.one} de {self.source}"

    def page_uri(self, key: str) -> str:
        if self.template is None:
            return f"{self.index_uri}#{key}"
        return f"{self.url}.md" if self.single else f"{self.url}/{key}.md"

    @property
    def index_uri(self) -> str:
        return f"{self.url}/index.md"


class Registry(Mapping[str, Collection]):
    """Collections by name, in declaration order: the order of checks, of list pages in
    the menu and of pages in the site (and so in its sitemap)."""

    def __init__(self, collections: Sequence[Collection]) -> None:
        self._by_name = {collection.name: collection for collection in collections}
        if len(self._by_name) != len(collections):
            raise ValueError("two collections share a name")
        unknown = [c.facet for c in collections if c.facet and c.facet not in SEARCH_FACETS]
        if unknown:
            raise ValueError(f"search facets not declared in SEARCH_FACETS: {unknown}")

    def __getitem__(self, name: str) -> Collection:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    @property
    def reference_files(self) -> dict[str, Collection]:
        return {c.file: c for c in self.values() if c.file}

    @property
    def urls(self) -> dict[str, str]:
        return {c.name: c.url for c in self.values()}


def _terms(kb: Any) -> Mapping[str, Any]:
    """The glossary in alphabetical order, accents and case aside."""
    glossary = kb.collection("glossary")
    return {"terms": sorted(glossary, key=lambda key: (fold(glossary[key].data.term), key))}


def _chapters(kb: Any) -> Mapping[str, Any]:
    """The guide's chapters are numbered in the order of themes.yml."""
    return {"number_of": {tid: n for n, tid in enumerate(kb.themes, start=1)}}


COLLECTIONS = Registry(
    [
        Collection(
            "themes",
            Theme,
            file="themes.yml",
            url="guide",
            template="theme.md.j2",
            kind="Chapitre du guide",
            one="un thème",
            unknown="thème inconnu",
            noun="thème",
            index_template="guide.md.j2",
            index_kind="Guide",
            lists="by_theme",
            facet="theme",
            feed=True,
            in_nav=True,
            context=_chapters,
        ),
        Collection(
            "manifesto",
            Manifesto,
            file="manifesto.yml",
            single=True,
            url="manifeste",
            template="manifesto.md.j2",
            kind="Manifeste",
            one="le manifeste",
            unknown="manifeste inconnu",
            noun="principe du manifeste",
            index_template=None,
            in_nav=True,
            rules=(principle_ids_unique,),
        ),
        Collection(
            "practices",
            Practice,
            url="pratiques",
            template="practice.md.j2",
            kind="Fiche",
            one="une fiche",
            unknown="fiche inconnue",
            noun="fiche",
            index_template="practices_index.md.j2",
            index_title="Toutes les fiches",
            rules=(related_not_self, evidence_from_sources, changes_dated),
            cross_rules=(inspiration_loops,),
        ),
        Collection(
            "pathways",
            Pathway,
            file="pathways.yml",
            optional=True,
            url="parcours",
            template="pathway.md.j2",
            kind="Parcours",
            one="un parcours",
            unknown="parcours inconnu",
            noun="parcours",
            index_template="pathways_index.md.j2",
            index_title="Parcours",
            lists="by_pathway",
            facet="parcours",
            feed=True,
            rules=(pathway_steps,),
        ),
        Collection(
            "organisations",
            Organisation,
            file="organisations.yml",
            url="organisations",
            template="organisation.md.j2",
            kind="Organisation",
            one="une organisation",
            unknown="organisation inconnue",
            noun="organisation",
            index_template="organisations_index.md.j2",
            index_title="Organisations",
            lists="by_organisation",
            facet="organisation",
            rules=(successions,),
        ),
        Collection(
            "territories",
            Territory,
            file="territories.yml",
            url="territoires",
            template="territory.md.j2",
            kind="Territoire",
            one="un territoire",
            unknown="territoire inconnu",
            noun="territoire",
            index_template="territories_index.md.j2",
            index_title="Territoires",
            lists="by_territory_tree",
            facet="territoire",
            feed=True,
            rules=(territory_tree, territory_codes),
        ),
        Collection(
            "agreements",
            Agreement,
            file="agreements.yml",
            url="conventions",
            template="agreement.md.j2",
            kind="Convention",
            one="une convention",
            unknown="convention inconnue",
            noun="convention",
            index_template="agreements_index.md.j2",
            index_title="Conventions",
            lists="by_agreement",
        ),
        Collection(
            "audiences",
            Audience,
            file="audiences.yml",
            url="publics",
            template="audience.md.j2",
            kind="Public",
            one="un public",
            unknown="public inconnu",
            noun="public",
            index_template="audiences_index.md.j2",
            index_title="Publics",
            lists="by_audience",
            facet="public",
            feed=True,
        ),
        Collection(
            "cooperation_fields",
            CooperationField,
            file="cooperation-fields.yml",
            url="champs-de-cooperation",
            template="field.md.j2",
            kind="Champ de coopération",
            one="un champ de coopération",
            unknown="champ de coopération inconnu",
            noun="champ de coopération",
            index_template="fields_index.md.j2",
            index_title="Champs de coopération",
            lists="by_field",
        ),
        Collection(
            "glossary",
            GlossaryTerm,
            file="glossary.yml",
            optional=True,
            url="glossaire",
            template=None,
            kind="Glossaire",
            one="un terme du glossaire",
            unknown="terme du glossaire inconnu",
            noun="terme du glossaire",
            index_template="glossary.md.j2",
            index_title="Glossaire",
            index_kind="Glossaire",
            rules=(glossary_words_unique,),
            context=_terms,
        ),
    ]
)
