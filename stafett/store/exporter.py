"""Writing an export: JSON lines or a SQLite database file, atomically."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterable

from stafett.export import TABLES, plain_row


def jsonl_lines(rows: Iterable[tuple[str, dict]]) -> Iterable[str]:
    for table, row in rows:
        yield json.dumps({"tabell": table, **plain_row(row)}, ensure_ascii=False)


def write_sqlite(path: Path, rows: Iterable[tuple[str, dict]]) -> dict[str, int]:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    counts = {t: 0 for t in TABLES}
    try:
        db = sqlite3.connect(tmp)
        with db:
            for table, columns in TABLES.items():
                db.execute(f'CREATE TABLE "{table}" ({", ".join(f"{c!r}" for c in columns)})')
            for table, row in rows:
                values = plain_row(row)
                columns = TABLES[table]
                db.execute(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(columns))})', [values.get(c) for c in columns])
                counts[table] += 1
        db.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return counts
