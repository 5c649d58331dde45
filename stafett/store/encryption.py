"""`stafett encrypt`: a folder's cases sealed to their readers, stafett.yaml switched on, all files or none.

Run again later, it re-keys the cases whose readers changed without a write (a person who added a key to
personer.yaml, a consent that ran out), and leaves the rest byte-identical."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from stafett.errors import StafettError
from stafett.folder import SETTINGS_FILE, Folder
from stafett.i18n import _
from stafett.model import Settings
from stafett.store import crypt, files
from stafett.store.cases import _readers, patched_bytes, read_case
from stafett.store.migration import Upgrade, plan_patch


@dataclass
class Plan:
    writes: list[Upgrade]
    unreadable: list[str]  # case ids sealed to others: left as they are


def plan(folder: Folder, today: dt.date) -> Plan:
    if not folder.settings.kryptering.gjenoppretting:
        raise StafettError(_("stafett.yaml names no recovery key (kryptering.gjenoppretting)"),
                           _("add the key the archive or the personvernombud holds first: without it, a case whose readers all leave is lost"))
    writes: list[Upgrade] = []
    unreadable: list[str] = []
    step = plan_patch(folder.root / SETTINGS_FILE, Settings, _switched_on)
    if step is not None:
        writes.append(step)
    for path in folder.case_paths():
        try:
            doc = read_case(path, for_change=True)
        except crypt.NotAReader:
            unreadable.append(path.stem)
            continue
        readers = _readers(path, doc.model, today, doc.lock, True, folder)
        if doc.lock is not None and sorted(doc.lock.readers()) == sorted(readers):
            continue
        out = patched_bytes(doc, doc.model, today, seal=True, folder=folder)
        writes.append(Upgrade(path, doc.raw, out, ()))
    return Plan(writes, unreadable)


def _switched_on(data: dict) -> dict | None:
    current = data.get("kryptering") if isinstance(data.get("kryptering"), dict) else {}
    if current.get("pa") is True:
        return None
    return {**data, "kryptering": {**current, "pa": True}}


def write(p: Plan) -> None:
    if p.writes:
        files.write_all([(u.path, u.new, u.old) for u in p.writes])


def relative(folder: Folder, paths: list[Path]) -> list[str]:
    return [u.relative_to(folder.root).as_posix() for u in paths]
