"""The append-only proof behind `validate --since REV`: since REV, no existing log entry, referat or
evaluation was changed or removed (a correction is a new entry)."""

from __future__ import annotations

from pathlib import Path

from stafett.errors import CaseFileError
from stafett.findings import Finding, locate
from stafett.folder import CASES_DIR, find_root
from stafett.store import gitio, yamlio
from stafett.store.cases import parse_case


def append_only_findings(rev: str, paths: list[Path], shown=str) -> list[Finding]:
    out: list[Finding] = []
    for target in paths:
        root = find_root(target if target.is_dir() else target.parent)
        top = gitio.top_level(root)
        commit = gitio.resolve(top, rev)
        for status, name in gitio.changed_since(top, commit, root / CASES_DIR):
            if not name.endswith(".yaml") or status == "A":
                continue
            path = top / name
            old_raw = gitio.show(top, commit, name)
            if old_raw is None:
                continue
            out += _compare(old_raw, path if status != "D" else None, shown(path), rev)
    return out


def _compare(old_raw: bytes, path: Path | None, shown: str, rev: str) -> list[Finding]:
    try:
        _, _, old = parse_case(old_raw, shown)
    except CaseFileError:
        return []  # the old version was already broken: nothing to prove against
    if path is None:
        return [Finding("P001", f"case file was deleted since {rev}", path=shown, line=1, col=1,
                        hint="a case is removed only through the documented retention purge")]
    raw = path.read_bytes()
    try:
        text = yamlio.decode(raw, shown)
        _, root = yamlio.compose_strict(text.text, shown)
        _, _, new = parse_case(raw, shown)
    except CaseFileError:
        return []  # validate reports the broken file itself
    found = []

    def at(code: str, message: str, loc: tuple) -> None:
        line, col = locate(root, loc)
        found.append(Finding(code, message, path=shown, line=line, col=col, loc=loc,
                             hint="the log is append-only: restore the old text and add a correction as a new entry"))

    for n, entry in enumerate(old.logg):
        if n >= len(new.logg):
            at("P002", f"log entry {n + 1} of {rev} was removed", ("logg",))
            break
        if new.logg[n] != entry:
            at("P002", f"log entry {n + 1} ({entry.tid:%Y-%m-%d %H:%M}) was changed since {rev}", ("logg", n))
    new_meetings = {m.id: (i, m) for i, m in enumerate(new.moter)}
    for m in old.moter:
        if m.referat is None:
            continue
        if m.id not in new_meetings:
            at("P003", f"meeting '{m.id}' with its referat was removed since {rev}", ("moter",))
        elif new_meetings[m.id][1].referat != m.referat:
            at("P003", f"the referat of meeting '{m.id}' was changed since {rev}", ("moter", new_meetings[m.id][0], "referat"))
    new_tiltak = {t.id: (i, t) for i, t in enumerate(new.tiltak)}
    for t in old.tiltak:
        if not t.evalueringer:
            continue
        if t.id not in new_tiltak:
            at("P004", f"tiltak '{t.id}' with its evaluations was removed since {rev}", ("tiltak",))
            continue
        i, nt = new_tiltak[t.id]
        for k, ev in enumerate(t.evalueringer):
            if k >= len(nt.evalueringer) or nt.evalueringer[k] != ev:
                at("P004", f"evaluation {k + 1} of tiltak '{t.id}' was changed or removed since {rev}",
                   ("tiltak", i, "evalueringer", min(k, max(len(nt.evalueringer) - 1, 0))))
                break
    return found
