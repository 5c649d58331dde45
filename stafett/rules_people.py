"""Version 2 rules: people around the child, and what log entries concern. Registered with stafett.rules.rule;
imported at the end of stafett/rules.py. Codes in docs/rules.md (E, L003)."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from stafett.findings import Finding, Msg, safe_token
from stafett.i18n import N_
from stafett.model import Case
from stafett.model.case import ID_LISTS
from stafett.rules import Context, rule  # noqa: F401 - the decorator registers each rule


def item_ids(case: Case) -> set[str]:
    """Every id a log entry may concern: the case's items and the referat tasks that carry an id."""
    out = {item.id for key in ID_LISTS for item in getattr(case, key)}
    out |= {o.id for m in case.moter if m.referat for o in m.referat.oppgaver if o.id}
    return out


def _covered(case: Case, scope: str, day: dt.date, *, joining: bool) -> bool:
    # Joining: a consent withdrawn later that same day still covered it (as rule C001 reads participants).
    for s in case.samtykker:
        if scope not in s.omfang or s.dato > day or (s.utloper is not None and s.utloper < day):
            continue
        if s.trukket is None or (s.trukket.dato >= day if joining else s.trukket.dato > day):
            return True
    return False


@rule
def partners_have_consent(case: Case, ctx: Context) -> Iterator[Finding]:
    """X001-X003: an external partner takes part only under a consent covering its instans, within its period."""
    for n, e in enumerate(case.eksterne):
        if e.til is not None and e.til < e.fra:
            yield Finding("X003", Msg(N_("external partner '{partner}' ends ({end}) before they joined ({start})"),
                                         partner=e.id, end=e.til, start=e.fra),
                          loc=("eksterne", n, "til"), hint=Msg(N_("check the dates")))
        if not _covered(case, e.instans, e.fra, joining=True):
            yield Finding("X001", Msg(N_("external partner '{partner}' ({instans}) has no consent covering '{instans}' on {date}"),
                                         partner=e.id, instans=e.instans, date=e.fra),
                          loc=("eksterne", n, "instans"),
                          hint=Msg(N_("the family consents to the instans: stafett consent add CASE --omfang {instans} ..."),
                                   instans=e.instans))
        elif e.til is None and case.status == "aktiv" and not _covered(case, e.instans, ctx.today, joining=False):
            yield Finding("X002", Msg(N_("external partner '{partner}' still takes part, but the consent for '{instans}' has ended"),
                                         partner=e.id, instans=e.instans),
                          loc=("eksterne", n), hint=Msg(N_("end their part (stafett partner end CASE ID) or record a new consent")))


@rule
def partners_in_meetings_within_their_period(case: Case, ctx: Context) -> Iterator[Finding]:
    """X004-X005: a partner attends or gets a referat only while part of the collaboration."""
    partners = {e.id: e for e in case.eksterne}
    if not partners:
        return

    def outside(e, day: dt.date) -> bool:
        return day < e.fra or (e.til is not None and day > e.til)

    for n, m in enumerate(case.moter):
        on = m.tidspunkt.date()
        if m.referat is not None:
            for key, day in (("tilstede", on), ("kopi_til", m.referat.skrevet)):
                for k, who in enumerate(getattr(m.referat, key)):
                    if who in partners and outside(partners[who], day):
                        yield Finding("X004", Msg(N_("external partner '{partner}' is in {list} of meeting '{meeting}' on {date}, "
                                                     "outside their part in the collaboration"),
                                                  partner=who, list=key, meeting=m.id, date=day),
                                      loc=("moter", n, "referat", key, k),
                                      hint=Msg(N_("a partner takes part between fra and til; check the dates or the list")))
        elif m.avlyst is None and on >= ctx.today and case.status == "aktiv":
            for k, who in enumerate(m.innkalt):
                if who in partners and outside(partners[who], on):
                    yield Finding("X005", Msg(N_("external partner '{partner}' is invited to meeting '{meeting}' on {date}, "
                                                 "but is not part of the collaboration then"),
                                              partner=who, meeting=m.id, date=on), severity="warning",
                                  loc=("moter", n, "innkalt", k),
                                  hint=Msg(N_("tell them the meeting is off for them, or bring them in again")))


@rule
def log_concerns_known_items(case: Case, ctx: Context) -> Iterator[Finding]:
    """L003: what a log entry concerns (gjelder) is an item of the case."""
    if not any(e.gjelder for e in case.logg):
        return
    known = item_ids(case)
    for n, entry in enumerate(case.logg):
        for k, ref in enumerate(entry.gjelder):
            if ref not in known:
                message = (Msg(N_("log entry {number} concerns unknown item '{item}'"), number=n + 1, item=ref)
                           if safe_token(ref) else
                           Msg(N_("log entry {number} concerns unknown item (not an id)"), number=n + 1))
                yield Finding("L003", message, loc=("logg", n, "gjelder", k),
                              hint=Msg(N_("use the id of a tiltak, meeting, consent, goal, task or partner in the case")))
