"""The log itself: contact, lysglimt, notes, corrections, and the consultation a violence flag waits for.

"Loggføre kontakt som gjøres med barnet/ungdommen/foresatte/andre samarbeidspartnere" (Rutine
Stafettholder). Lysglimt are the small signs of progress (Conexus). With suspected violence or abuse,
the family is not contacted "before consulting barnevern or the police" (Vestre Toten): a contact with
the family is refused until `consult` has recorded that consultation.
"""

from __future__ import annotations

from typing import Iterable

from stafett.errors import NotFound, UsageError
from stafett.model import Case
from stafett.model.case import Konsultasjon
from stafett.workflow.common import (
    FORESATTE, HOVEDPERSON, Context, family_ids, log, new, period, require_family_contact_allowed, require_involved,
    require_open,
)

KINDS = ("kontakt", "lysglimt", "notat", "retting")
CONSULTED = ("barnevern", "politi")


def add_entry(case: Case, ctx: Context, *, kind: str, tekst: str, med: Iterable[str] = (), skjermet: bool = False) -> Case:
    require_open(case)
    require_involved(case, ctx, "write in the log")
    if kind not in KINDS:
        raise UsageError(f"unknown log type '{kind}'", f"use one of: {', '.join(KINDS)} (or --konsultasjon)")
    if not tekst.strip():
        raise UsageError("the log entry is empty", "write what happened")
    who = _contacts(case, ctx, med)
    if kind == "kontakt":
        if not who:
            raise UsageError("a contact needs who it was with",
                             "add --med hovedperson, --med foresatte, a foresatt id, a staff id or a service")
        if family_ids(case) & set(who):
            require_family_contact_allowed(case, "contact with the family")
    return log(case, ctx, kind, tekst.strip(), med=who, skjermet=skjermet)


def consult(case: Case, ctx: Context, *, med: str, tekst: str) -> Case:
    """Barnevern or politi consulted (anonymously or not) about suspected violence or abuse."""
    require_open(case)
    require_involved(case, ctx, "record a consultation")
    if med not in CONSULTED:
        raise UsageError(f"a consultation is with barnevern or politi, not '{med}'", "use --konsultasjon barnevern or politi")
    if not tekst.strip():
        raise UsageError("say what advice was given", "write the advice as the log text")
    consultation = new(Konsultasjon, dato=ctx.today, med=med, av=ctx.actor, rad=tekst.strip())
    prefix = ctx.say(f"Konsultert {med}.", f"Konsultert {med}.")
    return log(case.model_copy(update={"konsultasjon": consultation}), ctx, "konsultasjon", f"{prefix} {period(tekst)}", med=[med])


def _contacts(case: Case, ctx: Context, med: Iterable[str]) -> list[str]:
    out: list[str] = []
    guardians = {f.id for f in case.foresatte}
    for who in med:
        known = who in (HOVEDPERSON, FORESATTE) or who in guardians or ctx.people.get(who) is not None \
            or ctx.settings.service(who) is not None
        if not known:
            raise NotFound(f"unknown contact '{who}'",
                           "use hovedperson, foresatte, a foresatt id, a staff id from personer.yaml or a service id")
        if who not in out:
            out.append(who)
    return out
