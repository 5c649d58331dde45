"""The merge driver's file side: read the three versions, merge on the model, write the local file."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from stafett.errors import CaseFileError
from stafett.merge import merge
from stafett.model import Case
from stafett.store import files, gitio, yamlio
from stafett.store.cases import CaseDoc, dump_model, parse_case, patched_bytes


def _data(raw: bytes, name: str) -> dict:
    if not raw.strip():
        return {}  # added on both sides: git passes an empty ancestor
    return dump_model(parse_case(raw, name, strict=True)[2])


def merge_case_files(base: Path, ours: Path, theirs: Path, name: str) -> list[str]:
    """Merge into `ours`. Returns the conflicts (then `ours` holds git's usual conflict markers)."""
    try:
        raw_ours = ours.read_bytes()
        text = yamlio.decode(raw_ours, name)
        data_ours, root = yamlio.compose_strict(text.text, name)
        doc = CaseDoc(ours, raw_ours, text, data_ours, parse_case(raw_ours, name, strict=True)[2], root)
        merged, conflicts = merge(_data(base.read_bytes(), name), dump_model(doc.model), _data(theirs.read_bytes(), name))
    except CaseFileError as e:
        return _textual(base, ours, theirs, [f"cannot merge on the model: {e}"])
    if conflicts:
        return _textual(base, ours, theirs, [c.describe() for c in conflicts])
    try:
        model = Case.model_validate(merged)
    except ValidationError as e:
        first = e.errors()[0]
        return _textual(base, ours, theirs, [f"the merged record is not valid at {'.'.join(map(str, first['loc']))}: {first['msg']}"])
    out = patched_bytes(doc, model)
    if out != raw_ours:
        files.atomic_write(ours, out)
    return []


def _textual(base: Path, ours: Path, theirs: Path, problems: list[str]) -> list[str]:
    """Leave git's familiar conflict markers in the file so the coordinator resolves it as usual."""
    gitio.git(ours.parent, "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", str(ours), str(base), str(theirs),
              check=False)
    return problems
