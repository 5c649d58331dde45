"""`status` over a folder: each case's to-dos, computed in workers and cached per file like validate.

A case is read the way `validate` reads it (the fast reader when the screen allows, from the bytes the
worker already read and hashed), and the duties see today through a probe (stafett.dateprobe): an
unchanged case keeps its to-dos from the cache on every day they stay the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from stafett import dateprobe, scan
from stafett.errors import CaseFileError, StafettError
from stafett.model import Settings
from stafett.workflow.status import Todo, todos

ALWAYS = (-(1 << 40), 1 << 40)


@dataclass(frozen=True)
class StatusContext:
    settings: Settings
    today: dt.date


def todos_of_path(path: str, ctx: StatusContext, raw: Optional[bytes] = None) -> tuple[list[dict], tuple[int, int]]:
    from stafett.store.cases import parse_case, read_case

    try:
        case = read_case(Path(path)).model if raw is None else parse_case(raw, path)[2]
    except StafettError as e:
        # A file that cannot be read is a to-do for everyone, not a crash; the message names no content,
        # and no path as the run was shown it: a cached to-do is the same from any directory.
        return [Todo(Path(path).stem, "feil", f"cannot read {Path(path).name}: {_why(e, path)}", overdue=True).as_dict()], ALWAYS
    today, horizon = dateprobe.watched(ctx.today)
    return [t.as_dict() for t in todos(case, ctx.settings, today)], horizon.span()


def _why(e: StafettError, path: str) -> str:
    if isinstance(e, CaseFileError):
        return f"line {e.line or 1}, column {e.col or 1}: {e.code} {e.message}" + \
            (" (run 'stafett validate' to see every problem)" if e.code == "S001" else f" ({e.hint})" if e.hint else "")
    return str(e).replace(path, Path(path).name)


def _todo(d: dict) -> Todo:
    due = dt.date.fromisoformat(d["due"]) if d["due"] else None
    return Todo(d["case"], d["kind"], d["text"], due, tuple(d["who"]), d["overdue"])


def folder_todos(folder, today: dt.date, jobs: Optional[int] = None) -> list[Todo]:
    names = scan.case_files(folder.cases_dir, Path.cwd()) if folder.cases_dir.is_dir() else []
    job = scan.Job("stafett.status_scan:todos_of_path", StatusContext(folder.settings, today), "status", today)
    results = scan.run_cached(job, folder.root, scan.context_key(folder.root), names, jobs)
    return [_todo(d) for name in names for d in results[name]]
