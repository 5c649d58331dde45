"""Version 2 rules: meetings. Registered with stafett.rules.rule; imported at the end of stafett/rules.py.

The commands keep these by construction (meeting postpone|cancel|referat, task done); the rules catch
hand edits, and what a merge of two clones can put together.
"""

from __future__ import annotations

from typing import Iterator

from stafett.findings import Finding, Msg, safe_token
from stafett.i18n import N_
from stafett.model import Case
from stafett.model.case import ID_LISTS
from stafett.rules import Context, rule  # noqa: F401 - the decorator registers each rule


@rule
def referat_tasks(case: Case, ctx: Context) -> Iterator[Finding]:
    """M101-M103: a task is done after its meeting; in version 2 every task has an id, and no id is used twice."""
    item_ids = {item.id for key in ID_LISTS for item in getattr(case, key)}
    seen: set[str] = set()
    for n, mote in enumerate(case.moter):
        if mote.referat is None:
            continue
        held = mote.tidspunkt.date()
        for m, task in enumerate(mote.referat.oppgaver):
            loc = ("moter", n, "referat", "oppgaver", m)
            if task.id is None:
                if case.versjon >= 2:
                    yield Finding("M102", Msg(N_("a task in the referat of '{meeting}' has no id"), meeting=mote.id), loc=loc,
                                  hint=Msg(N_("give it an id of its own, e.g. id: o-k3m9qa "
                                              "(stafett meeting referat gives one to each task)")))
            elif task.id in seen or task.id in item_ids:
                yield Finding("M103", Msg(N_("id '{id}' is used by more than one task or item"), id=task.id) if safe_token(task.id)
                              else Msg(N_("id (not an id) is used by more than one task or item")), loc=(*loc, "id"),
                              hint=Msg(N_("give each task its own id, so `stafett task done` ticks off the one you mean")))
            if task.id is not None:
                seen.add(task.id)
            if task.utfort is not None and task.utfort.dato < held:
                yield Finding("M101", Msg(N_("a task from meeting '{meeting}' ({held}) is marked done on {date}, "
                                             "before the meeting gave it"), meeting=mote.id, held=held, date=task.utfort.dato),
                              loc=(*loc, "utfort", "dato"),
                              hint=Msg(N_("check the date; a task is ticked off with stafett task done CASE TASK --dato YYYY-MM-DD")))


@rule
def cancelled_and_moved_meetings(case: Case, ctx: Context) -> Iterator[Finding]:
    """M104-M105: a cancelled meeting has no referat; a moved meeting is at the time it was last moved to."""
    for n, mote in enumerate(case.moter):
        if mote.avlyst is not None and mote.referat is not None:
            yield Finding("M104", Msg(N_("meeting '{meeting}' is cancelled but has a referat"), meeting=mote.id),
                          loc=("moter", n, "avlyst"),
                          hint=Msg(N_("a meeting that was held is not cancelled: remove avlyst, or the referat if it was never held")))
        if mote.utsettelser and mote.utsettelser[-1].til != mote.tidspunkt:
            yield Finding("M105", Msg(N_("meeting '{meeting}' was last moved to {moved}, but its time is {time}"),
                                         meeting=mote.id, moved=mote.utsettelser[-1].til, time=mote.tidspunkt),
                          loc=("moter", n, "tidspunkt"),
                          hint=Msg(N_("move a meeting with stafett meeting postpone CASE MEETING --til ... --grunn ...")))


@rule
def referat_consents_in_force(case: Case, ctx: Context) -> Iterator[Finding]:
    """M106: the consents a referat rests on were in force on the meeting's day."""
    consents = {s.id: s for s in case.samtykker}
    for n, mote in enumerate(case.moter):
        if mote.referat is None:
            continue
        held = mote.tidspunkt.date()
        named = [("samtykke", mote.referat.samtykke)] if mote.referat.samtykke else []
        named += [(("samtykker", m), ref) for m, ref in enumerate(mote.referat.samtykker)]
        for key, ref in named:
            consent = consents.get(ref)
            if consent is not None and not consent.active_on(held):
                where = key if isinstance(key, tuple) else (key,)
                yield Finding("M106", Msg(N_("referat of '{meeting}' rests on consent '{consent}', which was not in force on {date}"),
                                             meeting=mote.id, consent=consent.id, date=held),
                              severity="warning", loc=("moter", n, "referat", *where),
                              hint=Msg(N_("name the consents that covered the meeting")))


@rule
def meeting_people_known(case: Case, ctx: Context) -> Iterator[Finding]:
    """R001 for what version 2 adds to meetings: who moved, cancelled or ticked off."""
    if ctx.people is None:
        return
    known = {p.id for p in ctx.people.personer}
    for n, mote in enumerate(case.moter):
        refs = [(("moter", n, "utsettelser", k, "av"), u.av) for k, u in enumerate(mote.utsettelser)]
        if mote.avlyst is not None:
            refs.append((("moter", n, "avlyst", "av"), mote.avlyst.av))
        if mote.referat is not None:
            refs += [(("moter", n, "referat", "oppgaver", m, "utfort", "av"), o.utfort.av)
                     for m, o in enumerate(mote.referat.oppgaver) if o.utfort is not None]
        for loc, person in refs:
            if person not in known:
                yield Finding("R001", Msg(N_("unknown person '{person}'"), person=person), loc=loc,
                              hint=Msg(N_("use an id from personer.yaml")))
