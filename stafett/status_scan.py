"""`status` over a folder: each case's to-dos, computed in workers and cached per file like validate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from stafett import scan
from stafett.errors import StafettError
from stafett.model import Settings
from stafett.workflow.status import Todo, todos


@dataclass(frozen=True)
class StatusContext:
    settings: Settings
    today: dt.date


def todos_of_path(path: str, ctx: StatusContext) -> list[dict]:
    from stafett.store.cases import read_case

    try:
        case = read_case(Path(path)).model
    except StafettError as e:
        # A file that cannot be read is a to-do for everyone, not a crash; the message names no content.
        return [Todo(Path(path).stem, "feil", f"cannot read {Path(path).name}: {e}", overdue=True).as_dict()]
    return [t.as_dict() for t in todos(case, ctx.settings, ctx.today)]


def _todo(d: dict) -> Todo:
    due = dt.date.fromisoformat(d["due"]) if d["due"] else None
    return Todo(d["case"], d["kind"], d["text"], due, tuple(d["who"]), d["overdue"])


def folder_todos(folder, today: dt.date, jobs: Optional[int] = None) -> list[Todo]:
    names = scan.case_files(folder.cases_dir, Path.cwd()) if folder.cases_dir.is_dir() else []
    job = scan.Job("stafett.status_scan:todos_of_path", StatusContext(folder.settings, today), "status")
    results = scan.run_cached(job, folder.root, scan.context_key(folder.root, today), names, jobs)
    return [_todo(d) for name in names for d in results[name]]
