"""After the request: koordinerende enhet's answer, the koordinator over time, and the individuell plan.

- "Det er Koordinerende enhet i kommunen (Tjenestekontoret) som har ansvar for tildeling, oppnevning og
  opplæring av (barne-) koordinator" (Lyngdal): KE appoints, refuses a request (with its reason) and
  replaces a koordinator; the one who goes, when and why stays in `tidligere_koordinatorer`.
- "Brukers medvirkning i valg av koordinator skal høres og imøtekommes om mulig": the family's wish is
  recorded with the request and the appointment.
- "Dersom koordinator er fraværende, overtar sekundær-koordinator ansvaret": an absence is registered
  with its dates; inside it the sekundær acts with the koordinator's rights (common.active_koordinator).
- The koordinator "har spesifikt ansvar for opprettelse, utarbeidelse og oppfølging av IP": the plan's
  period, its revision dates and its own evaluations, with the child's view as for a tiltak.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from stafett.errors import DomainError, UsageError
from stafett.i18n import _, date_text
from stafett.model import Case
from stafett.model.case import Avslag, Fravaer, IPEvaluering, Koordinator, TidligereKoordinator
from stafett.workflow.baton import _moved_baton, may_appoint_koordinator
from stafett.workflow.common import (
    Context, active_koordinator, day, home_services, log, new, not_future, period, require_consent, require_holder,
    require_open,
)
from stafett.workflow.consent import require_ke_consent
from stafett.workflow.tiltak import require_childs_view, views_missing


# --- koordinerende enhet ---------------------------------------------------------------------------

def _require_ke(ctx: Context, action: str) -> None:
    if not may_appoint_koordinator(ctx, ctx.person(ctx.actor, "actor")):
        raise DomainError(_("{person} is not in koordinerende enhet, which can {action}").format(person=ctx.actor, action=action),
                          _("someone with the koordinerende_enhet role in personer.yaml does it"))


def _require_reason(grunn: Optional[str], what: str) -> str:
    if not (grunn or "").strip():
        raise UsageError(_("{what} needs a reason").format(what=what), _("add --grunn TEXT"))
    return grunn


def refuse_request(case: Case, ctx: Context, *, grunn: str, dato: dt.date) -> Case:
    """KE says no, with the reason. The request is then closed; a new request (stafett escalate --koordinator)
    replaces it, and the refusal stays in the log."""
    require_open(case)
    _require_ke(ctx, _("refuse a request for a koordinator"))
    request = case.koordinator_foresporsel
    if request is None or (case.koordinator is not None and case.koordinator.type == request.type):
        raise DomainError(_("no request for a koordinator is waiting for an answer"), _("nothing to refuse"))
    if request.avslag is not None:
        raise DomainError(_("the request was refused already on {date}").format(date=date_text(request.avslag.dato)),
                          _("nothing to refuse"))
    _require_reason(grunn, _("a refusal"))
    not_future(dato, ctx, _("the refusal's date"))
    if dato < request.dato:
        raise DomainError(_("the refusal ({date}) is before the request ({request_date})").format(
            date=date_text(dato), request_date=date_text(request.dato)), _("check --dato"))
    require_ke_consent(case, ctx, dato, _("an answer from koordinerende enhet"))
    refused = request.model_copy(update={"avslag": new(Avslag, dato=dato, av=ctx.actor, grunn=grunn)})
    tekst = ctx.tr("Koordinerende enhet ({actor}) refused the request for a {type} from {date}. Reason: {reason}").format(
        actor=ctx.name(ctx.actor), type=request.type, date=day(request.dato, ctx), reason=period(grunn))
    return log(case.model_copy(update={"koordinator_foresporsel": refused}), ctx, "koordinator", tekst)


def _leaving(case: Case, ctx: Context, dato: dt.date, grunn: str) -> tuple[Koordinator, TidligereKoordinator]:
    current = case.koordinator
    if current is None:
        raise DomainError(_("case {case} has no koordinator").format(case=case.id), _("nothing to replace or end"))
    _require_reason(grunn, _("a change of koordinator"))
    not_future(dato, ctx, _("the date"))
    if dato < current.fra:
        raise DomainError(_("{date} is before {person} became koordinator ({start})").format(
            date=date_text(dato), person=current.person, start=date_text(current.fra)), _("check --dato"))
    past = new(TidligereKoordinator, type=current.type, person=current.person, fra=current.fra, til=dato, grunn=grunn)
    return current, past


def replace_koordinator(case: Case, ctx: Context, *, person: str, grunn: str, dato: dt.date,
                        sekundaer: Optional[str] = None, familiens_onske: Optional[str] = None) -> Case:
    """A koordinatorbytte, "i samarbeid med Koordinerende enhet": the new one takes the baton if the old held it."""
    require_open(case)
    _require_ke(ctx, _("replace a koordinator"))
    current, past = _leaving(case, ctx, dato, grunn)
    chosen = ctx.person(person)
    if person == current.person:
        raise DomainError(_("{person} is the koordinator already").format(person=person), _("name the new koordinator with --ny"))
    if "koordinator" not in chosen.roller:
        raise DomainError(_("{person} is not listed as a koordinator (roller: koordinator in personer.yaml)").format(person=person),
                          _("koordinerende enhet trains and appoints koordinatorer; add the role or choose another"))
    sekundaer = sekundaer or chosen.leder
    if sekundaer is None and ctx.settings.innstillinger.krev_sekundaer_koordinator:
        raise DomainError(_("{person} has no nearest leader in personer.yaml to be sekundær-koordinator").format(person=person),
                          _("name one: --sekundaer ID"))
    if sekundaer == person:
        raise DomainError(_("the sekundær-koordinator cannot be the koordinator"), _("usually the nearest leader is sekundær"))
    require_ke_consent(case, ctx, dato, _("a change of koordinator"))
    for member in (chosen, *([ctx.person(sekundaer, "sekundær-koordinator")] if sekundaer else [])):
        if member.tjeneste not in home_services(case, ctx):
            require_consent(case, member.tjeneste, dato, _("a {kind} from {service}").format(
                kind=current.type, service=member.tjeneste))
    holds_baton = case.stafettholder is not None and case.stafettholder.person == current.person
    if holds_baton and case.overlevering is not None:
        raise DomainError(_("{person} holds the baton and a handover of it is pending").format(person=current.person),
                          _("settle the handover first"))
    appointed = new(Koordinator, type=current.type, person=person, sekundaer=sekundaer, oppnevnt_av=ctx.actor, fra=dato,
                    familiens_onske=familiens_onske)
    update: dict = {"koordinator": appointed, "tidligere_koordinatorer": [*case.tidligere_koordinatorer, past]}
    tekst = ctx.tr("Koordinerende enhet ({actor}) appointed {person} as {type} from {date} after {previous}. "
                    "Reason: {reason}").format(actor=ctx.name(ctx.actor), person=ctx.who(person), type=current.type,
                                               date=day(dato, ctx), previous=ctx.name(current.person), reason=period(grunn))
    if sekundaer:
        tekst += " " + ctx.tr("Sekundær-koordinator: {person}.").format(person=ctx.name(sekundaer))
    if familiens_onske:
        tekst += " " + ctx.tr("The family's wish: {wish}").format(wish=period(familiens_onske))
    if holds_baton:
        # The history says why in words, and the family's wish goes with the baton to the one they wished for.
        update |= _moved_baton(case, to=person, dato=dato, by=ctx.actor, onske=familiens_onske,
                               grunn=ctx.tr("New {type}: {reason}").format(type=current.type, reason=period(grunn)))
        tekst += " " + ctx.tr("{person} takes over the baton.").format(person=ctx.name(person))
    return log(case.model_copy(update=update), ctx, "koordinator", tekst)


def end_koordinator(case: Case, ctx: Context, *, grunn: str, dato: dt.date) -> Case:
    """The koordinator ends with no one after (the family no longer wants one, the need is over)."""
    require_open(case)
    _require_ke(ctx, _("end a koordinator's appointment"))
    current, past = _leaving(case, ctx, dato, grunn)
    if case.baton_holder() == current.person:
        raise DomainError(_("{person} holds the baton; it is never left without a holder").format(person=current.person),
                          _("hand it on first: stafett handover offer {case} --til ID ... (by {person})").format(
                              case=case.id, person=current.person))
    update = {"koordinator": None, "tidligere_koordinatorer": [*case.tidligere_koordinatorer, past]}
    tekst = ctx.tr("{person} is no longer {type} from {date}. Reason: {reason}").format(
        person=ctx.who(current.person), type=current.type, date=day(dato, ctx), reason=period(grunn))
    return log(case.model_copy(update=update), ctx, "koordinator", tekst)


def register_absence(case: Case, ctx: Context, *, fra: dt.date, til: dt.date) -> Case:
    """The koordinator is away; the sekundær covers, with the koordinator's rights, from `fra` to `til`."""
    require_open(case)
    k = case.koordinator
    if k is None:
        raise DomainError(_("case {case} has no koordinator").format(case=case.id), _("an absence is registered for a koordinator"))
    actor = ctx.person(ctx.actor, "actor")
    if ctx.actor not in (k.person, k.sekundaer) and not may_appoint_koordinator(ctx, actor):
        raise DomainError(_("{person} cannot register the koordinator's absence").format(person=ctx.actor),
                          _("the koordinator, the sekundær-koordinator or koordinerende enhet registers it"))
    if k.sekundaer is None:
        raise DomainError(_("the koordinator has no sekundær-koordinator to cover the absence"),
                          _("koordinerende enhet appoints one (stafett koordinator replace ... --sekundaer ID, or assign)"))
    if til < fra:
        raise DomainError(_("the absence ends ({end}) before it starts ({start})").format(end=date_text(til), start=date_text(fra)),
                          _("check --fra and --til"))
    clash = next((f for f in k.fravaer if f.fra <= til and fra <= f.til), None)
    if clash is not None:
        raise DomainError(_("an absence from {start} to {end} is registered already and overlaps").format(
            start=date_text(clash.fra), end=date_text(clash.til)), _("choose dates outside it"))
    absence = new(Fravaer, fra=fra, til=til, dekket_av=k.sekundaer, registrert_av=ctx.actor)
    k = k.model_copy(update={"fravaer": [*k.fravaer, absence]})
    tekst = ctx.tr("{person} is away from {start} to {end}. Sekundær-koordinator {secondary} takes over the "
                    "responsibility meanwhile.").format(person=ctx.name(k.person), start=day(fra, ctx), end=day(til, ctx),
                                                        secondary=ctx.name(k.sekundaer))
    return log(case.model_copy(update={"koordinator": k}), ctx, "koordinator", tekst)


# --- the individuell plan --------------------------------------------------------------------------

def _require_ip_keeper(case: Case, ctx: Context, action: str) -> None:
    """The koordinator keeps the plan (the sekundær while covering); before one is appointed, the holder."""
    k = case.koordinator
    if k is None:
        require_holder(case, ctx, action)
    elif ctx.actor not in (k.person, active_koordinator(case, ctx.today)):
        raise DomainError(_("the koordinator ({person}) keeps the individuell plan and can {action}").format(
            person=k.person, action=action),
                          _("ask {name}; while they are away, the sekundær-koordinator "
                            "(stafett koordinator absence {case} ...)").format(name=ctx.name(k.person), case=case.id))


def _plan(case: Case, states: tuple[str, ...], what: str):
    plan = case.individuell_plan
    if plan is None or plan.status not in states:
        now = plan.status if plan else _("not offered")
        raise DomainError(_("{what} needs an individuell plan the family wants (status {states}); it is {now}").format(
            what=what, states=_(" or ").join(states), now=now),
                          _("record the family's answer first: stafett escalate {case} --ip onsket (or aktiv)").format(case=case.id))
    return plan


def set_ip_period(case: Case, ctx: Context, *, fra: dt.date, til: dt.date) -> Case:
    require_open(case)
    _require_ip_keeper(case, ctx, _("set the plan's period"))
    plan = _plan(case, ("onsket", "aktiv"), _("a period"))
    if til <= fra:
        raise DomainError(_("the plan's period ends ({end}) before or when it starts ({start})").format(
            end=date_text(til), start=date_text(fra)), _("check --fra and --til"))
    outside = [r for r in plan.revisjoner if not fra <= r <= til]
    if outside:
        raise DomainError(_("revision date {date} would fall outside the period").format(date=date_text(outside[0])),
                          _("choose a period that holds it"))
    if (plan.periode_fra, plan.periode_til) == (fra, til):
        raise DomainError(_("the plan's period is {start} – {end} already").format(start=date_text(fra), end=date_text(til)),
                          _("nothing to change"))
    tekst = ctx.tr("Individuell plan applies from {start} to {end}.").format(start=day(fra, ctx), end=day(til, ctx))
    if plan.periode_fra is not None:
        tekst += " " + ctx.tr("Before: {start} – {end}.").format(start=day(plan.periode_fra, ctx),
                                                                end=day(plan.periode_til, ctx))
    plan = plan.model_copy(update={"periode_fra": fra, "periode_til": til})
    return log(case.model_copy(update={"individuell_plan": plan}), ctx, "individuell_plan", tekst)


def _with_revision(plan, dato: dt.date, ctx: Context, confirming: bool = False):
    """The plan with one more revision date; an evaluation that confirms a date already planned keeps it."""
    if dato < ctx.today:
        raise DomainError(_("the revision date {date} has passed").format(date=date_text(dato)),
                          _("a revision date is planned ahead; evaluate the plan instead"))
    if dato in plan.revisjoner and confirming:
        return plan
    if dato in plan.revisjoner:
        raise DomainError(_("{date} is a revision date already").format(date=date_text(dato)), _("nothing to add"))
    if plan.periode_fra is not None and not plan.periode_fra <= dato <= plan.periode_til:
        raise DomainError(_("{date} is outside the plan's period ({start} – {end})").format(
            date=date_text(dato), start=date_text(plan.periode_fra), end=date_text(plan.periode_til)),
                          _("choose a date inside it, or change the period first: stafett ip period"))
    return plan.model_copy(update={"revisjoner": sorted([*plan.revisjoner, dato])})


def add_ip_revision(case: Case, ctx: Context, *, dato: dt.date) -> Case:
    require_open(case)
    _require_ip_keeper(case, ctx, _("plan a revision"))
    plan = _with_revision(_plan(case, ("onsket", "aktiv"), _("a revision date")), dato, ctx)
    tekst = ctx.tr("Individuell plan is to be revised {date}.").format(date=day(dato, ctx))
    return log(case.model_copy(update={"individuell_plan": plan}), ctx, "individuell_plan", tekst)


def evaluate_ip(case: Case, ctx: Context, *, vurdering: str, dato: dt.date, barnets_syn: Optional[str] = None,
                barnets_syn_mangler: Optional[str] = None, familiens_syn: Optional[str] = None,
                neste_revisjon: Optional[dt.date] = None) -> Case:
    """The plan's own evaluation, with the hovedperson and the family involved ("Involverer barnet/ungdommen
    og foresatte i planleggingen, gjennomføringen og evalueringen")."""
    require_open(case)
    _require_ip_keeper(case, ctx, _("evaluate the plan"))
    plan = _plan(case, ("aktiv",), _("an evaluation of the plan"))
    if not vurdering.strip():
        raise UsageError(_("an evaluation needs an assessment"), _("say how the plan works: --vurdering TEXT"))
    require_childs_view(barnets_syn, barnets_syn_mangler)
    not_future(dato, ctx, _("the evaluation date"))
    if dato < plan.dato:
        raise DomainError(_("the evaluation ({date}) is before the plan was taken into use ({start})").format(
            date=date_text(dato), start=date_text(plan.dato)), _("check --dato"))
    evaluation = new(IPEvaluering, dato=dato, av=ctx.actor, vurdering=vurdering, barnets_syn=barnets_syn,
                     barnets_syn_mangler=barnets_syn_mangler, familiens_syn=familiens_syn)
    plan = plan.model_copy(update={"evalueringer": [*plan.evalueringer, evaluation]})
    tekst = ctx.tr("Individuell plan is evaluated {date}.").format(date=day(dato, ctx))
    if neste_revisjon is not None:
        if neste_revisjon <= dato:
            raise DomainError(_("the next revision ({next}) is not after this evaluation ({date})").format(
                next=date_text(neste_revisjon), date=date_text(dato)), _("check --neste-revisjon"))
        plan = _with_revision(plan, neste_revisjon, ctx, confirming=True)
        tekst += " " + ctx.tr("Next revision {date}.").format(date=day(neste_revisjon, ctx))
    tekst += views_missing(ctx, barnets_syn_mangler, familiens_syn)
    return log(case.model_copy(update={"individuell_plan": plan}), ctx, "individuell_plan", tekst)


__all__ = [
    "refuse_request", "replace_koordinator", "end_koordinator", "register_absence", "set_ip_period", "add_ip_revision",
    "evaluate_ip",
]
