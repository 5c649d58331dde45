"""Referat tasks: who does what by when, and ticking them off.

A referat says who does what by when (Lyngdal møtemal), and the stafettholder "følger med på at
tidsfristar blir haldne" (Gloppen). So a task is ticked off by the one responsible for it, or by the
stafettholder or koordinator who follows the deadlines (when the responsible reports it done); someone
else registers it only on the actor's behalf (--by ID --on-behalf), and the log then names both. A done
task stays done: a mistake is corrected with a log entry, like every other part of the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from stafett.errors import DomainError, NotFound
from stafett.i18n import _, date_text
from stafett.model import Case
from stafett.model.case import Mote, Oppgave, Utfort
from stafett.workflow.common import (
    Context, active_koordinator, day, log, new, not_future, period, replaced, require_open, short,
)


@dataclass(frozen=True)
class Task:
    """A task with the meeting whose referat holds it."""

    meeting: Mote
    meeting_index: int
    index: int
    task: Oppgave


def tasks(case: Case) -> list[Task]:
    return [Task(m, n, k, o) for n, m in enumerate(case.moter) if m.referat for k, o in enumerate(m.referat.oppgaver)]


def find_task(case: Case, task_id: str) -> Task:
    found = [t for t in tasks(case) if t.task.id == task_id]
    if not found:
        known = ", ".join(t.task.id for t in tasks(case) if t.task.id) or _("none yet")
        raise NotFound(_("no task '{task}' in case {case}").format(task=task_id, case=case.id),
                       _("known: {ids} (stafett task list {case})").format(ids=known, case=case.id))
    return found[0]


def complete_task(case: Case, ctx: Context, task_id: str, *, dato: dt.date, merknad: Optional[str] = None) -> Case:
    require_open(case)
    found = find_task(case, task_id)
    task, meeting = found.task, found.meeting
    if task.utfort is not None:
        raise DomainError(_("task {task} was ticked off on {date} by {person}").format(
            task=task_id, date=date_text(task.utfort.dato), person=task.utfort.av),
                          _("a done task stays done; if that was wrong, say so in the log: "
                            "stafett log {case} TEXT --type retting").format(case=case.id))
    _require_may_tick(case, ctx, task)
    not_future(dato, ctx, _("the date the task was done"))
    held = meeting.tidspunkt.date()
    if dato < held:
        raise DomainError(_("the task was given in the meeting on {held}, so it cannot be done on {date}").format(
            held=date_text(held), date=date_text(dato)), _("check --dato"))
    note = (merknad or "").strip() or None
    done = task.model_copy(update={"utfort": new(Utfort, dato=dato, av=ctx.actor, merknad=note)})
    referat = meeting.referat.model_copy(update={"oppgaver": replaced(meeting.referat.oppgaver, found.index, done)})
    moter = replaced(case.moter, found.meeting_index, meeting.model_copy(update={"referat": referat}))
    number = meeting.nummer or found.meeting_index + 1
    what = period(short(task.tekst, 120))
    tekst = ctx.tr("Task {task} from {kind} no. {number} ({meeting}) is done {date}: {text}").format(
        task=task_id, kind=meeting.type, number=number, meeting=meeting.id, date=day(dato, ctx), text=what)
    if task.ansvarlig != ctx.actor:
        tekst += ctx.tr(" Responsible: {name}.").format(name=ctx.name(task.ansvarlig))
    if note:
        tekst += f" Merknad: {period(short(note, 200))}"
    return log(case.model_copy(update={"moter": moter}), ctx, "referat", tekst)


def _require_may_tick(case: Case, ctx: Context, task: Oppgave) -> None:
    allowed = {task.ansvarlig, case.baton_holder(), active_koordinator(case)}
    if ctx.actor in allowed:
        return
    raise DomainError(_("only {person} (responsible for the task), the one holding the baton ({holder}) "
                        "or the koordinator can tick off task {task}").format(
                            person=task.ansvarlig, holder=case.baton_holder(), task=task.id),
                      _("ask {name} to do it, or pass --by {person} --on-behalf if you register it for them").format(
                          name=ctx.name(task.ansvarlig), person=task.ansvarlig))


__all__ = ["Task", "tasks", "find_task", "complete_task"]
