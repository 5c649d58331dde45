"""`stafett task list|done`: the tasks a referat gave out, and ticking one off."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import ByOption, FolderOption, OnBehalfOption, app
from stafett.cli.case_cmds import CaseArg, DateOption, change, date_or_today, done
from stafett.i18n import _, date_text

task_app = typer.Typer(help=_("Tasks from a referat: list them, tick one off."), no_args_is_help=True)
app.add_typer(task_app, name="task")


@task_app.command("done", help=_("Tick off a task: by the one responsible for it, or the stafettholder or koordinator."))
def task_done(
    case_id: str = CaseArg,
    task_id: str = typer.Argument(..., help=_("The task id (o-...); `stafett task list CASE` shows them.")),
    dato: Optional[str] = DateOption,
    merknad: Optional[str] = typer.Option(None, "--merknad", help=_("A note, e.g. what came of it.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.tasks import complete_task

    day = date_or_today(dato)
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf),
                                     lambda c, ctx: complete_task(c, ctx, task_id, dato=day, merknad=merknad))
    done(new.id, _("task {task} done {date}").format(task=task_id, date=date_text(day)))


@task_app.command("list", help=_("Every task from the case's referater: id, deadline, who, open or done ('!' marks an open "
                                  "task past its deadline)."))
def task_list(
    case_id: str = CaseArg,
    open_only: bool = typer.Option(False, "--open", help=_("Only the tasks not done yet.")),
    folder: Optional[Path] = FolderOption,
) -> None:
    from stafett.cli.app import note_old_record
    from stafett.cli.clock import today
    from stafett.folder import load_folder
    from stafett.store.cases import read_case
    from stafett.workflow.common import short
    from stafett.workflow.tasks import tasks

    case = read_case(load_folder(folder).case_path(case_id)).model
    note_old_record(case)
    now = today()
    shown = [t for t in tasks(case) if not (open_only and t.task.utfort)]
    if not shown:
        typer.echo(f"{case.id}: " + (_("no open tasks") if open_only else _("no tasks")))
        return
    for t in shown:
        o = t.task
        state = _("done {date} ({by})").format(date=date_text(o.utfort.dato), by=o.utfort.av) if o.utfort else _("open")
        mark = "!" if o.utfort is None and o.frist < now else " "
        typer.echo(f"{mark} {o.id or '-':9}  {date_text(o.frist):10}  {o.ansvarlig:20}  {state:30}  {t.meeting.id}  {short(o.tekst, 60)}")
