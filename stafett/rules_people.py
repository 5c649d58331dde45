"""Version 2 rules: people around the child, and what log entries concern. Registered with stafett.rules.rule;
imported at the end of stafett/rules.py. Codes in docs/rules.md (E, L003)."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from stafett.findings import Finding, safe_token
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
            yield Finding("X003", f"external partner '{e.id}' ends ({e.til}) before they joined ({e.fra})",
                          loc=("eksterne", n, "til"), hint="check the dates")
        if not _covered(case, e.instans, e.fra, joining=True):
            yield Finding("X001", f"external partner '{e.id}' ({e.instans}) has no consent covering '{e.instans}' on {e.fra}",
                          loc=("eksterne", n, "instans"),
                          hint=f"the family consents to the instans: stafett consent add CASE --omfang {e.instans} ...")
        elif e.til is None and case.status == "aktiv" and not _covered(case, e.instans, ctx.today, joining=False):
            yield Finding("X002", f"external partner '{e.id}' still takes part, but the consent for '{e.instans}' has ended",
                          loc=("eksterne", n), hint="end their part (stafett partner end CASE ID) or record a new consent")


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
                        yield Finding("X004", f"external partner '{who}' is in {key} of meeting '{m.id}' on {day}, "
                                      "outside their part in the collaboration", loc=("moter", n, "referat", key, k),
                                      hint="a partner takes part between fra and til; check the dates or the list")
        elif m.avlyst is None and on >= ctx.today and case.status == "aktiv":
            for k, who in enumerate(m.innkalt):
                if who in partners and outside(partners[who], on):
                    yield Finding("X005", f"external partner '{who}' is invited to meeting '{m.id}' on {on}, "
                                  "but is not part of the collaboration then", severity="warning",
                                  loc=("moter", n, "innkalt", k), hint="tell them the meeting is off for them, or bring them in again")


@rule
def log_concerns_known_items(case: Case, ctx: Context) -> Iterator[Finding]:
    """L003: what a log entry concerns (gjelder) is an item of the case."""
    if not any(e.gjelder for e in case.logg):
        return
    known = item_ids(case)
    for n, entry in enumerate(case.logg):
        for k, ref in enumerate(entry.gjelder):
            if ref not in known:
                shown = f"'{ref}'" if safe_token(ref) else "(not an id)"
                yield Finding("L003", f"log entry {n + 1} concerns unknown item {shown}", loc=("logg", n, "gjelder", k),
                              hint="use the id of a tiltak, meeting, consent, goal, task or partner in the case")
