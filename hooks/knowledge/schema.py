"""The single schema of the knowledge base.

The build, ``scripts/kb.py check``, editors (through the exported JSON Schema in
``practices/schema/``) and the contributors' documentation all read these
models. Descriptions are in French because contributors read them in their
editor.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from .labels import choice
from .markdown_rules import markdown_problem
from .slugs import SLUG, SLUG_PATTERN, slugify
from .value_slips import date_hint

__all__ = [
    "REF_KEY",
    "Agreement",
    "Audience",
    "Caution",
    "Change",
    "Contact",
    "CooperationField",
    "Evidence",
    "FormerName",
    "FormerTerritoryName",
    "GlossaryTerm",
    "Inspiration",
    "KeyFigure",
    "Keywords",
    "Manifesto",
    "Milestone",
    "Organisation",
    "Pathway",
    "Period",
    "Practice",
    "Principle",
    "Quote",
    "Ref",
    "Source",
    "Spread",
    "Step",
    "Succession",
    "Territory",
    "TerritorySuccession",
    "Theme",
    "ref_of",
    "references",
]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# The usual address characters only: the address becomes a mailto: link.
_EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$", re.IGNORECASE)


# The key under which a reference field names its collection in the generated JSON
# Schema; published_schema.py replaces it with the registry's description.
REF_KEY = "x-kb-collection"


@dataclass(frozen=True)
class Ref:
    """Marks a field whose values are ids of another collection (a name of the registry)."""

    collection: str

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {REF_KEY: self.collection, **handler(core_schema)}


def ref_of(annotation: Any, metadata: list[Any]) -> str | None:
    """The collection whose ids a field holds (through its ``Ref``), or None."""
    for item in metadata:
        if isinstance(item, Ref):
            return item.collection
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        args = typing.get_args(annotation)
        return ref_of(args[0], list(args[1:]))
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = ref_of(arg, [])
            if found:
                return found
    return None


def references(model: type[BaseModel]) -> dict[str, str]:
    """Field → collection, for each field of ``model`` holding ids of a collection, in field order."""
    found = {name: ref_of(field.annotation, field.metadata) for name, field in model.model_fields.items()}
    return {name: collection for name, collection in found.items() if collection}


def _slug(value: str) -> str:
    if not SLUG.match(value):
        parts = [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
        hint = f"par exemple « {slugify(value) or 'mon-identifiant'} »"
        if len(parts) > 1:
            hint = f"un identifiant par élément, séparés par des virgules : [{', '.join(slugify(part) or part for part in parts)}]"
        raise PydanticCustomError(
            "kb_slug",
            "identifiant invalide « {value} » : lettres minuscules sans accent, chiffres et tirets uniquement",
            {"value": value, "hint": hint},
        )
    return value


def _partial_date(value: str) -> str:
    match = _PARTIAL_DATE.match(value)
    valid = bool(match)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            dt.date(year or 1, month or 1, day or 1)
        except ValueError:
            valid = False
    if not valid:
        raise PydanticCustomError(
            "kb_partial_date",
            "date invalide « {value} » : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ",
            {"value": value, "hint": date_hint(value, full=False)},
        )
    return value


def _full_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)) else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: Any) -> dt.date:
    raise PydanticCustomError(
        "kb_date",
        "date invalide « {value} » : écrivez AAAA-MM-JJ, par exemple 2026-11-22",
        {"value": str(value), "hint": date_hint(str(value), full=True)},
    )


def _url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#]", value, re.IGNORECASE):
        bare = re.fullmatch(r"(?:https?:/*)?([\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#]\S*)?)", value, re.IGNORECASE)
        raise PydanticCustomError(
            "kb_url",
            "adresse web invalide « {value} » : elle doit commencer par https:// ou http://",
            {"value": value, "hint": f"écrivez https://{bare.group(1)}" if bare else "copiez l'adresse depuis la barre d'adresse du navigateur"},
        )
    if re.search(r"[\s<>\"]", value):
        raise PydanticCustomError(
            "kb_url",
            "adresse web invalide « {value} » : espace, guillemet, < ou > interdits",
            {"value": value, "hint": "copiez l'adresse depuis la barre d'adresse du navigateur"},
        )
    return value


def _markdown(value: str) -> str:
    problem = markdown_problem(value)
    if problem:
        raise PydanticCustomError("kb_markdown", "{message}", {"message": problem[0], "hint": problem[1]})
    return value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        bare = re.sub(r"^mailto:", "", value.strip(), flags=re.IGNORECASE).strip("<>")
        hint = f"écrivez l'adresse seule, sans « mailto: » : {bare}" if bare != value and _EMAIL.match(bare) else ""
        raise PydanticCustomError("kb_email", "adresse électronique invalide « {value} »", {"value": value, "hint": hint})
    return value


Slug = Annotated[str, AfterValidator(_slug), Field(json_schema_extra={"pattern": SLUG_PATTERN})]
Text = Annotated[str, Field(min_length=1)]
Markdown = Annotated[
    str,
    Field(
        min_length=1,
        json_schema_extra={
            "contentMediaType": "text/markdown",
            "$comment": "Markdown sans HTML, sans attributs {…}, sans images ; liens http, https ou mailto seulement.",
        },
    ),
    AfterValidator(_markdown),
]
PartialDate = Annotated[
    str,
    AfterValidator(_partial_date),
    Field(json_schema_extra={"pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
]
FullDate = Annotated[dt.date, BeforeValidator(_full_date)]
Url = Annotated[str, AfterValidator(_url), Field(json_schema_extra={"format": "uri", "pattern": "^https?://"})]
Email = Annotated[str, AfterValidator(_email), Field(json_schema_extra={"format": "email"})]

OrganisationId = Annotated[Slug, Ref("organisations")]
TerritoryId = Annotated[Slug, Ref("territories")]
ThemeId = Annotated[Slug, Ref("themes")]
AudienceId = Annotated[Slug, Ref("audiences")]
AgreementId = Annotated[Slug, Ref("agreements")]
FieldId = Annotated[Slug, Ref("cooperation_fields")]
PracticeId = Annotated[Slug, Ref("practices")]


class Strict(BaseModel):
    """Unknown fields are errors: nothing a contributor writes is silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, hide_input_in_errors=True)


class Period(Strict):
    """Période de l'action. Dates partielles acceptées : 2011, 2011-04 ou 2011-04-15."""

    start: PartialDate | None = Field(None, description="Début (AAAA, AAAA-MM ou AAAA-MM-JJ)")
    end: PartialDate | None = Field(None, description="Fin (AAAA, AAAA-MM ou AAAA-MM-JJ)")
    note: Text | None = Field(None, description="Précision, par exemple « prévue pour trois ans »")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and self.end < self.start:
            raise PydanticCustomError("kb_period", "la fin de la période précède son début")
        return self


class Source(Strict):
    """Document d'où viennent les informations de la fiche."""

    title: Text = Field(description="Titre du document ou de l'article")
    url: Url | None = Field(None, description="Adresse web (http ou https), si le document est en ligne")
    publisher: Text | None = Field(None, description="Éditeur ou organisme qui publie le document")
    date: PartialDate | None = Field(None, description="Date de publication (AAAA, AAAA-MM ou AAAA-MM-JJ)")
    note: Text | None = Field(None, description="Précision sur le document (nature, auteur d'une intervention…)")


# Enumerations are declared once, with their French labels, in labels.py.
if TYPE_CHECKING:  # a Literal made at run time is a plain text for mypy
    Kind: TypeAlias = str
    Status: TypeAlias = str
    OrganisationKind: TypeAlias = str
    TerritoryLevel: TypeAlias = str
    AgreementKind: TypeAlias = str
    EvidenceLevel: TypeAlias = str
    FigureType: TypeAlias = str
    Funding: TypeAlias = str
    EditorialStatus: TypeAlias = str
    ChangeKind: TypeAlias = str
    SpreadKind: TypeAlias = str
else:
    Kind, Status, OrganisationKind, TerritoryLevel, AgreementKind = map(choice, ("kind", "status", "organisation_kind", "territory_level", "agreement_kind"))
    EvidenceLevel, FigureType, Funding, EditorialStatus = map(choice, ("evidence_level", "figure_type", "funding", "editorial_status"))
    ChangeKind, SpreadKind = map(choice, ("change", "spread"))


class KeyFigure(Strict):
    """Chiffre clé : ce qu'il est (résultat, moyen, objectif, contexte), sa date et sa source."""

    label: Text = Field(description="Ce que mesure le chiffre")
    value: Text = Field(description="La valeur telle qu'écrite dans la source, par exemple « 10 » ou « 4 000 »")
    unit: Text | None = Field(None, description="Unité, par exemple « % » ou « heures »")
    type: FigureType = Field(description="result (résultat obtenu), means (moyen engagé), objective (objectif fixé) ou context (contexte)")
    population: Text | None = Field(None, description="Pour un résultat : les personnes ou structures qu'il concerne")
    funding: list[Funding] = Field(
        default_factory=list, description="Pour un moyen : qui le finance (fse, etat, region, departement, commune, opca, pole-emploi, entreprises)"
    )
    date: PartialDate | None = Field(None, description="Date à laquelle le chiffre s'applique (obligatoire pour un résultat)")
    source: Text = Field(description="Titre de la source du chiffre")

    @model_validator(mode="after")
    def _dated_result(self) -> KeyFigure:
        if self.type == "result" and not self.date:
            raise PydanticCustomError(
                "kb_figure", "un résultat doit dire à quelle date il a été mesuré", {"hint": "ajoutez « date: AAAA » (ou AAAA-MM, AAAA-MM-JJ) à ce chiffre"}
            )
        return self


class Evidence(Strict):
    """Ce que l'on sait de l'efficacité de l'action, sur l'échelle publique de la page « Méthode » (/methode/)."""

    level: EvidenceLevel = Field(
        description="announced (annoncée), described (décrite par ses acteurs), monitored (suivie : chiffres publiés), "
        "evaluated (évaluée), compared (évaluée avec groupe de comparaison)"
    )
    justification: Text = Field(description="Pourquoi ce niveau, en une phrase")
    source: Text = Field(description="Titre de la source (parmi les sources de la fiche) sur laquelle repose ce niveau")


class Caution(Strict):
    """Point juridique ou éthique à vérifier avant de reprendre l'action, appuyé sur une source."""

    text: Markdown = Field(description="Ce qu'il faut vérifier (Markdown)")
    source: Source = Field(description="Le texte qui fonde ce point (loi, règlement, guide officiel)")


class Keywords(Strict):
    """Mots-clés de la fiche pratique, en trois familles."""

    geographic: list[Text] = Field(default_factory=list, description="Mots-clés géographiques")
    actors: list[Text] = Field(default_factory=list, description="Mots-clés sur les acteurs")
    methodological: list[Text] = Field(default_factory=list, description="Mots-clés méthodologiques")


class Contact(Strict):
    """Contact organisationnel uniquement (jamais une personne privée ni un numéro personnel)."""

    organisation: OrganisationId | None = None
    service: Text | None = Field(None, description="Service ou fonction à contacter, pas un nom de personne")
    email: Email | None = Field(None, description="Adresse générique de la structure")
    url: Url | None = Field(None, description="Page de contact de la structure")

    @model_validator(mode="after")
    def _not_empty(self) -> Contact:
        if not (self.organisation or self.service or self.email or self.url):
            raise PydanticCustomError("kb_contact", "le contact est vide : indiquez au moins une organisation, un service, une adresse ou une page")
        return self


class Change(Strict):
    """Une révision de la fiche après sa création : sa date et ce qu'elle a changé (page « Nouveautés » et flux)."""

    date: FullDate = Field(description="Date de la révision (AAAA-MM-JJ), entre la création de la fiche et aujourd'hui")
    what: ChangeKind = Field(
        description="new-result (nouveau résultat), new-figure (nouveau chiffre clé), figures-typed (chiffres typés), new-source (nouvelle source), "
        "source-dated (source datée), status-updated (statut mis à jour), status-dated (statut daté), evidence-added (niveau de preuve ajouté), "
        "evidence-revised (niveau de preuve révisé), transfer-added (conditions de reprise ajoutées), cautions-added (points de vigilance ajoutés), "
        "correction"
    )
    note: Text | None = Field(None, description="Précision en une phrase, par exemple ce qui a été corrigé")


class Inspiration(Strict):
    """Fiche dont l'action s'est inspirée : ce qui a été adapté, et la source qui le dit."""

    practice: PracticeId = Field(description="Nom de fichier (sans .yml) de la fiche dont l'action s'est inspirée")
    adapted: Text | None = Field(None, description="Ce qui a été adapté par rapport à l'action d'origine, selon la source")
    source: Text = Field(description="Titre de la source (parmi les sources de la fiche) qui établit ce lien")


class Spread(Strict):
    """Où la démarche est allée ensuite, sans fiche à elle : présentée, reprise, ou diffusion prévue."""

    how: SpreadKind = Field(description="presented (présentée), planned (diffusion prévue) ou taken-up (reprise)")
    territory: TerritoryId = Field(description="Territoire où la démarche a été présentée, reprise ou doit l'être")
    organisation: OrganisationId | None = Field(None, description="Organisation qui l'a accueillie ou reprise, si la source la nomme")
    date: PartialDate | None = Field(None, description="Date (AAAA, AAAA-MM ou AAAA-MM-JJ), si la source la donne")
    adapted: Text | None = Field(None, description="Ce qui a été adapté, ou comment elle doit se diffuser, selon la source")
    source: Text = Field(description="Titre de la source (parmi les sources de la fiche) qui le dit")


class Practice(Strict):
    """Une pratique ou une expérimentation des réseaux de l'emploi (un fichier practices/<id>.yml)."""

    title: Text = Field(description="Titre de la fiche")
    summary: Text = Field(description="Résumé en une ou deux phrases")
    kind: Kind = Field(description="practice (pratique installée) ou experiment (expérimentation)")
    status: Status | None = Field(None, description="planned (prévue), ongoing (en cours), completed (terminée), discontinued (arrêtée), selon la source")
    status_date: PartialDate | None = Field(None, description="Date de la source qui donne ce statut (obligatoire avec un statut)")
    period: Period | None = None
    lead: OrganisationId | None = Field(None, description="Organisation qui porte l'action")
    partners: list[OrganisationId] = Field(default_factory=list, description="Organisations partenaires")
    territories: list[TerritoryId] = Field(min_length=1, description="Territoires où l'action a lieu")
    themes: list[ThemeId] = Field(min_length=1, description="Thèmes du guide")
    audiences: list[AudienceId] = Field(default_factory=list, description="Publics visés")
    agreements: list[AgreementId] = Field(default_factory=list, description="Conventions dont l'action relève")
    cooperation_fields: list[FieldId] = Field(default_factory=list, description="Champs de coopération concernés")
    description: Markdown = Field(description="Éléments descriptifs (Markdown)")
    economy: Markdown | None = Field(None, description="Quelle économie l'action génère-t-elle ? (Markdown)")
    empowerment: Markdown | None = Field(None, description="L'action a-t-elle augmenté le pouvoir et la responsabilité ? (Markdown)")
    articulations: Markdown | None = Field(None, description="Quelles articulations l'action a-t-elle utilisées ou produites ? (Markdown)")
    recurring_questions: Markdown | None = Field(None, description="Questions récurrentes et effets de système (Markdown)")
    lessons: Markdown | None = Field(None, description="Quelles leçons pour démultiplier ces dynamiques ? (Markdown)")
    success_factors: Markdown | None = Field(None, description="Ce qui a fait réussir l'action, selon les sources (Markdown)")
    difficulties: Markdown | None = Field(None, description="Difficultés rencontrées et échecs, selon les sources (Markdown)")
    prerequisites: Markdown | None = Field(None, description="Ce qu'il faut réunir avant de reprendre l'action (Markdown)")
    key_figures: list[KeyFigure] = Field(default_factory=list, description="Chiffres clés")
    keywords: Keywords | None = None
    sources: list[Source] = Field(min_length=1, description="Au moins une source")
    evidence: Evidence = Field(description="Niveau de preuve, avec sa justification et sa source")
    cautions: list[Caution] = Field(default_factory=list, description="Points juridiques ou éthiques à vérifier avant de reprendre l'action")
    related: list[PracticeId] = Field(default_factory=list, description="Fiches liées choisies par l'auteur")
    inspired_by: list[Inspiration] = Field(default_factory=list, description="Fiches dont l'action s'est inspirée, selon les sources")
    spread: list[Spread] = Field(default_factory=list, description="Territoires où la démarche a été présentée ou reprise, ou doit l'être, selon les sources")
    contact: Contact | None = None
    created: FullDate = Field(description="Date de création de la fiche (AAAA-MM-JJ)")
    reviewed: FullDate = Field(description="Date de dernière relecture de la fiche (AAAA-MM-JJ)")
    changes: list[Change] = Field(default_factory=list, description="Révisions de la fiche depuis sa création, de la plus ancienne à la plus récente")
    editorial_status: EditorialStatus = Field(description="proposed (proposée), reviewed (relue), validated (validée par le réseau)")

    @model_validator(mode="after")
    def _dated_status(self) -> Practice:
        if self.status and not self.status_date:
            raise PydanticCustomError(
                "kb_status",
                "un statut vaut à la date de sa source : indiquez-la",
                {"hint": "ajoutez « status_date: AAAA-MM-JJ » (la date de la source qui dit ce statut), ou retirez le statut"},
            )
        if self.reviewed < self.created:
            raise PydanticCustomError("kb_reviewed", "la date de relecture précède la date de création", {"hint": "vérifiez « created » et « reviewed »"})
        return self


class FormerName(Strict):
    """Nom qu'une organisation portait avant d'être renommée."""

    name: Text = Field(description="Le nom d'alors, par exemple « Pôle emploi »")
    acronym: Text | None = Field(None, description="Son sigle d'alors")
    until: PartialDate = Field(description="Dernier jour (ou mois, ou année) où ce nom était porté")
    source: Source = Field(description="Le texte qui établit le changement de nom")


class Succession(Strict):
    """Une organisation disparue et celle qui a repris ses missions."""

    organisation: OrganisationId = Field(description="Identifiant de l'organisation qui lui succède")
    date: PartialDate = Field(description="Date de la succession")
    source: Source = Field(description="Le texte qui établit la succession")


class Organisation(Strict):
    """Organisation citée par les fiches (entrée de practices/reference/organisations.yml)."""

    name: Text = Field(description="Nom complet")
    acronym: Text | None = Field(None, description="Sigle")
    kind: OrganisationKind | None = Field(None, description="Nature de l'organisation, si la source la précise")
    url: Url | None = Field(None, description="Site web de l'organisation (https://…)")
    description: Markdown | None = None
    size: Text | None = Field(None, description="Taille, par exemple « 4 000 entreprises »")
    territory: TerritoryId | None = Field(None, description="Territoire d'implantation")
    member_of: OrganisationId | None = Field(None, description="Réseau ou organisation dont elle fait partie")
    former_names: list[FormerName] = Field(default_factory=list, description="Noms portés auparavant, du plus ancien au plus récent")
    successor: Succession | None = Field(None, description="Organisation qui lui a succédé, si elle n'existe plus")
    sources: list[Source] = Field(default_factory=list)


class FormerTerritoryName(Strict):
    """Nom officiel qu'un territoire portait avant celui d'aujourd'hui (le code est resté le même)."""

    name: Text = Field(description="Le nom d'alors, par exemple « Cherbourg-Octeville »")
    until: PartialDate = Field(description="Dernier jour (ou mois, ou année) où ce nom était porté")
    source: Source = Field(description="Le texte qui établit le changement de nom")


class TerritorySuccession(Strict):
    """Un territoire disparu (une région d'avant 2016) et celui qui l'a remplacé."""

    code: Text = Field(description="Code officiel du territoire qui lui succède, par exemple « 75 » (Nouvelle-Aquitaine)")
    date: PartialDate = Field(description="Date de la succession")
    source: Source = Field(description="Le texte qui établit la succession")


class Territory(Strict):
    """Territoire (entrée de practices/reference/territories.yml)."""

    name: Text
    level: TerritoryLevel = Field(description="national, region, department, employment-area ou municipality")
    parent: TerritoryId | None = Field(None, description="Territoire englobant (obligatoire sauf au niveau national)")
    code: Text | None = Field(
        None,
        description="Code officiel géographique (Insee), s'il y en a un : code commune (5 caractères), numéro de département, code de région",
    )
    description: Markdown | None = None
    former_names: list[FormerTerritoryName] = Field(
        default_factory=list, description="Noms officiels portés avant celui d'aujourd'hui, du plus ancien au plus récent"
    )
    successor: TerritorySuccession | None = Field(
        None, description="Pour un territoire qui n'existe plus (une ancienne région) : celui qui lui a succédé, par son code officiel"
    )


class Milestone(Strict):
    """Étape datée de la vie d'une convention."""

    date: PartialDate
    label: Text


class Agreement(Strict):
    """Convention ou accord-cadre (entrée de practices/reference/agreements.yml)."""

    title: Text
    kind: AgreementKind = Field(description="convention ou framework-agreement (accord-cadre)")
    summary: Text
    description: Markdown | None = None
    signatories: list[OrganisationId] = Field(min_length=2, description="Organisations signataires")
    supporters: list[OrganisationId] = Field(default_factory=list, description="Autres parties qui apportent leur concours")
    signed: PartialDate = Field(description="Date de signature")
    end: PartialDate | None = Field(None, description="Date de fin")
    duration: Text | None = Field(None, description="Durée, par exemple « 3 ans »")
    territories: list[TerritoryId] = Field(default_factory=list)
    cooperation_fields: list[FieldId] = Field(default_factory=list)
    objectives: list[Text] = Field(default_factory=list, description="Objectifs fixés par l'accord")
    governance: list[Text] = Field(default_factory=list, description="Instances de pilotage, par exemple « comité de pilotage réuni deux fois par an »")
    working_groups: list[Text] = Field(default_factory=list, description="Groupes de travail")
    key_figures: list[KeyFigure] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list, description="Étapes datées après la signature")
    sources: list[Source] = Field(min_length=1)


class Step(Strict):
    """Une étape d'un parcours : ce qu'il faut faire, et les fiches qui le montrent."""

    id: Slug = Field(description="Identifiant de l'étape dans le parcours, utilisé comme ancre et par « requires »")
    title: Text = Field(description="Ce qu'il faut faire, en quelques mots")
    text: Markdown | None = Field(None, description="Comment, selon les sources (Markdown)")
    practices: list[PracticeId] = Field(min_length=1, description="Fiches qui montrent cette étape (au moins une)")
    requires: list[Slug] = Field(default_factory=list, description="Étapes précédentes du parcours à faire avant celle-ci (leurs identifiants)")


class Pathway(Strict):
    """Parcours : une démarche entière, étape par étape, telle que les sources la décrivent."""

    title: Text = Field(description="Titre du parcours")
    goal: Text = Field(description="Ce que le parcours permet d'obtenir, en une phrase")
    audiences: list[AudienceId] = Field(default_factory=list, description="Publics visés")
    territories: list[TerritoryId] = Field(default_factory=list, description="Territoires où les sources décrivent cette démarche")
    introduction: Markdown = Field(description="Présentation courte : d'où vient la démarche, pour qui (Markdown)")
    steps: list[Step] = Field(min_length=2, description="Les étapes, dans l'ordre (au moins deux)")
    sources: list[Source] = Field(min_length=1, description="Au moins une source")


class Theme(Strict):
    """Thème du guide ; l'ordre du fichier themes.yml est l'ordre des chapitres."""

    title: Text
    introduction: Markdown


class Audience(Strict):
    """Public visé (entrée de practices/reference/audiences.yml)."""

    name: Text
    description: Markdown | None = None


class CooperationField(Strict):
    """Champ de coopération (entrée de practices/reference/cooperation-fields.yml)."""

    name: Text
    description: Markdown | None = None


class GlossaryTerm(Strict):
    """Terme ou sigle du glossaire (entrée de practices/reference/glossary.yml).

    Les lecteurs cherchent avec leurs mots : un terme, son développement et les
    mots des lecteurs se trouvent les uns les autres dans la recherche.
    """

    term: Text = Field(description="Le terme ou le sigle tel qu'il s'écrit, par exemple « GPEC » ou « Job dating »")
    expansion: Text | None = Field(None, description="Le développement d'un sigle, par exemple « Gestion prévisionnelle des emplois et des compétences »")
    definition: Markdown = Field(description="Définition courte, dans nos mots (Markdown)")
    synonyms: list[Text] = Field(default_factory=list, description="Les mots des lecteurs pour la même chose, par exemple « seniors » pour « salariés âgés »")
    organisation: OrganisationId | None = Field(None, description="L'organisation que le sigle désigne, s'il en désigne une")
    sources: list[Source] = Field(min_length=1, description="Au moins une source")


class Quote(Strict):
    text: Text
    author: Text | None = None
    source: Text = Field(description="Titre de la source de la citation")


class Principle(Strict):
    """Principe du manifeste, toujours appuyé sur des fiches."""

    id: Slug = Field(description="Identifiant stable, utilisé comme ancre")
    title: Text
    text: Markdown
    practices: list[PracticeId] = Field(min_length=1, description="Fiches qui illustrent le principe")
    quote: Quote | None = None


class Manifesto(Strict):
    """Le manifeste (practices/reference/manifesto.yml)."""

    title: Text
    preamble: Markdown
    principles: list[Principle] = Field(min_length=1)
    closing: Markdown | None = None
