"""Closing a case: why the follow-up ends.

"Barnet eller ungdommen skal ha en stafettholder helt til vi er trygge på at barnet eller ungdommen har
det trygt og godt, eller stafettholderansvaret opphører når koordinator overtar." The family can end the
log at any time by withdrawing consent (Hallingdal), which consent.py closes through `closed`. The
baton is never dropped: a case with a pending handover is not closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from stafett.errors import DomainError, UsageError
from stafett.model import Case
from stafett.model.case import Avsluttet
from stafett.workflow.common import Context, day, log, new, not_future, period, replaced, require_holder, require_open

REASONS = ("trygt og godt", "koordinator overtar", "samtykke trukket", "flyttet", "annet")


def close_case(case: Case, ctx: Context, *, grunn: str, dato: dt.date, merknad: Optional[str] = None) -> Case:
    require_open(case)
    require_holder(case, ctx, "close the case")
    if grunn not in REASONS:
        raise UsageError(f"unknown reason '{grunn}'", f"use one of: {', '.join(REASONS)}")
    if case.overlevering is not None:
        offer = case.overlevering
        raise DomainError(f"a handover to {offer.til} is pending; the baton must have a holder until it is settled",
                          f"{offer.til} accepts or declines it (stafett handover accept|decline {case.id}), "
                          f"or {offer.fra} withdraws it (stafett handover cancel {case.id})")
    if grunn == "annet" and not merknad:
        raise UsageError("closing for 'annet' needs a note saying why", "add --merknad TEXT")
    if grunn == "koordinator overtar" and case.koordinator is None:
        raise DomainError("no koordinator has been appointed to take over",
                          f"koordinerende enhet appoints one first: stafett assign {case.id} --koordinator ID")
    not_future(dato, ctx, "the closing date")
    if dato < case.opprettet:
        raise DomainError(f"the closing date {dato} is before the case was opened ({case.opprettet})", "check the date")
    closed_case, ended = closed(case, dato, grunn, merknad)
    tekst = ctx.say(f"Saken er avsluttet {day(dato, ctx)}: {grunn}.", f"Saka er avslutta {day(dato, ctx)}: {grunn}.")
    if merknad:
        tekst += f" {period(merknad)}"
    return log(closed_case, ctx, "avsluttet", tekst + ended_text(ended, ctx))


def closed(case: Case, dato: dt.date, grunn: str, merknad: Optional[str]) -> tuple[Case, tuple[int, int]]:
    """The case closed on `dato`: active tiltak and participations end with it. No log entry here."""
    tiltak = case.tiltak
    ended_tiltak = 0
    for n, t in enumerate(case.tiltak):
        if t.status == "aktiv":
            tiltak = replaced(tiltak, n, t.model_copy(update={"status": "avsluttet", "slutt": max(dato, t.start)}))
            ended_tiltak += 1
    deltakere = case.deltakere
    ended_people = 0
    for n, d in enumerate(case.deltakere):
        if d.til is None:
            deltakere = replaced(deltakere, n, d.model_copy(update={"til": max(dato, d.fra)}))
            ended_people += 1
    update = {"status": "avsluttet", "avsluttet": new(Avsluttet, dato=dato, grunn=grunn, merknad=merknad),
              "tiltak": tiltak, "deltakere": deltakere}
    return case.model_copy(update=update), (ended_tiltak, ended_people)


def ended_text(ended: tuple[int, int], ctx: Context) -> str:
    tiltak, people = ended
    parts = []
    if tiltak:
        parts.append(ctx.say(f"{tiltak} aktive tiltak er avsluttet", f"{tiltak} aktive tiltak er avslutta"))
    if people:
        parts.append(ctx.say(f"{people} deltakelse(r) er avsluttet", f"{people} deltaking(ar) er avslutta"))
    return (" " + " og ".join(parts) + ".") if parts else ""
