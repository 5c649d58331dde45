"""The log itself: contact, lysglimt, notes and corrections.

"Loggføre kontakt som gjøres med barnet/ungdommen/foresatte/andre samarbeidspartnere" (Rutine
Stafettholder). Lysglimt are the small signs of progress (Conexus). With suspected violence or abuse,
the family is not contacted "before consulting barnevern or the police" (Vestre Toten): a contact with
the family is refused while the suspicion blocks it (workflow/suspicion.py).
"""

from __future__ import annotations

from typing import Iterable

from stafett.errors import NotFound, UsageError
from stafett.model import Case
from stafett.workflow.common import (
    FORESATTE, HOVEDPERSON, Context, family_ids, log, require_family_contact_allowed, require_involved, require_open,
)

KINDS = ("kontakt", "lysglimt", "notat", "retting")


def add_entry(case: Case, ctx: Context, *, kind: str, tekst: str, med: Iterable[str] = (), skjermet: bool = False) -> Case:
    require_open(case)
    require_involved(case, ctx, "write in the log")
    if kind not in KINDS:
        raise UsageError(f"unknown log type '{kind}'", f"use one of: {', '.join(KINDS)}")
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
