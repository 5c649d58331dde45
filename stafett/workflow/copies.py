"""Copies sent (stafett copy): the witness of what left the record, to whom, in which version.

The routines tell the stafettholder to send the stafettlogg to the family and the partners after a meeting.
Each copy is recorded with the git commit the document was made from and the SHA-256 of the file that was
sent, so a later reader can tell exactly which text went out. A copy to the family is checked first: it
must be the family's edition, it must not go while suspected violence or abuse blocks family contact, and
the file itself must hold none of the protected texts of the case (everything only staff may read).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Iterable, Optional

from stafett.errors import DomainError, NotFound, UsageError
from stafett.i18n import N_, _, date_text
from stafett.model import Case
from stafett.model.audience import family_copy
from stafett.model.case import Kopi
from stafett.model.protection import blocked_at, worry_is_the_suspicion
from stafett.model.sharing import shared_with
from stafett.workflow.common import (
    FORESATTE, HOVEDPERSON, Context, day, people_word, fresh_id, log, new, not_future, require_involved,
)

FAMILY_EDITION = "foresatte"
FORMATS = {".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".txt": "tekst"}
# Shorter fragments of a protected text could stand in any document by chance.
MIN_FRAGMENT = 10


def _labels(*keys: str) -> tuple[str, ...]:
    """Words the documents show, in both målformer, from the render's labels (the catalogs); read when a copy
    is checked, so `status` never loads the render."""
    from stafett.render.labels import labels_for

    return tuple(labels_for(lang)[key] for key in keys for lang in ("nb", "nn"))


# Labels only a staff copy shows, and the line every family copy carries.
PROTECTED_LABELS = ("voldsmistanke", "konsultasjoner")
FAMILY_BANNERS = ("kopi_foresatte",)


def family_side(case: Case) -> set[str]:
    """Everyone a copy reaches at home: the foresatte, family and network, and the hovedperson."""
    return {f.id for f in case.foresatte} | {f.id for f in case.familie} | {HOVEDPERSON}


def recipients(case: Case, ctx: Context, ids: Iterable[str]) -> list[str]:
    """Recipient ids as given ('foresatte' for every foresatt), each one known to the case or the folder."""
    guardians = [f.id for f in case.foresatte]
    known = set(family_side(case)) | {e.id for e in case.eksterne}
    out: list[str] = []
    for raw in map(people_word, ids):
        for one in (guardians if raw == FORESATTE else [raw]):
            if one not in known and ctx.people.get(one) is None:
                raise NotFound(_("unknown recipient '{recipient}'").format(recipient=one),
                               _("use a staff id, a foresatt, familie or eksterne id from the case, 'hovedperson' or 'foresatte'"))
            if one not in out:
                out.append(one)
    if not out:
        raise UsageError(_("a copy needs a recipient"), _("add --til ID"))
    return out


def format_of(suffix: str) -> str:
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        raise UsageError(_("stafett cannot tell the format of a '{suffix}' file").format(suffix=suffix or _("no suffix")),
                         _("send the file stafett rendered: .md, .html, .pdf or .txt"))
    return fmt


# --- what only staff may read --------------------------------------------------------------------

def _normal(text: str) -> str:
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return " ".join(re.sub(r"[*_`]", "", text).split()).casefold()


def _plain(text: str) -> str:
    from stafett.render.journal import plain_blocks

    return " ".join(b[1] for b in plain_blocks(text)) or text


def _texts(case: Case) -> list[str]:
    """Every free text a render may show from this case (family-visible or not)."""
    out = [case.bekymring.beskrivelse or ""]
    out += [h.grunn for h in case.voldsmistanke]
    out += [x for k in case.konsultasjoner for x in (k.konsultert, k.rad)]
    out += [case.konsultasjon.rad or ""] if case.konsultasjon else []
    out += [e.tekst for e in case.logg] + [k.tekst for k in case.kartlegginger]
    for m in case.moter:
        r = m.referat
        out += list(m.dagsorden)
        if r is not None:
            out += [n.notat for n in r.notater] + list(r.beslutninger) + [o.tekst for o in r.oppgaver]
            out += [r.barnets_stemme or "", r.barnets_stemme_mangler or ""]
    return [t for t in out if t]


def protected_texts(case: Case) -> list[str]:
    """The texts a staff copy shows and the family's never does (model/audience.py decides which)."""
    family = family_copy(case)
    visible = {_normal(_plain(t)) for t in _texts(family)}
    hidden = [t for t in _texts(case) if _normal(_plain(t)) not in visible]
    if worry_is_the_suspicion(case) and case.bekymring.beskrivelse:
        hidden.append(case.bekymring.beskrivelse)
    return hidden


def _fragments(text: str) -> list[str]:
    plain = _normal(_plain(text))
    pieces = [p.strip() for p in re.split(r"(?<=[.!?:;])\s+", plain)]
    return [p for p in pieces if len(p) >= MIN_FRAGMENT] or ([plain] if len(plain) >= MIN_FRAGMENT else [])


def leaks(case: Case, document: str) -> list[str]:
    """Protected texts (a short start of each) found in the document's text."""
    doc = _normal(document)
    visible = _normal(" ".join(_plain(t) for t in _texts(family_copy(case))))
    found = [label for label in _labels(*PROTECTED_LABELS) if label.casefold() in doc]
    for text in protected_texts(case):
        if any(f in doc and f not in visible for f in _fragments(text)):
            found.append(" ".join(_plain(text).split())[:30])
    return found


def check_family_copy(case: Case, kopi_for: str, document: Optional[str]) -> None:
    if blocked_at(case) is not None:
        raise DomainError(_("suspected violence or abuse is flagged: no copy goes to the family until a consultation "
                            "with barnevern or politi has cleared contact"),
                          _("record the advice first: stafett suspicion consult {case} ... --familiekontakt klarert").format(
                              case=case.id))
    if kopi_for != FAMILY_EDITION:
        raise DomainError(_("a copy to the family must be the family's edition, not '{edition}'").format(edition=kopi_for),
                          _("render it with --for foresatte and record it with --for foresatte"))
    if document is None:
        raise DomainError(_("stafett cannot read the text of this file to check it for protected content"),
                          _("send the family an .md or .html copy, or install pdftotext (poppler-utils) for a PDF"))
    doc = _normal(document)
    if not any(b.casefold() in doc for b in _labels(*FAMILY_BANNERS)):
        raise DomainError(_("the file is not a family copy (it lacks the line 'Kopi til foresatte'): it may hold what "
                            "only staff may read"), _("render it with: stafett render {case} --for foresatte").format(case=case.id))
    found = leaks(case, document)
    if found:
        raise DomainError(_("the file holds protected content that only staff may read ({fragment!r}); nothing recorded").format(
                              fragment=found[0]),
                          _("render the family's copy again with --for foresatte and send that file"))


# --- recording --------------------------------------------------------------------------------------

def record_copy(case: Case, ctx: Context, *, til: Iterable[str], dokument: str, mote: Optional[str], kopi_for: str,
                fmt: str, commit: Optional[str], sha256: str, kanal: str, dato: dt.date,
                document: Optional[str]) -> Case:
    """Record one copy sent; `document` is the file's text, for the family check."""
    require_involved(case, ctx, _("record a copy sent"))
    not_future(dato, ctx, _("the copy's date"))
    who = recipients(case, ctx, til)
    meeting = _meeting(case, dokument, mote, dato)
    home = family_side(case)
    if kopi_for == FAMILY_EDITION or home & set(who):
        check_family_copy(case, kopi_for, document)
    for one in who:
        _require_may_receive(case, ctx, one, dato)
    kopi = new(Kopi, id=fresh_id(case, "ko"), dato=dato, til=who, dokument=dokument, mote=meeting, kopi_for=kopi_for,
               format=fmt, commit=commit, sha256=sha256, kanal=kanal, sendt_av=ctx.actor)
    return log(case.model_copy(update={"kopier": [*case.kopier, kopi]}), ctx, "kopi", _text(case, ctx, kopi))


def _meeting(case: Case, dokument: str, mote: Optional[str], dato: dt.date) -> Optional[str]:
    if dokument != "referat":
        if mote is not None:
            raise UsageError(_("--mote goes with --dokument referat only"), _("drop --mote"))
        return None
    if mote is None:
        raise UsageError(_("a referat copy names its meeting"), _("add --mote ID"))
    found = next((m for m in case.moter if m.id == mote), None)
    if found is None:
        raise NotFound(_("no meeting '{meeting}' in case {case}").format(meeting=mote, case=case.id),
                       _("known: {ids}").format(ids=", ".join(m.id for m in case.moter) or _("none")))
    if found.referat is None:
        raise DomainError(_("meeting {meeting} has no referat yet").format(meeting=mote), _("write the referat before sending it"))
    if dato < found.tidspunkt.date():
        raise DomainError(_("the copy's date ({date}) is before the meeting ({meeting_date})").format(
            date=date_text(dato), meeting_date=date_text(found.tidspunkt.date())), _("check --dato"))
    return mote


def _require_may_receive(case: Case, ctx: Context, one: str, dato: dt.date) -> None:
    """Staff and external partners outside the case's own services get a copy only under consent."""
    person = ctx.people.get(one)
    ekstern = next((e for e in case.eksterne if e.id == one), None)
    service = person.tjeneste if person else ekstern.instans if ekstern else None
    if service is not None and not shared_with(case, ctx.people, service, dato):
        raise DomainError(_("no active consent covers '{service}' on {date}, so {recipient} may not receive a copy").format(
                              service=service, date=date_text(dato), recipient=one),
                          _("record the family's consent first: stafett consent add {case} --omfang {service} ...").format(
                              case=case.id, service=service))


def _name(case: Case, ctx: Context, one: str) -> str:
    for item in (*case.foresatte, *case.familie):
        if item.id == one:
            return f"{item.navn} ({item.relasjon})"
    ekstern = next((e for e in case.eksterne if e.id == one), None)
    if ekstern is not None:
        return f"{ekstern.navn} ({ekstern.virksomhet or ekstern.instans})"
    if one == HOVEDPERSON:
        return ctx.tr("the hovedperson")
    return ctx.name(one)


# Log-text fragments (English msgids; the log reads them in the case's målform through ctx.tr).
DOCUMENTS = {"stafettlogg": N_("the stafettlogg"), "referat": N_("the referat"),
             "journalnotat": N_("the journalnotat"), "individuell_plan": N_("the individual plan")}
EDITIONS = {"tjenester": N_("the services' edition"), "foresatte": N_("the foresatte's edition"),
            "anonymisert": N_("anonymised edition")}
CHANNELS = {"epost": N_("sent by e-mail"), "post": N_("sent by post"), "svarut": N_("sent through SvarUt"),
            "digipost": N_("sent through Digipost"), "overlevert": N_("handed over")}


def _text(case: Case, ctx: Context, k: Kopi) -> str:
    names = ", ".join(_name(case, ctx, one) for one in k.til)
    version = f"commit {k.commit[:7]}, " if k.commit else ""
    return ctx.tr("Copy of {document} ({edition}, {format}) to {names}, {channel} {date}. Version: {version}SHA-256 {sha}.").format(
        document=ctx.tr(DOCUMENTS[k.dokument]), edition=ctx.tr(EDITIONS[k.kopi_for]), format=k.format, names=names,
        channel=ctx.tr(CHANNELS[k.kanal]), date=day(k.dato, ctx), version=version, sha=k.sha256[:12])


# --- status: who has not had the stafettlogg since the last meeting ----------------------------------

def latest_meeting(case: Case):
    """The last meeting held with a referat written: after it the stafettholder sends the stafettlogg."""
    held = [m for m in case.moter if m.referat is not None and m.avlyst is None]
    return max(held, key=lambda m: m.tidspunkt.replace(tzinfo=None), default=None)


def owed(case: Case, today: dt.date) -> list[str]:
    """Who should have had the stafettlogg after the last meeting and has no copy dated on or after it:
    the foresatte (unless suspected violence or abuse blocks family contact) and the partners in the
    cooperation on the meeting's day (staff participants; external partners while a consent covers them),
    not the stafettholder who sends it."""
    meeting = latest_meeting(case)
    if meeting is None:
        return []
    day = meeting.tidspunkt.date()
    sent = {one for k in case.kopier if k.dokument == "stafettlogg" and k.dato >= day for one in k.til}
    want: list[str] = []
    if blocked_at(case) is None:
        want += [f.id for f in case.foresatte]
    holder = case.baton_holder()
    for d in case.deltakere:
        if d.person != holder and d.fra <= day and (d.til is None or d.til >= day):
            want.append(d.person)
    for e in case.eksterne:
        covered = any(e.instans in s.omfang and s.active_on(today) for s in case.samtykker)
        if e.fra <= day and (e.til is None or e.til >= day) and covered:
            want.append(e.id)
    return [one for one in dict.fromkeys(want) if one not in sent]


def copies_owed(case: Case, settings, today: dt.date, people=None) -> list:
    """A status item for the stafettholder naming the partners still without the latest stafettlogg."""
    from stafett.workflow.names import listed
    from stafett.workflow.status import Todo, _holders

    missing = owed(case, today)
    if not missing:
        return []
    meeting = latest_meeting(case)
    return [Todo(case.id, "kopi", _("stafettlogg not sent after meeting {meeting} ({date}) "
                                    "to: {recipients} (record it with: stafett copy {case} ...)").format(
                                      meeting=meeting.id, date=date_text(meeting.tidspunkt.date()),
                                      recipients=", ".join(listed(case, people, one) for one in missing),
                                      case=case.id),
                 who=_holders(case))]


CHECKS: list = [copies_owed]
