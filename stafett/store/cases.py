"""Case files: read one, change one under its lock, create one. Writes go through `patch` so a
coordinator's comments and formatting survive, and every write is verified by reading it back.

An encrypted case (store/crypt.py) is opened here on the way in and sealed here on the way out, to the
readers the record names (model/access.py): everything above this module sees clear models. A reader
asks for one of three views: "open" (the case, or NotAReader), "best" (the case when a key opens it, else
its clear part), "clear" (the clear part always, as CI sees it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from pydantic import ValidationError

from stafett.errors import CaseFileError, StafettError
from stafett.i18n import _
from stafett.model import Case
from stafett.store import crypt, files, patch, yamlio


Also = Callable[[Case], list[tuple[Path, bytes]]]


@dataclass
class CaseDoc:
    path: Path
    raw: bytes
    text: yamlio.Text
    data: dict
    model: Case
    root: Any = None  # the composed YAML nodes, which locate every value for patching
    lock: Optional[crypt.Lock] = None  # how an encrypted case was opened (None: a clear file, or its clear part)
    private: bool = False  # the model holds content that was decrypted (never cached, never shown keyless)


def dump_model(model: Case) -> dict:
    """The record as plain data, with only the keys it was given (defaults never appear from nowhere)."""
    return patch.normalise(model.model_dump(mode="python", exclude_unset=True))


def parse_case(raw: bytes, path: str, strict: bool = False, view: str = "open",
               key: Optional[bytes] = None) -> tuple[dict, yamlio.Text, Case]:
    """(the data as written, the text, the model in the view asked for)."""
    data, text = yamlio.load_mapping(raw, path, fast=not strict)
    model, _lock, _private = opened(data, path, view, key)
    return data, text, model


def read_raw(raw: bytes, path: str, view: str = "open") -> CaseDoc:
    """A case from bytes already read (a scan worker's), as read_case gives it."""
    data, text = yamlio.load_mapping(raw, path)
    model, lock, private = opened(data, path, view)
    return CaseDoc(Path(path), raw, text, data, model, None, lock, private)


def opened(data: dict, path: str, view: str, key: Optional[bytes] = None) -> tuple[Case, Optional[crypt.Lock], bool]:
    if view == "clear":
        return _validated(crypt.clear_part(data)[0], path), None, False
    try:
        clear, lock = crypt.open_data(data, path, key=key)
    except crypt.NotAReader:
        if view == "open":
            holder = _name(path, crypt.baton_of(data))
            raise crypt.NotAReader(crypt.not_a_reader(path, holder), holder) from None
        return _validated(crypt.clear_part(data)[0], path), None, False
    return _validated(clear, path), lock, lock is not None


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


def _name(path: str, person_id: str) -> str:
    """A staff member's name for a message (their id when the folder cannot tell)."""
    from stafett.folder import SETTINGS_FILE, load_folder

    root = Path(path).resolve().parent.parent
    try:
        # Only the folder the file lies in: never a stafett.yaml found further up.
        person = load_folder(root).people.get(person_id) if (root / SETTINGS_FILE).is_file() else None
    except StafettError:
        person = None
    return person.navn if person is not None else person_id


def read_case(path: Path, *, for_change: bool = False, view: str = "open") -> CaseDoc:
    """Read one case, once. The file is read the way `validate` reads it: the fast reader for a document
    the screen proves it reads exactly like the strict one, else the strict reader. A patch later locates
    its nodes itself (store/locate.py); `for_change` only keeps the strict reader's nodes when it was the
    strict reader that read the file."""
    try:
        raw = files.read_regular(path)  # a link, folder, FIFO or device is a CaseFileError, never read
    except FileNotFoundError:
        raise StafettError(_("no case file at {path}").format(path=path), _("check the case id with `stafett status`")) from None
    text = yamlio.decode(raw, str(path))
    data = yamlio.read_fast(text.text, str(path))
    root = None
    if data is None or not isinstance(data, dict):
        if not for_change:
            data, text = yamlio.load_mapping(raw, str(path), fast=False)
        else:
            data, root = yamlio.compose_strict(text.text, str(path))
            if not isinstance(data, dict):
                yamlio.load_mapping(raw, str(path), fast=False)  # raises Y003 with its usual wording
    model, lock, private = opened(data, str(path), view)
    return CaseDoc(path, raw, text, data, model, root, lock, private)


def render_new(model: Case, header: str, newline: str = "\n", data: Optional[dict] = None) -> bytes:
    body = patch.dump(data if data is not None else dump_model(model), patch.Style(offset=2))
    return yamlio.Text(header + body, newline).encode()


def _readers(path: Path, model: Case, today: dt.date, lock: Optional[crypt.Lock],
             seal: Optional[bool] = None, folder=None) -> Optional[list[tuple[str, str]]]:
    """The (who, public key) a case is sealed to, or None for a case that stays clear: a clear case in a
    folder without encryption. The folder is the one the case file lies in."""
    from stafett.folder import SETTINGS_FILE, load_folder
    from stafett.model.access import readers

    if folder is None:  # the caller did not load it (the merge driver): the folder the file lies in
        root = path.resolve().parent.parent
        if not (root / SETTINGS_FILE).is_file():
            # A case file outside a case folder (a copy, a merge's temporary file elsewhere): nothing says who
            # reads it, so it stays as it is: clear, or sealed to the readers it has.
            return lock.readers() if lock is not None else None
        folder = load_folder(root)
    settings = folder.settings.kryptering
    if lock is None and not (settings.pa or seal):
        return None
    holder = model.baton_holder()
    if not folder.people.recipients(holder):
        # The one who holds the case must be able to read it; a case sealed past its holder helps nobody.
        person = folder.people.get(holder)
        raise StafettError(_("{person} holds the baton in {case} but has no key in personer.yaml, so could not read it").format(
                               person=person.navn if person else holder, case=model.id),
                           _("add their age key (age_nokkel) or ssh-ed25519 key to personer.yaml first"))
    out = [(pid, key) for pid in readers(model, folder.people, today) for key in folder.people.recipients(pid)]
    out += [(f"gjenoppretting:{g.id}", g.mottaker) for g in settings.gjenoppretting]
    if not out:
        raise StafettError(_("nobody could read {case} after this change: none of its readers has a key").format(case=model.id),
                           _("add an age key (age_nokkel) for the staff in personer.yaml, or a recovery key in stafett.yaml"))
    return out


def _sealed(path: Path, model: Case, today: Optional[dt.date], lock: Optional[crypt.Lock],
            seal: Optional[bool] = None, folder=None) -> tuple[dict, Optional[crypt.Lock]]:
    """The record as it is written: clear, or sealed to its readers."""
    clear = dump_model(model)
    readers = _readers(path, model, today or dt.date.today(), lock, seal, folder)
    if readers is None:
        return clear, None
    return crypt.seal(clear, lock, readers, today or dt.date.today())


def create_case(path: Path, model: Case, header: str, check: Callable[[Case], None] | None = None,
                today: Optional[dt.date] = None, folder=None) -> bytes:
    """`folder`: the case folder the caller loaded (stafett.folder.Folder), else it is read from the path."""
    if check:
        check(model)
    written, lock = _sealed(path, model, today, None, folder=folder)
    data = render_new(model, header, data=written)
    try:
        _verify(data, dump_model(model), str(path), lock)
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
                timeout: float | None = None, also: Also | None = None, today: Optional[dt.date] = None,
                folder=None) -> tuple[Case, Case]:
    """Lock, read, change, check, patch, verify, write. Any error before the write leaves the file as it was.

    `also` gives the other files a command writes with the change (a meeting's .ics): they and the case
    are written all or none, the case last."""
    with files.locked(path, timeout):
        doc = read_case(path, for_change=True)
        new = change(doc.model)
        new = Case.model_validate(new.model_dump(mode="python", exclude_unset=True)) if new is not doc.model else new
        if check:
            check(new)
        out = patched_bytes(doc, new, today, folder=folder)
        others = [(p, data, None) for p, data in also(new)] if also else []
        # `expect`: compared with the disk just before the replace, so an editor's save is never lost.
        if others:
            files.write_all(others + ([(path, out, doc.raw)] if out != doc.raw else []))
        elif out != doc.raw:
            files.atomic_write(path, out, expect=doc.raw)
        return doc.model, new


# Past this many edits (a case sealed or re-keyed: every value changes), composing the document once is
# cheaper than composing the nodes each edit reaches.
PIECEWISE_EDITS = 40


def patched_bytes(doc: CaseDoc, new: Case, today: Optional[dt.date] = None, seal: Optional[bool] = None,
                  folder=None) -> bytes:
    """The new file's bytes. `seal`: True seals even a clear case in a folder not yet encrypted (stafett encrypt)."""
    old_clear, new_clear = dump_model(doc.model), dump_model(new)
    if old_clear == new_clear and not seal:
        return doc.raw
    # What is written, old and new: the same as the clear records for a clear case; for a sealed one, the
    # old tokens as read and the new ones (unchanged values keep their tokens, so the diff stays small).
    old_data = crypt.as_read(old_clear, doc.lock) if doc.lock is not None else old_clear
    new_data, lock = _sealed(doc.path, new, today, doc.lock, seal, folder)
    text = doc.text.text
    edits = patch.diff(old_data, new_data)
    if doc.root is None and len(edits) <= PIECEWISE_EDITS:
        # First the nodes the edits reach, composed piece by piece; the whole document only if that fails.
        from stafett.store import locate

        try:
            root, style = locate.locate(text, doc.data, edits)
            out = doc.text.encode(patch.apply(text, root, edits, style))
            _verify(out, new_clear, str(doc.path), lock)
            return out
        except (patch.PatchUnsupported, _Mismatch):
            pass
    root = doc.root if doc.root is not None else yamlio.compose_strict(text, str(doc.path))[1]
    style = patch.detect_style(text, root)
    try:
        out = doc.text.encode(patch.apply(text, root, edits, style))
        _verify(out, new_clear, str(doc.path), lock)
        return out
    except (patch.PatchUnsupported, _Mismatch):
        out = doc.text.encode(_reemit(text, new_data, style))
        try:
            _verify(out, new_clear, str(doc.path), lock)
        except _Mismatch:
            raise StafettError(_("stafett could not write {file} so that it reads back the same; nothing was written").format(
                                   file=doc.path.name), _("report this with the command you ran (the file is unchanged)")) from None
        return out


def clear_text(raw: bytes, path: str) -> bytes:
    """The file as a reader sees it (git's diff textconv): every sealed value in clear, the envelope as it is,
    comments and order kept. The bytes unchanged for a clear file, and for anyone its keys do not open."""
    try:
        text = yamlio.decode(raw, path)
        data, root = yamlio.compose_strict(text.text, path)
        if not isinstance(data, dict) or crypt.envelope_of(data) is None:
            return raw
        clear, lock = crypt.open_data(data, path)
    except (StafettError, CaseFileError):
        return raw
    shown = {**clear, crypt.ENVELOPE: lock.envelope}
    edits = patch.diff(patch.normalise(crypt.as_read(clear, lock)), patch.normalise(shown))
    try:
        return text.encode(patch.apply(text.text, root, edits, patch.detect_style(text.text, root)))
    except patch.PatchUnsupported:
        return text.encode(_reemit(text.text, shown, patch.detect_style(text.text, root)))


class _Mismatch(Exception):
    pass


def _verify(out: bytes, expected: dict, path: str, lock: Optional[crypt.Lock] = None) -> None:
    """Read back what is about to be written; a record that would not load the same is never written. A sealed
    one is opened with the key it was sealed under: the writer may no longer be among its readers."""
    try:
        _, _, model = parse_case(out, path, key=lock.key if lock is not None else None)
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
