"""The baton (stafettpinnen): who holds it, who joins, how it moves.

- "Leder på hver enhet er ansvarlig for å utpeke stafettholder. (Kan delegeres)": the eier's nearest
  leader (personer.yaml `leder`), or someone with the `leder` role in the eier's own unit, appoints the
  stafettholder, and the family's wish is recorded ("Om barn/ungdom/gravide/foresatte har ønske om hvem
  som skal være stafettholder, skal dette hensyntas").
- "Stafettholder beholder stafettpinnen til den er mottatt og akseptert av en ny stafettholder": a
  handover is offered with the three things the seeds weigh, and only the receiver accepts or declines;
  until then the old holder holds it.
- Koordinerende enhet appoints (barne)koordinator and a sekundær-koordinator, "nærmeste leder" by
  default (Lyngdal).
- A participant or a new holder from another service needs consent covering that service.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from stafett.errors import DomainError, NotFound, UsageError
from stafett.i18n import N_, _, date_text
from stafett.model import Case, Person
from stafett.model.case import (
    Deltaker, Koordinator, Overlevering, Stafettholder, TidligereKoordinator, TidligereStafettholder, Vurdering,
)
from stafett.workflow import names
from stafett.workflow.common import (
    Context, clause, day, home_services, leads, log, new, not_future, period, require_consent, require_holder, require_open,
)
from stafett.workflow.consent import require_ke_consent
from stafett.workflow.escalation import check_barnekoordinator_age


# --- the leader appoints a stafettholder -----------------------------------------------------------

def may_appoint(case: Case, ctx: Context, actor: Person) -> bool:
    """The eier's (or holder's) nearest leader, or a `leder` in the eier's own unit (the delegation)."""
    if leads(ctx, actor.id, case.eier) or leads(ctx, actor.id, case.baton_holder()):
        return True
    eier = ctx.people.get(case.eier)
    if "leder" not in actor.roller or eier is None:
        return False
    same_unit = actor.enhet == eier.enhet if (actor.enhet and eier.enhet) else True
    return actor.tjeneste == eier.tjeneste and same_unit


def appoint_stafettholder(case: Case, ctx: Context, *, person: str, dato: dt.date,
                          familiens_onske: Optional[str] = None, niva: Optional[int] = None) -> Case:
    require_open(case)
    actor = ctx.person(ctx.actor, N_("actor"))
    holder = ctx.person(person)
    if not may_appoint(case, ctx, actor):
        eier = ctx.people.get(case.eier)
        boss = eier.leder if eier and eier.leder else None
        raise DomainError(_("{actor} is not a leader who can appoint the stafettholder for this case").format(actor=ctx.actor),
                          _("the eier's nearest leader ({leader}) or a leder in the eier's unit appoints").format(leader=boss)
                          if boss else _("the eier's nearest leader or a leder in the eier's unit appoints"))
    if case.stafettholder is not None:
        raise DomainError(_("case {case} already has a stafettholder ({holder})").format(
                              case=case.id, holder=case.stafettholder.person),
                          _("the baton moves by handover: stafett handover offer {case} --til {person} ...").format(
                              case=case.id, person=person))
    not_future(dato, ctx, N_("the appointment date"))
    if holder.tjeneste not in home_services(case, ctx):
        require_consent(case, holder.tjeneste, dato, _("a stafettholder from {service}").format(service=names.service(ctx, holder.tjeneste)))
    if niva is not None and not 1 <= niva <= 3:
        raise UsageError(_("nivå {level} is not a level a stafettholder works on").format(level=niva), _("use 1, 2 or 3"))
    new_level = case.niva if case.niva >= 1 else (niva or 1)
    if niva is not None and case.niva >= 1 and niva != case.niva:
        raise UsageError(_("the case is on nivå {level} already").format(level=case.niva),
                         _("change the level with stafett escalate {case} --niva {level}").format(case=case.id, level=niva))
    appointed = new(Stafettholder, person=person, fra=dato, oppnevnt_av=ctx.actor, familiens_onske=familiens_onske)
    tekst = ctx.tr("{actor} appointed {person} as stafettholder from {date}.").format(
        actor=ctx.name(ctx.actor), person=ctx.who(person), date=day(dato, ctx))
    if familiens_onske:
        tekst += " " + ctx.tr("The family's wish: {wish}").format(wish=period(familiens_onske))
    if new_level != case.niva:
        tekst += " " + ctx.tr("Level {old} → {new}.").format(old=case.niva, new=new_level)
    case = case.model_copy(update={"stafettholder": appointed, "niva": new_level})
    return log(case, ctx, "oppnevning", tekst)


# --- participants ----------------------------------------------------------------------------------

def add_participant(case: Case, ctx: Context, *, person: str, dato: dt.date, tjeneste: Optional[str] = None,
                    rolle: Optional[str] = None) -> Case:
    """Another service joins ("Inviterer inn andre tjenester etter behov"): only with consent covering it."""
    require_open(case)
    require_holder(case, ctx, N_("add a participant"))
    who = ctx.person(person)
    service = ctx.service(tjeneste or who.tjeneste)
    if any(d.person == person and d.tjeneste == service and d.til is None for d in case.deltakere):
        raise DomainError(_("{person} already takes part for {service}").format(person=person, service=service),
                          _("nothing to add"))
    require_consent(case, service, dato,
                    _("adding {person} as a participant from {service}").format(
                        person=ctx.name(person), service=names.service(ctx, service)))
    joined = new(Deltaker, person=person, tjeneste=service, rolle=rolle, fra=dato)
    tekst = ctx.tr("{person} takes part in the collaboration for {service} from {date}.").format(
        person=ctx.who(person), service=names.service(ctx, service), date=day(dato, ctx))
    if rolle:
        tekst += " " + ctx.tr("Role: {role}.").format(role=rolle)
    case = case.model_copy(update={"deltakere": [*case.deltakere, joined]})
    return log(case, ctx, "deltaker", tekst)


def end_participant(case: Case, ctx: Context, *, person: str, dato: dt.date) -> Case:
    require_open(case)
    require_holder(case, ctx, N_("end a participation"))
    for n, d in enumerate(case.deltakere):
        if d.person == person and d.til is None:
            if dato < d.fra:
                raise DomainError(_("{person} joined on {joined}, after {date}").format(
                                      person=person, joined=date_text(d.fra), date=date_text(dato)), _("check --dato"))
            ended = d.model_copy(update={"til": dato})
            deltakere = [ended if m == n else old for m, old in enumerate(case.deltakere)]
            tekst = ctx.tr("{person} no longer takes part in the collaboration (from {date}).").format(
                person=ctx.who(person), date=day(dato, ctx))
            return log(case.model_copy(update={"deltakere": deltakere}), ctx, "deltaker", tekst)
    raise NotFound(_("{person} is not an active participant in case {case}").format(person=person, case=case.id),
                   _("see deltakere in the case file"))


# --- koordinerende enhet appoints a koordinator ----------------------------------------------------

def may_appoint_koordinator(ctx: Context, actor: Person) -> bool:
    service = ctx.settings.service(actor.tjeneste)
    return "koordinerende_enhet" in actor.roller or bool(service and service.koordinerende_enhet)


def appoint_koordinator(case: Case, ctx: Context, *, person: str, dato: dt.date, sekundaer: Optional[str] = None,
                        takes_baton: bool = False, familiens_onske: Optional[str] = None) -> Case:
    """After a request (stafett escalate --koordinator), KE appoints; the nearest leader is sekundær."""
    require_open(case)
    actor = ctx.person(ctx.actor, N_("actor"))
    if not may_appoint_koordinator(ctx, actor):
        raise DomainError(_("{actor} is not in koordinerende enhet, which appoints koordinator and barnekoordinator").format(
                              actor=ctx.actor),
                          _("someone with the koordinerende_enhet role in personer.yaml appoints"))
    request = case.koordinator_foresporsel
    if request is None:
        raise DomainError(_("no koordinator has been requested for this case"),
                          _("the stafettholder requests one first: stafett escalate {case} --koordinator TYPE "
                            "--kriterium ...").format(case=case.id))
    if request.avslag is not None:
        raise DomainError(_("koordinerende enhet refused the request on {date}").format(date=date_text(request.avslag.dato)),
                          _("a new request comes first: stafett escalate {case} --koordinator TYPE --kriterium ...").format(
                              case=case.id))
    if case.koordinator is not None and case.koordinator.type == request.type:
        raise DomainError(_("the case has a {kind} already ({person})").format(kind=request.type,
                                                                               person=ctx.name(case.koordinator.person)),
                          _("replace them, with the reason: stafett koordinator replace {case} --ny ID --grunn TEXT").format(
                              case=case.id))
    chosen = ctx.person(person)
    if "koordinator" not in chosen.roller:
        raise DomainError(_("{person} is not listed as a koordinator (roller: koordinator in personer.yaml)").format(person=person),
                          _("koordinerende enhet trains and appoints koordinatorer; add the role or choose another"))
    kind = request.type
    if kind == "barnekoordinator":
        check_barnekoordinator_age(case, dato)
    if sekundaer is None:
        sekundaer = chosen.leder
        if sekundaer is None and ctx.settings.innstillinger.krev_sekundaer_koordinator:
            raise DomainError(_("{person} has no nearest leader in personer.yaml to be sekundær-koordinator").format(person=person),
                              _("name one: --sekundaer ID"))
    team = [chosen]
    if sekundaer is not None:
        team.append(ctx.person(sekundaer, N_("sekundær-koordinator")))
        if sekundaer == person:
            raise DomainError(_("the sekundær-koordinator cannot be the koordinator"), _("usually the nearest leader is sekundær"))
    not_future(dato, ctx, N_("the appointment date"))
    require_ke_consent(case, ctx, dato, _("the appointment of a {kind}").format(kind=kind))
    for member in team:
        if member.tjeneste not in home_services(case, ctx):
            require_consent(case, member.tjeneste, dato, _("a {kind} from {service}").format(kind=kind, service=member.tjeneste))
    if takes_baton and case.overlevering is not None:
        raise DomainError(_("a handover of the baton is pending"), _("settle it before the koordinator takes over the baton"))
    previous = case.koordinator
    wish = familiens_onske or request.familiens_onske
    appointed = new(Koordinator, type=kind, person=person, sekundaer=sekundaer, oppnevnt_av=ctx.actor, fra=dato,
                    familiens_onske=wish)
    update: dict = {"koordinator": appointed}
    tekst = ctx.tr("Koordinerende enhet ({actor}) appointed {person} as {kind} from {date}.").format(
        actor=ctx.name(ctx.actor), person=ctx.who(person), kind=kind, date=day(dato, ctx))
    if sekundaer:
        tekst += " " + ctx.tr("Sekundær-koordinator: {person}.").format(person=ctx.name(sekundaer))
    if wish:
        tekst += " " + ctx.tr("The family's wish: {wish}").format(wish=period(wish))
    if previous is not None:
        tekst += " " + ctx.tr("Takes over from {person}.").format(person=ctx.name(previous.person))
        past = new(TidligereKoordinator, type=previous.type, person=previous.person, fra=previous.fra, til=dato,
                   grunn=ctx.tr("{kind} appointed after a new request {date}").format(
                       kind=kind, date=day(request.dato, ctx)))
        update["tidligere_koordinatorer"] = [*case.tidligere_koordinatorer, past]
    if takes_baton and case.baton_holder() != person:
        update |= _moved_baton(case, to=person, dato=dato, by=ctx.actor, grunn=ctx.tr("the koordinator takes over"))
        tekst += " " + ctx.tr("{person} takes over the baton.").format(person=ctx.name(person))
    return log(case.model_copy(update=update), ctx, "koordinator", tekst)


# --- handover: offer, then accept or decline by the receiver ---------------------------------------

def offer_handover(case: Case, ctx: Context, *, til: str, grunn: str, onske: str, tiltak: str,
                   koordineringsbehov: str, dato: dt.date) -> Case:
    require_open(case)
    if case.stafettholder is None:
        raise DomainError(_("nobody holds the baton yet"),
                          _("the leader appoints a stafettholder: stafett assign {case} --stafettholder ID").format(case=case.id))
    holder = case.stafettholder.person
    if ctx.actor != holder:
        raise DomainError(_("only the holder ({holder}) can offer the baton").format(holder=holder),
                          _("ask {name} to offer it, or pass --by {holder} if you act for them").format(
                              name=ctx.name(holder), holder=holder))
    if case.overlevering is not None:
        raise DomainError(_("a handover to {person} is already pending").format(person=ctx.name(case.overlevering.til)),
                          _("wait for their answer or withdraw it: stafett handover cancel {case}").format(case=case.id))
    receiver = ctx.person(til, N_("receiver"))
    if til == holder:
        raise DomainError(_("{person} holds the baton already").format(person=til), _("offer it to someone else"))
    for what, text in (("--onske", onske), ("--tiltak", tiltak), ("--koordineringsbehov", koordineringsbehov), ("--grunn", grunn)):
        if not (text or "").strip():
            raise UsageError(_("a handover records why and the three things the routines weigh; {option} is empty").format(
                                 option=what),
                             _("give --grunn, --onske (the family's wish), --tiltak (nature and scope) and "
                               "--koordineringsbehov"))
    not_future(dato, ctx, N_("the offer's date"))
    if receiver.tjeneste not in home_services(case, ctx):
        require_consent(case, receiver.tjeneste, dato, _("handing the baton to {service}").format(service=names.service(ctx, receiver.tjeneste)))
    offer = new(Overlevering, til=til, fra=holder, tilbudt=dato, grunn=grunn,
                vurdering=new(Vurdering, onske=onske, tiltak=tiltak, koordineringsbehov=koordineringsbehov))
    tekst = ctx.tr("{holder} offers the baton to {receiver}. Reason: {reason} Weighed: the family's wish: {wish}; "
                   "the nature and extent of the tiltak: {tiltak}; coordination needs and type of position: {need}. "
                   "{holder} holds the baton until it is accepted.").format(
        holder=ctx.name(holder), receiver=ctx.who(til), reason=period(grunn), wish=clause(onske), tiltak=clause(tiltak),
        need=clause(koordineringsbehov))
    return log(case.model_copy(update={"overlevering": offer}), ctx, "overlevering", tekst)


def _pending(case: Case):
    if case.overlevering is None:
        raise DomainError(_("no handover is pending in case {case}").format(case=case.id),
                          _("the holder offers one: stafett handover offer {case} --til ID ...").format(case=case.id))
    return case.overlevering


def accept_handover(case: Case, ctx: Context, *, dato: dt.date) -> Case:
    require_open(case)
    offer = _pending(case)
    if ctx.actor != offer.til:
        raise DomainError(_("only {person}, who was offered the baton, can accept it").format(person=offer.til),
                          _("{name} runs: stafett handover accept {case} --by {person}").format(
                              name=ctx.name(offer.til), case=case.id, person=offer.til))
    not_future(dato, ctx, N_("the acceptance date"))
    if dato < offer.tilbudt:
        raise DomainError(_("the acceptance ({date}) is before the offer ({offered})").format(
                              date=date_text(dato), offered=date_text(offer.tilbudt)), _("check --dato"))
    receiver = ctx.person(offer.til)
    if receiver.tjeneste not in home_services(case, ctx):
        require_consent(case, receiver.tjeneste, dato, _("handing the baton to {service}").format(service=names.service(ctx, receiver.tjeneste)))
    approved = offer.leder_godkjent or (receiver.id if may_approve(ctx, receiver, receiver) else None)
    if approved is None and crosses_services(ctx, offer):
        boss = receiver.leder
        who = ctx.name(boss) if boss else _("a leder in {service}").format(service=receiver.tjeneste)
        raise DomainError(_("the baton moves to another service ({service}); its leader approves the new "
                            "stafettholder first (\"Leder på hver enhet er ansvarlig for å utpeke stafettholder\")").format(
                              service=receiver.tjeneste),
                          _("{who} runs: stafett handover approve {case}").format(who=who, case=case.id))
    update = _moved_baton(case, to=offer.til, dato=dato, by=offer.fra, grunn=offer.grunn, onske=offer.vurdering.onske,
                          vurdering=offer.vurdering, leder_godkjent=approved)
    update["overlevering"] = None
    tekst = ctx.tr("{receiver} accepted the baton from {giver} {date}.").format(
        receiver=ctx.who(offer.til), giver=ctx.name(offer.fra), date=day(dato, ctx))
    if approved is not None:
        tekst += " " + ctx.tr("Approved by leader {leader}.").format(leader=ctx.name(approved))
    return log(case.model_copy(update=update), ctx, "overlevering", tekst)


def approve_handover(case: Case, ctx: Context) -> Case:
    """The receiving unit's leader approves the new stafettholder before they accept: "Leder på hver enhet er
    ansvarlig for å utpeke stafettholder". Needed when the baton moves to another service."""
    require_open(case)
    offer = _pending(case)
    actor = ctx.person(ctx.actor, N_("actor"))
    receiver = ctx.person(offer.til, N_("receiver"))
    if not may_approve(ctx, actor, receiver):
        boss = receiver.leder
        raise DomainError(_("{actor} is not a leader of {person}'s unit and cannot approve the handover").format(
                              actor=ctx.actor, person=offer.til),
                          _("{person}'s nearest leader ({leader}) or a leder in their unit approves").format(
                              person=offer.til, leader=boss) if boss else
                          _("{person}'s nearest leader or a leder in their unit approves").format(person=offer.til))
    if offer.leder_godkjent is not None:
        raise DomainError(_("the handover is approved already (by {leader})").format(leader=ctx.name(offer.leder_godkjent)),
                          _("{person} accepts it now").format(person=ctx.name(offer.til)))
    offer = offer.model_copy(update={"leder_godkjent": ctx.actor})
    tekst = ctx.tr("{leader} approves that {receiver} takes over the baton.").format(
        leader=ctx.who(ctx.actor), receiver=ctx.name(offer.til))
    return log(case.model_copy(update={"overlevering": offer}), ctx, "overlevering", tekst)


def may_approve(ctx: Context, actor: Person, receiver: Person) -> bool:
    """The receiver's nearest leader, or a `leder` in the receiver's own service and unit."""
    if receiver.leder == actor.id:
        return True
    if "leder" not in actor.roller or actor.tjeneste != receiver.tjeneste:
        return False
    return actor.enhet == receiver.enhet if (actor.enhet and receiver.enhet) else True


def crosses_services(ctx: Context, offer) -> bool:
    giver, receiver = ctx.people.get(offer.fra), ctx.people.get(offer.til)
    return giver is not None and receiver is not None and giver.tjeneste != receiver.tjeneste


def decline_handover(case: Case, ctx: Context, *, grunn: Optional[str] = None) -> Case:
    return _drop_offer(case, ctx, grunn, actor=lambda o: o.til,
                       refusal=lambda o: (_("only {person}, who was offered the baton, can decline it").format(person=o.til),
                                          _("{name} runs: stafett handover decline {case} --by {person}").format(
                                              name=ctx.name(o.til), case=case.id, person=o.til)),
                       says=lambda o: ctx.tr("{receiver} declined the baton. {holder} still holds it.").format(
                           receiver=ctx.name(o.til), holder=ctx.name(o.fra)))


def cancel_handover(case: Case, ctx: Context, *, grunn: Optional[str] = None) -> Case:
    return _drop_offer(case, ctx, grunn, actor=lambda o: o.fra,
                       refusal=lambda o: (_("only {person}, who offered the baton, can withdraw the offer").format(person=o.fra),
                                          _("{name} can decline it instead: stafett handover decline {case}").format(
                                              name=ctx.name(o.til), case=case.id)),
                       says=lambda o: ctx.tr("{holder} withdrew the offer of the baton to {receiver}.").format(
                           holder=ctx.name(o.fra), receiver=ctx.name(o.til)))


def _drop_offer(case: Case, ctx: Context, grunn: Optional[str], *, actor, refusal, says) -> Case:
    """A pending offer ends without moving the baton: declined by the receiver or withdrawn by the holder."""
    require_open(case)
    offer = _pending(case)
    if ctx.actor != actor(offer):
        raise DomainError(*refusal(offer))
    tekst = says(offer)
    if grunn:
        tekst += " " + ctx.tr("Reason: {reason}").format(reason=period(grunn))
    return log(case.model_copy(update={"overlevering": None}), ctx, "overlevering", tekst)


def _moved_baton(case: Case, *, to: str, dato: dt.date, by: str, grunn: str, onske: Optional[str] = None,
                 vurdering: Optional[Vurdering] = None, leder_godkjent: Optional[str] = None) -> dict:
    """The assessment stays with the holder it was made for, and goes with them into the history."""
    old = case.stafettholder
    update: dict = {"stafettholder": new(Stafettholder, person=to, fra=dato, oppnevnt_av=by, familiens_onske=onske,
                                         vurdering=vurdering, leder_godkjent=leder_godkjent)}
    if old is not None:
        past = new(TidligereStafettholder, person=old.person, fra=old.fra, til=dato, grunn=grunn, vurdering=old.vurdering)
        update["tidligere_stafettholdere"] = [*case.tidligere_stafettholdere, past]
    return update


__all__ = [
    "may_appoint", "appoint_stafettholder", "add_participant", "end_participant", "appoint_koordinator",
    "offer_handover", "accept_handover", "approve_handover", "decline_handover", "cancel_handover", "may_approve",
    "crosses_services",
]
