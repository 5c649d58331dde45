"""Who may read a case: the need to know, from the record itself (docs/access.md).

The store encrypts a case's personal content to exactly these people (and the kommune's recovery keys), so
this is the one place that decides it. The routines say who may know: the baton holder (the eier until a
stafettholder is appointed), the one offered the baton (to decide, they must read), the koordinator and the
sekundær (and whoever covers an absence now), and the participants whose service an active consent covers
or who work in the case's own service. Nobody else: a participant whose consent was withdrawn, a holder
who passed the baton, a koordinator who was replaced, all leave the list on the next write.

Decisions the routines give a leader need the case in front of them, so a leader reads while deciding: the
leaders of the eier's service until a stafettholder is appointed, those of the receiver's service while a
handover waits for approval, and koordinerende enhet (when the family's consent covers it) while a request
for a koordinator waits.
"""

from __future__ import annotations

import datetime as dt

from stafett.model.case import Case
from stafett.model.sharing import shared_with


def readers(case: Case, people, on: dt.date) -> list[str]:
    """Staff ids, sorted, who may read the case on the day."""
    out = {case.baton_holder()}
    if case.stafettholder is None:
        out.add(case.eier)
        out |= _leaders(people, case.eier)
    if case.overlevering is not None:
        out.add(case.overlevering.til)
        out |= _leaders(people, case.overlevering.til)
    if case.koordinator_foresporsel is not None and case.koordinator is None:
        out |= {p.id for p in people.personer
                if "koordinerende_enhet" in p.roller and shared_with(case, people, p.tjeneste, on)}
    k = case.koordinator
    if k is not None:
        out.add(k.person)
        if k.sekundaer:
            out.add(k.sekundaer)
        out |= {f.dekket_av for f in k.fravaer if f.fra <= on <= f.til}
    for d in case.deltakere:
        if (d.til is None or d.til >= on) and d.fra <= on and shared_with(case, people, d.tjeneste, on):
            out.add(d.person)
    return sorted(out)


def _leaders(people, person_id: str) -> set[str]:
    """The person's own leader and the leaders of their service."""
    person = people.get(person_id)
    if person is None:
        return set()
    return ({person.leder} if person.leder else set()) | {
        p.id for p in people.personer if "leder" in p.roller and p.tjeneste == person.tjeneste}
