"""Meetings: planning a samarbeidsmøte, evalueringsmøte or ansvarsgruppemøte, and its referat.

The stafettholder "inviterer til samarbeidsmøte, står for dagsorden og møteleiing", "sørger for at
referat skrives" and "sender kopi til føresette og samarbeidspartar" (Gloppen, Rutine Stafettholder).
A referat says who was there and who was not, what was said per agenda item, what was decided, who does
what by when, the child's voice (or why it is missing), the next meeting, and who got a copy
(Lyngdal møtemal; Statsforvalteren on ansvarsgruppe referat). Staff from services outside the case
attend only with consent covering their service; with suspected violence or abuse the family is not
invited before barnevern or politi is consulted.

A planned meeting can be moved (the invitation is sent again with the same UID and a higher SEQUENCE,
so calendars update the event instead of adding one) or cancelled; a cancelled meeting needs no
referat. A referat rests on the consents that covered the meeting (several when the services came in
under different ones), and each task in it gets an id so it can be ticked off (stafett/workflow/tasks.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from stafett.errors import DomainError, UsageError
from stafett.i18n import N_, _, date_text
from stafett.model import Case
from stafett.model.case import ID_LISTS, STAFETTLOGG_SCOPE, Avlysning, Mote, MoteUtsatt, Notat, Oppgave, Referat
from stafett.model.common import new_item_id
from stafett.model.protection import naive
from stafett.workflow.common import (
    Context, active_koordinator, clock, covering_consent, day, expand_people, family_contact_blocked, family_ids,
    find_item, fresh_id, leads, log, moment, new, not_future, period, replaced, require_family_contact_allowed, require_involved, require_open,
    require_staff_consent, short,
)
from stafett.workflow.names import person

TYPES = ("samarbeidsmøte", "evalueringsmøte", "ansvarsgruppemøte")
TYPE_ALIASES = {"samarbeidsmote": "samarbeidsmøte", "evalueringsmote": "evalueringsmøte",
                "ansvarsgruppemote": "ansvarsgruppemøte"}


def meeting_type(value: str) -> str:
    value = TYPE_ALIASES.get(value, value)
    if value not in TYPES:
        raise UsageError(_("unknown meeting type '{value}'").format(value=value),
                         _("use one of: {known}").format(known=", ".join(TYPES)))
    return value


@dataclass
class Plan:
    type: str
    tidspunkt: dt.datetime
    sted: str
    leder: Optional[str] = None
    referent: Optional[str] = None
    innkalt: list[str] = field(default_factory=list)
    dagsorden: list[str] = field(default_factory=list)
    varighet_min: Optional[int] = None


@dataclass
class Minutes:
    tilstede: list[str]
    fravaerende: Optional[list[str]] = None  # None: everyone invited who was not present
    notater: list[tuple[str, str]] = field(default_factory=list)  # (agenda item or its number, note)
    beslutninger: list[str] = field(default_factory=list)
    oppgaver: list[tuple[str, str, dt.date]] = field(default_factory=list)  # (text, responsible, deadline)
    barnets_stemme: Optional[str] = None
    barnets_stemme_mangler: Optional[str] = None
    neste_mote: Optional[dt.datetime] = None
    kopi_til: list[str] = field(default_factory=list)
    samtykker: list[str] = field(default_factory=list)  # empty: the consent that covered the stafettlogg that day


def plan_meeting(case: Case, ctx: Context, plan: Plan) -> Case:
    require_open(case)
    require_involved(case, ctx, N_("plan a meeting"))
    kind = meeting_type(plan.type)
    if not plan.sted.strip():
        raise UsageError(_("a meeting needs a place"), _("add --sted TEXT (a room, an address, or 'Teams')"))
    leader = plan.leder or _default_leader(case, kind)
    ctx.person(leader, N_("meeting leader"))
    referent = plan.referent or leader
    ctx.person(referent, N_("referent"))
    invited = expand_people(case, ctx, [*plan.innkalt, leader, referent], N_("the invitation"))
    if family_ids(case) & set(invited):
        require_family_contact_allowed(case, N_("inviting the family"))
    for who in invited:
        if ctx.people.get(who) is not None:
            # Inviting a service shares the case with it: the consent must cover it now, not only on the day.
            require_staff_consent(case, ctx, who, ctx.today, _("inviting {person}").format(person=ctx.name(who)))
    agenda = [item.strip() for item in plan.dagsorden if item.strip()]
    if plan.varighet_min is not None and not 5 <= plan.varighet_min <= 600:
        raise UsageError(_("a meeting of {minutes} minutes").format(minutes=plan.varighet_min),
                         _("give --varighet between 5 and 600 minutes"))
    meeting_id = fresh_id(case, "mo")
    number = len(case.moter) + 1
    meeting = new(Mote, id=meeting_id, type=kind, nummer=number, tidspunkt=plan.tidspunkt.replace(second=0, microsecond=0),
                  varighet_min=plan.varighet_min, sted=plan.sted.strip(), leder=leader, referent=referent,
                  innkalt=invited, dagsorden=agenda)
    names = ", ".join(person(case, ctx, who, ctx.tr) for who in invited)
    tekst = ctx.tr("{kind} no. {number} ({meeting}) called for {time}, {place}. Chair: {leader}. Invited: {names}.").format(
        kind=kind.capitalize(), number=number, meeting=meeting_id, time=clock(plan.tidspunkt, ctx), place=plan.sted.strip(),
        leader=ctx.name(leader), names=names)
    return log(case.model_copy(update={"moter": [*case.moter, meeting]}), ctx, "møte", tekst)


def require_invitation_allowed(case: Case, meeting: Mote) -> None:
    """An invitation that reaches the family is family contact: it waits while the violence block holds.
    So does a cancellation, though the meeting itself may be cancelled without one (--no-ics)."""
    if not family_ids(case) & set(meeting.innkalt):
        return
    if meeting.avlyst is not None and family_contact_blocked(case):
        raise DomainError(_("suspected violence or abuse is flagged: sending the cancellation to the family waits until "
                            "a consultation with barnevern or politi has cleared contact with the family"),
                          _("cancel without the invitation (--no-ics) and ask barnevern or politi how the family is told"))
    require_family_contact_allowed(case, N_("sending the invitation to the family"))


def _default_leader(case: Case, kind: str) -> str:
    if kind == "ansvarsgruppemøte" and case.koordinator is not None:
        return case.koordinator.person  # "Inviterer inn til ansvarsgruppemøter, ha ansvar for agenda, møteledelse og referat"
    return case.baton_holder()


def record_referat(case: Case, ctx: Context, meeting_id: str, minutes: Minutes) -> Case:
    require_open(case)
    require_involved(case, ctx, N_("write a referat"))
    index, meeting = find_item(case.moter, meeting_id, N_("meeting"), case)
    if meeting.referat is not None:
        raise DomainError(_("meeting {meeting} has a referat already (written {date})").format(
                              meeting=meeting_id, date=date_text(meeting.referat.skrevet)),
                          _("correct it in the case file and log why: stafett log CASE TEXT --type retting"))
    if meeting.avlyst is not None:
        raise DomainError(_("meeting {meeting} was cancelled ({date}); a cancelled meeting has no referat").format(
                              meeting=meeting_id, date=date_text(meeting.avlyst.tid.date())),
                          _("plan a new meeting: stafett meeting plan {case} ...").format(case=case.id))
    if meeting.tidspunkt.date() > ctx.today:  # the day, not the hour: a referat is often written in the meeting
        raise DomainError(_("meeting {meeting} is on {when}, which has not happened yet").format(
                              meeting=meeting_id, when=moment(meeting.tidspunkt)),
                          _("write the referat after the meeting"))
    on = meeting.tidspunkt.date()
    present = expand_people(case, ctx, minutes.tilstede, "tilstede")
    if not present:
        raise UsageError(_("a referat says who was present"),
                         _("add --tilstede ID for each (staff, foresatt id, hovedperson, foresatte)"))
    if minutes.fravaerende is None:
        absent = [who for who in meeting.innkalt if who not in present]
    else:
        absent = expand_people(case, ctx, minutes.fravaerende, "fravaerende")
        both = set(absent) & set(present)
        if both:
            raise UsageError(_("{people} cannot be both present and absent").format(people=", ".join(sorted(both))),
                             _("check --tilstede and --fravaerende"))
    if family_ids(case) & set(present):
        require_family_contact_allowed(case, N_("a meeting with the family"))
    for who in present:
        if ctx.people.get(who) is not None:
            require_staff_consent(case, ctx, who, on, _("{person} taking part in the meeting").format(person=ctx.name(who)))
    copies = expand_people(case, ctx, minutes.kopi_til, "kopi_til")
    if family_ids(case) & set(copies):
        require_family_contact_allowed(case, N_("sending the referat to the family"))
    for who in copies:
        if ctx.people.get(who) is not None:
            require_staff_consent(case, ctx, who, ctx.today, _("sending the referat to {person}").format(person=ctx.name(who)))
    voice, missing = (minutes.barnets_stemme or "").strip(), (minutes.barnets_stemme_mangler or "").strip()
    if not voice and not missing:
        raise UsageError(_("the referat needs the child's voice, or why it is missing"),
                         _("add --barnets-stemme TEXT or --barnets-stemme-mangler TEXT"))
    notes = [_note(meeting.dagsorden, item, text) for item, text in minutes.notater if text.strip()]
    tasks: list[Oppgave] = []
    for text, owner, deadline in minutes.oppgaver:
        ctx.person(owner, N_("task owner"))
        if deadline < on:
            raise DomainError(_("the task deadline {deadline} is before the meeting ({date})").format(
                                  deadline=date_text(deadline), date=date_text(on)), _("check the task's deadline"))
        tasks.append(new(Oppgave, id=_task_id(case, {t.id for t in tasks}), tekst=text, ansvarlig=owner, frist=deadline))
    if minutes.neste_mote is not None and minutes.neste_mote <= meeting.tidspunkt:
        raise DomainError(_("the next meeting ({when}) is not after this one").format(when=moment(minutes.neste_mote)),
                          _("check --neste-mote"))
    consents = _meeting_consents(case, minutes.samtykker, on)
    referat = new(Referat, skrevet=ctx.today, skrevet_av=ctx.actor, tilstede=present, fravaerende=absent,
                  notater=notes, beslutninger=[b.strip() for b in minutes.beslutninger if b.strip()], oppgaver=tasks,
                  barnets_stemme=voice or None, barnets_stemme_mangler=None if voice else missing,
                  neste_mote=minutes.neste_mote.replace(second=0, microsecond=0) if minutes.neste_mote else None,
                  kopi_til=copies, samtykker=consents)
    not_future(referat.skrevet, ctx, N_("the referat's date"))
    kind = meeting.type
    tekst = ctx.tr("Referat of {kind} no. {number} ({meeting}) {date}: {present} present, {decisions} decision(s), "
                   "{tasks} task(s).").format(kind=kind, number=meeting.nummer or index + 1, meeting=meeting_id, date=day(on, ctx),
                                              present=len(present), decisions=len(referat.beslutninger), tasks=len(tasks))
    if not voice:
        tekst += ctx.tr(" The child's voice is missing: {reason}").format(reason=period(missing))
    if copies:
        tekst += ctx.tr(" Copy to: ") + ", ".join(person(case, ctx, who, ctx.tr) for who in copies) + "."
    if minutes.neste_mote:
        tekst += ctx.tr(" Next meeting {time}.").format(time=clock(minutes.neste_mote, ctx))
    moter = replaced(case.moter, index, meeting.model_copy(update={"referat": referat}))
    return log(case.model_copy(update={"moter": moter}), ctx, "referat", tekst)


def _meeting_consents(case: Case, given: list[str], on: dt.date) -> list[str]:
    """The consents named, each of which covered the meeting's day; none named: the one covering the stafettlogg."""
    if not given:
        consent = covering_consent(case, STAFETTLOGG_SCOPE, on)
        return [consent.id] if consent else []
    out: list[str] = []
    for consent_id in given:
        _index, consent = find_item(case.samtykker, consent_id.strip(), N_("consent"), case)
        if not consent.active_on(on):
            raise DomainError(_("consent {consent} was not in force on {date}, the day of the meeting").format(
                                  consent=consent.id, date=date_text(on)),
                              _("name the consents that covered the meeting (stafett consent add records a new one)"))
        if consent.id not in out:
            out.append(consent.id)
    return out


def _task_id(case: Case, taken: set) -> str:
    """A random id no item or task in the case has (tasks are not in ID_LISTS: they live inside a referat)."""
    used = taken | {item.id for key in ID_LISTS for item in getattr(case, key)}
    used |= {o.id for m in case.moter if m.referat for o in m.referat.oppgaver if o.id}
    while True:
        candidate = new_item_id("o")
        if candidate not in used:
            return candidate


# --- moving and cancelling -------------------------------------------------------------------------

def postpone_meeting(case: Case, ctx: Context, meeting_id: str, *, til: dt.datetime, grunn: str) -> Case:
    """Move a meeting that has not been held to a new time, keeping where it was and why it moved."""
    require_open(case)
    index, meeting = find_item(case.moter, meeting_id, N_("meeting"), case)
    _require_organizer(case, ctx, meeting, N_("move it"))
    _require_not_held(case, meeting, "moved")
    reason = _reason(grunn, "moved")
    til = til.replace(second=0, microsecond=0)
    if til == meeting.tidspunkt:
        raise UsageError(_("meeting {meeting} is already at {when}").format(meeting=meeting_id, when=moment(til)),
                         _("give the new time with --til"))
    if naive(til) < naive(ctx.now):
        raise DomainError(_("the new time {when} has passed").format(when=moment(til)),
                          _("give a time ahead: --til 'YYYY-MM-DD HH:MM'"))
    if family_ids(case) & set(meeting.innkalt):
        require_family_contact_allowed(case, N_("moving a meeting with the family"))
    for who in meeting.innkalt:
        if ctx.people.get(who) is not None:
            require_staff_consent(case, ctx, who, ctx.today, _("inviting {person} again").format(person=ctx.name(who)))
    step = new(MoteUtsatt, tid=ctx.now.replace(microsecond=0), fra=meeting.tidspunkt, til=til, grunn=reason, av=ctx.actor)
    moved = meeting.model_copy(update={"tidspunkt": til, "utsettelser": [*meeting.utsettelser, step]})
    name = _name(meeting, index)
    tekst = ctx.tr("{meeting} is moved from {old} to {new}. Reason: {reason}").format(
        meeting=name, old=clock(meeting.tidspunkt, ctx), new=clock(til, ctx), reason=period(short(reason, 200)))
    return log(case.model_copy(update={"moter": replaced(case.moter, index, moved)}), ctx, "møte", tekst)


def cancel_meeting(case: Case, ctx: Context, meeting_id: str, *, grunn: str) -> Case:
    """Cancel a meeting that has not been held; it then needs no referat."""
    require_open(case)
    index, meeting = find_item(case.moter, meeting_id, N_("meeting"), case)
    _require_organizer(case, ctx, meeting, N_("cancel it"))
    _require_not_held(case, meeting, "cancelled")
    reason = _reason(grunn, "cancelled")
    cancelled = meeting.model_copy(update={"avlyst": new(Avlysning, tid=ctx.now.replace(microsecond=0), grunn=reason,
                                                         av=ctx.actor)})
    name = _name(meeting, index)
    tekst = ctx.tr("{meeting} {time} is cancelled. Reason: {reason}").format(
        meeting=name, time=clock(meeting.tidspunkt, ctx), reason=period(short(reason, 200)))
    return log(case.model_copy(update={"moter": replaced(case.moter, index, cancelled)}), ctx, "møte", tekst)


def _require_organizer(case: Case, ctx: Context, meeting: Mote, action: str) -> None:
    """The stafettholder (or koordinator) calls meetings and the leader leads this one: they move or cancel it."""
    holder = case.baton_holder()
    if ctx.actor in {meeting.leder, holder, active_koordinator(case)} or leads(ctx, ctx.actor, holder):
        return
    raise DomainError(_("only the meeting's leader ({leader}), the one holding the baton ({holder}) or the "
                        "koordinator can {action}").format(leader=meeting.leder, holder=holder, action=_(action)),
                      _("ask {name} to do it, or pass --by {leader} --on-behalf if you act for them").format(
                          name=ctx.name(meeting.leder), leader=meeting.leder))


_HELD = {"moved": N_("meeting {meeting} was held on {date} and has its referat; it cannot be moved"),
         "cancelled": N_("meeting {meeting} was held on {date} and has its referat; it cannot be cancelled")}
_WHY = {"moved": N_("say why the meeting is moved"), "cancelled": N_("say why the meeting is cancelled")}


def _require_not_held(case: Case, meeting: Mote, what: str) -> None:
    """`what`: 'moved' or 'cancelled'."""
    if meeting.avlyst is not None:
        raise DomainError(_("meeting {meeting} was cancelled on {date}").format(
                              meeting=meeting.id, date=date_text(meeting.avlyst.tid.date())),
                          _("plan a new meeting: stafett meeting plan {case} ...").format(case=case.id))
    if meeting.referat is not None:
        raise DomainError(_(_HELD[what]).format(meeting=meeting.id, date=date_text(meeting.tidspunkt.date())),
                          _("plan a new meeting: stafett meeting plan {case} ...").format(case=case.id))


def _reason(grunn: str, what: str) -> str:
    """`what`: 'moved' or 'cancelled'."""
    reason = (grunn or "").strip()
    if not reason:
        raise UsageError(_(_WHY[what]), _("add --grunn TEXT"))
    return reason


def _name(meeting: Mote, index: int) -> str:
    return f"{meeting.type.capitalize()} nr. {meeting.nummer or index + 1} ({meeting.id})"


def _note(agenda: list[str], item: str, text: str) -> Notat:
    """A note per agenda item; the item may be given by its number (1 is the first)."""
    item = item.strip()
    if item.isdigit():
        n = int(item)
        if not 1 <= n <= len(agenda):
            raise UsageError(_("the agenda has no item {n}").format(n=n),
                             _("number the items 1 to {last}, or write the item's text").format(last=len(agenda)))
        item = agenda[n - 1]
    if not item:
        raise UsageError(_("a note needs its agenda item"), _("write --notat 'ITEM=NOTE' (ITEM may be the item's number)"))
    return new(Notat, punkt=item, notat=text.strip())


# --- templates for $EDITOR -------------------------------------------------------------------------

def plan_template(case: Case, *, kind: str = "samarbeidsmøte", tidspunkt: Optional[dt.datetime] = None,
                  sted: Optional[str] = None, leder: Optional[str] = None, referent: Optional[str] = None,
                  innkalt: tuple[str, ...] = (), dagsorden: tuple[str, ...] = (), varighet_min: Optional[int] = None) -> str:
    """A prefilled meeting plan to edit, like a git commit message: '#' lines are help."""
    kind = meeting_type(kind)
    leader = leder or _default_leader(case, kind)
    guardians = [f.id for f in case.foresatte]
    lines = [
        "# " + _("Plan a meeting in case {case}. Lines starting with '#' are ignored.").format(case=case.id),
        "# " + _("Save and close to plan it; leave the file empty or unchanged to abort."),
        "#",
        # TRANSLATORS: keep "# " at the start of the second line: it makes the line a comment in the file.
        "# " + _("People are ids: staff from personer.yaml, foresatte ({ids}),\n# 'hovedperson', or 'foresatte' for "
                 "every foresatt.").format(ids=", ".join(guardians) or _("none")),
        f"type: {kind}            # " + _("samarbeidsmøte, evalueringsmøte or ansvarsgruppemøte"),
        f"tidspunkt: {tidspunkt:%Y-%m-%d %H:%M}" if tidspunkt else "tidspunkt: ''         # YYYY-MM-DD HH:MM",
        f"varighet_min: {varighet_min or 60}",
        f"sted: {_scalar(sted)}",
        f"leder: {leader}",
        f"referent: {referent or leader}",
        "innkalt:",
        *[f"  - {who}" for who in (innkalt or guardians)],
        "dagsorden:              # " + _("the agenda, one item a line"),
        *[f"  - {_scalar(item)}" for item in dagsorden],
        "",
    ]
    return "\n".join(lines)


def referat_template(case: Case, meeting_id: str) -> str:
    _index, meeting = find_item(case.moter, meeting_id, N_("meeting"), case)
    lines = [
        # TRANSLATORS: keep "# " at the start of the second line: it makes the line a comment in the file.
        "# " + _("Referat from {type} nr. {number} ({meeting}) in case {case},\n# {when}, {place}. Lines starting "
                 "with '#' are ignored.").format(type=meeting.type, number=meeting.nummer or "?", meeting=meeting.id,
                                                 case=case.id, when=moment(meeting.tidspunkt), place=meeting.sted),
        "# " + _("Save and close to record it; leave the file empty or unchanged to abort."),
        "#",
        # TRANSLATORS: keep "# " at the start of the second line: it makes the line a comment in the file.
        "# " + _("People are ids (staff, foresatt ids, 'hovedperson'). Remove who was not there from tilstede;\n"
                 "# fravaerende may stay empty: everyone invited who was not present is recorded as absent."),
        "tilstede:",
        *[f"  - {who}" for who in meeting.innkalt],
        "fravaerende: []",
        "notater:                # " + _("one note per agenda item"),
        *[f"  - punkt: {_scalar(item)}\n    notat: ''" for item in meeting.dagsorden],
        "beslutninger: []        # - Saken går over til nivå 2.",
        "oppgaver: []            # - {tekst: Ringe PPT, ansvarlig: ID, frist: YYYY-MM-DD}",
        "barnets_stemme: ''      # " + _("what the child says, in their words"),
        "barnets_stemme_mangler: ''   # " + _("or why the child's voice is missing"),
        "neste_mote: ''          # YYYY-MM-DD HH:MM",
        "kopi_til:",
        *[f"  - {who}" for who in meeting.innkalt],
        "samtykker: []          # " + _("consent ids the meeting rests on; empty: the one covering the stafettlogg"),
        "",
    ]
    return "\n".join(lines)


def _scalar(text: Optional[str]) -> str:
    import json

    if not text:
        return "''"
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


__all__ = ["Plan", "Minutes", "plan_meeting", "record_referat", "postpone_meeting", "cancel_meeting",
           "require_invitation_allowed", "plan_template", "referat_template", "meeting_type", "TYPES"]
