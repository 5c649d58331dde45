"""Upgrading a folder's files in place through the patching writer: comments, order and quoting survive.

Every file is planned first (read, upgrade the data, patch the text, read the patch back and compare);
only when every file of the folder upgrades cleanly are they written, all or none, each compared with
the disk just before it is replaced so an editor's save in between is never lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, ValidationError

from stafett import migrate
from stafett.errors import CaseFileError, StafettError
from stafett.folder import PEOPLE_FILE, SETTINGS_FILE
from stafett.i18n import _
from stafett.model import Case, People, Settings
from stafett.store import files, patch, yamlio


@dataclass(frozen=True)
class Upgrade:
    path: Path
    old: bytes
    new: bytes
    changes: tuple[str, ...]  # what the upgrade did, one short line each (top-level keys touched)


def plan(root: Path, case_paths: list[Path], malform: str) -> list[Upgrade]:
    """The upgrades a folder needs; an empty list when it is current. Raises on the first file that cannot."""
    out: list[Upgrade] = []
    kinds: list[tuple[Path, type[BaseModel], Callable[[dict], dict]]] = [
        (root / SETTINGS_FILE, Settings, migrate.migrate_settings),
        (root / PEOPLE_FILE, People, migrate.migrate_people),
        *((p, Case, lambda d: migrate.migrate_case(d, malform)) for p in case_paths),
    ]
    for path, model, upgrade in kinds:
        step = _plan_file(path, model, upgrade)
        if step is not None:
            out.append(step)
    return out


def write(upgrades: list[Upgrade]) -> None:
    if upgrades:
        files.write_all([(u.path, u.new, u.old) for u in upgrades])


def _plan_file(path: Path, model: type[BaseModel], upgrade: Callable[[dict], dict]) -> Upgrade | None:
    return plan_patch(path, model, lambda data: upgrade(data) if migrate.needs_migration(data) else None)


def plan_patch(path: Path, model: type[BaseModel], change: Callable[[dict], dict | None]) -> Upgrade | None:
    """One folder file changed through the patching writer and read back; None when `change` has nothing to do."""
    shown = str(path)
    raw = files.read_regular(path)
    text = yamlio.decode(raw, shown)
    data, root = yamlio.compose_strict(text.text, shown)
    if not isinstance(data, dict):
        yamlio.load_mapping(raw, shown, fast=False)  # raises the usual "not a mapping" finding
    wanted = change(data)
    if wanted is None:
        return None
    _valid(model, wanted, shown)
    old_plain, new_plain = patch.normalise(data), patch.normalise(wanted)
    edits = patch.diff(old_plain, new_plain)
    style = patch.detect_style(text.text, root)
    try:
        out = text.encode(patch.apply(text.text, root, edits, style))
    except patch.PatchUnsupported:
        raise StafettError(_("{file} could not be upgraded without rewriting it; nothing was written").format(file=path.name),
                           _("report this with the file's shape (the folder is unchanged)")) from None
    again, _text = yamlio.load_mapping(out, shown, fast=False)
    if patch.normalise(again) != new_plain:
        raise StafettError(_("{file} would not read back as upgraded; nothing was written").format(file=path.name),
                           _("report this with the file's shape (the folder is unchanged)"))
    return Upgrade(path, raw, out, tuple(_summary(edits)))


def _valid(model: type[BaseModel], data: dict, shown: str) -> None:
    try:
        model.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CaseFileError(_("cannot upgrade: the file is not valid at {where}: {problem}").format(where=where, problem=first["msg"]),
                            _("fix it first (stafett validate {path}), then run migrate again").format(path=shown),
                            path=shown, line=1, col=1, code="S001") from None


def _summary(edits: list) -> list[str]:
    out: list[str] = []
    for e in edits:
        where = ".".join(str(p) for p in e.path)
        if isinstance(e, patch.AddKey):
            out += [_("{key}: added").format(key=f"{where + '.' if where else ''}{k}") for k in e.values]
        elif isinstance(e, patch.DeleteKey):
            out.append(_("{key}: removed").format(key=f"{where + '.' if where else ''}{e.key}"))
        else:
            out.append(_("{key}: changed").format(key=where))
    return out
