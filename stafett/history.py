"""The proof behind `validate --since REV`: since REV the record was only added to, every change of state
came with the log entry the command would have written, each new entry was written by the person who
committed it, and (when the kommune asks for it) every commit is signed with a staff key.

Codes (docs/rules.md):
  P001  a case file was deleted
  P002  a log entry was changed or removed
  P003  a referat was changed or removed
  P004  an evaluation was changed or removed
  P005  a state field changed without the log entry that proves it
  P006  protected history (the suspicion, consultations, consents, earlier holders) was changed or removed
  P007  a new log entry names another writer than the author of the commit that added it
  P008  a commit is not signed (signerte_commits)
  P009  a commit's signature is bad or from a key not listed in personer.yaml
  P010  a commit is signed with another person's key than its author's
  P011  personer.yaml changed someone's e-mail or signing keys in the range (warning)

Who is who (e-mail and keys) comes from personer.yaml as it was at REV, so a change cannot vouch for itself.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from stafett.errors import CaseFileError, StafettError
from stafett.findings import Finding, locate
from stafett.i18n import N_, _, date_text, time_text
from stafett.folder import CASES_DIR, find_root
from stafett.model import Case, People
from stafett.store import crypt, files, gitio, yamlio
from stafett.store.cases import parse_case

APPEND_HINT = N_("the log is append-only: restore the old text and add a correction as a new entry")
STATE_HINT = N_("make the change with the stafett command, which writes the log entry; or restore the old value")


def _when(t) -> str:
    """A log entry's time as the reader writes it (2026-11-23 14:00 in English)."""
    return f"{date_text(t.date())} {time_text(t)}"

# Each state field, and the log kinds of the commands that may change it.
STATE_FIELDS: dict[str, frozenset[str]] = {
    "niva": frozenset({"nivå", "oppnevning"}),
    "eier": frozenset(),
    "stafettholder": frozenset({"oppnevning", "overlevering", "koordinator"}),
    "tidligere_stafettholdere": frozenset({"oppnevning", "overlevering", "koordinator"}),
    "overlevering": frozenset({"overlevering", "samtykke"}),
    "koordinator_foresporsel": frozenset({"koordinator"}),
    "koordinator": frozenset({"koordinator"}),
    "tidligere_koordinatorer": frozenset({"koordinator"}),
    "individuell_plan": frozenset({"individuell_plan", "koordinator"}),
    "samtykker": frozenset({"samtykke"}),
    "deltakere": frozenset({"deltaker", "samtykke", "avsluttet", "koordinator", "oppnevning", "overlevering"}),
    "tiltak": frozenset({"tiltak", "evaluering", "avsluttet", "samtykke"}),
    "moter": frozenset({"møte", "referat", "avsluttet"}),
    "familie": frozenset({"deltaker"}),
    "eksterne": frozenset({"deltaker", "avsluttet", "samtykke"}),
    "status": frozenset({"avsluttet", "samtykke"}),
    "avsluttet": frozenset({"avsluttet", "samtykke"}),
    "voldsmistanke": frozenset({"voldsmistanke"}),
    "konsultasjoner": frozenset({"konsultasjon"}),
    "kopier": frozenset({"kopi"}),
    "journaluttrekk": frozenset({"kopi"}),
}


def _state(case: Case, field: str):
    """The part of a field that is state: for tiltak and meetings only what a command changes, not their texts."""
    if field == "tiltak":
        return [(t.id, t.status, t.slutt, t.ansvarlig, t.evalueres) for t in case.tiltak]
    if field == "moter":
        return [(m.id, m.tidspunkt, tuple(m.innkalt), m.avlyst is not None,
                 tuple(o.utfort is not None for o in (m.referat.oppgaver if m.referat else ()))) for m in case.moter]
    value = getattr(case, field)
    return value.model_dump() if hasattr(value, "model_dump") else (
        [v.model_dump() if hasattr(v, "model_dump") else v for v in value] if isinstance(value, list) else value)


@dataclass
class _File:
    shown: str
    root: object  # the composed YAML of the current file, to place findings on their line
    case: Case
    sealed: bool = False  # the file is encrypted (store/crypt.py): what it says in clear is its clear part

    def at(self, code: str, message: str, loc: tuple, hint: str, severity: str = "error") -> Finding:
        line, col = locate(self.root, loc) if self.root is not None else (1, 1)
        return Finding(code, message, path=self.shown, line=line, col=col, loc=loc, hint=hint, severity=severity)


def append_only_findings(rev: str, paths: list[Path], shown: Callable = str) -> list[Finding]:
    out: list[Finding] = []
    for target in paths:
        root = find_root(target if target.is_dir() else target.parent)
        top = gitio.top_level(root)
        commit = gitio.resolve(top, rev)
        folder = _folder_now(root)
        people = _at_rev(top, commit, root, "personer.yaml", People) or (folder.people if folder else People(personer=[]))
        for status, name in gitio.changed_since(top, commit, root / CASES_DIR):
            if not name.endswith(".yaml") or status == "A":
                continue
            old_raw = gitio.show(top, commit, name)
            if old_raw is None:
                continue
            path = top / name
            malform = folder.settings.malform if folder else "nb"
            out += _compare(old_raw, path if status != "D" else None, shown(path), rev, malform)
        out += _authorship(top, commit, root, people, shown)
        if folder is not None:
            out += _people_changes(root, people, folder.people, shown, rev)
        if _signing_required(top, commit, root, folder):
            out += _signatures(top, commit, people, rev)
    return out


# --- one file, REV against now -------------------------------------------------------------------

def _read_current(path: Path, shown: str) -> Optional[_File]:
    try:
        raw = files.read_regular(path)  # never a link, FIFO or device: validate reports those itself
        text = yamlio.decode(raw, shown)
        data, root = yamlio.compose_strict(text.text, shown)
        _data, _root, case = parse_case(raw, shown, view="clear")  # CI has no key: the clear part, for everyone
    except CaseFileError:
        return None  # validate reports the broken file itself
    return _File(shown, root, case, crypt.envelope_of(data) is not None)


def _compare(old_raw: bytes, path: Path | None, shown: str, rev: str, malform: str = "nb") -> list[Finding]:
    try:
        data, _root, old = parse_case(old_raw, shown, view="clear")
    except CaseFileError:
        return []  # the old version was already broken: nothing to prove against
    if path is None:
        return [Finding("P001", _("case file was deleted since {rev}").format(rev=rev), path=shown, line=1, col=1,
                        hint=_("a case is removed only through the documented retention purge"))]
    now = _read_current(path, shown)
    if now is None:
        return []
    if now.sealed and crypt.envelope_of(data) is None:
        # Encrypted since REV (stafett encrypt): the old side is compared as a keyless reader sees it now.
        try:
            old = Case.model_validate(crypt.masked(data))
        except ValueError:
            pass
    if old.versjon < now.case.versjon:
        # The upgrade is deterministic: replayed on the old side, a migration commit proves to change nothing.
        from stafett.migrate import migrate_case

        try:
            old = Case.model_validate(migrate_case(data, malform))
        except ValueError:
            pass  # an old record the upgrade cannot read is judged as it was
    return [*_records_kept(old, now, rev), *_state_proven(old, now, rev), *_protected_kept(old, now, rev)]


def _records_kept(old: Case, now: _File, rev: str) -> Iterable[Finding]:
    new = now.case
    for n, entry in enumerate(old.logg):
        if n >= len(new.logg):
            yield now.at("P002", _("log entry {n} of {rev} was removed").format(n=n + 1, rev=rev), ("logg",), _(APPEND_HINT))
            break
        if new.logg[n] != entry:
            yield now.at("P002", _("log entry {n} ({when}) was changed since {rev}").format(n=n + 1, when=_when(entry.tid), rev=rev),
                         ("logg", n), _(APPEND_HINT))
    new_meetings = {m.id: (i, m) for i, m in enumerate(new.moter)}
    for m in old.moter:
        if m.referat is None:
            continue
        if m.id not in new_meetings:
            yield now.at("P003", _("meeting '{meeting}' with its referat was removed since {rev}").format(meeting=m.id, rev=rev),
                         ("moter",), _(APPEND_HINT))
        elif not _referat_kept(m.referat, new_meetings[m.id][1].referat):
            yield now.at("P003", _("the referat of meeting '{meeting}' was changed since {rev}").format(meeting=m.id, rev=rev),
                         ("moter", new_meetings[m.id][0], "referat"), _(APPEND_HINT))
    new_tiltak = {t.id: (i, t) for i, t in enumerate(new.tiltak)}
    for t in old.tiltak:
        if not t.evalueringer:
            continue
        if t.id not in new_tiltak:
            yield now.at("P004", _("tiltak '{tiltak}' with its evaluations was removed since {rev}").format(tiltak=t.id, rev=rev),
                         ("tiltak",), _(APPEND_HINT))
            continue
        i, nt = new_tiltak[t.id]
        for k, ev in enumerate(t.evalueringer):
            if k >= len(nt.evalueringer) or nt.evalueringer[k] != ev:
                yield now.at("P004", _("evaluation {n} of tiltak '{tiltak}' was changed or removed since {rev}").format(
                    n=k + 1, tiltak=t.id, rev=rev),
                             ("tiltak", i, "evalueringer", min(k, max(len(nt.evalueringer) - 1, 0))), _(APPEND_HINT))
                break


def _referat_kept(before, after) -> bool:
    """A referat only gains the done marks of its tasks (stafett task done); a mark, once set, stays as it was."""
    if after is None or len(after.oppgaver) != len(before.oppgaver):
        return False
    if any(o.utfort is not None and n.utfort != o.utfort for o, n in zip(before.oppgaver, after.oppgaver)):
        return False

    def bare(r):
        return r.model_copy(update={"oppgaver": [o.model_copy(update={"utfort": None}) for o in r.oppgaver]})

    return bare(after) == bare(before)


def _state_proven(old: Case, now: _File, rev: str) -> Iterable[Finding]:
    """Every changed state field has, among the entries added since REV, one of the kinds its commands write."""
    new = now.case
    added = {e.type for e in new.logg[len(old.logg):]} if new.logg[: len(old.logg)] == old.logg else set()
    for field, kinds in STATE_FIELDS.items():
        if _state(old, field) != _state(new, field) and not (added & kinds):
            expected = _(" or ").join(sorted(kinds)) or _("none (it never changes)")
            yield now.at("P005", _("{field} changed since {rev} without the log entry a command writes ({expected})").format(
                field=field, rev=rev, expected=expected), (field,), _(STATE_HINT))
    if old.bekymring.mistanke_om_vold != new.bekymring.mistanke_om_vold:
        yield now.at("P005", _("bekymring.mistanke_om_vold changed since {rev}; the suspicion is raised or lowered "
                       "with stafett suspicion").format(rev=rev), ("bekymring", "mistanke_om_vold"), _(STATE_HINT))


def _protected_kept(old: Case, now: _File, rev: str) -> Iterable[Finding]:
    """History that only grows: no step, consultation, consent or earlier holder is removed or rewritten."""
    new = now.case
    hint = _("this history only grows: restore what was there and record the change as a new entry with its command")
    for field in ("voldsmistanke", "konsultasjoner", "tidligere_stafettholdere", "tidligere_koordinatorer"):
        before, after = getattr(old, field), getattr(new, field)
        if after[: len(before)] != before:
            yield now.at("P006", _("an entry in {field} was changed or removed since {rev}").format(field=field, rev=rev), (field,), hint)
    if old.konsultasjon is not None and new.konsultasjon != old.konsultasjon:
        yield now.at("P006", _("the consultation (konsultasjon) was changed or removed since {rev}").format(rev=rev), ("konsultasjon",)
                     if new.konsultasjon is not None else (), hint)
    new_consents = {s.id: (i, s) for i, s in enumerate(new.samtykker)}
    for s in old.samtykker:
        if s.id not in new_consents:
            yield now.at("P006", _("consent '{consent}' was removed since {rev}").format(consent=s.id, rev=rev), ("samtykker",), hint)
            continue
        i, ns = new_consents[s.id]
        # A consent gains its withdrawal, signatures and restrictions; nothing else about it changes, nothing is undone.
        grown = {"trukket": s.trukket, "medsignaturer": s.medsignaturer, "forbehold": s.forbehold}
        kept = all(getattr(ns, k)[: len(getattr(s, k))] == getattr(s, k) for k in ("medsignaturer", "forbehold"))
        if ns.model_copy(update=grown) != s or not kept or (s.trukket is not None and ns.trukket != s.trukket):
            yield now.at("P006", _("consent '{consent}' was changed since {rev}").format(consent=s.id, rev=rev), ("samtykker", i), hint)


# --- who wrote what ------------------------------------------------------------------------------

def _folder_now(root: Path):
    from stafett.folder import load_folder

    try:
        return load_folder(root)
    except StafettError:
        return None  # validate reports the broken folder files; the proof still runs on what it can


def _at_rev(top: Path, commit: str, root: Path, name: str, model: type):
    """A folder file as it was at REV: what a change in the range cannot vouch for itself (who is who, whether
    commits must be signed). None when it did not exist or did not read."""
    rel = (root / name).resolve().relative_to(top.resolve()).as_posix()
    raw = gitio.show(top, commit, rel)
    if raw is None:
        return None
    try:
        data, _root = yamlio.load_mapping(raw, rel)
        return model.model_validate(data)
    except (CaseFileError, ValueError):
        return None


def _entry_key(e) -> tuple:
    return (e.tid.isoformat(), e.av, e.type, e.tekst, e.registrert_av)


def _entries(raw: Optional[bytes], name: str) -> list:
    if raw is None:
        return []
    try:
        return parse_case(raw, name, view="clear")[2].logg
    except CaseFileError:
        return []


def _writer_ok(entry, email: str, people: People) -> bool:
    person = people.get(entry.writer)
    return person is not None and bool(person.epost) and person.epost.strip().lower() == email.strip().lower()


def _authorship(top: Path, base: str, root: Path, people: People, shown: Callable) -> list[Finding]:
    """P007: each log entry added in rev..HEAD (and in the working tree) was written by its commit's author."""
    out: list[Finding] = []
    cases_dir = root / CASES_DIR
    for commit, parents, email in gitio.commits_since(top, base):
        if not parents:
            continue
        names = {name for parent in parents for status, name in gitio.changed_in(top, parent, commit, cases_dir)
                 if status != "D" and name.endswith(".yaml")}
        for name in sorted(names):
            known = {_entry_key(e) for parent in parents for e in _entries(gitio.show(top, parent, name), name)}
            for e in _entries(gitio.show(top, commit, name), name):
                if _entry_key(e) not in known and not _writer_ok(e, email, people):
                    out.append(_misattributed(top / name, shown, e, email, _("commit {commit}").format(commit=commit[:10])))
    email = gitio.author_email(top)
    for status, name in gitio.changed_since(top, "HEAD", cases_dir) if _has_head(top) else []:
        path = top / name
        if status == "D" or not name.endswith(".yaml") or not path.is_file():
            continue
        known = {_entry_key(e) for e in _entries(gitio.show(top, "HEAD", name), name)}
        for e in _entries(path.read_bytes(), name):
            if _entry_key(e) not in known and not _writer_ok(e, email, people):
                out.append(_misattributed(path, shown, e, email, _("the uncommitted change (git's author)")))
    return out


def _has_head(top: Path) -> bool:
    return gitio.git(top, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0


def _misattributed(path: Path, shown: Callable, entry, email: str, where: str) -> Finding:
    who = entry.writer
    now = _read_current(path, shown(path)) if path.is_file() else None
    index = None
    if now is not None:
        index = next((n for n, e in enumerate(now.case.logg) if _entry_key(e) == _entry_key(entry)), None)
    loc = ("logg", index, "registrert_av" if entry.registrert_av else "av") if index is not None else ("logg",)
    message = _("log entry of {when} is written as {who}, but {where} is by {email}").format(
        when=_when(entry.tid), who=who, where=where, email=email or _("an unknown author"))
    hint = _("each person commits their own entries; an entry made for someone else is registered with "
             "--by ID --on-behalf, which names you both")
    if now is None:
        return Finding("P007", message, path=shown(path), line=1, col=1, hint=hint)
    return now.at("P007", message, loc, hint)


def _people_changes(root: Path, before: People, after: People, shown: Callable, rev: str) -> list[Finding]:
    """P011: changes to who is who are shown, since they decide what P007-P010 accept from now on."""
    path = root / "personer.yaml"
    out = []
    for p in after.personer:
        old = before.get(p.id)
        if old is not None and ((old.epost or "").lower() != (p.epost or "").lower() or old.ssh_nokler != p.ssh_nokler):
            out.append(Finding("P011", _("the e-mail or signing keys of {person} changed since {rev}").format(person=p.id, rev=rev),
                               path=shown(path), line=1, col=1, severity="warning",
                               hint=_("have someone other than the person check this change: it decides who may write as them")))
    return out


# --- signed commits ------------------------------------------------------------------------------

def _signing_required(top: Path, commit: str, root: Path, folder) -> bool:
    """Required when stafett.yaml asks for it now or asked for it at REV: a change cannot turn signing off for itself."""
    from stafett.model import Settings

    then = _at_rev(top, commit, root, "stafett.yaml", Settings)
    return any(s is not None and s.innstillinger.signerte_commits
               for s in (then, folder.settings if folder else None))


def _signatures(top: Path, base: str, people: People, rev: str) -> list[Finding]:
    out: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="stafett-signers-") as tmp:
        signers = Path(tmp) / "allowed_signers"
        signers.write_text(people.allowed_signers(), encoding="utf-8")
        verdicts = gitio.signatures_since(top, base, signers)
        for commit, _parents, email in gitio.commits_since(top, base):
            verdict, signer = verdicts.get(commit, ("N", ""))
            short = commit[:10]
            if verdict == "N":
                out.append(Finding("P008", _("commit {commit} since {rev} is not signed").format(commit=short, rev=rev),
                                   path="(git)", line=1, col=1,
                                   hint=_("sign commits with your SSH key: git config gpg.format ssh; "
                                          "git config user.signingkey KEY.pub; git config commit.gpgsign true")))
            elif verdict != "G":  # for SSH, U means a sound signature from a key not in the allowed-signers file
                out.append(Finding("P009", _("commit {commit} since {rev} has a bad signature or one from a key not in "
                                     "personer.yaml").format(commit=short, rev=rev), path="(git)", line=1, col=1,
                                   hint=_("sign with the key listed for you in personer.yaml (ssh_nokler)")))
            elif signer.lower() != email.strip().lower():
                out.append(Finding("P010", _("commit {commit} since {rev} is by {email} but signed with {signer}'s key").format(
                    commit=short, rev=rev, email=email, signer=signer),
                                   path="(git)", line=1, col=1, hint=_("each person signs their own commits")))
    return out
