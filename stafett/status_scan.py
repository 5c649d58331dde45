"""`status` over a folder: each case's to-dos, computed in workers and cached per file like validate.

A case is read the way `validate` reads it (the fast reader when the screen allows, from the bytes the
worker already read and hashed), and the duties see today through a probe (stafett.dateprobe): an
unchanged case keeps its to-dos from the cache on every day they stay the same.

To-do texts are finished sentences in the language of the run (stafett.i18n.current() when the folder is
scanned). So the language is part of the cache: each language has its own cache file (kind "status-nb",
"status-nn", "status-en") and its key, and the workers compute in that language (`speaking`), whatever a
worker process resolved on its own: a to-do cached in one language is never shown in another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from stafett import dateprobe, i18n, scan
from stafett.errors import CaseFileError, StafettError
from stafett.i18n import _
from stafett.model import People, Settings
from stafett.workflow.status import Todo, todos

ALWAYS = (-(1 << 40), 1 << 40)


@dataclass(frozen=True)
class StatusContext:
    settings: Settings
    today: dt.date
    lang: str = "en"
    people: Optional[People] = None  # to name staff in the texts (personer.yaml is in the cache's key)  # the language the to-do texts are written in (part of the cache's name and key)


def todos_of_path(path: str, ctx: StatusContext, raw: Optional[bytes] = None) -> tuple[list[dict], tuple[int, int]]:
    with i18n.speaking(ctx.lang):
        return _todos_of_path(path, ctx, raw)


def _todos_of_path(path: str, ctx: StatusContext, raw: Optional[bytes]) -> tuple[list[dict], tuple[int, int]]:
    from stafett.store.cases import read_case, read_raw

    try:
        # "best": decrypted for a reader, the clear part for anyone else (store/cases.py).
        doc = read_case(Path(path), view="best") if raw is None else read_raw(raw, path, view="best")
    except StafettError as e:
        # A file that cannot be read is a to-do for everyone, not a crash; the message names no content,
        # and no path as the run was shown it: a cached to-do is the same from any directory.
        return [Todo(Path(path).stem, "feil", _("cannot read {file}: {why}").format(file=Path(path).name, why=_why(e, path)),
                     overdue=True).as_dict()], ALWAYS
    today, horizon = dateprobe.watched(ctx.today)
    found = [t.as_dict() for t in todos(doc.model, ctx.settings, today, ctx.people)]
    # What was decrypted is never remembered on disk: a result that holds on no day is not cached (scan.py).
    return found, (0, 0) if doc.private else horizon.span()


def _why(e: StafettError, path: str) -> str:
    if isinstance(e, CaseFileError):
        where = _("line {line}, column {col}: {code} {message}").format(
            line=e.line or 1, col=e.col or 1, code=e.code, message=e.message)
        return where + (" " + _("(run `stafett validate` to see every problem)") if e.code == "S001"
                        else f" ({e.hint})" if e.hint else "")
    return str(e).replace(path, Path(path).name)


def _todo(d: dict) -> Todo:
    due = dt.date.fromisoformat(d["due"]) if d["due"] else None
    return Todo(d["case"], d["kind"], d["text"], due, tuple(d["who"]), d["overdue"])


def folder_todos(folder, today: dt.date, jobs: Optional[int] = None) -> list[Todo]:
    names = scan.case_files(folder.cases_dir, Path.cwd()) if folder.cases_dir.is_dir() else []
    lang = i18n.current()
    job = scan.Job("stafett.status_scan:todos_of_path", StatusContext(folder.settings, today, lang, folder.people), f"status-{lang}", today)
    results = scan.run_cached(job, folder.root, f"{scan.context_key(folder.root)}:{lang}", names, jobs)
    return [_todo(d) for name in names for d in results[name]]
