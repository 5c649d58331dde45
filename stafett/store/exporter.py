"""Writing an export: JSON lines or a SQLite database file, atomically."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterable

from stafett.export import TABLES, plain_row
from stafett.i18n import _
from stafett.store import files


def jsonl_lines(rows: Iterable[tuple[str, dict]]) -> Iterable[str]:
    for table, row in rows:
        yield json.dumps({"tabell": table, **plain_row(row)}, ensure_ascii=False)


def write_sqlite(path: Path, rows: Iterable[tuple[str, dict]]) -> dict[str, int]:
    """The database is built in a private temp file (0600), then put in place like every other write."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise files.WriteError(_("could not write {file}: {error}").format(file=path.name, error=e.strerror),
                               _("check the folder and its permissions")) from None
    os.close(fd)
    counts = {t: 0 for t in TABLES}
    try:
        try:
            _fill(tmp, rows, counts)
        except sqlite3.Error as e:  # "database or disk is full", "disk I/O error" (a file size limit)
            raise files.WriteError(_("could not write {file}: {error}").format(file=path.name, error=e),
                                   _("free some disk space or raise the file size limit; nothing was written")) from None
        files.replace_with(tmp, path)
    finally:
        for leftover in (tmp, tmp + "-journal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return counts


def _fill(tmp: str, rows: Iterable[tuple[str, dict]], counts: dict[str, int]) -> None:
    db = sqlite3.connect(tmp)
    try:
        with db:
            for table, columns in TABLES.items():
                db.execute(f'CREATE TABLE "{table}" ({", ".join(f"{c!r}" for c in columns)})')
            for table, row in rows:
                values = plain_row(row)
                columns = TABLES[table]
                db.execute(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(columns))})', [values.get(c) for c in columns])
                counts[table] += 1
    finally:
        db.close()
