"""Version 2 status items: followup. Each check takes (case, settings, today) and returns Todos.

- an individuell plan is offered within innstillinger.ip_tilbud_dager of the koordinator's appointment;
- the plan's revision dates and the end of its period, reminded as evaluations are
  (innstillinger.varsel_evaluering_dager ahead);
- the sekundær-koordinator while covering an absence.
"""

from __future__ import annotations

import datetime as dt

from stafett.i18n import _, date_text
from stafett.model import Case, Settings
from stafett.workflow.common import staff_name
from stafett.workflow.status import Todo


def _keepers(case: Case, today: dt.date) -> tuple[str, ...]:
    """Who keeps the plan: the koordinator (and the sekundær while covering), else the baton holder."""
    k = case.koordinator
    if k is None:
        return (case.baton_holder(),)
    cover = [f.dekket_av for f in k.fravaer if f.fra <= today <= f.til]
    return tuple(dict.fromkeys([k.person, *cover]))


def ip_offer(case: Case, settings: Settings, today: dt.date, people=None) -> list[Todo]:
    k = case.koordinator
    if k is None or case.individuell_plan is not None:
        return []
    due = k.fra + dt.timedelta(days=settings.innstillinger.ip_tilbud_dager)
    return [Todo(case.id, "ip-tilbud", _("offer the family an individuell plan by {date} (stafett escalate {case} --ip tilbudt)").format(
                     date=date_text(due), case=case.id),
                 due, _keepers(case, today), overdue=today > due)]


def ip_dates(case: Case, settings: Settings, today: dt.date, people=None) -> list[Todo]:
    """The next revision not yet answered by an evaluation, and the end of the plan's period."""
    plan = case.individuell_plan
    if plan is None or plan.status != "aktiv":
        return []
    warn = settings.innstillinger.varsel_evaluering_dager
    who = _keepers(case, today)
    found: list[Todo] = []
    # An evaluation inside the reminder window before a revision date, or after it, answers that revision.
    pending = [r for r in plan.revisjoner
               if not any(e.dato >= r - dt.timedelta(days=warn) for e in plan.evalueringer)]
    if pending:
        r = pending[0]
        if r < today:
            found.append(Todo(case.id, "ip-revisjon", _("revision of the individuell plan was due {date} "
                                "(stafett ip evaluate {case} ...)").format(date=date_text(r), case=case.id), r, who, overdue=True))
        elif (r - today).days <= warn:
            found.append(Todo(case.id, "ip-revisjon", _("revise the individuell plan by {date}").format(date=date_text(r)), r, who))
    end = plan.periode_til
    if end is not None and (end - today).days <= warn:
        text = (_("the individuell plan's period ended {date}: renew it (stafett ip period) or end the plan") if end < today
                else _("the individuell plan's period ends {date}: evaluate it and renew the period or end the plan")).format(
                    date=date_text(end))
        found.append(Todo(case.id, "ip-periode", text, end, who, overdue=end < today))
    return found


def absence_cover(case: Case, settings: Settings, today: dt.date, people=None) -> list[Todo]:
    k = case.koordinator
    if k is None:
        return []
    return [Todo(case.id, "koordinator-fravaer", _("you cover for koordinator {person} until {date}").format(person=staff_name(people, k.person), date=date_text(f.til)), f.til, (f.dekket_av,))
            for f in k.fravaer if f.fra <= today <= f.til]


CHECKS: list = [ip_offer, ip_dates, absence_cover]
