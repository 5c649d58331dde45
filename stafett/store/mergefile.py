"""The merge driver's file side: read the three versions, merge on the model, write the local file.

Whenever the model merge cannot give a file (a true conflict, a side that does not read, a merged record
that is not valid or cannot be written), the file gets conflict markers holding both sides, labelled with
the branch or commit git names, and git reports the conflict as usual. Never our side alone: git would
then show a file that silently dropped their work.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pydantic import ValidationError

from stafett.errors import CaseFileError, StafettError
from stafett.i18n import N_, _
from stafett.merge import merge
from stafett.model import Case
from stafett.store import files, gitio, yamlio
from stafett.store.cases import CaseDoc, dump_model, opened, parse_case, patched_bytes


@dataclass(frozen=True)
class Labels:
    """What the conflict markers call each side (`<<<<<<< main`, `>>>>>>> origin/main`)."""

    ours: str = "HEAD"
    base: str = N_("merge base")  # translated where the labels are chosen (driver_labels)
    theirs: str = N_("incoming change")


def merge_case_files(base: Path, ours: Path, theirs: Path, name: str, labels: Optional[Labels] = None) -> list[str]:
    """Merge into `ours`. Returns the conflicts (then `ours` holds conflict markers with both sides)."""
    try:
        problems = _merge_on_model(base, ours, theirs, name)
    except Exception as e:  # noqa: BLE001 - whatever failed, the file must end up holding both sides
        problems = [_("the merged file could not be written ({reason})").format(reason=_reason(e))]
    if problems:
        problems += _conflict_markers(base, ours, theirs, labels or Labels(base=_(Labels.base), theirs=_(Labels.theirs)))
    return problems


def _data(raw: bytes, name: str) -> dict:
    if not raw.strip():
        return {}  # added on both sides: git passes an empty ancestor
    return dump_model(parse_case(raw, name, strict=True)[2])


def _merge_on_model(base: Path, ours: Path, theirs: Path, name: str) -> list[str]:
    try:
        raw_ours = ours.read_bytes()
        text = yamlio.decode(raw_ours, name)
        data_ours, root = yamlio.compose_strict(text.text, name)
        # An encrypted side is opened with the user's key, or the merge stops here (NotAReader): ciphertext is
        # never merged blindly. The merged record is sealed again to the readers it names.
        model, lock, private = opened(data_ours, name, "open")
        doc = CaseDoc(Path(name).resolve(), raw_ours, text, data_ours, model, root, lock, private)
        merged, conflicts = merge(_data(base.read_bytes(), name), dump_model(doc.model), _data(theirs.read_bytes(), name))
    except CaseFileError as e:
        return [_("cannot merge on the model: {error}").format(error=e)]
    if conflicts:
        return [c.describe() for c in conflicts]
    try:
        model = Case.model_validate(merged)
    except ValidationError as e:
        first = e.errors()[0]
        return [_("the merged record is not valid at {path}: {error}").format(path=".".join(map(str, first["loc"])),
                                                                             error=first["msg"])]
    out = patched_bytes(doc, model)
    if out != raw_ours:
        files.atomic_write(ours, out)
    return []


def _reason(e: Exception) -> str:
    return getattr(e, "message", None) or getattr(e, "strerror", None) or type(e).__name__


# --- conflict markers ------------------------------------------------------------------------------

def _conflict_markers(base: Path, ours: Path, theirs: Path, labels: Labels) -> list[str]:
    """git's line merge with markers; if git cannot (a binary side, no git), both sides whole."""
    try:
        r = gitio.git(ours.parent, "merge-file", "-L", labels.ours, "-L", labels.base, "-L", labels.theirs,
                      str(ours), str(base), str(theirs), check=False)
        if 0 <= r.returncode < 128:  # the number of conflicts; negative (255) is an error, file untouched
            return []
    except StafettError:
        pass
    try:
        _write_both_sides(ours, theirs, labels)
    except (OSError, StafettError) as e:
        return [_("the conflict markers could not be written either ({reason}); the file is git's own copy of your side").format(
            reason=_reason(e))]
    return []


def _write_both_sides(ours: Path, theirs: Path, labels: Labels) -> None:
    mine, their = ours.read_bytes(), theirs.read_bytes()
    newline = b"\r\n" if b"\r\n" in mine else b"\n"

    def block(raw: bytes) -> bytes:
        return raw if not raw or raw.endswith(b"\n") else raw + newline

    out = (b"<<<<<<< " + labels.ours.encode("utf-8") + newline + block(mine) + b"=======" + newline
           + block(their) + b">>>>>>> " + labels.theirs.encode("utf-8") + newline)
    try:
        files.atomic_write(ours, out)
    except (OSError, StafettError):
        ours.write_bytes(out)  # the temp file git gave us: a plain write where a replace was refused


# --- labels ------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%[A-Za-z]")  # git before 2.44 passes %S, %X and %Y through as they are


def driver_labels(ours: Optional[str], base: Optional[str], theirs: Optional[str], cwd: Path) -> Labels:
    """The names git gave the sides (%X, %S, %Y), else the branch and commit names git leaves behind."""
    return Labels(
        ours=_given(ours) or _our_name(cwd) or Labels.ours,
        base=_given(base) or _(Labels.base),
        theirs=_given(theirs) or _their_name(cwd) or _(Labels.theirs),
    )


def _given(label: Optional[str]) -> Optional[str]:
    if not label or _PLACEHOLDER.fullmatch(label):
        return None
    return _one_line(label)


def _one_line(label: str) -> Optional[str]:
    # A label is written into the file on a marker line: one line, printable, short.
    cleaned = "".join(c if c.isprintable() else " " for c in label).strip()
    return cleaned[:80] or None


def _our_name(cwd: Path) -> Optional[str]:
    for args in (("symbolic-ref", "--short", "-q", "HEAD"), ("rev-parse", "--short", "HEAD")):
        name = _git_out(cwd, *args)
        if name:
            return name
    return None


def _their_name(cwd: Path) -> Optional[str]:
    for key, value in sorted(os.environ.items()):
        if key.startswith("GITHEAD_") and value.strip():
            # `git merge` names what it merges this way: a branch, or for a pull only the commit.
            return _branch_at(cwd, value) if _SHA.fullmatch(value) else _one_line(value)
    git_dir = _git_out(cwd, "rev-parse", "--git-dir")
    if git_dir:
        # A rebase replays one commit at a time; the one being replayed is the last line of `done`.
        try:
            done = (cwd / git_dir / "rebase-merge" / "done").read_text(encoding="utf-8").splitlines()
        except OSError:
            done = []
        words = done[-1].split() if done else []
        if len(words) >= 2 and _SHA.fullmatch(words[1]):
            return _branch_at(cwd, words[1])
    return None


_SHA = re.compile(r"[0-9a-f]{7,64}")


def _branch_at(cwd: Path, sha: str) -> str:
    """`origin/main` rather than a bare commit, when a branch points there."""
    try:
        r = gitio.git(cwd, "for-each-ref", "--points-at", sha, "--format=%(refname:short)", "refs/heads", "refs/remotes",
                      check=False)
    except StafettError:
        return sha[:7]
    names = [n for n in r.stdout.split() if not n.endswith("/HEAD")] if r.returncode == 0 else []
    return _one_line(names[0]) or sha[:7] if names else sha[:7]


def _git_out(cwd: Path, *args: str) -> Optional[str]:
    try:
        r = gitio.git(cwd, *args, check=False)
    except StafettError:
        return None
    out = r.stdout.strip()
    return _one_line(out) if r.returncode == 0 and out else None
