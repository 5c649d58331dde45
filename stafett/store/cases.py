"""Case files: read one, change one under its lock, create one. Writes go through `patch` so a
coordinator's comments and formatting survive, and every write is verified by reading it back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from stafett.errors import CaseFileError, StafettError
from stafett.i18n import _
from stafett.model import Case
from stafett.store import files, patch, yamlio


Also = Callable[[Case], list[tuple[Path, bytes]]]


@dataclass
class CaseDoc:
    path: Path
    raw: bytes
    text: yamlio.Text
    data: dict
    model: Case
    root: Any = None  # the composed YAML nodes, which locate every value for patching


def dump_model(model: Case) -> dict:
    """The record as plain data, with only the keys it was given (defaults never appear from nowhere)."""
    return patch.normalise(model.model_dump(mode="python", exclude_unset=True))


def parse_case(raw: bytes, path: str, strict: bool = False) -> tuple[dict, yamlio.Text, Case]:
    data, text = yamlio.load_mapping(raw, path, fast=not strict)
    return data, text, _validated(data, path)


def _validated(data: dict, path: str) -> Case:
    try:
        model = Case.model_validate(data)
    except ValidationError as e:
        from stafett.findings import safe_token

        first = e.errors()[0]
        where = ".".join(str(p) if isinstance(p, int) or safe_token(str(p)) else "?" for p in first["loc"])
        raise CaseFileError(_("case is not valid at {where}: {problem}").format(where=where, problem=first["msg"]),
                            _("run `stafett validate {path}` to see every problem").format(path=path), path=path, line=1, col=1,
                            code="S001") from None
    return model


def read_case(path: Path, *, for_change: bool = False) -> CaseDoc:
    """Read one case, once. The file is read the way `validate` reads it: the fast reader for a document
    the screen proves it reads exactly like the strict one, else the strict reader. A patch later locates
    its nodes itself (store/locate.py); `for_change` only keeps the strict reader's nodes when it was the
    strict reader that read the file."""
    try:
        raw = files.read_regular(path)  # a link, folder, FIFO or device is a CaseFileError, never read
    except FileNotFoundError:
        raise StafettError(_("no case file at {path}").format(path=path), _("check the case id with 'stafett status'")) from None
    text = yamlio.decode(raw, str(path))
    data = yamlio.read_fast(text.text, str(path))
    if data is not None and isinstance(data, dict):
        return CaseDoc(path, raw, text, data, _validated(data, str(path)))
    if not for_change:
        data, text, model = parse_case(raw, str(path), strict=True)
        return CaseDoc(path, raw, text, data, model)
    data, root = yamlio.compose_strict(text.text, str(path))
    if not isinstance(data, dict):
        yamlio.load_mapping(raw, str(path), fast=False)  # raises Y003 with its usual wording
    return CaseDoc(path, raw, text, data, _validated(data, str(path)), root)


def render_new(model: Case, header: str, newline: str = "\n") -> bytes:
    body = patch.dump(dump_model(model), patch.Style(offset=2))
    return yamlio.Text(header + body, newline).encode()


def create_case(path: Path, model: Case, header: str, check: Callable[[Case], None] | None = None) -> bytes:
    if check:
        check(model)
    data = render_new(model, header)
    try:
        _verify(data, dump_model(model), str(path))
    except _Mismatch:
        raise StafettError(_("stafett could not write {file} so that it reads back the same; nothing was written").format(
                               file=path.name), _("report this with the command you ran")) from None
    try:
        files.atomic_write(path, data, exclusive=True)
    except FileExistsError:
        raise StafettError(_("{file} exists already").format(file=path.name),
                           _("run the command again; a new id is drawn each time")) from None
    return data


def update_case(path: Path, change: Callable[[Case], Case], check: Callable[[Case], None] | None = None,
                timeout: float | None = None, also: Also | None = None) -> tuple[Case, Case]:
    """Lock, read, change, check, patch, verify, write. Any error before the write leaves the file as it was.

    `also` gives the other files a command writes with the change (a meeting's .ics): they and the case
    are written all or none, the case last."""
    with files.locked(path, timeout):
        doc = read_case(path, for_change=True)
        new = change(doc.model)
        new = Case.model_validate(new.model_dump(mode="python", exclude_unset=True)) if new is not doc.model else new
        if check:
            check(new)
        out = patched_bytes(doc, new)
        others = [(p, data, None) for p, data in also(new)] if also else []
        # `expect`: compared with the disk just before the replace, so an editor's save is never lost.
        if others:
            files.write_all(others + ([(path, out, doc.raw)] if out != doc.raw else []))
        elif out != doc.raw:
            files.atomic_write(path, out, expect=doc.raw)
        return doc.model, new


def patched_bytes(doc: CaseDoc, new: Case) -> bytes:
    old_data, new_data = dump_model(doc.model), dump_model(new)
    if old_data == new_data:
        return doc.raw
    text = doc.text.text
    edits = patch.diff(old_data, new_data)
    if doc.root is None:
        # First the nodes the edits reach, composed piece by piece; the whole document only if that fails.
        from stafett.store import locate

        try:
            root, style = locate.locate(text, doc.data, edits)
            out = doc.text.encode(patch.apply(text, root, edits, style))
            _verify(out, new_data, str(doc.path))
            return out
        except (patch.PatchUnsupported, _Mismatch):
            pass
    root = doc.root if doc.root is not None else yamlio.compose_strict(text, str(doc.path))[1]
    style = patch.detect_style(text, root)
    try:
        out = doc.text.encode(patch.apply(text, root, edits, style))
        _verify(out, new_data, str(doc.path))
        return out
    except (patch.PatchUnsupported, _Mismatch):
        out = doc.text.encode(_reemit(text, new_data, style))
        try:
            _verify(out, new_data, str(doc.path))
        except _Mismatch:
            raise StafettError(_("stafett could not write {file} so that it reads back the same; nothing was written").format(
                                   file=doc.path.name), _("report this with the command you ran (the file is unchanged)")) from None
        return out


class _Mismatch(Exception):
    pass


def _verify(out: bytes, expected: dict, path: str) -> None:
    """Read back what is about to be written; a record that would not load the same is never written."""
    try:
        _, _, model = parse_case(out, path)
    except CaseFileError as e:
        raise _Mismatch(str(e)) from None
    if dump_model(model) != expected:
        raise _Mismatch("written record differs")


def _reemit(text: str, new_data: dict, style: patch.Style) -> str:
    """Last resort: ruamel round-trip dump, keeping the header comments and as much as ruamel keeps."""
    import io

    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.width = 4096
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=style.offset + 2, offset=style.offset)
    y.representer.ignore_aliases = lambda *args: True
    doc = y.load(text)
    _merge_into(doc, patch._prepare(new_data))
    out = io.StringIO()
    y.dump(doc, out)
    return out.getvalue()


def _merge_into(target: Any, new: Any) -> Any:
    if isinstance(target, dict) and isinstance(new, dict):
        for key in [k for k in target if k not in new]:
            del target[key]
        for key, value in new.items():
            target[key] = _merge_into(target[key], value) if key in target else value
        return target
    if isinstance(target, list) and isinstance(new, list) and len(target) <= len(new):
        for n, value in enumerate(new):
            if n < len(target):
                target[n] = _merge_into(target[n], value)
            else:
                target.append(value)
        return target
    return new


def today() -> dt.date:
    return dt.date.today()
