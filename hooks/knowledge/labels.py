"""The enumerations of the schema, each declared once with its French labels; French dates.

The schema's choices are made from these declarations (``choice``), so that a
value cannot exist without the words readers see for it.
"""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["EVIDENCE_RUBRIC", "LABELS", "MONTHS", "choice", "date_fr", "period_fr"]

# Each enumeration: value as written in the sheets → label as readers see it, in display order.
LABELS: dict[str, dict[str, str]] = {
    "kind": {"practice": "Pratique", "experiment": "Expérimentation"},
    "status": {"planned": "Prévue", "ongoing": "En cours", "completed": "Terminée", "discontinued": "Arrêtée"},
    "organisation_kind": {
        "association": "Association",
        "foundation": "Fondation",
        "network": "Réseau",
        "public-operator": "Opérateur public",
        "state": "État et administrations",
        "local-authority": "Collectivité territoriale",
        "local-structure": "Structure locale",
        "employers": "Organisation d'employeurs",
        "social-partners": "Partenaires sociaux",
        "partnership": "Partenariat",
        "european-union": "Union européenne",
        "company": "Entreprise",
    },
    "territory_level": {
        "national": "National",
        "region": "Région",
        "department": "Département",
        "employment-area": "Bassin d'emploi",
        "municipality": "Commune",
    },
    "agreement_kind": {"convention": "Convention", "framework-agreement": "Accord-cadre"},
    # The public rubric of /methode/, from the weakest evidence to the strongest.
    "evidence_level": {
        "announced": "Annoncée",
        "described": "Décrite par ses acteurs",
        "monitored": "Suivie",
        "evaluated": "Évaluée",
        "compared": "Évaluée avec comparaison",
    },
    "figure_type": {"result": "Résultat", "means": "Moyen", "objective": "Objectif", "context": "Contexte"},
    "funding": {
        "fse": "Fonds social européen (FSE)",
        "etat": "État",
        "region": "Région",
        "departement": "Département",
        "commune": "Commune ou intercommunalité",
        "opca": "OPCA, OCTA ou OPCO (fonds de la formation professionnelle)",
        "pole-emploi": "Pôle emploi, devenu France Travail",
        "entreprises": "Entreprises",
    },
    "editorial_status": {"proposed": "Proposée", "reviewed": "Relue", "validated": "Validée par le réseau"},
    # What a revision of a sheet changed (its « changes »), as /nouveautes/ and the feeds say it.
    "change": {
        "new-result": "Nouveau résultat",
        "new-figure": "Nouveau chiffre clé",
        "figures-typed": "Chiffres typés",
        "new-source": "Nouvelle source",
        "source-dated": "Source datée",
        "status-updated": "Statut mis à jour",
        "status-dated": "Statut daté",
        "evidence-added": "Niveau de preuve ajouté",
        "evidence-revised": "Niveau de preuve révisé",
        "transfer-added": "Conditions de reprise ajoutées",
        "cautions-added": "Points de vigilance ajoutés",
        "spread-added": "Diffusion de la démarche ajoutée",
        "correction": "Correction",
    },
    # How a practice's approach reached another territory (its « spread »), as its page and the territory's say it.
    "spread": {
        "presented": "Présentée",
        "planned": "Diffusion prévue",
        "taken-up": "Reprise",
    },
}

# Each level of the rubric: its one-word name (for narrow table headers) and what it requires.
EVIDENCE_RUBRIC: dict[str, tuple[str, str]] = {
    "announced": (
        "Annoncée",
        "L'action est prévue : la source l'annonce, rien ne dit encore qu'elle a été menée.",
    ),
    "described": (
        "Décrite",
        "L'action a été menée et ses acteurs la racontent (article, intervention, communiqué), sans chiffres de suivi publiés.",
    ),
    "monitored": (
        "Suivie",
        "Des chiffres de participants ou de résultats ont été publiés (suivi de l'action), sans évaluation méthodique.",
    ),
    "evaluated": (
        "Évaluée",
        "Une évaluation externe ou une revue méthodique de l'action a été publiée.",
    ),
    "compared": (
        "Comparée",
        "Une évaluation a comparé les personnes accompagnées à un groupe de comparaison qui ne l'était pas.",
    ),
}


def choice(name: str) -> Any:
    """The schema type of an enumeration: one of its values (a ``Literal``, checked by pydantic)."""
    return Literal[tuple(LABELS[name])]


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")


def date_fr(value: object) -> str:
    """« 2011-04-15 » → « 15 avril 2011 »; « 2011-04 » → « avril 2011 »; « 2011 » stays."""
    parts = str(value).split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = int(parts[2])
    return f"{'1er' if day == 1 else day} {month} {parts[0]}"


def period_fr(start: str | None, end: str | None, note: str | None) -> str:
    """« du 15 avril 2011 au 2014 », « depuis 2000 », « jusqu'au 31 décembre 2012 — note »."""
    if start and end:
        text = f"du {date_fr(start)} au {date_fr(end)}"
    elif start:
        text = f"depuis {date_fr(start)}"
    elif end:
        text = f"jusqu'à {date_fr(end)}" if len(end) < 10 else f"jusqu'au {date_fr(end)}"
    else:
        text = ""
    if note:
        text = f"{text} — {note}" if text else note
    return text
