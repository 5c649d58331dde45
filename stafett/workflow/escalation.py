"""Escalation: changing the BTI nivå, asking koordinerende enhet for a (barne)koordinator, and the IP.

- On a change of level, "skal det i samråd med dem det gjelder avklares hvem som skal være stafettholder
  videre" (Rutine Stafettholder): the entry records the conclusion when it is given; the CLI asks.
- "Dersom det etter kvart viser seg at eit barn/ein ungdom treng langvarige koordinerte tenester, tek
  stafetthaldar kontakt med koordinerande eining" (Gloppen). The criteria are the law's (Lyngdal's
  Koordinator rollebeskrivelse): koordinator for a need of long-term, coordinated health and care
  services (hol. § 7-2); barnekoordinator for a child under 18 (born or expected) with serious illness,
  injury or disability and a need of long-term, complex or coordinated health and care services and
  other welfare services (hol. § 7-2 a). Whoever has the right to a koordinator also has the right to an
  individuell plan, "men de bestemmer selv om de ønsker dette eller ikke".
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional

from stafett.errors import DomainError, UsageError
from stafett.i18n import N_, _, date_text
from stafett.model import Case
from stafett.model.case import IndividuellPlan, KoordinatorForesporsel
from stafett.workflow.consent import require_ke_consent
from stafett.workflow.common import (
    Context, age_on, day, log, new, not_future, period, require_holder, require_involved, require_open,
)

KINDS = ("koordinator", "barnekoordinator")

# The criteria as the law words them, from the catalog: the log reads them in the case's målform, the record
# keeps the keys. The first three a stafettholder confirms (CLI keys); the age is read from the case.
CRITERIA_WORDS = {
    "langvarige-koordinerte-tjenester":
        N_("a need for long-term and coordinated health and care services (hol. § 7-2)"),
    "alvorlig-sykdom-skade-funksjonsnedsettelse":
        N_("serious illness, injury or disability (hol. § 7-2 a)"),
    "langvarige-sammensatte-tjenester":
        N_("a need for long-term and complex or coordinated health and care services and other welfare services "
           "(hol. § 7-2 a)"),
    "barn-under-18": N_("the child is under 18"),
    "ventet-barn": N_("the child is expected, not yet born"),
}
CRITERIA = {key: CRITERIA_WORDS[key] for key in (
    "langvarige-koordinerte-tjenester", "alvorlig-sykdom-skade-funksjonsnedsettelse", "langvarige-sammensatte-tjenester")}
REQUIRED = {
    "koordinator": ("langvarige-koordinerte-tjenester",),
    "barnekoordinator": ("alvorlig-sykdom-skade-funksjonsnedsettelse", "langvarige-sammensatte-tjenester"),
}
CHILD_UNDER_18 = "barn-under-18"
EXPECTED_CHILD = "ventet-barn"

IP_STATES = ("tilbudt", "onsket", "avslatt", "aktiv")
IP_NEXT = {None: {"tilbudt"}, "tilbudt": {"onsket", "avslatt"}, "onsket": {"aktiv", "avslatt"},
           "avslatt": {"tilbudt"}, "aktiv": {"avslatt"}}


def change_level(case: Case, ctx: Context, *, niva: int, grunn: str, stafettholder_videre: Optional[str] = None) -> Case:
    require_open(case)
    require_holder(case, ctx, _("change the nivå"))
    if not 0 <= niva <= 3:
        raise UsageError(_("nivå {level} does not exist").format(level=niva), _("BTI has nivå 0, 1, 2 and 3"))
    if niva == case.niva:
        raise DomainError(_("the case is on nivå {level} already").format(level=niva), _("nothing to change"))
    if niva == 0:
        raise DomainError(_("nivå 0 is the worry before any follow-up; a case does not go back to it"),
                          _("choose nivå 1, or close the case: stafett close {case} --grunn ...").format(case=case.id))
    if case.stafettholder is None and case.koordinator is None:
        raise DomainError(_("nivå {level} needs someone holding the baton, and no stafettholder is appointed").format(level=niva),
                          _("the leader appoints one and moves the level in one step: "
                            "stafett assign {case} --stafettholder ID --niva {level}").format(case=case.id, level=niva))
    if not grunn.strip():
        raise UsageError(_("a change of nivå needs a reason"), _("add --grunn TEXT"))
    tekst = ctx.tr("Nivå {old} → {new}. Reason: {reason}").format(old=case.niva, new=niva, reason=period(grunn))
    if stafettholder_videre:
        tekst += ctx.tr(" Stafettholder onwards: {holder}").format(holder=period(stafettholder_videre))
    return log(case.model_copy(update={"niva": niva}), ctx, "nivå", tekst)


def check_barnekoordinator_age(case: Case, on: dt.date) -> str:
    """The age criterion of hol. § 7-2 a, read from the case: a child under 18, or one expected."""
    person = case.hovedperson
    if person.kategori == "gravid" or person.fodselsdato is None:
        if person.termin is not None:
            return EXPECTED_CHILD
    if person.fodselsdato is not None:
        age = age_on(person.fodselsdato, on)
        if age < 18:
            return CHILD_UNDER_18
        raise DomainError(_("barnekoordinator is only for a child under 18 or not yet born; the hovedperson is {age}").format(age=age),
                          _("request an ordinary koordinator instead: --koordinator koordinator"))
    raise DomainError(_("the case has neither a birth date nor a due date"), _("add one to hovedperson"))  # the model forbids this


def request_koordinator(case: Case, ctx: Context, *, kind: str, kriterier: Iterable[str], begrunnelse: str,
                        dato: dt.date, ip: Optional[str] = None, ip_merknad: Optional[str] = None,
                        familiens_onske: Optional[str] = None) -> Case:
    """The request to koordinerende enhet; with `ip`, the IP offer (or the family's answer) in the same step.
    A refused request (its `avslag`) is closed: a new request replaces it, and the log keeps the refusal."""
    require_open(case)
    require_holder(case, ctx, _("request a koordinator"))
    if kind not in KINDS:
        raise UsageError(_("unknown koordinator type '{kind}'").format(kind=kind), _("use koordinator or barnekoordinator"))
    confirmed: list[str] = []
    for key in kriterier:
        if key not in CRITERIA:
            raise UsageError(_("unknown criterion '{key}'").format(key=key), _("use: {keys}").format(keys=", ".join(CRITERIA)))
        if key not in confirmed:
            confirmed.append(key)
    missing = [key for key in REQUIRED[kind] if key not in confirmed]
    if missing:
        raise DomainError(_("a {kind} needs these criteria assessed as met: {keys}").format(kind=kind, keys=", ".join(missing)),
                          _("confirm each with --kriterium KEY once assessed ({criteria})").format(
                              criteria="; ".join(_(CRITERIA[k]) for k in missing)))
    not_future(dato, ctx, _("the request's date"))
    if kind == "barnekoordinator":
        confirmed.insert(0, check_barnekoordinator_age(case, dato))
    current = case.koordinator
    if current is not None and current.type == kind:
        raise DomainError(_("the case has a {kind} already ({person})").format(kind=kind, person=ctx.name(current.person)),
                          _("koordinerende enhet can replace them: stafett koordinator replace {case} --ny ID --grunn TEXT").format(
                              case=case.id))
    pending = case.koordinator_foresporsel
    if pending is not None and pending.avslag is None and current is None:
        raise DomainError(_("a {kind} was requested on {date} and is not appointed yet").format(
            kind=pending.type, date=date_text(pending.dato)),
                          _("koordinerende enhet appoints: stafett assign {case} --koordinator ID").format(case=case.id))
    if not begrunnelse.strip():
        raise UsageError(_("a request needs a reason"), _("add --begrunnelse TEXT"))
    require_ke_consent(case, ctx, dato, _("a request to koordinerende enhet"))
    request = new(KoordinatorForesporsel, type=kind, dato=dato, av=ctx.actor, begrunnelse=begrunnelse, kriterier=confirmed,
                  familiens_onske=familiens_onske)
    criteria = "; ".join(ctx.tr(CRITERIA_WORDS[k]) if k in CRITERIA_WORDS else k for k in confirmed)
    tekst = ctx.tr("Asked the coordinating unit for {kind} {date}. Criteria: {criteria}. Grounds: {grounds}").format(
        kind=kind, date=day(dato, ctx), criteria=criteria, grounds=period(begrunnelse))
    if familiens_onske:
        tekst += ctx.tr(" The family's wish for a coordinator: {wish}").format(wish=period(familiens_onske))
    case = case.model_copy(update={"koordinator_foresporsel": request})
    if ip is not None:
        plan, ip_text = _ip_step(case, ctx, ip, dato, ip_merknad)
        case = case.model_copy(update={"individuell_plan": plan})
        tekst += " " + ip_text
    return log(case, ctx, "koordinator", tekst)


def record_ip(case: Case, ctx: Context, *, status: str, dato: dt.date, merknad: Optional[str] = None) -> Case:
    """The IP offer and the family's answer: tilbudt, then onsket or avslatt; aktiv once the plan runs."""
    require_open(case)
    require_involved(case, ctx, _("record the individuell plan"))
    plan, tekst = _ip_step(case, ctx, status, dato, merknad)
    return log(case.model_copy(update={"individuell_plan": plan}), ctx, "individuell_plan", tekst)


def _ip_step(case: Case, ctx: Context, status: str, dato: dt.date, merknad: Optional[str]) -> tuple[IndividuellPlan, str]:
    if status not in IP_STATES:
        raise UsageError(_("unknown IP status '{status}'").format(status=status),
                         _("use one of: {values}").format(values=", ".join(IP_STATES)))
    if case.koordinator_foresporsel is None and case.koordinator is None:
        raise DomainError(_("the right to an individuell plan follows the right to a koordinator, and none is requested"),
                          _("request one first: stafett escalate {case} --koordinator TYPE --kriterium ...").format(case=case.id))
    current = case.individuell_plan.status if case.individuell_plan else None
    if status not in IP_NEXT[current]:
        allowed = ", ".join(sorted(IP_NEXT[current]))
        raise DomainError(_("the IP cannot go from {current} to {status}").format(current=current or _("nothing"), status=status),
                          _("next is one of: {values}").format(values=allowed))
    not_future(dato, ctx, _("the date"))
    if case.individuell_plan is not None and dato < case.individuell_plan.dato:
        raise DomainError(_("{date} is before the IP's last change ({last})").format(
            date=date_text(dato), last=date_text(case.individuell_plan.dato)), _("check --dato"))
    plan = new(IndividuellPlan, status=status, dato=dato, merknad=merknad)
    if case.individuell_plan is not None:  # the period, revisions and evaluations outlive a change of status
        plan = case.individuell_plan.model_copy(update={"status": plan.status, "dato": plan.dato, "merknad": plan.merknad})
    texts = {
        "tilbudt": N_("An individual plan is offered to the family."),
        "onsket": N_("The family wants an individual plan."),
        "avslatt": N_("The family declined an individual plan."),
        "aktiv": N_("The individual plan is taken into use."),
    }
    return plan, ctx.tr(texts[status]) + (f" {period(merknad)}" if merknad else "")
