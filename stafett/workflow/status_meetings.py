"""Version 2 status items: meetings. Each check takes (case, settings, today) and returns Todos.

A referat says who does what by when; the stafettholder "følgjer med på at tidsfristar blir haldne"
(Gloppen). So every open task is on its owner's list, and one past its deadline is flagged overdue and
shown to the stafettholder and koordinator too.
"""

from __future__ import annotations

import datetime as dt

from stafett.i18n import _, date_text
from stafett.model import Case, Settings


def open_tasks(case: Case, settings: Settings, today: dt.date, people=None) -> list:
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
            if task.id:
                template = (_("task {task} from meeting {meeting} was due {date}: {text}") if late
                            else _("task {task} from meeting {meeting} due {date}: {text}"))
            else:
                template = (_("a task from meeting {meeting} was due {date}: {text}") if late
                            else _("a task from meeting {meeting} due {date}: {text}"))
            text = template.format(task=task.id, meeting=m.id, date=date_text(task.frist), text=short(task.tekst, 60))
            who = (task.ansvarlig, *_holders(case)) if late else (task.ansvarlig,)
            found.append(Todo(case.id, "oppgave", text,
                              task.frist, tuple(dict.fromkeys(who)), overdue=late))
    return found


CHECKS: list = [open_tasks]
