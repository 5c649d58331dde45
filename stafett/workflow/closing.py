"""Closing a case: why the follow-up ends, and what ends with it.

"Barnet eller ungdommen skal ha en stafettholder helt til vi er trygge på at barnet eller ungdommen har
det trygt og godt, eller stafettholderansvaret opphører når koordinator overtar." So 'koordinator
overtar' does not end the follow-up: the stafettholder's period ends (into tidligere_stafettholdere,
with the reason) and the koordinator holds the baton; tiltak, participants and meetings go on under
the koordinator. Every other reason closes the case: active tiltak, participations and external
partners end, planned meetings are cancelled, open referat tasks are left without follow-up.

`closing_plan` says what a close would end before anything is written (the CLI lists it and asks);
`close_case` refuses if the case changed in between. The family can end the log at any time by
withdrawing consent (Hallingdal), which consent.py closes through `closed`. The baton is never
dropped: a case with a pending handover is not closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Callable, Optional

from stafett.errors import DomainError, UsageError
from stafett.i18n import N_, _, current, date_text
from stafett.model import Case
from stafett.model.case import Avlysning, Avsluttet, Stafettholder, TidligereStafettholder
from stafett.workflow import names
from stafett.workflow.common import (
    Context, day, log, new, not_future, period, require_holder, require_open,
)

REASONS = ("trygt og godt", "koordinator overtar", "samtykke trukket", "flyttet", "annet")
TAKEOVER = "koordinator overtar"
# The same reasons in nynorsk words: a coordinator may type either, the file keeps the code (the bokmål words).
REASONS_NN = {"trygt og godt": "trygt og godt", "koordinator overtar": "koordinator tek over",
              "samtykke trukket": "samtykke trekt", "flyttet": "flytta", "annet": "anna"}
# Short forms and other spellings a coordinator may type.
REASON_ALIASES = {"trygt": "trygt og godt", "koordinator": "koordinator overtar", "samtykke": "samtykke trukket",
                  "samtykke trekt attende": "samtykke trukket", "samtykke trukke": "samtykke trukket"}


def closing_reason(value: str) -> str:
    """The reason's code from what a coordinator typed: bokmål or nynorsk words, or a short form."""
    key = " ".join((value or "").strip().lower().split())
    nn_words = {word: code for code, word in REASONS_NN.items()}
    found = key if key in REASONS else (REASON_ALIASES.get(key) or nn_words.get(key))
    if found is None:
        words = [reason_word(code) for code in REASONS]
        raise UsageError(_("unknown reason '{reason}'").format(reason=value),
                         _("use one of: {known}").format(known=", ".join(words)))
    return found


def reason_word(code: str) -> str:
    """A reason as the reader writes it: the nynorsk words for a nynorsk reader, else the code."""
    return REASONS_NN.get(code, code) if current() == "nn" else code


@dataclass(frozen=True)
class Ending:
    """What a close ends (ids), or for 'koordinator overtar' whose stafettholder period ends and who takes over."""

    tiltak: tuple[str, ...] = ()
    deltakere: tuple[str, ...] = ()
    eksterne: tuple[str, ...] = ()
    moter: tuple[str, ...] = ()
    oppgaver: tuple[str, ...] = ()  # open referat tasks (id, or the meeting id when the task has none)
    stafettholder: Optional[str] = None
    koordinator: Optional[str] = None

    def __bool__(self) -> bool:
        return any((self.tiltak, self.deltakere, self.eksterne, self.moter, self.oppgaver, self.stafettholder))

    def lines(self, name: Callable[[str], str] = str) -> list[str]:
        """What ends, one line each, for the CLI (in the user's language); `name` gives a staff member's name."""
        out = []
        if self.stafettholder:
            out.append(_("the stafettholder period of {holder} ends; koordinator {koordinator} holds "
                         "the baton (tiltak, participants and meetings go on)").format(
                           holder=name(self.stafettholder), koordinator=name(self.koordinator)))
        participants = tuple(map(name, self.deltakere))
        for template, ids in ((N_("{n} active tiltak: {ids}"), self.tiltak),
                              (N_("{n} participation: {ids}"), participants),
                              (N_("{n} external partner: {ids}"), self.eksterne),
                              (N_("{n} planned meeting (cancelled): {ids}"), self.moter),
                              (N_("{n} open task (no longer followed up): {ids}"), self.oppgaver)):
            if ids:
                out.append(_(template).format(n=len(ids), ids=", ".join(ids)))
        return out


def closing_plan(case: Case, ctx: Context, *, grunn: str, dato: dt.date, merknad: Optional[str] = None) -> Ending:
    """Every check a close makes, and what it would end; nothing changes."""
    require_open(case)
    require_holder(case, ctx, N_("close the case"))
    grunn = closing_reason(grunn)
    if case.overlevering is not None:
        offer = case.overlevering
        raise DomainError(_("a handover to {person} is pending; the baton must have a holder until it is settled").format(
                              person=ctx.name(offer.til)),
                          _("{receiver} accepts or declines it (stafett handover accept|decline {case}), "
                            "or {holder} withdraws it (stafett handover cancel {case})").format(
                              receiver=ctx.name(offer.til), holder=ctx.name(offer.fra), case=case.id))
    if grunn == "annet" and not merknad:
        raise UsageError(_("closing for '{reason}' needs a note saying why").format(reason=reason_word("annet")),
                         _("add --merknad TEXT"))
    not_future(dato, ctx, N_("the closing date"))
    if dato < case.opprettet:
        raise DomainError(_("the closing date {date} is before the case was opened ({opened})").format(
                              date=date_text(dato), opened=date_text(case.opprettet)), _("check the date"))
    if grunn == TAKEOVER:
        return _takeover_plan(case, ctx, dato)
    return _ending(case, dato)


def close_case(case: Case, ctx: Context, *, grunn: str, dato: dt.date, merknad: Optional[str] = None,
               expect: Optional[Ending] = None) -> Case:
    """Close (or, for 'koordinator overtar', hand the follow-up to the koordinator). `expect`: what the user
    confirmed; if the case has changed since, nothing is written."""
    grunn = closing_reason(grunn)
    plan = closing_plan(case, ctx, grunn=grunn, dato=dato, merknad=merknad)
    if expect is not None and plan != expect:
        raise DomainError(_("case {case} changed while the close waited for confirmation").format(case=case.id),
                          _("run stafett close again and check what it ends"))
    if grunn == TAKEOVER:
        return _hand_to_koordinator(case, ctx, dato, merknad)
    closed_case, ended = closed(case, dato, grunn, merknad, ctx=ctx)
    tekst = ctx.tr("The case is closed {date}: {reason}.").format(date=day(dato, ctx),
                                                                   reason=names.word(names.REASON_WORDS, grunn, ctx.tr))
    if merknad:
        tekst += f" {period(merknad)}"
    return log(closed_case, ctx, "avsluttet", tekst + ended_text(ended, ctx), gjelder=(*ended.tiltak, *ended.moter))


def closed(case: Case, dato: dt.date, grunn: str, merknad: Optional[str], *,
           ctx: Optional[Context] = None) -> tuple[Case, Ending]:
    """The case closed on `dato`: active tiltak, participations and external partners end with it; with `ctx`
    (who cancels, and when), planned meetings are cancelled too. No log entry here."""
    ending = _ending(case, dato)
    tiltak = [t.model_copy(update={"status": "avsluttet", "slutt": max(dato, t.start)}) if t.id in ending.tiltak else t
              for t in case.tiltak]
    deltakere = [d.model_copy(update={"til": max(dato, d.fra)}) if d.til is None else d for d in case.deltakere]
    eksterne = [e.model_copy(update={"til": max(dato, e.fra)}) if e.til is None else e for e in case.eksterne]
    update = {"status": "avsluttet", "avsluttet": new(Avsluttet, dato=dato, grunn=grunn, merknad=merknad),
              "tiltak": tiltak, "deltakere": deltakere, "eksterne": eksterne}
    if ctx is not None:
        grounds = ctx.tr("The case is closed.")
        cancel = new(Avlysning, tid=ctx.now.replace(microsecond=0), grunn=grounds, av=ctx.actor)
        update["moter"] = [m.model_copy(update={"avlyst": cancel}) if m.id in ending.moter else m for m in case.moter]
    else:
        ending = replace(ending, moter=())
    return case.model_copy(update=update), ending


def ended_text(ended, ctx: Context) -> str:
    """The log's sentence on what ended ('' when nothing did)."""
    counts = [(len(ended.tiltak), N_("{count} active tiltak ended")),
              (len(ended.deltakere), N_("{count} participation(s) ended")),
              (len(ended.eksterne), N_("{count} external partner(s) no longer take part")),
              (len(ended.moter), N_("{count} planned meeting(s) cancelled")),
              (len(ended.oppgaver), N_("{count} open task(s) no longer followed up"))]
    parts = [ctx.tr(words).format(count=n) for n, words in counts if n]
    if not parts:
        return ""
    return " " + (ctx.tr("{items} and {last}").format(items=", ".join(parts[:-1]), last=parts[-1]) if len(parts) > 1
                  else parts[0]) + "."


def _ending(case: Case, dato: dt.date) -> Ending:
    tasks = tuple(o.id or m.id for m in case.moter if m.referat for o in m.referat.oppgaver if o.utfort is None)
    planned = tuple(m.id for m in case.moter if m.referat is None and m.avlyst is None and m.tidspunkt.date() >= dato)
    return Ending(tiltak=tuple(t.id for t in case.tiltak if t.status == "aktiv"),
                  deltakere=tuple(d.person for d in case.deltakere if d.til is None),
                  eksterne=tuple(e.id for e in case.eksterne if e.til is None), moter=planned, oppgaver=tasks)


def _takeover_plan(case: Case, ctx: Context, dato: dt.date) -> Ending:
    k = case.koordinator
    if k is None:
        raise DomainError(_("no koordinator has been appointed to take over"),
                          _("koordinerende enhet appoints one first: stafett assign {case} --koordinator ID").format(
                              case=case.id))
    holder = case.baton_holder()
    if holder == k.person:
        raise DomainError(_("the koordinator ({person}) holds the baton already; the follow-up goes on under them").format(
                              person=ctx.name(k.person)),
                          _("to end the follow-up, close with another reason ({reasons})").format(
                              reasons=", ".join(reason_word(c) for c in ("trygt og godt", "flyttet", "annet"))))
    if case.stafettholder is not None and dato < case.stafettholder.fra:
        raise DomainError(_("the date {date} is before {holder} became stafettholder ({since})").format(
                              date=date_text(dato), holder=ctx.name(holder), since=date_text(case.stafettholder.fra)),
                          _("check --dato"))
    if dato < k.fra:
        raise DomainError(_("the date {date} is before the koordinator was appointed ({since})").format(
                              date=date_text(dato), since=date_text(k.fra)), _("check --dato"))
    return Ending(stafettholder=holder, koordinator=k.person)


def _hand_to_koordinator(case: Case, ctx: Context, dato: dt.date, merknad: Optional[str]) -> Case:
    """'Stafettholderansvaret opphører når koordinator overtar': the case goes on, the baton moves."""
    k = case.koordinator
    old = case.stafettholder
    holder = case.baton_holder()
    grunn = ctx.tr("The koordinator takes over.") + (f" {period(merknad)}" if merknad else "")
    update: dict = {"stafettholder": new(Stafettholder, person=k.person, fra=dato, oppnevnt_av=ctx.actor)}
    if old is not None:
        past = new(TidligereStafettholder, person=old.person, fra=old.fra, til=dato, grunn=grunn, vurdering=old.vurdering)
        update["tidligere_stafettholdere"] = [*case.tidligere_stafettholdere, past]
    tekst = ctx.tr("The stafettholder responsibility of {holder} ends {date}: the koordinator takes over. {person} ({type}) "
                    "holds the baton from here on; tiltak, participants and meetings go on.").format(
        holder=ctx.who(holder), date=day(dato, ctx), person=ctx.who(k.person), type=k.type)
    if merknad:
        tekst += f" {period(merknad)}"
    return log(case.model_copy(update=update), ctx, "koordinator", tekst)
