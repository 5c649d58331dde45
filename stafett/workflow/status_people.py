"""Version 2 status items: people. Each check takes (case, settings, today) and returns Todos.

"Sikrer at det snakkes med barnet/ungdommen/foresatte mellom møter og fanger opp hvordan det går"
(Rutine Stafettholder; Gloppen: "ein vaksen snakkar med barnet/ungdommen mellom møta"). On nivå 1-3 the
holder and the koordinator are reminded when no `samtale` is logged for `samtale_uker` weeks, counted
from the last one, or from when the present holder, koordinator or nivå began.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from stafett.i18n import _, date_text
from stafett.model import Case, Settings
from stafett.model.protection import naive
from stafett.workflow.status import Todo

NEAR_SAMTALE_DAYS = 7  # how early status starts to remind


def _responsible(case: Case) -> tuple[str, ...]:
    people = [case.baton_holder()]
    if case.koordinator:
        people.append(case.koordinator.person)
    return tuple(dict.fromkeys(people))


def last_samtale(case: Case) -> Optional[dt.date]:
    return max((naive(e.tid).date() for e in case.logg if e.type == "samtale"), default=None)


def samtale_counted_from(case: Case) -> dt.date:
    """The last talk with the child, or when the present arrangement began (holder, koordinator, nivå)."""
    starts = [case.opprettet]
    if case.stafettholder:
        starts.append(case.stafettholder.fra)
    if case.koordinator:
        starts.append(case.koordinator.fra)
    starts += [naive(e.tid).date() for e in case.logg if e.type == "nivå"]
    talked = last_samtale(case)
    if talked is not None:
        starts.append(talked)
    return max(starts)


def _samtale(case: Case, settings: Settings, today: dt.date, people=None) -> list[Todo]:
    if case.status != "aktiv" or not 1 <= case.niva <= 3:
        return []
    weeks = settings.innstillinger.samtale_uker
    since = samtale_counted_from(case)
    due = since + dt.timedelta(weeks=weeks)
    who = _responsible(case)
    talked = last_samtale(case)
    if today > due:
        text = (_("last talk with the child logged {last}: talk with the child between meetings "
                  "(every {weeks} weeks) and log it: stafett samtale {case} TEXT") if talked else
                _("no talk with the child logged yet: talk with the child between meetings "
                  "(every {weeks} weeks) and log it: stafett samtale {case} TEXT"))
        return [Todo(case.id, "samtale", text.format(last=date_text(talked) if talked else "", weeks=weeks, case=case.id),
                     due, who, overdue=True)]
    if (due - today).days <= NEAR_SAMTALE_DAYS:
        text = (_("last talk with the child logged {last}: talk with the child by {date} and log it (stafett samtale)")
                if talked else _("no talk with the child logged yet: talk with the child by {date} and log it (stafett samtale)"))
        return [Todo(case.id, "samtale", text.format(last=date_text(talked) if talked else "", date=date_text(due)), due, who)]
    return []


CHECKS: list = [_samtale]
