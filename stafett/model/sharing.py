"""Which services a case may be shared with, and over which days: the journal note (stafett journal) and
the copies sent (stafett copy) both ask here, so they cannot disagree.

A case lives in its home services without any consent (where the worry arose, the eier's and the holder's
service); every other service needs an active consent that names it (taushetsplikt). Barnevern is the one
service whose journal may carry the suspicion of violence or abuse (stafett/render/journal.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from stafett.errors import DomainError, NotFound
from stafett.i18n import N_, _, date_text
from stafett.model.case import Case

BARNEVERN_FAGSYSTEM = "familia"


@dataclass(frozen=True)
class Period:
    """Days from `fra` to `til`, both included."""

    fra: dt.date
    til: dt.date

    def holds(self, day) -> bool:
        if isinstance(day, dt.datetime):
            day = day.date()
        return day is not None and self.fra <= day <= self.til

    def overlaps(self, start: dt.date, end: Optional[dt.date]) -> bool:
        return start <= self.til and (end is None or end >= self.fra)


def is_barnevern(settings, service_id: str) -> bool:
    """Barnevern is the service with that id, or the one that documents in Familia."""
    svc = settings.service(service_id)
    return service_id == "barnevern" or (svc is not None and svc.fagsystem == BARNEVERN_FAGSYSTEM)


def home_services(case: Case, people) -> set[str]:
    out = {case.bekymring.tjeneste} if case.bekymring.tjeneste else set()
    for pid in (case.eier, case.baton_holder()):
        p = people.get(pid)
        if p is not None:
            out.add(p.tjeneste)
    return out


def shared_with(case: Case, people, service_id: str, on: dt.date) -> bool:
    return service_id in home_services(case, people) or any(
        service_id in s.omfang and s.active_on(on) for s in case.samtykker)


def require_shared(case: Case, settings, people, service_id: str, on: dt.date, what: str = N_("a journal note")) -> None:
    if settings.service(service_id) is None:
        known = ", ".join(t.id for t in settings.tjenester)
        raise NotFound(_("unknown service '{service}'").format(service=service_id), _("use one of: {known}").format(known=known))
    if not shared_with(case, people, service_id, on):
        raise DomainError(_("no active consent covers '{service}' on {date}; {what} would share the case with it").format(
                              service=service_id, date=date_text(on), what=_(what)),
                          _("record the family's consent first: stafett consent add {case} --omfang {service} ...").format(
                              case=case.id, service=service_id))


def restricted_consents(case: Case, service_id: str, on: dt.date) -> list[str]:
    """Active consents with a restriction (forbehold) naming the service."""
    return [s.id for s in case.samtykker if s.active_on(on) and any(service_id in f.ikke_med for f in s.forbehold)]
