"""Consent (samtykke): given to services, not to named people; withdrawn at any time.

From the routines and the sources in domain.md §4: consent is "informert, frivillig og dokumenterbart";
it comes from a foresatt with parental responsibility, or from the young person from the kommune's age
of consent (`innstillinger.samtykkealder`, 16 by default, some use 15); it names the services in scope
and may expire (Conexus). Withdrawal ends the participation it covered and, if it covered the
stafettlogg itself, closes the log ("Føresette og ungdom kan til ein kvar tid avslutte loggen ved å
trekke samtykket attende").
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional

from stafett.errors import DomainError, NotFound, UsageError
from stafett.model import Case
from stafett.model.case import Samtykke, Trukket
from stafett.workflow.closing import closed, ended_text
from stafett.workflow.common import (
    HOVEDPERSON, STAFETTLOGG_SCOPE, Context, age_on, covering_consent, day, family_ids, find_item, fresh_id, log, new,
    not_future, period, replaced, require_family_contact_allowed, require_involved, require_open,
)

FORMS = ("skriftlig", "muntlig")
FORM_TEXT = {"skriftlig": ("skriftlig", "skriftleg"), "muntlig": ("muntlig", "munnleg")}


def add_consent(case: Case, ctx: Context, *, gitt_av: str, dato: dt.date, omfang: Iterable[str], form: str,
                utloper: Optional[dt.date] = None) -> Case:
    require_open(case)
    require_involved(case, ctx, "record consent")
    if gitt_av in family_ids(case):
        require_family_contact_allowed(case, "asking the family for consent")
    if form not in FORMS:
        raise UsageError(f"unknown consent form '{form}'", "use skriftlig or muntlig")
    scopes = _scopes(ctx, omfang)
    not_future(dato, ctx, "the consent's date")
    if utloper is not None and utloper <= dato:
        raise DomainError(f"the consent would expire ({utloper}) before it is given ({dato})", "check --utloper")
    capacity = _capacity(case, ctx, gitt_av, dato)
    consent_id = fresh_id(case, "s")
    consent = new(Samtykke, id=consent_id, gitt_av=gitt_av, dato=dato, omfang=scopes, form=form,
                  registrert_av=ctx.actor, utloper=utloper)
    form_text = ctx.say(*FORM_TEXT[form])
    tekst = ctx.say(f"Samtykke {consent_id} fra {capacity}, {form_text}, {day(dato, ctx)}: {', '.join(scopes)}.",
                    f"Samtykke {consent_id} frå {capacity}, {form_text}, {day(dato, ctx)}: {', '.join(scopes)}.")
    if utloper:
        tekst += ctx.say(f" Utløper {day(utloper, ctx)}.", f" Går ut {day(utloper, ctx)}.")
    case = case.model_copy(update={"samtykker": [*case.samtykker, consent]})
    return log(case, ctx, "samtykke", tekst)


def withdraw_consent(case: Case, ctx: Context, *, samtykke_id: str, dato: dt.date, merknad: Optional[str] = None) -> Case:
    """Withdrawal ends what only this consent covered; without the stafettlogg covered, the log closes."""
    require_open(case)
    require_involved(case, ctx, "record a withdrawal of consent")
    index, consent = find_item(case.samtykker, samtykke_id, "consent", case)
    if consent.trukket is not None:
        raise DomainError(f"consent {samtykke_id} was withdrawn on {consent.trukket.dato}", "nothing to withdraw")
    not_future(dato, ctx, "the withdrawal's date")
    if dato < consent.dato:
        raise DomainError(f"the withdrawal ({dato}) is before the consent was given ({consent.dato})", "check --dato")
    withdrawn = consent.model_copy(update={"trukket": new(Trukket, dato=dato, registrert_av=ctx.actor, merknad=merknad)})
    case = case.model_copy(update={"samtykker": replaced(case.samtykker, index, withdrawn)})

    # Participation only this consent covered ends the day it is withdrawn.
    deltakere = case.deltakere
    ended: list[str] = []
    for n, d in enumerate(case.deltakere):
        if d.til is None and d.tjeneste in consent.omfang and covering_consent(case, d.tjeneste, dato) is None:
            deltakere = replaced(deltakere, n, d.model_copy(update={"til": max(dato, d.fra)}))
            ended.append(f"{ctx.name(d.person)} ({d.tjeneste})")
    case = case.model_copy(update={"deltakere": deltakere})

    tekst = ctx.say(f"Samtykke {samtykke_id} er trukket {day(dato, ctx)}.", f"Samtykke {samtykke_id} er trekt attende {day(dato, ctx)}.")
    if merknad:
        tekst += f" {period(merknad)}"
    if ended:
        tekst += ctx.say(f" Deltakelsen er avsluttet for {', '.join(ended)}.", f" Deltakinga er avslutta for {', '.join(ended)}.")
    if STAFETTLOGG_SCOPE in consent.omfang and covering_consent(case, STAFETTLOGG_SCOPE, dato) is None:
        pending = case.overlevering
        case = case.model_copy(update={"overlevering": None})
        case, rest = closed(case, dato, "samtykke trukket", merknad)
        tekst += ctx.say(" Samtykket omfattet stafettloggen, så loggen er avsluttet.",
                         " Samtykket omfatta stafettloggen, så loggen er avslutta.")
        if pending is not None:
            tekst += ctx.say(f" Tilbudet om stafettpinnen til {ctx.name(pending.til)} faller bort.",
                             f" Tilbodet om stafettpinnen til {ctx.name(pending.til)} fell bort.")
        tekst += ended_text(rest, ctx)
    return log(case, ctx, "samtykke", tekst)


def _scopes(ctx: Context, omfang: Iterable[str]) -> list[str]:
    scopes: list[str] = []
    for scope in omfang:
        if scope != STAFETTLOGG_SCOPE and ctx.settings.service(scope) is None:
            known = ", ".join([STAFETTLOGG_SCOPE, *(t.id for t in ctx.settings.tjenester)])
            raise NotFound(f"consent scope '{scope}' is not a service in stafett.yaml", f"use one of: {known}")
        if scope not in scopes:
            scopes.append(scope)
    if not scopes:
        raise UsageError("a consent needs its scope", "name what it covers: --omfang stafettlogg --omfang SERVICE ...")
    return scopes


def _capacity(case: Case, ctx: Context, gitt_av: str, dato: dt.date) -> str:
    """Who may consent, and in what capacity; the kommune's age of consent decides between them."""
    limit = ctx.settings.innstillinger.samtykkealder
    person = case.hovedperson
    born = person.fodselsdato
    of_age = born is not None and age_on(born, dato) >= limit
    if gitt_av == HOVEDPERSON:
        if not of_age:
            age = f"{age_on(born, dato)}" if born else ctx.say("ikke født", "ikkje fødd")
            raise DomainError(f"the hovedperson is under the age of consent ({limit}) on {dato} (age {age})",
                              "a foresatt with foreldreansvar consents: --gitt-av FORESATT_ID")
        return ctx.say(f"hovedpersonen selv ({age_on(born, dato)} år)", f"hovudpersonen sjølv ({age_on(born, dato)} år)")
    guardian = next((f for f in case.foresatte if f.id == gitt_av), None)
    if guardian is None:
        known = ", ".join([*(f.id for f in case.foresatte), HOVEDPERSON])
        raise NotFound(f"'{gitt_av}' is not a foresatt in case {case.id}", f"use one of: {known}")
    if not guardian.foreldreansvar:
        raise DomainError(f"{guardian.relasjon} ({gitt_av}) has no foreldreansvar and cannot consent for the child",
                          "consent comes from a foresatt with parental responsibility")
    if of_age and person.kategori in ("barn", "ungdom"):
        raise DomainError(f"the hovedperson is {age_on(born, dato)}, at or over the kommune's age of consent ({limit}), "
                          "and consents for themself",
                          "record the young person's own consent: --gitt-av hovedperson")
    return ctx.say(f"{guardian.navn} ({guardian.relasjon}, med foreldreansvar)",
                   f"{guardian.navn} ({guardian.relasjon}, med foreldreansvar)")
