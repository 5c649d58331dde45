"""Consent (samtykke): given to services, not to named people; withdrawn at any time.

From the routines and the sources in domain.md §4: consent is "informert, frivillig og dokumenterbart";
it comes from a foresatt with parental responsibility, or from the young person from the kommune's age
of consent (`innstillinger.samtykkealder`, 16 by default, some use 15); it names the services in scope
and may expire (Conexus). Withdrawal ends the participation it covered and, if it covered the
stafettlogg itself, closes the log ("Føresette og ungdom kan til ein kvar tid avslutte loggen ved å
trekke samtykket attende").

Record version 2 adds who signs beside the first signatory, what may not be shared with whom, and who
withdrew:
- Both parents with foreldreansvar sign; the second signs the same consent (`medsignaturer`).
- A child under the age of consent may sign beside a foresatt: the stafettholder makes the child's voice
  visible ("barnets/ungdommens/foresattes stemme er synlig"), but the legal capacity is the parents'.
- A pregnant woman consents for herself whatever her age: the follow-up is of her own pregnancy.
- A family member who is not a foresatt (Case.familie) never signs.
- A restriction (`forbehold`) names services it may not be shared with; its text is itself what those
  services must not read, so log lines never repeat it (the log is rendered to every service).
- Koordinerende enhet acts on a case only under a consent that covers it.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional, Sequence

from stafett.errors import DomainError, NotFound, UsageError
from stafett.i18n import N_, _, date_text
from stafett.model import Case
from stafett.model.case import Forbehold, Samtykke, Signatur, Trukket
from stafett.model.settings import Settings
from stafett.workflow.closing import closed, ended_text
from stafett.workflow.common import (
    HOVEDPERSON, STAFETTLOGG_SCOPE, Context, age_on, covering_consent, day, family_ids, find_item, fresh_id, log, new,
    not_future, period, replaced, scopes_text, require_family_contact_allowed, require_involved, require_open,
)

FORMS = ("skriftlig", "muntlig")
# The nynorsk words a coordinator may type for the same forms; the file keeps the code (the bokmål word).
FORMS_NN = {"skriftlig": "skriftleg", "muntlig": "munnleg"}
FORM_TEXT = {"skriftlig": N_("in writing"), "muntlig": N_("orally")}


# --- giving, signing, restricting, withdrawing -----------------------------------------------------

def add_consent(case: Case, ctx: Context, *, gitt_av: str | Sequence[str], dato: dt.date, omfang: Iterable[str],
                form: str, utloper: Optional[dt.date] = None, forbehold: Optional[str] = None,
                ikke_med: Iterable[str] = ()) -> Case:
    """`gitt_av` may name several: the first gives the consent, the others sign beside them the same day."""
    signers = [gitt_av] if isinstance(gitt_av, str) else list(gitt_av)
    if not signers:
        raise UsageError(_("a consent needs who gives it"), _("add --gitt-av FORESATT_ID or --gitt-av hovedperson"))
    first, others = signers[0], signers[1:]
    require_open(case)
    require_involved(case, ctx, N_("record consent"))
    if set(signers) & family_ids(case):
        require_family_contact_allowed(case, N_("asking the family for consent"))
    form = consent_form(form)
    scopes = _scopes(ctx, omfang)
    not_future(dato, ctx, N_("the consent's date"))
    if utloper is not None and utloper <= dato:
        raise DomainError(_("the consent would expire ({expires}) before it is given ({date})").format(
                              expires=date_text(utloper), date=date_text(dato)), _("check --utloper"))
    _no_one_twice(signers)
    capacity = _capacity(case, ctx, first, dato)
    cosigned = [(other, _capacity(case, ctx, other, dato, beside=True)) for other in others]
    restriction = _restriction(ctx, forbehold, ikke_med)
    consent_id = fresh_id(case, "s")
    consent = new(Samtykke, id=consent_id, gitt_av=first, dato=dato, omfang=scopes, form=form, registrert_av=ctx.actor,
                  utloper=utloper,
                  medsignaturer=[new(Signatur, av=o, dato=dato, form=form, registrert_av=ctx.actor) for o, _capacity_text in cosigned],
                  forbehold=[restriction] if restriction else None)
    form_text = ctx.tr(FORM_TEXT[form])
    tekst = ctx.tr("Consent {consent} from {signer}, {form}, {date}: {scopes}.").format(
        consent=consent_id, signer=capacity, form=form_text, date=day(dato, ctx), scopes=scopes_text(scopes, ctx))
    if cosigned:
        names = ", ".join(text for _who, text in cosigned)
        tekst += " " + ctx.tr("Also signed by {names}.").format(names=names)
    if utloper:
        tekst += " " + ctx.tr("Expires {date}.").format(date=day(utloper, ctx))
    if restriction:
        tekst += " " + _restriction_text(ctx, restriction)
    case = case.model_copy(update={"samtykker": [*case.samtykker, consent]})
    return log(case, ctx, "samtykke", tekst)


def sign_consent(case: Case, ctx: Context, *, samtykke_id: str, av: str, dato: dt.date, form: str) -> Case:
    """One more signatory of a consent already given: the other parent, or the young person beside them."""
    require_open(case)
    require_involved(case, ctx, N_("record a signature on a consent"))
    index, consent = find_item(case.samtykker, samtykke_id, N_("consent"), case)
    if av in family_ids(case):
        require_family_contact_allowed(case, N_("asking the family for a signature"))
    form = consent_form(form)
    not_future(dato, ctx, N_("the signature's date"))
    if dato < consent.dato:
        raise DomainError(_("the signature ({date}) is before the consent was given ({given})").format(
                              date=date_text(dato), given=date_text(consent.dato)), _("check --dato"))
    if not consent.active_on(dato):
        raise DomainError(_("consent {consent} is not in force on {date} (withdrawn or expired)").format(
                              consent=samtykke_id, date=date_text(dato)),
                          _("record a new consent instead: stafett consent add {case} --gitt-av {who} ...").format(
                              case=case.id, who=av))
    if av in consent.signatories():
        raise DomainError(_("{who} has signed consent {consent} already").format(who=av, consent=samtykke_id),
                          _("nobody signs the same consent twice"))
    capacity = _capacity(case, ctx, av, dato, beside=True)
    signature = new(Signatur, av=av, dato=dato, form=form, registrert_av=ctx.actor)
    signed = consent.model_copy(update={"medsignaturer": [*consent.medsignaturer, signature]})
    case = case.model_copy(update={"samtykker": replaced(case.samtykker, index, signed)})
    form_text = ctx.tr(FORM_TEXT[form])
    tekst = ctx.tr("Consent {consent} is also signed by {signer}, {form}, {date}.").format(
        consent=samtykke_id, signer=capacity, form=form_text, date=day(dato, ctx))
    return log(case, ctx, "samtykke", tekst)


def restrict_consent(case: Case, ctx: Context, *, samtykke_id: str, forbehold: str, ikke_med: Iterable[str] = ()) -> Case:
    """A restriction the family adds to a consent in force: what may not be shared, and with whom."""
    require_open(case)
    require_involved(case, ctx, N_("record a restriction on a consent"))
    index, consent = find_item(case.samtykker, samtykke_id, N_("consent"), case)
    if not consent.active_on(ctx.today):
        raise DomainError(_("consent {consent} is not in force today (withdrawn, expired or not yet given)").format(
                              consent=samtykke_id),
                          _("a restriction narrows a consent in force; nothing is shared under this one"))
    restriction = _restriction(ctx, forbehold, ikke_med)
    assert restriction is not None  # forbehold is required here
    restricted = consent.model_copy(update={"forbehold": [*consent.forbehold, restriction]})
    case = case.model_copy(update={"samtykker": replaced(case.samtykker, index, restricted)})
    tekst = ctx.tr("Consent {consent}:").format(consent=samtykke_id) + " " + _restriction_text(ctx, restriction)
    return log(case, ctx, "samtykke", tekst)


def withdraw_consent(case: Case, ctx: Context, *, samtykke_id: str, dato: dt.date, merknad: Optional[str] = None,
                     trukket_av: Optional[str] = None) -> Case:
    """Withdrawal ends what only this consent covered; without the stafettlogg covered, the log closes."""
    require_open(case)
    require_involved(case, ctx, N_("record a withdrawal of consent"))
    index, consent = find_item(case.samtykker, samtykke_id, N_("consent"), case)
    if consent.trukket is not None:
        raise DomainError(_("consent {consent} was withdrawn on {date}").format(
                              consent=samtykke_id, date=date_text(consent.trukket.dato)), _("nothing to withdraw"))
    if not trukket_av:
        raise UsageError(_("a withdrawal needs who withdrew"), _("add --trukket-av FORESATT_ID or --trukket-av hovedperson"))
    not_future(dato, ctx, N_("the withdrawal's date"))
    if dato < consent.dato:
        raise DomainError(_("the withdrawal ({date}) is before the consent was given ({given})").format(
                              date=date_text(dato), given=date_text(consent.dato)), _("check --dato"))
    who = _capacity(case, ctx, trukket_av, dato, withdrawing=True)
    withdrawn = consent.model_copy(update={"trukket": new(Trukket, dato=dato, registrert_av=ctx.actor, merknad=merknad,
                                                          trukket_av=trukket_av)})
    case = case.model_copy(update={"samtykker": replaced(case.samtykker, index, withdrawn)})

    # Participation only this consent covered ends the day it is withdrawn.
    deltakere = case.deltakere
    ended: list[str] = []
    for n, d in enumerate(case.deltakere):
        if d.til is None and d.tjeneste in consent.omfang and covering_consent(case, d.tjeneste, dato) is None:
            deltakere = replaced(deltakere, n, d.model_copy(update={"til": max(dato, d.fra)}))
            ended.append(f"{ctx.name(d.person)} ({d.tjeneste})")
    case = case.model_copy(update={"deltakere": deltakere})

    tekst = ctx.tr("Consent {consent} is withdrawn by {signer} {date}.").format(
        consent=samtykke_id, signer=who, date=day(dato, ctx))
    if merknad:
        tekst += f" {period(merknad)}"
    if ended:
        tekst += " " + ctx.tr("The participation has ended for {participants}.").format(participants=", ".join(ended))
    if STAFETTLOGG_SCOPE in consent.omfang and covering_consent(case, STAFETTLOGG_SCOPE, dato) is None:
        pending = case.overlevering
        case = case.model_copy(update={"overlevering": None})
        case, rest = closed(case, dato, "samtykke trukket", merknad)
        tekst += " " + ctx.tr("The consent covered the stafettlogg, so the log is closed.")
        if pending is not None:
            tekst += " " + ctx.tr("The offer of the baton to {receiver} lapses.").format(receiver=ctx.name(pending.til))
        tekst += ended_text(rest, ctx)
    return log(case, ctx, "samtykke", tekst)


# --- koordinerende enhet ---------------------------------------------------------------------------

def koordinerende_enheter(settings: Settings) -> list[str]:
    return [t.id for t in settings.tjenester if t.koordinerende_enhet]


def ke_consent(case: Case, settings: Settings, on: dt.date) -> Optional[Samtykke]:
    """The consent in force on `on` that lets koordinerende enhet in (None also when no service is KE)."""
    for service in koordinerende_enheter(settings):
        found = covering_consent(case, service, on)
        if found is not None:
            return found
    return None


def require_ke_consent(case: Case, ctx: Context, on: dt.date, what: str) -> None:
    """Koordinerende enhet acts on a case only under a consent that covers it (taushetsplikt)."""
    services = koordinerende_enheter(ctx.settings)
    if not services:
        raise DomainError(_("{what} involves koordinerende enhet, and no service in stafett.yaml is marked as it").format(
                              what=_(what)),
                          _("mark the service with 'koordinerende_enhet: true' in stafett.yaml"))
    if ke_consent(case, ctx.settings, on) is None:
        raise DomainError(_("no consent in force on {date} covers koordinerende enhet ({service}), which {what} needs").format(
                              date=date_text(on), service=services[0], what=_(what)),
                          _("record consent for that service first: stafett consent add {case} --gitt-av ID "
                            "--omfang {service}").format(case=case.id, service=services[0]))


# --- who may sign ----------------------------------------------------------------------------------

def _capacity(case: Case, ctx: Context, who: str, dato: dt.date, *, beside: bool = False,
              withdrawing: bool = False) -> str:
    """Who may consent, and in what capacity; the kommune's age of consent decides between them.

    `beside`: signing next to someone who has the capacity (a child under the age of consent may).
    `withdrawing`: a withdrawal comes from someone who could consent that day.
    Returns how the log names them."""
    limit = ctx.settings.innstillinger.samtykkealder
    person = case.hovedperson
    born = person.fodselsdato
    age = age_on(born, dato) if born else None
    of_age = age is not None and age >= limit
    if who == HOVEDPERSON:
        aged = " " + ctx.tr("({age} years)").format(age=age) if age is not None else ""
        if person.kategori == "gravid" or of_age:
            return ctx.tr("the hovedperson themself{aged}").format(aged=aged)
        if beside and person.kategori in ("barn", "ungdom"):
            return ctx.tr("the hovedperson{aged}, under the age of consent").format(aged=aged)
        shown = f"{age}" if age is not None else _("not born")
        hint = (_("a foresatt with foreldreansvar withdraws: --trukket-av FORESATT_ID") if withdrawing else
                _("a foresatt with foreldreansvar consents: --gitt-av FORESATT_ID (the child may sign beside them: "
                  "give the foresatt first)"))
        raise DomainError(_("the hovedperson is under the age of consent ({limit}) on {date} (age {age})").format(
                              limit=limit, date=date_text(dato), age=shown), hint)
    relative = next((m for m in case.familie if m.id == who), None)
    if relative is not None:
        raise DomainError(_("{relation} ({who}) is family but not a foresatt, and never signs for the child").format(
                              relation=relative.relasjon, who=who),
                          _("consent comes from a foresatt with foreldreansvar"))
    guardian = next((f for f in case.foresatte if f.id == who), None)
    if guardian is None:
        known = ", ".join([*(f.id for f in case.foresatte), HOVEDPERSON])
        raise NotFound(_("'{who}' is not a foresatt in case {case}").format(who=who, case=case.id),
                       _("use one of: {known}").format(known=known))
    if not guardian.foreldreansvar:
        raise DomainError(_("{relation} ({who}) has no foreldreansvar and cannot consent for the child").format(
                              relation=guardian.relasjon, who=who),
                          _("consent comes from a foresatt with parental responsibility"))
    if of_age and person.kategori in ("barn", "ungdom") and not beside:
        hint = (_("the young person withdraws: --trukket-av hovedperson") if withdrawing else
                _("record the young person's own consent: --gitt-av hovedperson"))
        raise DomainError(_("the hovedperson is {age}, at or over the kommune's age of consent ({limit}), "
                            "and consents for themself").format(age=age, limit=limit), hint)
    return ctx.tr("{name} ({relation}, with foreldreansvar)").format(name=guardian.navn, relation=guardian.relasjon)


def _no_one_twice(signers: list[str]) -> None:
    seen: set[str] = set()
    for who in signers:
        if who in seen:
            raise UsageError(_("{who} is named twice in --gitt-av").format(who=who), _("nobody signs the same consent twice"))
        seen.add(who)


# --- helpers ---------------------------------------------------------------------------------------

def consent_form(value: str) -> str:
    """The form's code from what a coordinator typed: skriftlig/skriftleg or muntlig/munnleg."""
    key = value.strip().lower()
    found = key if key in FORMS else next((code for code, word in FORMS_NN.items() if word == key), None)
    if found is None:
        raise UsageError(_("unknown consent form '{form}'").format(form=value), _("use skriftlig or muntlig"))
    return found


def _scopes(ctx: Context, omfang: Iterable[str]) -> list[str]:
    scopes: list[str] = []
    for scope in omfang:
        if scope != STAFETTLOGG_SCOPE and ctx.settings.service(scope) is None:
            known = ", ".join([STAFETTLOGG_SCOPE, *(t.id for t in ctx.settings.tjenester)])
            raise NotFound(_("consent scope '{scope}' is not a service in stafett.yaml").format(scope=scope),
                           _("use one of: {known}").format(known=known))
        if scope not in scopes:
            scopes.append(scope)
    if not scopes:
        raise UsageError(_("a consent needs its scope"), _("name what it covers: --omfang stafettlogg --omfang SERVICE ..."))
    return scopes


def _restriction(ctx: Context, tekst: Optional[str], ikke_med: Iterable[str]) -> Optional[Forbehold]:
    services: list[str] = []
    for service in ikke_med:
        if ctx.settings.service(service) is None:
            known = ", ".join(t.id for t in ctx.settings.tjenester)
            raise NotFound(_("--ikke-med '{service}' is not a service in stafett.yaml").format(service=service),
                           _("use one of: {known}").format(known=known))
        if service not in services:
            services.append(service)
    if tekst is None or not tekst.strip():
        if services:
            raise UsageError(_("--ikke-med needs the restriction it belongs to"),
                             _("add --forbehold TEXT (what may not be shared)"))
        if tekst is not None:
            raise UsageError(_("the restriction is empty"), _("say what may not be shared: --forbehold TEXT"))
        return None
    return new(Forbehold, tekst=tekst, ikke_med=services or None)


def _restriction_text(ctx: Context, restriction: Forbehold) -> str:
    """The log names whom a restriction shuts out, never what: the log reaches the very services it names."""
    if restriction.ikke_med:
        names = ", ".join(restriction.ikke_med)
        return ctx.tr("Restriction: something must not be shared with {names} (see the consent).").format(names=names)
    return ctx.tr("Restriction: {text}").format(text=period(restriction.tekst))
