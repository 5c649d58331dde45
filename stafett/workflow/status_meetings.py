"""Version 2 status items: meetings. Each check takes (case, settings, today) and returns Todos.

A referat says who does what by when; the stafettholder "følgjer med på at tidsfristar blir haldne"
(Gloppen). So every open task is on its owner's list, and one past its deadline is flagged overdue and
shown to the stafettholder and koordinator too.
"""

from __future__ import annotations

import datetime as dt

from stafett.model import Case, Settings


def open_tasks(case: Case, settings: Settings, today: dt.date) -> list:
    from stafett.workflow.common import short
    from stafett.workflow.status import Todo, _holders

    found = []
    for m in case.moter:
        if m.referat is None:
            continue
        for task in m.referat.oppgaver:
            if task.utfort is not None:
                continue
            late = task.frist < today
            name = f"task {task.id}" if task.id else "a task"
            when = f"was due {task.frist}" if late else f"due {task.frist}"
            who = (task.ansvarlig, *_holders(case)) if late else (task.ansvarlig,)
            found.append(Todo(case.id, "oppgave", f"{name} from meeting {m.id} {when}: {short(task.tekst, 60)}",
                              task.frist, tuple(dict.fromkeys(who)), overdue=late))
    return found


CHECKS: list = [open_tasks]
