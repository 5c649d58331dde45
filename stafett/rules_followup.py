"""Version 2 rules: followup. Registered with stafett.rules.rule; imported at the end of stafett/rules.py.

Evaluations (E): a postponement moves an evaluation later, and an evaluation tied to a meeting was made
in it. Handover (O): "Leder på hver enhet er ansvarlig for å utpeke stafettholder", so a holder from
another service comes with that service's leader's approval. Koordinator and IP (I): KE's refusal, the
history and absences hold together in time, and a koordinator case offers an individuell plan within
the kommune's deadline (innstillinger.ip_tilbud_dager).
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from stafett.findings import Finding, Msg
from stafett.i18n import N_
from stafett.model import Case
from stafett.rules import Context, rule  # noqa: F401 - the decorator registers each rule


# --- evaluations ----------------------------------------------------------------------------------

@rule
def postponements_consistent(case: Case, ctx: Context) -> Iterator[Finding]:
    """E001-E002: a postponement moves the evaluation to a later date, from a date inside the tiltak."""
    for n, t in enumerate(case.tiltak):
        for m, u in enumerate(t.utsettelser):
            if u.til <= u.fra:
                yield Finding("E001", Msg(N_("postponement {number} of tiltak '{tiltak}' moves the evaluation from {start} to {end}, "
                                             "which is not later"), number=m + 1, tiltak=t.id, start=u.fra, end=u.til),
                              loc=("tiltak", n, "utsettelser", m, "til"),
                              hint=Msg(N_("a postponement moves it later; an earlier date is set with stafett tiltak adjust")))
            if u.fra < t.start:
                yield Finding("E002", Msg(N_("postponement {number} of tiltak '{tiltak}' moves an evaluation dated {date}, "
                                             "before the tiltak started ({start})"), number=m + 1, tiltak=t.id,
                                          date=u.fra, start=t.start), loc=("tiltak", n, "utsettelser", m, "fra"),
                              hint=Msg(N_("fra is the evaluation date that was postponed")))


@rule
def evaluation_meeting_exists(case: Case, ctx: Context) -> Iterator[Finding]:
    """E003-E004: an evaluation's meeting exists, took place, and on the evaluation's day."""
    meetings = {m.id: m for m in case.moter}
    for n, t in enumerate(case.tiltak):
        for m, e in enumerate(t.evalueringer):
            if e.mote is None:
                continue
            loc = ("tiltak", n, "evalueringer", m, "mote")
            meeting = meetings.get(e.mote)
            if meeting is None:
                yield Finding("E003", Msg(N_("evaluation {number} of tiltak '{tiltak}' points at unknown meeting '{meeting}'"),
                                             number=m + 1, tiltak=t.id, meeting=e.mote), loc=loc,
                              hint=Msg(N_("use an id from moter, or leave mote out")))
            elif meeting.avlyst is not None:
                yield Finding("E004", Msg(N_("evaluation {number} of tiltak '{tiltak}' was made in meeting '{meeting}', which was cancelled"),
                                             number=m + 1, tiltak=t.id, meeting=e.mote),
                              loc=loc, hint=Msg(N_("name the meeting where it was made, or leave mote out")))
            elif meeting.tidspunkt.date() != e.dato:
                yield Finding("E004", Msg(N_("evaluation {number} of tiltak '{tiltak}' is dated {date}, but meeting '{meeting}' was "
                                             "held on {held}"), number=m + 1, tiltak=t.id, date=e.dato, meeting=e.mote,
                                          held=meeting.tidspunkt.date()),
                              loc=loc, hint=Msg(N_("the evaluation's date is the meeting's")))


# --- handover -------------------------------------------------------------------------------------

def _may_approve(ctx: Context, leader_id: str, receiver_id: str) -> bool:
    leader, receiver = ctx.people.get(leader_id), ctx.people.get(receiver_id)
    if leader is None or receiver is None:
        return True  # R001 names the unknown person
    if receiver.leder == leader.id:
        return True
    same_unit = leader.enhet == receiver.enhet if (leader.enhet and receiver.enhet) else True
    return "leder" in leader.roller and leader.tjeneste == receiver.tjeneste and same_unit


@rule
def new_service_leader_approved(case: Case, ctx: Context) -> Iterator[Finding]:
    """O001-O002: a stafettholder from another service than the one before, with that service's leader's approval."""
    holder = case.stafettholder
    if ctx.people is None:
        return
    for loc, approver, receiver in (
        (("stafettholder", "leder_godkjent"), holder.leder_godkjent if holder else None, holder.person if holder else None),
        (("overlevering", "leder_godkjent"), case.overlevering.leder_godkjent if case.overlevering else None,
         case.overlevering.til if case.overlevering else None),
    ):
        if approver and not _may_approve(ctx, approver, receiver):
            yield Finding("O002", Msg(N_("'{approver}' approved the handover but is not a leader of '{receiver}''s unit"),
                                         approver=approver, receiver=receiver),
                          severity="warning", loc=loc,
                          hint=Msg(N_("the receiver's nearest leader, or a leder in their service, approves")))
    if holder is None or holder.leder_godkjent or case.versjon < 2 or case.status != "aktiv":
        return
    before = next((t for t in reversed(case.tidligere_stafettholdere) if t.til == holder.fra), None)
    if before is None or (case.koordinator is not None and case.koordinator.person == holder.person):
        return  # appointed by the leader, or the koordinator took over (koordinerende enhet appointed)
    old, new = ctx.people.get(before.person), ctx.people.get(holder.person)
    if old is None or new is None or old.tjeneste == new.tjeneste or _may_approve(ctx, holder.oppnevnt_av, holder.person):
        return
    yield Finding("O001", Msg(N_("the baton moved from {old} to {new} on {date} without the approval of "
                             "the leader in {new}"), old=old.tjeneste, new=new.tjeneste, date=holder.fra),
                  severity="warning", loc=("stafettholder",),
                  hint=Msg(N_("the receiving service's leader approves before the handover is accepted: "
                              "stafett handover approve")))


# --- koordinator and individuell plan -------------------------------------------------------------

@rule
def refusal_consistent(case: Case, ctx: Context) -> Iterator[Finding]:
    """I001-I002: koordinerende enhet refuses a request after it was made, and nobody is appointed on a refusal."""
    request = case.koordinator_foresporsel
    if request is None or request.avslag is None:
        return
    if request.avslag.dato < request.dato:
        yield Finding("I001", Msg(N_("the refusal ({refused}) is dated before the request ({asked})"),
                                         refused=request.avslag.dato, asked=request.dato),
                      loc=("koordinator_foresporsel", "avslag", "dato"), hint=Msg(N_("check the dates")))
    k = case.koordinator
    if k is not None and k.type == request.type and k.fra >= request.dato:
        yield Finding("I002", Msg(N_("a {kind} was appointed on {date} although the request was refused"), kind=k.type, date=k.fra),
                      loc=("koordinator",),
                      hint=Msg(N_("a new request replaces the refused one: stafett escalate CASE --koordinator ...")))


@rule
def koordinator_history_consistent(case: Case, ctx: Context) -> Iterator[Finding]:
    """I003-I005: earlier koordinatorer and absences end after they start; absences do not overlap and are covered
    by someone else than the koordinator."""
    for n, t in enumerate(case.tidligere_koordinatorer):
        if t.til < t.fra:
            yield Finding("I003", Msg(N_("earlier koordinator '{person}' ends ({end}) before starting ({start})"),
                                         person=t.person, end=t.til, start=t.fra),
                          loc=("tidligere_koordinatorer", n, "til"), hint=Msg(N_("check the dates")))
    k = case.koordinator
    if k is None:
        return
    for n, f in enumerate(k.fravaer):
        if f.til < f.fra:
            yield Finding("I003", Msg(N_("the koordinator's absence ends ({end}) before it starts ({start})"), end=f.til, start=f.fra),
                          loc=("koordinator", "fravaer", n, "til"), hint=Msg(N_("check the dates")))
        elif any(o.fra <= f.til and f.fra <= o.til for o in k.fravaer[:n]):
            yield Finding("I004", Msg(N_("the koordinator's absence from {date} overlaps an earlier one"), date=f.fra),
                          loc=("koordinator", "fravaer", n), hint=Msg(N_("one absence per period")))
        if f.dekket_av == k.person:
            yield Finding("I005", Msg(N_("the koordinator covers their own absence")), loc=("koordinator", "fravaer", n, "dekket_av"),
                          hint=Msg(N_("the sekundær-koordinator covers it")))


@rule
def ip_offered(case: Case, ctx: Context) -> Iterator[Finding]:
    """I006: whoever has the right to a koordinator has the right to an individuell plan; it is offered in time."""
    k = case.koordinator
    if k is None or case.status != "aktiv" or case.individuell_plan is not None:
        return
    limit = ctx.settings.innstillinger.ip_tilbud_dager
    due = k.fra + dt.timedelta(days=limit)
    if ctx.today > due:
        yield Finding("I006", Msg(N_("{kind} since {date}, and no individuell plan was offered within {days} days"),
                                         kind=k.type, date=k.fra, days=limit),
                      severity="warning", loc=("koordinator",),
                      hint=Msg(N_("offer it and record the answer: stafett escalate CASE --ip tilbudt")))


@rule
def ip_period_consistent(case: Case, ctx: Context) -> Iterator[Finding]:
    """I007-I008: the plan's period has both ends and ends after it starts; revision dates fall inside it."""
    plan = case.individuell_plan
    if plan is None:
        return
    if (plan.periode_fra is None) != (plan.periode_til is None):
        yield Finding("I007", Msg(N_("the individuell plan's period has only one end")), loc=("individuell_plan",),
                      hint=Msg(N_("give both periode_fra and periode_til: stafett ip period CASE --fra ... --til ...")))
    elif plan.periode_fra is not None and plan.periode_til <= plan.periode_fra:
        yield Finding("I007", Msg(N_("the individuell plan's period ends ({end}) before it starts ({start})"),
                                         end=plan.periode_til, start=plan.periode_fra),
                      loc=("individuell_plan", "periode_til"), hint=Msg(N_("check the dates")))
    elif plan.periode_fra is not None:
        for n, r in enumerate(plan.revisjoner):
            if not plan.periode_fra <= r <= plan.periode_til:
                yield Finding("I008", Msg(N_("revision date {date} is outside the plan's period ({start} – {end})"),
                                             date=r, start=plan.periode_fra, end=plan.periode_til),
                              severity="warning", loc=("individuell_plan", "revisjoner", n),
                              hint=Msg(N_("move the date into the period, or change the period")))


@rule
def followup_people_exist(case: Case, ctx: Context) -> Iterator[Finding]:
    """R001 for the version 2 follow-up fields: every staff id is in personer.yaml."""
    if ctx.people is None:
        return
    known = {p.id for p in ctx.people.personer}
    for loc, person in _followup_refs(case):
        if person not in known:
            yield Finding("R001", Msg(N_("unknown person '{person}'"), person=person), loc=loc,
                          hint=Msg(N_("use an id from personer.yaml")))


def _followup_refs(case: Case) -> Iterator[tuple[tuple, str]]:
    if case.stafettholder and case.stafettholder.leder_godkjent:
        yield ("stafettholder", "leder_godkjent"), case.stafettholder.leder_godkjent
    if case.overlevering and case.overlevering.leder_godkjent:
        yield ("overlevering", "leder_godkjent"), case.overlevering.leder_godkjent
    request = case.koordinator_foresporsel
    if request and request.avslag:
        yield ("koordinator_foresporsel", "avslag", "av"), request.avslag.av
    if case.koordinator:
        for n, f in enumerate(case.koordinator.fravaer):
            yield ("koordinator", "fravaer", n, "dekket_av"), f.dekket_av
            yield ("koordinator", "fravaer", n, "registrert_av"), f.registrert_av
    for n, t in enumerate(case.tidligere_koordinatorer):
        yield ("tidligere_koordinatorer", n, "person"), t.person
    if case.individuell_plan:
        for n, e in enumerate(case.individuell_plan.evalueringer):
            yield ("individuell_plan", "evalueringer", n, "av"), e.av
    for n, t in enumerate(case.tiltak):
        for m, u in enumerate(t.utsettelser):
            yield ("tiltak", n, "utsettelser", m, "av"), u.av
