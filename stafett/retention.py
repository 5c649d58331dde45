"""Which closed cases are past the kommune's retention period. Pure: cases, settings and today in, a list out.

The period is `innstillinger.oppbevaring_ar` in stafett.yaml (default 10 years), counted from the day
the case was closed (`avsluttet.dato`). A case is past retention from the anniversary on: closed on
2016-03-01 with 10 years, it may be purged on 2026-03-01. A case closed on 29 February reaches its
anniversary on 28 February in a year without one.

Only the case id and dates are ever reported: this module never looks at names or free text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Optional

from stafett.i18n import _, date_text
from stafett.model import Case


@dataclass(frozen=True)
class Expired:
    """A closed case whose retention period has ended."""

    case_id: str
    closed: dt.date
    due: dt.date  # the first day it may (and should) be purged


@dataclass(frozen=True)
class Unclear:
    """A case marked closed without a closing date: its retention cannot be counted."""

    case_id: str
    reason: str


def anniversary(day: dt.date, years: int) -> dt.date:
    """`day` plus whole years; 29 February becomes 28 February in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def due_date(case: Case, years: int) -> Optional[dt.date]:
    """The day a closed case's retention ends; None for a case that is open (or has no closing date)."""
    if case.status != "avsluttet" or case.avsluttet is None:
        return None
    return anniversary(case.avsluttet.dato, years)


def past_retention(cases: Iterable[Case], years: int, today: dt.date) -> tuple[list[Expired], list[Unclear]]:
    """Closed cases past retention on `today` (oldest first), and closed cases whose period cannot be counted."""
    if years < 0:
        raise ValueError("oppbevaring_ar cannot be negative")
    expired: list[Expired] = []
    unclear: list[Unclear] = []
    for case in cases:
        if case.status != "avsluttet":
            continue
        if case.avsluttet is None:
            unclear.append(Unclear(case.id, _("status is avsluttet but avsluttet.dato is missing")))
            continue
        due = anniversary(case.avsluttet.dato, years)
        if due <= today:
            expired.append(Expired(case.id, case.avsluttet.dato, due))
    expired.sort(key=lambda e: (e.due, e.case_id))
    unclear.sort(key=lambda u: u.case_id)
    return expired, unclear


def check_purgeable(case: Case, years: int, today: dt.date) -> Optional[str]:
    """Why this case may not be purged today, or None when it may."""
    if case.status != "avsluttet":
        return _("the case is not closed")
    if case.avsluttet is None:
        return _("the case has no closing date (avsluttet.dato)")
    due = anniversary(case.avsluttet.dato, years)
    if due > today:
        return _("its retention period runs until {date}").format(date=date_text(due))
    return None
