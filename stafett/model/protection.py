"""The suspicion of violence or abuse as state over time, and what it hides from the family.

Vestre Toten: with suspected violence or abuse the family is not contacted before barnevern or politi is
consulted. A consultation alone is not enough: only one whose advice explicitly clears contact
(`familiekontakt: klarert`) lifts the block; "wait", or no advice recorded, keeps it. A suspicion raised
again after a clearance blocks again until a new consultation clears it; a suspicion lowered (with who
decided and why) ends the block.

Version 1 files carry the flag as `bekymring.mistanke_om_vold` and one `konsultasjon`: the flag counts as
raised on the worry's date, and the old consultation, whose advice was never classified, clears nothing.

Everything here is pure: a case in, facts out. The commands, the rules and the family copy all ask this
module, so they cannot disagree about whether the family may be contacted at a given moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from stafett.model.case import Case

# Log kinds that only staff ever see, whatever else the entry says.
PROTECTED_LOG_KINDS = frozenset({"konsultasjon", "voldsmistanke"})


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str            # "reist", "senket" or "konsultasjon"
    clears: bool = False  # a consultation whose advice clears family contact


@dataclass(frozen=True)
class Window:
    """A period in which the family may not be contacted; `end` is None while it lasts."""

    start: dt.datetime
    end: Optional[dt.datetime]

    def holds(self, at: dt.datetime, *, from_start: bool = False) -> bool:
        """Whether `at` lies in the block. The rules leave the start open (what was logged in the same second as
        the raise came before it); what hides from the family takes the start in (`from_start`): when in doubt,
        leave it out."""
        at = naive(at)
        after_start = self.start <= at if from_start else self.start < at
        return after_start and (self.end is None or at < self.end)


def family_ids(case: Case) -> set[str]:
    """Whom the block covers: the foresatte ('foresatte' for all of them), and the hovedperson when the hovedperson
    is the family. A child or young person may be talked with (barnevern often does so first, at school).

    Family and network who are not foresatte (familie) are covered too: a grandparent or an adult sibling can warn
    the parents as surely as a letter can, and the record cannot tell a small sibling from a grown one."""
    people = {"foresatte"} | {f.id for f in case.foresatte} | {f.id for f in case.familie}
    return people | {"hovedperson"} if case.hovedperson.kategori == "familie" else people


def naive(t: dt.datetime) -> dt.datetime:
    """Wall-clock time as written in the file; aware times in local time, so every time in a case compares."""
    return t if t.tzinfo is None else t.astimezone().replace(tzinfo=None)


def events(case: Case) -> list[Event]:
    out: list[Event] = []
    if case.bekymring.mistanke_om_vold:
        out.append(Event(dt.datetime.combine(case.bekymring.dato, dt.time.min), "reist"))
    out += [Event(naive(h.tid), h.handling) for h in case.voldsmistanke]
    if case.konsultasjon is not None:
        out.append(Event(dt.datetime.combine(case.konsultasjon.dato, dt.time.max), "konsultasjon"))
    out += [Event(naive(k.tid), "konsultasjon", k.familiekontakt == "klarert") for k in case.konsultasjoner]
    # At the same moment a raise or lowering comes before a consultation that answers it.
    return sorted(out, key=lambda e: (e.at, e.kind == "konsultasjon"))


def windows(case: Case) -> list[Window]:
    """Every period in which family contact was (or is) blocked, oldest first."""
    out: list[Window] = []
    start: Optional[dt.datetime] = None
    for e in events(case):
        if e.kind == "reist":
            if start is None:
                start = e.at
        elif start is not None and (e.kind == "senket" or e.clears):
            out.append(Window(start, e.at))
            start = None
    if start is not None:
        out.append(Window(start, None))
    return out


def blocked_at(case: Case, at: Optional[dt.datetime] = None) -> Optional[Window]:
    """The window that blocks family contact at `at` (default: now, after every recorded event), or None."""
    spans = windows(case)
    if at is None:
        return spans[-1] if spans and spans[-1].end is None else None
    return next((w for w in spans if w.holds(at)), None)


def raised(case: Case) -> bool:
    """The suspicion is raised now (whether or not a consultation has cleared contact)."""
    state = False
    for e in events(case):
        if e.kind in ("reist", "senket"):
            state = e.kind == "reist"
    return state


def ever_raised(case: Case) -> bool:
    return bool(case.voldsmistanke) or case.bekymring.mistanke_om_vold


def worry_is_the_suspicion(case: Case) -> bool:
    """The worry itself was reported as a suspicion (raised on the day of the worry or the case's opening):
    its description then holds what the suspicion rests on and stays out of a family copy."""
    if case.bekymring.mistanke_om_vold:
        return True
    first = next((h for h in case.voldsmistanke if h.handling == "reist"), None)
    return first is not None and naive(first.tid).date() in (case.bekymring.dato, case.opprettet)
