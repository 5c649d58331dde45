"""Three-way merge of case records on the model, for the git merge driver.

Lists of items with an id merge by id; the log and other dated histories are append-only unions in
time order; a field changed two different ways is a true conflict, reported with its path. The result is
plain data; the store writes it by patching the local side's text, so local comments survive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stafett.i18n import _

_ABSENT = object()
# Lists without ids that only ever grow: entries from both sides are kept, in time order where dated.
_APPEND_ONLY_TIME_KEY = {"logg": "tid"}


@dataclass(frozen=True)
class Conflict:
    path: tuple
    ours: Any
    theirs: Any

    def describe(self) -> str:
        where = ".".join(str(p) for p in self.path) or _("(whole record)")
        return _("{path} was changed two different ways").format(path=where)


def merge(base: Any, ours: Any, theirs: Any, path: tuple = ()) -> tuple[Any, list[Conflict]]:
    if _eq(ours, theirs):
        return ours, []
    if _eq(base, ours):
        return theirs, []
    if _eq(base, theirs):
        return ours, []
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return _merge_dict(base if isinstance(base, dict) else {}, ours, theirs, path)
    if isinstance(ours, list) and isinstance(theirs, list):
        return _merge_list(base if isinstance(base, list) else [], ours, theirs, path)
    return ours, [Conflict(path, ours, theirs)]


def _eq(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b if a is not _ABSENT and b is not _ABSENT else a is b


def _merge_dict(base: dict, ours: dict, theirs: dict, path: tuple) -> tuple[dict, list[Conflict]]:
    out: dict = {}
    conflicts: list[Conflict] = []
    keys = list(ours) + [k for k in theirs if k not in ours] + [k for k in base if k not in ours and k not in theirs]
    for key in keys:
        value, found = merge(base.get(key, _ABSENT), ours.get(key, _ABSENT), theirs.get(key, _ABSENT), path + (key,))
        conflicts += found
        if value is not _ABSENT:
            out[key] = value
    return out, conflicts


def _ids(items: list) -> list | None:
    if not all(isinstance(i, dict) and "id" in i for i in items):
        return None
    ids = [i["id"] for i in items]
    return ids if len(set(ids)) == len(ids) else None


def _merge_list(base: list, ours: list, theirs: list, path: tuple) -> tuple[list, list[Conflict]]:
    key = path[-1] if path else None
    b_ids, o_ids, t_ids = _ids(base), _ids(ours), _ids(theirs)
    if o_ids is not None and t_ids is not None and b_ids is not None and (ours or theirs):
        return _merge_keyed(base, ours, theirs, path)
    if all(isinstance(x, (str, int)) for x in base + ours + theirs):
        return _merge_set_like(base, ours, theirs), []
    # Histories without ids (the log, evaluations, participants, notes): both sides must keep the base
    # as it was; what each added is kept, in time order for the log.
    if ours[: len(base)] == base and theirs[: len(base)] == base:
        added = ours[len(base):] + [x for x in theirs[len(base):] if x not in ours[len(base):]]
        stamp = _APPEND_ONLY_TIME_KEY.get(key)
        if stamp:
            added.sort(key=lambda e: str(e.get(stamp)))
        return base + added, []
    return ours, [Conflict(path, ours, theirs)]


def _merge_keyed(base: list, ours: list, theirs: list, path: tuple) -> tuple[list, list[Conflict]]:
    b = {i["id"]: i for i in base}
    o = {i["id"]: i for i in ours}
    t = {i["id"]: i for i in theirs}
    order = [i["id"] for i in ours] + [i["id"] for i in theirs if i["id"] not in o]
    out, conflicts = [], []
    for item_id in order:
        value, found = merge(b.get(item_id, _ABSENT), o.get(item_id, _ABSENT), t.get(item_id, _ABSENT),
                             path + (item_id,))
        conflicts += found
        if value is not _ABSENT:
            out.append(value)
    return out, conflicts


def _merge_set_like(base: list, ours: list, theirs: list) -> list:
    removed = {x for x in base if x not in ours or x not in theirs}
    out = [x for x in ours if x not in removed]
    out += [x for x in theirs if x not in out and x not in removed and x not in base]
    return out
