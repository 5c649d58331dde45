"""`stafett meeting plan|postpone|cancel|referat|ics`: plan a meeting with an .ics invitation, move or
cancel it (the invitation is written again, same UID, next SEQUENCE), then record its referat.

Content comes from flags, from a YAML file (`--file`, same keys as the case file), or through $EDITOR
with a prefilled template the way `git commit` works: with no content given (or with --edit) the editor
opens; an empty or unchanged template aborts without writing.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, List, Optional

import typer

from stafett.cli.app import ByOption, FolderOption, OnBehalfOption, app
from stafett.cli.case_cmds import CaseArg, change, done, parse_date, parse_datetime
from stafett.errors import StafettError, UsageError
from stafett.i18n import _, date_text, time_text

meeting_app = typer.Typer(help=_("Plan a meeting (with an .ics invitation) and record its referat."), no_args_is_help=True)
app.add_typer(meeting_app, name="meeting")

FileOption = typer.Option(None, "--file", "-F", help=_("Read the content from a YAML file (keys as in the case file)."))
AgendaOption = typer.Option(False, "--ics-dagsorden", help=_("Put the agenda in the invitation (calendars leak: "
                                                                   "only when it names no one)."))
EditOption = typer.Option(False, "--edit", "-e", help=_("Open $EDITOR on a prefilled template (the default when no content is given)."))

PLAN_KEYS = ("type", "tidspunkt", "varighet_min", "sted", "leder", "referent", "innkalt", "dagsorden")
REFERAT_KEYS = ("tilstede", "fravaerende", "notater", "beslutninger", "oppgaver", "barnets_stemme",
                "barnets_stemme_mangler", "neste_mote", "kopi_til", "samtykker")
IcsOption = typer.Option(None, "--ics", help=_("Where to write the invitation (default: ./<CASE>-<MEETING>.ics)."))
NoIcsOption = typer.Option(False, "--no-ics", help=_("Do not write an invitation."))
MeetingArg = typer.Argument(..., help=_("The meeting id (mo-...)."))


@meeting_app.command("plan", help=_("Plan a meeting (time, place, leader, referent, invited, agenda) and write an .ics invitation."))
def plan(
    case_id: str = CaseArg,
    kind: Optional[str] = typer.Option(None, "--type", help=_("samarbeidsmøte (default), evalueringsmøte or ansvarsgruppemøte.")),
    tid: Optional[str] = typer.Option(None, "--tid", help=_("When: 'YYYY-MM-DD HH:MM'.")),
    sted: Optional[str] = typer.Option(None, "--sted", help=_("Where.")),
    varighet: Optional[int] = typer.Option(None, "--varighet", help=_("Minutes (default 60).")),
    leder: Optional[str] = typer.Option(None, "--leder", help=_("Meeting leader's staff id (default: the baton holder; the koordinator for ansvarsgruppemøte).")),
    referent: Optional[str] = typer.Option(None, "--referent", help=_("Who writes the referat (default: the leader).")),
    innkalt: Optional[List[str]] = typer.Option(None, "--innkalt", help=_("Invite: staff id, foresatt id, 'hovedperson' or 'foresatte'; repeat.")),
    dagsorden: Optional[List[str]] = typer.Option(None, "--dagsorden", help=_("An agenda item; repeat in order.")),
    file: Optional[Path] = FileOption,
    edit: bool = EditOption,
    ics: Optional[Path] = IcsOption,
    no_ics: bool = NoIcsOption,
    with_agenda: bool = AgendaOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.folder import load_folder
    from stafett.workflow.meetings import Plan, plan_meeting, plan_template

    data = _read_file(file, PLAN_KEYS) if file else {}
    flags = {"type": kind, "tidspunkt": tid, "sted": sted, "varighet_min": varighet, "leder": leder,
             "referent": referent, "innkalt": innkalt or None, "dagsorden": dagsorden or None}
    data.update({k: v for k, v in flags.items() if v is not None})
    if edit or not (file or tid or sted):
        case = _read(case_id, folder)
        template = plan_template(case, kind=data.get("type") or "samarbeidsmøte",
                                 tidspunkt=_when(data.get("tidspunkt"), "tidspunkt") if data.get("tidspunkt") else None,
                                 sted=data.get("sted"), leder=data.get("leder"), referent=data.get("referent"),
                                 innkalt=tuple(data.get("innkalt") or ()), dagsorden=tuple(data.get("dagsorden") or ()),
                                 varighet_min=data.get("varighet_min"))
        data = _edit(template, "MOTE.yaml", PLAN_KEYS)
    if not data.get("tidspunkt") or not data.get("sted"):
        raise UsageError(_("a meeting needs a time and a place"), _("give --tid 'YYYY-MM-DD HH:MM' and --sted TEXT"))
    place = load_folder(folder)
    if not no_ics and ics is not None:
        _check_ics_target(ics, place, case_id)  # named at once, before the case is read under its lock
    the_plan = Plan(type=_text(data.get("type") or "samarbeidsmøte", "type"), tidspunkt=_when(data["tidspunkt"], "tidspunkt"),
                    sted=_text(data["sted"], "sted"), leder=_opt_text(data.get("leder"), "leder"),
                    referent=_opt_text(data.get("referent"), "referent"), innkalt=_texts(data.get("innkalt"), "innkalt"),
                    dagsorden=_texts(data.get("dagsorden"), "dagsorden"), varighet_min=_int(data.get("varighet_min"), "varighet_min"))
    targets: list[Path] = []
    invitation_file = _invitation(place, ics, no_ics, with_agenda, lambda case: case.moter[-1], targets)
    # The case and its invitation are written together or not at all.
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: plan_meeting(c, ctx, the_plan),
                                     also=invitation_file)
    meeting = new.moter[-1]
    text = _("{kind} nr. {number} ({meeting}) planned for {time}").format(
        kind=meeting.type, number=meeting.nummer, meeting=meeting.id, time=_time(meeting.tidspunkt))
    done(new.id, text + _written(targets))


@meeting_app.command("postpone", help=_("Move a meeting to a new time; the invitation is written again (same UID, next SEQUENCE)."))
def postpone(
    case_id: str = CaseArg,
    meeting_id: str = MeetingArg,
    til: str = typer.Option(..., "--til", help=_("The new time: 'YYYY-MM-DD HH:MM'.")),
    grunn: str = typer.Option(..., "--grunn", "--reason", help=_("Why the meeting moves (kept in the case, never in the calendar).")),
    ics: Optional[Path] = IcsOption,
    no_ics: bool = NoIcsOption,
    with_agenda: bool = AgendaOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.folder import load_folder
    from stafett.workflow.meetings import postpone_meeting

    when = parse_datetime(til, "--til")
    place = load_folder(folder)
    if not no_ics and ics is not None:
        _check_ics_target(ics, place, case_id)
    targets: list[Path] = []
    invitation_file = _invitation(place, ics, no_ics, with_agenda, lambda case: _meeting(case, meeting_id), targets)
    old, new, _place, _ctx = change(case_id, folder, (by, on_behalf),
                                    lambda c, ctx: postpone_meeting(c, ctx, meeting_id, til=when, grunn=grunn), also=invitation_file)
    before, after = _meeting(old, meeting_id), _meeting(new, meeting_id)
    done(new.id, _("{meeting} moved from {old_time} to {new_time}").format(
        meeting=meeting_id, old_time=_time(before.tidspunkt), new_time=_time(after.tidspunkt)) + _written(targets))


@meeting_app.command("cancel", help=_("Cancel a meeting (it then needs no referat) and write the cancellation for calendars (METHOD:CANCEL)."))
def cancel(
    case_id: str = CaseArg,
    meeting_id: str = MeetingArg,
    grunn: str = typer.Option(..., "--grunn", "--reason", help=_("Why the meeting is cancelled (kept in the case, never in the calendar).")),
    ics: Optional[Path] = IcsOption,
    no_ics: bool = NoIcsOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.folder import load_folder
    from stafett.workflow.meetings import cancel_meeting

    place = load_folder(folder)
    if not no_ics and ics is not None:
        _check_ics_target(ics, place, case_id)
    targets: list[Path] = []
    invitation_file = _invitation(place, ics, no_ics, False, lambda case: _meeting(case, meeting_id), targets)
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: cancel_meeting(c, ctx, meeting_id, grunn=grunn),
                                     also=invitation_file)
    if targets:
        done(new.id, _("{meeting} cancelled; cancellation in {file}").format(meeting=meeting_id, file=targets[-1]))
    else:
        done(new.id, _("{meeting} cancelled").format(meeting=meeting_id))


@meeting_app.command("referat", help=_("Record a meeting's referat: present/absent, notes per agenda item, decisions, tasks, the child's voice, copies."))
def referat(
    case_id: str = CaseArg,
    meeting_id: str = typer.Argument(..., help=_("The meeting id (mo-...).")),
    tilstede: Optional[List[str]] = typer.Option(None, "--tilstede", help=_("Present: staff id, foresatt id, 'hovedperson' or 'foresatte'; repeat.")),
    fravaerende: Optional[List[str]] = typer.Option(None, "--fravaerende", help=_("Invited but absent (default: everyone invited who was not present).")),
    notat: Optional[List[str]] = typer.Option(None, "--notat", help=_("'ITEM=NOTE' per agenda item; ITEM may be the item's number (1, 2, ...).")),
    beslutning: Optional[List[str]] = typer.Option(None, "--beslutning", help=_("A decision; repeat.")),
    oppgave: Optional[List[str]] = typer.Option(None, "--oppgave", help=_("'OWNER,YYYY-MM-DD,TASK': a task with its owner and deadline; repeat.")),
    barnets_stemme: Optional[str] = typer.Option(None, "--barnets-stemme", help=_("The child's voice: what they say, in their words.")),
    barnets_stemme_mangler: Optional[str] = typer.Option(None, "--barnets-stemme-mangler", help=_("Or: why the child's voice is missing.")),
    neste_mote: Optional[str] = typer.Option(None, "--neste-mote", help=_("Next meeting: 'YYYY-MM-DD HH:MM'.")),
    kopi_til: Optional[List[str]] = typer.Option(None, "--kopi-til", help=_("Who received a copy; repeat ('foresatte' for every foresatt).")),
    samtykke: Optional[List[str]] = typer.Option(None, "--samtykke", help=_("A consent (s-...) the meeting rests on; repeat "
                                                   "(default: the one covering the stafettlogg that day).")),
    file: Optional[Path] = FileOption,
    edit: bool = EditOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.meetings import Minutes, record_referat, referat_template

    data = _read_file(file, REFERAT_KEYS) if file else {}
    flags = {"tilstede": tilstede or None, "fravaerende": fravaerende or None, "beslutninger": beslutning or None,
             "barnets_stemme": barnets_stemme, "barnets_stemme_mangler": barnets_stemme_mangler,
             "neste_mote": neste_mote, "kopi_til": kopi_til or None, "samtykker": samtykke or None}
    if notat:
        flags["notater"] = [_split_note(n) for n in notat]
    if oppgave:
        flags["oppgaver"] = [_split_task(o) for o in oppgave]
    given = {k: v for k, v in flags.items() if v is not None}
    data.update(given)
    if edit or not (file or given):
        case = _read(case_id, folder)
        data = _edit(referat_template(case, meeting_id), "REFERAT.yaml", REFERAT_KEYS)
    minutes = Minutes(
        tilstede=_texts(data.get("tilstede"), "tilstede"),
        fravaerende=_texts(data["fravaerende"], "fravaerende") if data.get("fravaerende") else None,
        notater=[_note(n) for n in _list(data.get("notater"), "notater")],
        beslutninger=_texts(data.get("beslutninger"), "beslutninger"),
        oppgaver=[_task(o) for o in _list(data.get("oppgaver"), "oppgaver")],
        barnets_stemme=_opt_text(data.get("barnets_stemme"), "barnets_stemme"),
        barnets_stemme_mangler=_opt_text(data.get("barnets_stemme_mangler"), "barnets_stemme_mangler"),
        neste_mote=_when(data["neste_mote"], "neste_mote") if data.get("neste_mote") else None,
        kopi_til=_texts(data.get("kopi_til"), "kopi_til"),
        samtykker=_texts(data.get("samtykker"), "samtykker"),
    )
    _old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: record_referat(c, ctx, meeting_id, minutes))
    meeting = next(m for m in new.moter if m.id == meeting_id)
    r = meeting.referat
    task_ids = f" ({', '.join(o.id for o in r.oppgaver)})" if r.oppgaver else ""
    text = _("referat for {meeting}: {present} present, {decisions} decision(s), {tasks} task(s){task_ids}").format(
        meeting=meeting_id, present=len(r.tilstede), decisions=len(r.beslutninger), tasks=len(r.oppgaver),
        task_ids=task_ids)
    if r.kopi_til:
        text += "; " + _("copy to {recipients}").format(recipients=names.people(new, ctx, r.kopi_til))
    done(new.id, text)


@meeting_app.command("ics", help=_("Write a meeting's .ics again as it stands (moved: the new time; cancelled: the "
                                   "cancellation). The case is not changed."))
def ics_file(
    case_id: str = CaseArg,
    meeting_id: str = MeetingArg,
    ics: Optional[Path] = typer.Option(None, "--ics", help=_("Where to write it (default: ./<CASE>-<MEETING>.ics).")),
    with_agenda: bool = AgendaOption,
    folder: Optional[Path] = FolderOption,
) -> None:
    from stafett.folder import load_folder
    from stafett.store.cases import read_case
    from stafett.workflow.common import find_item

    place = load_folder(folder)
    case = read_case(place.case_path(case_id)).model
    _index, meeting = find_item(case.moter, meeting_id, "meeting", case)
    target = _write_ics(case, meeting, place, ics, with_agenda)
    done(case.id, _("invitation for {meeting} in {file}").format(meeting=meeting_id, file=target))


# --- invitation ------------------------------------------------------------------------------------

def _meeting(case, meeting_id: str):
    from stafett.workflow.common import find_item

    return find_item(case.moter, meeting_id, "meeting", case)[1]


def _invitation(place, target: Optional[Path], no_ics: bool, with_agenda: bool, meeting_of, written: list):
    """The `also` of change(): the meeting's .ics, made from the case as the command leaves it."""
    def files(case) -> list[tuple[Path, bytes]]:
        if no_ics:
            return []
        path, content = _ics_file(case, meeting_of(case), place, target, with_agenda)
        written.append(path)
        return [(path, content)]

    return files


def _written(targets: list[Path]) -> str:
    return "; " + _("invitation in {file}").format(file=targets[-1]) if targets else ""


def _time(when: dt.datetime) -> str:
    """A meeting's time as the reader writes it: 2026-12-01 14:00, or 1.12.2026 kl. 14.00."""
    return f"{date_text(when.date())} {time_text(when)}"


def _check_ics_target(target: Path, place, case_id: str) -> None:
    """An invitation is an .ics file outside saker/ and never one of the folder's own files, links included;
    its name names no other case (a purge finds a case's files by name: stafett/case_names.py)."""
    from stafett.case_names import ids_in

    others = [i for i in ids_in(target.name) if i != case_id]
    if others:
        raise UsageError(_("the file name {name} names case {other}, but this is {case}")
                         .format(name=target.name, other=others[0], case=case_id),
                         _("name it after the case it belongs to, e.g. --ics {case}-mote.ics").format(case=case_id))
    resolved = target.resolve()
    root = place.root.resolve()
    if target.suffix.lower() != ".ics" or resolved.suffix.lower() != ".ics":
        raise UsageError(_("{path} is not an .ics file name").format(path=target),
                         _("name the invitation file *.ics, e.g. --ics mote.ics"))
    if target.is_dir():
        raise UsageError(_("{path} is a directory").format(path=target), _("give a file name, e.g. --ics mote.ics"))
    if not target.parent.is_dir():
        raise UsageError(_("no folder {folder} to write {name} in").format(folder=target.parent, name=target.name),
                         _("create the folder first"))
    if resolved.parent == place.cases_dir.resolve() or resolved in {root / "stafett.yaml", root / "personer.yaml"}:
        raise UsageError(_("{path} is inside the case folder's saker/").format(path=target),
                         _("write the invitation somewhere else, e.g. --ics mote.ics"))


def _ics_file(case, meeting, place, target: Optional[Path], with_agenda: bool) -> tuple[Path, bytes]:
    """Where the invitation goes and what it holds; the default place is checked like a chosen one."""
    from stafett.cli.clock import now
    from stafett.workflow.invitation import invitation
    from stafett.workflow.meetings import require_invitation_allowed

    require_invitation_allowed(case, meeting)
    path = target or Path.cwd() / f"{case.id}-{meeting.id}.ics"
    _check_ics_target(path, place, case.id)
    return path, invitation(case, meeting, place.people, now(), with_agenda=with_agenda,
                            malform=case.malform_in(place.settings))


def _write_ics(case, meeting, place, target: Optional[Path], with_agenda: bool) -> Path:
    from stafett.store.files import atomic_write

    path, data = _ics_file(case, meeting, place, target, with_agenda)
    atomic_write(path, data)
    return path


# --- content from a file or the editor -------------------------------------------------------------

def _read(case_id: str, folder: Optional[Path]):
    from stafett.folder import load_folder
    from stafett.store.cases import read_case

    return read_case(load_folder(folder).case_path(case_id)).model


def _read_file(path: Path, keys: tuple) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UsageError(_("cannot read {path}: {reason}").format(path=path, reason=e.strerror),
                         _("check the --file path")) from None
    return _parse(raw, str(path), keys)


def _parse(raw: bytes, label: str, keys: tuple) -> dict:
    from stafett.store import yamlio

    data, _raw = yamlio.load_mapping(raw, label)
    unknown = [k for k in data if k not in keys]
    if unknown:
        raise UsageError(_("unknown key '{key}' in {file}").format(key=unknown[0], file=label),
                         _("known keys: {keys}").format(keys=", ".join(keys)))
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _edit(template: str, name: str, keys: tuple) -> dict:
    """Like `git commit`: the editor gets a prefilled file; empty or unchanged aborts, writing nothing."""
    import shlex
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError(_("no content given and no editor set"), _("pass the content as flags or --file FILE, or set $EDITOR"))
    with tempfile.TemporaryDirectory(prefix="stafett-") as tmp:
        path = Path(tmp) / name
        path.write_text(template, encoding="utf-8", newline="\n")
        try:
            argv = shlex.split(editor, posix=os.name != "nt")
            if os.name == "nt":  # non-POSIX splitting keeps the quotes around "C:\Program Files\..." paths
                argv = [a[1:-1] if len(a) >= 2 and a[0] == a[-1] == '"' else a for a in argv]
            code = subprocess.run([*argv, str(path)]).returncode
        except OSError as e:
            raise UsageError(_("cannot start the editor '{editor}': {reason}").format(editor=editor, reason=e.strerror),
                             _("check $EDITOR")) from None
        if code != 0:
            raise StafettError(_("the editor exited with status {code}; nothing was written").format(code=code),
                               _("run the command again"))
        raw = path.read_bytes()
    text = raw.decode("utf-8", "replace").replace("\r\n", "\n")
    meaningful = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if text == template or not meaningful:
        raise StafettError(_("empty or unchanged template; nothing was written"),
                           _("fill in the template and save it to record it"))
    return _parse(raw, name, keys)


# --- values from flags, files and templates --------------------------------------------------------

def _text(value: Any, key: str) -> str:
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise UsageError(_("'{key}' must be text").format(key=key), _("write {key}: TEXT").format(key=key))
    return value


def _opt_text(value: Any, key: str) -> Optional[str]:
    return None if value in (None, "") else _text(value, key)


def _list(value: Any, key: str) -> list:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise UsageError(_("'{key}' must be a list").format(key=key),
                         _("write {key} as lines starting with '- '").format(key=key))
    return value


def _texts(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [_text(v, key) for v in _list(value, key) if v not in (None, "")]


def _int(value: Any, key: str) -> Optional[int]:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UsageError(_("'{key}' must be a number of minutes").format(key=key), _("write {key}: 60").format(key=key)) from None


def _when(value: Any, key: str) -> dt.datetime:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        raise UsageError(_("'{key}' needs a time of day too").format(key=key), _("write 'YYYY-MM-DD HH:MM'"))
    return parse_datetime(value, key)


def _split_note(spec: str) -> dict:
    item, sep, note = spec.partition("=")
    if not sep or not item.strip() or not note.strip():
        raise UsageError(_("cannot read --notat '{value}'").format(value=spec[:40]),
                         _("write 'ITEM=NOTE', where ITEM is the agenda item or its number"))
    return {"punkt": item.strip(), "notat": note.strip()}


def _split_task(spec: str) -> dict:
    parts = spec.split(",", 2)
    if len(parts) != 3 or not all(p.strip() for p in parts):
        raise UsageError(_("cannot read --oppgave '{value}'").format(value=spec[:40]),
                         _("write 'OWNER,YYYY-MM-DD,TASK', e.g. 'siri.dahl,2026-12-15,Ringe PPT'"))
    return {"ansvarlig": parts[0].strip(), "frist": parts[1].strip(), "tekst": parts[2].strip()}


def _note(value: Any) -> tuple[str, str]:
    if not isinstance(value, dict) or set(value) - {"punkt", "notat"}:
        raise UsageError(_("each note is {punkt: ITEM, notat: TEXT}"), _("check notater"))
    return _text(value.get("punkt", ""), "punkt"), _opt_text(value.get("notat"), "notat") or ""


def _task(value: Any) -> tuple[str, str, dt.date]:
    if not isinstance(value, dict) or set(value) - {"tekst", "ansvarlig", "frist"} or not all(value.get(k) for k in ("tekst", "ansvarlig", "frist")):
        raise UsageError(_("each task is {tekst: TEXT, ansvarlig: ID, frist: YYYY-MM-DD}"), _("check oppgaver"))
    deadline = value["frist"]
    if not isinstance(deadline, dt.date):
        deadline = parse_date(str(deadline), "frist")
    return _text(value["tekst"], "tekst"), _text(value["ansvarlig"], "ansvarlig"), deadline
