"""Version 2 rules: meetings. Registered with stafett.rules.rule; imported at the end of stafett/rules.py.

The commands keep these by construction (meeting postpone|cancel|referat, task done); the rules catch
hand edits, and what a merge of two clones can put together.
"""

from __future__ import annotations

from typing import Iterator

from stafett.findings import Finding, safe_token
from stafett.model import Case
from stafett.model.case import ID_LISTS
from stafett.rules import Context, rule  # noqa: F401 - the decorator registers each rule


def _shown(value: str) -> str:
    return f"'{value}'" if safe_token(value) else "(not an id)"


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
                    yield Finding("M102", f"a task in the referat of '{mote.id}' has no id", loc=loc,
                                  hint="give it an id of its own, e.g. id: o-k3m9qa (stafett meeting referat gives one to each task)")
            elif task.id in seen or task.id in item_ids:
                yield Finding("M103", f"id {_shown(task.id)} is used by more than one task or item", loc=(*loc, "id"),
                              hint="give each task its own id, so 'stafett task done' ticks off the one you mean")
            if task.id is not None:
                seen.add(task.id)
            if task.utfort is not None and task.utfort.dato < held:
                yield Finding("M101", f"a task from meeting '{mote.id}' ({held}) is marked done on {task.utfort.dato}, "
                              "before the meeting gave it", loc=(*loc, "utfort", "dato"),
                              hint="check the date; a task is ticked off with stafett task done CASE TASK --dato YYYY-MM-DD")


@rule
def cancelled_and_moved_meetings(case: Case, ctx: Context) -> Iterator[Finding]:
    """M104-M105: a cancelled meeting has no referat; a moved meeting is at the time it was last moved to."""
    for n, mote in enumerate(case.moter):
        if mote.avlyst is not None and mote.referat is not None:
            yield Finding("M104", f"meeting '{mote.id}' is cancelled but has a referat", loc=("moter", n, "avlyst"),
                          hint="a meeting that was held is not cancelled: remove avlyst, or the referat if it was never held")
        if mote.utsettelser and mote.utsettelser[-1].til != mote.tidspunkt:
            yield Finding("M105", f"meeting '{mote.id}' was last moved to {mote.utsettelser[-1].til:%Y-%m-%d %H:%M}, "
                          f"but its time is {mote.tidspunkt:%Y-%m-%d %H:%M}", loc=("moter", n, "tidspunkt"),
                          hint="move a meeting with stafett meeting postpone CASE MEETING --til ... --grunn ...")


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
                yield Finding("M106", f"referat of '{mote.id}' rests on consent '{consent.id}', which was not in force on {held}",
                              severity="warning", loc=("moter", n, "referat", *where),
                              hint="name the consents that covered the meeting")


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
                yield Finding("R001", f"unknown person '{person}'", loc=loc, hint="use an id from personer.yaml")
