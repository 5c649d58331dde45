"""`stafett status`: what needs doing now, across the case folder, for you (--mine) or everyone.

Read-only: every case is read through the store; a file that cannot be read is a row, not a crash.
A rich table on a terminal, plain lines in a pipe, `--format json` for scripts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import ByOption, FolderOption, app
from stafett.errors import UsageError
from stafett.i18n import _


@app.command(help=_("What needs doing: overdue or near evaluations, nivå-0 worries past their deadline, pending handovers, "
                    "participants without consent, expiring consents, meetings without referat, barnekoordinator cases nearing 18."))
def status(
    mine: bool = typer.Option(False, "--mine", help=_("Only what is yours to do (you: --by, or git's user.email).")),
    fmt: str = typer.Option("table", "--format", help=_("table or json.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
) -> None:
    from stafett.cli.app import actor_id
    from stafett.cli.clock import today
    from stafett.folder import load_folder
    from stafett.i18n import date_text
    from stafett.status_scan import folder_todos
    from stafett.workflow.status import for_person, sort_key

    if fmt not in ("table", "json"):
        raise UsageError(_("unknown format '{format}'").format(format=fmt), _("use table or json"))
    place = load_folder(folder)
    me = actor_id(place, by) if mine else None
    day = today()
    found = folder_todos(place, day)
    # A file that cannot be read is shown to everyone, even with --mine.
    items = [t for t in found if t.kind == "feil" or not me or t in for_person([t], me)]
    items.sort(key=sort_key)

    if fmt == "json":
        # One to-do a line, each by the C encoder: `indent=` takes Python's own encoder, a third of the
        # run's time for a folder of thousands of to-dos.
        rows = ",\n  ".join(json.dumps(t.as_dict(), ensure_ascii=False) for t in items)
        head = json.dumps({"today": day.isoformat(), "for": me}, ensure_ascii=False)[:-1]
        typer.echo(f'{head}, "items": [' + (f"\n  {rows}\n" if rows else "") + "]}")
        return
    if not items:
        if me:
            typer.echo(_("nothing needs doing for {person} ({date})").format(person=_name(place, me), date=date_text(day)))
        else:
            typer.echo(_("nothing needs doing ({date})").format(date=date_text(day)))
        return
    def who(t) -> str:
        return ", ".join(_name(place, w) for w in t.who) or "-"

    if sys.stdout.isatty():
        _rich_table(items, day, me and _name(place, me), who)
    else:
        for t in items:
            due = date_text(t.due) if t.due else "-"
            mark = "!" if t.overdue else " "
            typer.echo(f"{mark} {due:10}  {t.case:20}  {t.kind:17}  {t.text}  [{who(t)}]")


def _name(place, person_id: str) -> str:
    found = place.people.get(person_id)
    return found.navn if found else person_id


def _rich_table(items, day, me, who) -> None:
    from rich.console import Console
    from rich.table import Table

    from stafett.i18n import date_text

    title = (_("What needs doing for {person} ({date})").format(person=me, date=date_text(day)) if me
             else _("What needs doing ({date})").format(date=date_text(day)))
    table = Table(title=title, show_lines=False)
    # TRANSLATORS: column headings of the status table.
    for column in (_("due"), _("case"), _("what"), "", _("who")):
        table.add_column(column)
    for t in items:
        due = date_text(t.due) if t.due else "-"
        style = "bold red" if t.overdue else None
        table.add_row(due, t.case, t.kind, t.text, who(t), style=style)
    Console().print(table)
