"""Organisations that change: the name a source used, and the name they bear today.

A renamed organisation keeps its id (its page's address does not change); its
former names carry the last date they were borne and the text that renamed it.
An organisation that ended names its successor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .editorial import first_day, last_day
from .labels import date_fr
from .schema import FormerName, Organisation, Practice

__all__ = ["name_at", "named_then", "renamed_in", "renamed_since", "sheet_date"]


def name_at(organisation: Organisation, when: str | None) -> FormerName | None:
    """The former name ``organisation`` bore on ``when`` (a partial date), or None if it bore today's."""
    if not when:
        return None
    day = first_day(when)
    return next((former for former in organisation.former_names if day <= last_day(former.until)), None)


def named_then(organisation: Organisation, when: str | None) -> str | None:
    """What to say beside today's name: « alors Pôle emploi » when the source's date is known and
    the name then differed, « anciennement Pôle emploi » when the date is unknown, else None."""
    if when is None:
        return f"anciennement {organisation.former_names[-1].name}" if organisation.former_names else None
    former = name_at(organisation, when)
    return f"alors {former.name}" if former else None


def renamed_since(former: FormerName) -> str:
    """« depuis le 1er janvier 2024 » (the day after a full date), « après 2008 » otherwise."""
    if len(former.until) == 10:
        return f"depuis le {date_fr((dt.date.fromisoformat(former.until) + dt.timedelta(days=1)).isoformat())}"
    return f"après {date_fr(former.until)}"


def sheet_date(practice: Practice) -> str | None:
    """The date a sheet speaks of: its status's source, else its latest dated source, else the start of its period."""
    dated = sorted((source.date for source in practice.sources if source.date), key=first_day)
    start = practice.period.start if practice.period else None
    return practice.status_date or (dated[-1] if dated else None) or start


def renamed_in(organisations: Mapping[str, Organisation], keys: list[str], when: str | None) -> list[tuple[str, FormerName]]:
    """(id, former name) of each organisation of ``keys`` that bore another name on ``when`` (its latest one, ``when`` unknown)."""
    found = []
    for key in dict.fromkeys(keys):
        organisation = organisations.get(key)
        if organisation is None or not organisation.former_names:
            continue
        former = name_at(organisation, when) if when else organisation.former_names[-1]
        if former:
            found.append((key, former))
    return found
