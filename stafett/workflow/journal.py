"""The journal note's period, and remembering where the last note for a service ended (stafett journal --husk).

A worker pastes each note into the service's fagsystem once; the next note starts the day after the last
one ended, so nothing is pasted twice and nothing falls between two notes. Remembering is a change of the
record: it goes through the store with a log entry of kind `kopi` (the note is a copy that left the record).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from stafett.errors import DomainError
from stafett.i18n import _, date_text
from stafett.model import Case
from stafett.model.case import Journaluttrekk
from stafett.model.sharing import Period, require_shared
from stafett.workflow.common import Context, day, log, new, require_involved


def last_extract(case: Case, service_id: str) -> Optional[Journaluttrekk]:
    return next((j for j in case.journaluttrekk if j.tjeneste == service_id), None)


def period(case: Case, service_id: str, siden: Optional[dt.date], today: dt.date) -> Period:
    """From --siden, else the day after the last remembered note, else the case's first day; to today."""
    if siden is not None:
        start = siden
    else:
        last = last_extract(case, service_id)
        start = last.til_og_med + dt.timedelta(days=1) if last else min(case.opprettet, case.bekymring.dato)
        if last is not None and start > today:
            raise DomainError(_("the last journal note for '{service}' already covers up to {date}").format(
                service=service_id, date=date_text(last.til_og_med)),
                              _("nothing is new since; give --siden DATE to make it again"))
    if start > today:
        raise DomainError(_("--siden {date} is after today ({today})").format(date=date_text(start), today=date_text(today)),
                          _("give a date on or before today"))
    return Period(start, today)


def remember_extract(case: Case, ctx: Context, *, tjeneste: str, siden: Optional[dt.date]) -> Case:
    """Record that the note for `tjeneste` up to today was made: the next one starts tomorrow."""
    require_involved(case, ctx, _("make a journal note"))
    require_shared(case, ctx.settings, ctx.people, tjeneste, ctx.today)
    span = period(case, tjeneste, siden, ctx.today)
    entry = new(Journaluttrekk, tjeneste=tjeneste, til_og_med=span.til, laget=ctx.now.replace(microsecond=0), av=ctx.actor)
    kept = [j for j in case.journaluttrekk if j.tjeneste != tjeneste]
    navn = ctx.settings.service(tjeneste).navn
    tekst = ctx.tr("Journalnotat for {service} made for the period {start}–{end}.").format(
        service=navn, start=day(span.fra, ctx), end=day(span.til, ctx))
    return log(case.model_copy(update={"journaluttrekk": [*kept, entry]}), ctx, "kopi", tekst)
