"""What is true today: statuses read at their source's date, sheets due for review.

Everything here is relative to the build date, taken from ``SOURCE_DATE_EPOCH``
when it is set (the Makefile sets it to the commit's time), so that the same
commit always builds the same site; otherwise today.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .labels import LABELS, date_fr
from .model import Entry
from .problems import Problem
from .schema import Practice

__all__ = [
    "REVIEW_YEARS",
    "STALE_YEARS",
    "StatusNote",
    "build_date",
    "editorial_warnings",
    "first_day",
    "last_day",
    "overdue",
    "review_due",
    "status_doubts",
    "status_note",
]

# A sheet not reviewed for this long is overdue for the editorial team.
REVIEW_YEARS = 2
# A « planned » or « ongoing » status older than this is shown as not confirmed since.
STALE_YEARS = 2


def build_date(environ: Mapping[str, str] = os.environ) -> dt.date:
    """The day the site describes: ``SOURCE_DATE_EPOCH`` (UTC) when set, else today."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def last_day(partial: str) -> dt.date:
    """The last day a partial date covers: « 2012 » → 31 December 2012, « 2012-02 » → 29 February 2012."""
    parts = [int(part) for part in partial.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def first_day(partial: str) -> dt.date:
    parts = [int(part) for part in partial.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class StatusNote:
    """A status as a reader should read it: what the source said, when, and what the dates say since.

    A sheet without a status whose period has ended gets a note too: « non précisé », and the end.
    """

    label: str
    as_of: str
    """« selon la source du 11 février 2010 »; empty when the sources give no status."""
    year: str | None = None
    """The year of the status's source, for short forms."""
    ended: str | None = None
    """« la période annoncée s'est achevée le 31 décembre 2012 »: the period ended before the build date."""
    ended_year: str | None = None
    unconfirmed: bool = False
    """A « planned » or « ongoing » status from a source older than STALE_YEARS, not ended by its dates."""

    @property
    def current(self) -> bool:
        """Nothing suggests that the status has changed since its source."""
        return not self.ended and not self.unconfirmed

    @property
    def short(self) -> str:
        """For lists and tables: « En cours en 2010, période achevée en 2012 », « Prévue en 2014, non confirmé depuis »."""
        text = f"{self.label} en {self.year}" if self.year else self.label
        if self.ended:
            return f"{text}, période achevée en {self.ended_year}"
        return f"{text}, non confirmé depuis" if self.unconfirmed else text


def status_note(practice: Practice, today: dt.date) -> StatusNote | None:
    end = practice.period.end if practice.period else None
    ended = None
    if end and last_day(end) < today:
        ended = f"la période annoncée s'est achevée {'le ' if len(end) == 10 else 'en '}{date_fr(end)}"
    if not practice.status or not practice.status_date:
        # No status from the sources: still say when the period has ended.
        return StatusNote(_UNKNOWN, "", ended=ended, ended_year=end[:4] if end else None) if ended else None
    label = LABELS["status"][practice.status]
    as_of = f"selon la source du {date_fr(practice.status_date)}" if len(practice.status_date) == 10 else f"selon la source de {date_fr(practice.status_date)}"
    year = practice.status_date[:4]
    running = practice.status in ("planned", "ongoing")
    if running and ended and end:
        return StatusNote(label, as_of, year, ended=ended, ended_year=end[:4])
    stale = running and first_day(practice.status_date) < _years_before(today, STALE_YEARS)
    return StatusNote(label, as_of, year, unconfirmed=stale)


_UNKNOWN = "Non précisé par les sources"


def status_doubts(practice: Practice, today: dt.date) -> list[tuple[str, str, str]]:
    """(field, message, hint) for each way the status and the period contradict each other."""
    doubts = []
    note = status_note(practice, today)
    if note and note.ended and practice.status:
        hint = "vérifiez ce qu'est devenue l'action et mettez à jour status et status_date"
        doubts.append(("status", f"statut « {note.label} » {note.as_of}, mais {note.ended}", hint))
    elif note and note.unconfirmed:
        hint = "cherchez une source plus récente et mettez à jour status et status_date"
        doubts.append(("status", f"statut « {note.label} » {note.as_of}, non confirmé depuis (plus de {STALE_YEARS} ans)", hint))
    start = practice.period.start if practice.period else None
    if not (start and practice.status_date):
        return doubts
    if practice.status == "planned" and first_day(start) < first_day(practice.status_date):
        message = f"statut « Prévue » alors que la période commence le {date_fr(start)}, avant la source"
        doubts.append(("status", message, "une action commencée n'est plus prévue : corrigez le statut ou la période"))
    if practice.status in ("completed", "discontinued") and first_day(start) > last_day(practice.status_date):
        doubts.append(("status", "statut « Terminée » ou « Arrêtée » pour une période qui commence après la source", "corrigez le statut ou la période"))
    return doubts


def review_due(practice: Practice) -> dt.date:
    """The day from which a sheet is overdue for review."""
    due = practice.reviewed
    try:
        return due.replace(year=due.year + REVIEW_YEARS)
    except ValueError:
        return due.replace(year=due.year + REVIEW_YEARS, day=28)


def overdue(practice: Practice, today: dt.date) -> bool:
    return review_due(practice) <= today


def _line_of(path: str, key: str) -> int:
    """Line of a top-level key in a sheet, for the warning (1 when not found)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((number for number, line in enumerate(lines, start=1) if re.match(rf"{key}\s*:", line)), 1)


def editorial_warnings(practices: Mapping[str, Entry[Practice]], today: dt.date) -> list[Problem]:
    """Warnings for the editorial team (never failures): statuses their dates contradict, sheets overdue for review."""
    warnings = []
    for entry in practices.values():
        practice, path = entry.data, entry.path
        for field, message, hint in status_doubts(practice, today):
            warnings.append(Problem(path, _line_of(path, field), 1, field, message, hint))
        if overdue(practice, today):
            warnings.append(
                Problem(
                    path,
                    _line_of(path, "reviewed"),
                    1,
                    "reviewed",
                    f"fiche non relue depuis le {date_fr(practice.reviewed.isoformat())} (plus de {REVIEW_YEARS} ans)",
                    "relisez-la avec ses sources, puis mettez reviewed à la date du jour",
                )
            )
    return warnings
