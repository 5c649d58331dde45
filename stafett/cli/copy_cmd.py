"""`stafett copy`: record that a copy of a document was sent or handed to someone."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import List, Optional

import typer

from stafett.cli.app import ByOption, FolderOption, OnBehalfOption, app
from stafett.cli.case_cmds import CaseArg, DateOption, change, date_or_today, done
from stafett.i18n import _

MAX_FILE = 64 * 1024 * 1024  # a rendered document is far smaller; this stops a wrong path to a disk image
# What --for accepts: the codes, and the family's edition in nynorsk.
FOR_VALUES = {"foresatte": "foresatte", "føresette": "foresatte", "anonymisert": "anonymisert"}


@app.command("copy", help=_("Record a copy sent: to whom, which document, the git commit and the file's SHA-256, the "
                            "channel.\n\nA copy to the family is checked for protected content first and refused if "
                            "the file holds any."))
def copy(
    case_id: str = CaseArg,
    til: List[str] = typer.Option(..., "--til", help=_("Recipient: staff id, foresatt/familie/eksterne id, 'hovedperson' or 'foresatte'; repeat.")),
    dokument: str = typer.Option(..., "--dokument", help=_("stafettlogg, referat, journalnotat or individuell_plan.")),
    fil: Path = typer.Option(..., "--fil", help=_("The file that was sent, as stafett rendered it (.md, .html, .pdf, .txt).")),
    kanal: str = typer.Option(..., "--kanal", help=_("epost, post, svarut, digipost or overlevert.")),
    mote: Optional[str] = typer.Option(None, "--mote", help=_("With --dokument referat: the meeting id.")),
    for_: Optional[str] = typer.Option(None, "--for", help=_("The edition sent: foresatte or anonymisert (default: the services').")),
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.errors import UsageError
    from stafett.folder import load_folder
    from stafett.workflow.copies import CHANNELS, DOCUMENTS, format_of, record_copy

    if for_ not in (None, *FOR_VALUES):
        raise UsageError(_("--for '{value}' is not known").format(value=for_), _("use --for foresatte or --for anonymisert"))
    kopi_for = FOR_VALUES[for_] if for_ else "tjenester"
    if kanal not in CHANNELS:
        raise UsageError(_("unknown channel '{channel}'").format(channel=kanal),
                         _("use --kanal {channels}").format(channels=", ".join(CHANNELS)))
    if dokument not in DOCUMENTS:
        raise UsageError(_("unknown document '{document}'").format(document=dokument),
                         _("use --dokument {documents}").format(documents=", ".join(DOCUMENTS)))
    data = _read(fil)
    fmt = format_of(fil.suffix)
    place = load_folder(folder)
    commit = _head(place, case_id)
    text = _text(data, fmt)
    day = date_or_today(dato)
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: record_copy(
        c, ctx, til=til, dokument=dokument, mote=mote, kopi_for=kopi_for, fmt=fmt, commit=commit,
        sha256=hashlib.sha256(data).hexdigest(), kanal=kanal, dato=day, document=text))
    k = new.kopier[-1]
    if k.commit:
        done(new.id, _("copy {copy} of the {document} to {recipients} recorded (sha256 {sha256}, commit {commit})").format(
            copy=k.id, document=dokument, recipients=", ".join(k.til), sha256=k.sha256[:12], commit=k.commit[:7]))
    else:
        done(new.id, _("copy {copy} of the {document} to {recipients} recorded (sha256 {sha256})").format(
            copy=k.id, document=dokument, recipients=", ".join(k.til), sha256=k.sha256[:12]))


def _read(fil: Path) -> bytes:
    from stafett.errors import CaseFileError, UsageError
    from stafett.store.files import read_regular

    try:
        return read_regular(fil, limit=MAX_FILE, follow=True)
    except FileNotFoundError:
        raise UsageError(_("no file {path}").format(path=fil), _("give the path of the file that was sent")) from None
    except CaseFileError as e:
        raise UsageError(_("cannot read {path}: {reason}").format(path=fil, reason=e.message),
                         _("give the path of the file that was sent")) from None


def _text(data: bytes, fmt: str) -> Optional[str]:
    """The file's text for the family check; None when stafett cannot read it (a PDF without pdftotext)."""
    if fmt != "pdf":
        return data.decode("utf-8", "replace")
    import shutil
    import subprocess

    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    done_ = subprocess.run([tool, "-q", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, timeout=120)
    return done_.stdout.decode("utf-8", "replace") if done_.returncode == 0 else None


def _head(place, case_id: str) -> Optional[str]:
    """The commit the document was made from: HEAD. A warning when the case file differs from it in more than
    copies and journal notes, since the rendered file may then hold text no commit has."""
    from stafett.errors import StafettError
    from stafett.store import gitio

    try:
        top = gitio.top_level(place.root)
        r = gitio.git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
    except StafettError:
        top, r = None, None
    if r is None or r.returncode != 0:
        print(_("note: the case folder has no git commit; the copy is recorded without one"), file=sys.stderr)
        return None
    head = r.stdout.strip()
    path = place.case_path(case_id)
    rel = path.resolve().relative_to(top.resolve()).as_posix()
    if _changed_since(gitio.show(top, head, rel), path):
        print(_("note: {case} has changes not committed in {commit}; commit before rendering the copy, so the "
                "commit holds what was sent").format(case=case_id, commit=head[:7]), file=sys.stderr)
    return head


def _changed_since(old_raw: Optional[bytes], path: Path) -> bool:
    from stafett.errors import CaseFileError
    from stafett.store.cases import parse_case, read_case

    if old_raw is None:
        return True
    try:
        _raw, _doc, old = parse_case(old_raw, str(path))
        now = read_case(path).model
    except CaseFileError:
        return True
    return _content(old) != _content(now)


def _content(case) -> dict:
    """The case without what recording copies and journal notes adds to it."""
    data = case.model_dump(mode="json", exclude={"kopier", "journaluttrekk"})
    data["logg"] = [e for e in data["logg"] if e["type"] != "kopi"]
    return data
