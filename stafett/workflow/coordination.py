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
        raise DomainError(f"{ctx.actor} is not in koordinerende enhet, which can {action}",
                          "someone with the koordinerende_enhet role in personer.yaml does it")


def _require_reason(grunn: Optional[str], what: str) -> str:
    if not (grunn or "").strip():
        raise UsageError(f"{what} needs a reason", "add --grunn TEXT")
    return grunn


def refuse_request(case: Case, ctx: Context, *, grunn: str, dato: dt.date) -> Case:
    """KE says no, with the reason. The request is then closed; a new request (stafett escalate --koordinator)
    replaces it, and the refusal stays in the log."""
    require_open(case)
    _require_ke(ctx, "refuse a request for a koordinator")
    request = case.koordinator_foresporsel
    if request is None or (case.koordinator is not None and case.koordinator.type == request.type):
        raise DomainError("no request for a koordinator is waiting for an answer", "nothing to refuse")
    if request.avslag is not None:
        raise DomainError(f"the request was refused already on {request.avslag.dato}", "nothing to refuse")
    _require_reason(grunn, "a refusal")
    not_future(dato, ctx, "the refusal's date")
    if dato < request.dato:
        raise DomainError(f"the refusal ({dato}) is before the request ({request.dato})", "check --dato")
    require_ke_consent(case, ctx, dato, "an answer from koordinerende enhet")
    refused = request.model_copy(update={"avslag": new(Avslag, dato=dato, av=ctx.actor, grunn=grunn)})
    tekst = ctx.say(f"Koordinerende enhet ({ctx.name(ctx.actor)}) avslo forespørselen om {request.type} fra "
                    f"{day(request.dato, ctx)}. Grunn: {period(grunn)}",
                    f"Koordinerande eining ({ctx.name(ctx.actor)}) avslo førespurnaden om {request.type} frå "
                    f"{day(request.dato, ctx)}. Grunn: {period(grunn)}")
    return log(case.model_copy(update={"koordinator_foresporsel": refused}), ctx, "koordinator", tekst)


def _leaving(case: Case, ctx: Context, dato: dt.date, grunn: str) -> tuple[Koordinator, TidligereKoordinator]:
    current = case.koordinator
    if current is None:
        raise DomainError(f"case {case.id} has no koordinator", "nothing to replace or end")
    _require_reason(grunn, "a change of koordinator")
    not_future(dato, ctx, "the date")
    if dato < current.fra:
        raise DomainError(f"{dato} is before {current.person} became koordinator ({current.fra})", "check --dato")
    past = new(TidligereKoordinator, type=current.type, person=current.person, fra=current.fra, til=dato, grunn=grunn)
    return current, past


def replace_koordinator(case: Case, ctx: Context, *, person: str, grunn: str, dato: dt.date,
                        sekundaer: Optional[str] = None, familiens_onske: Optional[str] = None) -> Case:
    """A koordinatorbytte, "i samarbeid med Koordinerende enhet": the new one takes the baton if the old held it."""
    require_open(case)
    _require_ke(ctx, "replace a koordinator")
    current, past = _leaving(case, ctx, dato, grunn)
    chosen = ctx.person(person)
    if person == current.person:
        raise DomainError(f"{person} is the koordinator already", "name the new koordinator with --ny")
    if "koordinator" not in chosen.roller:
        raise DomainError(f"{person} is not listed as a koordinator (roller: koordinator in personer.yaml)",
                          "koordinerende enhet trains and appoints koordinatorer; add the role or choose another")
    sekundaer = sekundaer or chosen.leder
    if sekundaer is None and ctx.settings.innstillinger.krev_sekundaer_koordinator:
        raise DomainError(f"{person} has no nearest leader in personer.yaml to be sekundær-koordinator", "name one: --sekundaer ID")
    if sekundaer == person:
        raise DomainError("the sekundær-koordinator cannot be the koordinator", "usually the nearest leader is sekundær")
    require_ke_consent(case, ctx, dato, "a change of koordinator")
    for member in (chosen, *([ctx.person(sekundaer, "sekundær-koordinator")] if sekundaer else [])):
        if member.tjeneste not in home_services(case, ctx):
            require_consent(case, member.tjeneste, dato, f"a {current.type} from {member.tjeneste}")
    holds_baton = case.stafettholder is not None and case.stafettholder.person == current.person
    if holds_baton and case.overlevering is not None:
        raise DomainError(f"{current.person} holds the baton and a handover of it is pending", "settle the handover first")
    appointed = new(Koordinator, type=current.type, person=person, sekundaer=sekundaer, oppnevnt_av=ctx.actor, fra=dato,
                    familiens_onske=familiens_onske)
    update: dict = {"koordinator": appointed, "tidligere_koordinatorer": [*case.tidligere_koordinatorer, past]}
    tekst = ctx.say(f"Koordinerende enhet ({ctx.name(ctx.actor)}) oppnevnte {ctx.who(person)} som {current.type} fra "
                    f"{day(dato, ctx)} etter {ctx.name(current.person)}. Grunn: {period(grunn)}",
                    f"Koordinerande eining ({ctx.name(ctx.actor)}) oppnemnde {ctx.who(person)} som {current.type} frå "
                    f"{day(dato, ctx)} etter {ctx.name(current.person)}. Grunn: {period(grunn)}")
    if sekundaer:
        tekst += f" Sekundær-koordinator: {ctx.name(sekundaer)}."
    if familiens_onske:
        tekst += ctx.say(f" Familiens ønske: {period(familiens_onske)}", f" Familien sitt ønske: {period(familiens_onske)}")
    if holds_baton:
        # The history says why in words, and the family's wish goes with the baton to the one they wished for.
        update |= _moved_baton(case, to=person, dato=dato, by=ctx.actor, onske=familiens_onske,
                               grunn=ctx.say(f"Ny {current.type}: {period(grunn)}", f"Ny {current.type}: {period(grunn)}"))
        tekst += ctx.say(f" {ctx.name(person)} overtar stafettpinnen.", f" {ctx.name(person)} tek over stafettpinnen.")
    return log(case.model_copy(update=update), ctx, "koordinator", tekst)


def end_koordinator(case: Case, ctx: Context, *, grunn: str, dato: dt.date) -> Case:
    """The koordinator ends with no one after (the family no longer wants one, the need is over)."""
    require_open(case)
    _require_ke(ctx, "end a koordinator's appointment")
    current, past = _leaving(case, ctx, dato, grunn)
    if case.baton_holder() == current.person:
        raise DomainError(f"{current.person} holds the baton; it is never left without a holder",
                          f"hand it on first: stafett handover offer {case.id} --til ID ... (by {current.person})")
    update = {"koordinator": None, "tidligere_koordinatorer": [*case.tidligere_koordinatorer, past]}
    tekst = ctx.say(f"{ctx.who(current.person)} er ikke lenger {current.type} fra {day(dato, ctx)}. Grunn: {period(grunn)}",
                    f"{ctx.who(current.person)} er ikkje lenger {current.type} frå {day(dato, ctx)}. Grunn: {period(grunn)}")
    return log(case.model_copy(update=update), ctx, "koordinator", tekst)


def register_absence(case: Case, ctx: Context, *, fra: dt.date, til: dt.date) -> Case:
    """The koordinator is away; the sekundær covers, with the koordinator's rights, from `fra` to `til`."""
    require_open(case)
    k = case.koordinator
    if k is None:
        raise DomainError(f"case {case.id} has no koordinator", "an absence is registered for a koordinator")
    actor = ctx.person(ctx.actor, "actor")
    if ctx.actor not in (k.person, k.sekundaer) and not may_appoint_koordinator(ctx, actor):
        raise DomainError(f"{ctx.actor} cannot register the koordinator's absence",
                          "the koordinator, the sekundær-koordinator or koordinerende enhet registers it")
    if k.sekundaer is None:
        raise DomainError("the koordinator has no sekundær-koordinator to cover the absence",
                          "koordinerende enhet appoints one (stafett koordinator replace ... --sekundaer ID, or assign)")
    if til < fra:
        raise DomainError(f"the absence ends ({til}) before it starts ({fra})", "check --fra and --til")
    clash = next((f for f in k.fravaer if f.fra <= til and fra <= f.til), None)
    if clash is not None:
        raise DomainError(f"an absence from {clash.fra} to {clash.til} is registered already and overlaps",
                          "choose dates outside it")
    absence = new(Fravaer, fra=fra, til=til, dekket_av=k.sekundaer, registrert_av=ctx.actor)
    k = k.model_copy(update={"fravaer": [*k.fravaer, absence]})
    tekst = ctx.say(f"{ctx.name(k.person)} er borte fra {day(fra, ctx)} til {day(til, ctx)}. Sekundær-koordinator "
                    f"{ctx.name(k.sekundaer)} overtar ansvaret så lenge.",
                    f"{ctx.name(k.person)} er borte frå {day(fra, ctx)} til {day(til, ctx)}. Sekundær-koordinator "
                    f"{ctx.name(k.sekundaer)} tek over ansvaret så lenge.")
    return log(case.model_copy(update={"koordinator": k}), ctx, "koordinator", tekst)


# --- the individuell plan --------------------------------------------------------------------------

def _require_ip_keeper(case: Case, ctx: Context, action: str) -> None:
    """The koordinator keeps the plan (the sekundær while covering); before one is appointed, the holder."""
    k = case.koordinator
    if k is None:
        require_holder(case, ctx, action)
    elif ctx.actor not in (k.person, active_koordinator(case, ctx.today)):
        raise DomainError(f"the koordinator ({k.person}) keeps the individuell plan and can {action}",
                          f"ask {ctx.name(k.person)}; while they are away, the sekundær-koordinator "
                          f"(stafett koordinator absence {case.id} ...)")


def _plan(case: Case, states: tuple[str, ...], what: str):
    plan = case.individuell_plan
    if plan is None or plan.status not in states:
        now = plan.status if plan else "not offered"
        raise DomainError(f"{what} needs an individuell plan the family wants (status {' or '.join(states)}); it is {now}",
                          f"record the family's answer first: stafett escalate {case.id} --ip onsket (or aktiv)")
    return plan


def set_ip_period(case: Case, ctx: Context, *, fra: dt.date, til: dt.date) -> Case:
    require_open(case)
    _require_ip_keeper(case, ctx, "set the plan's period")
    plan = _plan(case, ("onsket", "aktiv"), "a period")
    if til <= fra:
        raise DomainError(f"the plan's period ends ({til}) before or when it starts ({fra})", "check --fra and --til")
    outside = [r for r in plan.revisjoner if not fra <= r <= til]
    if outside:
        raise DomainError(f"revision date {outside[0]} would fall outside the period", "choose a period that holds it")
    if (plan.periode_fra, plan.periode_til) == (fra, til):
        raise DomainError(f"the plan's period is {fra} – {til} already", "nothing to change")
    tekst = ctx.say(f"Individuell plan gjelder fra {day(fra, ctx)} til {day(til, ctx)}.",
                    f"Individuell plan gjeld frå {day(fra, ctx)} til {day(til, ctx)}.")
    if plan.periode_fra is not None:
        tekst += ctx.say(f" Før: {day(plan.periode_fra, ctx)} – {day(plan.periode_til, ctx)}.",
                         f" Før: {day(plan.periode_fra, ctx)} – {day(plan.periode_til, ctx)}.")
    plan = plan.model_copy(update={"periode_fra": fra, "periode_til": til})
    return log(case.model_copy(update={"individuell_plan": plan}), ctx, "individuell_plan", tekst)


def _with_revision(plan, dato: dt.date, ctx: Context, confirming: bool = False):
    """The plan with one more revision date; an evaluation that confirms a date already planned keeps it."""
    if dato < ctx.today:
        raise DomainError(f"the revision date {dato} has passed", "a revision date is planned ahead; evaluate the plan instead")
    if dato in plan.revisjoner and confirming:
        return plan
    if dato in plan.revisjoner:
        raise DomainError(f"{dato} is a revision date already", "nothing to add")
    if plan.periode_fra is not None and not plan.periode_fra <= dato <= plan.periode_til:
        raise DomainError(f"{dato} is outside the plan's period ({plan.periode_fra} – {plan.periode_til})",
                          "choose a date inside it, or change the period first: stafett ip period")
    return plan.model_copy(update={"revisjoner": sorted([*plan.revisjoner, dato])})


def add_ip_revision(case: Case, ctx: Context, *, dato: dt.date) -> Case:
    require_open(case)
    _require_ip_keeper(case, ctx, "plan a revision")
    plan = _with_revision(_plan(case, ("onsket", "aktiv"), "a revision date"), dato, ctx)
    tekst = ctx.say(f"Individuell plan skal revideres {day(dato, ctx)}.", f"Individuell plan skal reviderast {day(dato, ctx)}.")
    return log(case.model_copy(update={"individuell_plan": plan}), ctx, "individuell_plan", tekst)


def evaluate_ip(case: Case, ctx: Context, *, vurdering: str, dato: dt.date, barnets_syn: Optional[str] = None,
                barnets_syn_mangler: Optional[str] = None, familiens_syn: Optional[str] = None,
                neste_revisjon: Optional[dt.date] = None) -> Case:
    """The plan's own evaluation, with the hovedperson and the family involved ("Involverer barnet/ungdommen
    og foresatte i planleggingen, gjennomføringen og evalueringen")."""
    require_open(case)
    _require_ip_keeper(case, ctx, "evaluate the plan")
    plan = _plan(case, ("aktiv",), "an evaluation of the plan")
    if not vurdering.strip():
        raise UsageError("an evaluation needs an assessment", "say how the plan works: --vurdering TEXT")
    require_childs_view(barnets_syn, barnets_syn_mangler)
    not_future(dato, ctx, "the evaluation date")
    if dato < plan.dato:
        raise DomainError(f"the evaluation ({dato}) is before the plan was taken into use ({plan.dato})", "check --dato")
    evaluation = new(IPEvaluering, dato=dato, av=ctx.actor, vurdering=vurdering, barnets_syn=barnets_syn,
                     barnets_syn_mangler=barnets_syn_mangler, familiens_syn=familiens_syn)
    plan = plan.model_copy(update={"evalueringer": [*plan.evalueringer, evaluation]})
    tekst = ctx.say(f"Individuell plan er evaluert {day(dato, ctx)}.", f"Individuell plan er evaluert {day(dato, ctx)}.")
    if neste_revisjon is not None:
        if neste_revisjon <= dato:
            raise DomainError(f"the next revision ({neste_revisjon}) is not after this evaluation ({dato})", "check --neste-revisjon")
        plan = _with_revision(plan, neste_revisjon, ctx, confirming=True)
        tekst += ctx.say(f" Neste revisjon {day(neste_revisjon, ctx)}.", f" Neste revisjon {day(neste_revisjon, ctx)}.")
    tekst += views_missing(ctx, barnets_syn_mangler, familiens_syn)
    return log(case.model_copy(update={"individuell_plan": plan}), ctx, "individuell_plan", tekst)


__all__ = [
    "refuse_request", "replace_koordinator", "end_koordinator", "register_absence", "set_ip_period", "add_ip_revision",
    "evaluate_ip",
]
