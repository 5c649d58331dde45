"""Version 2 rules: consent. Registered with stafett.rules.rule; imported at the end of stafett/rules.py.

Who signs, what a restriction shuts out, who withdrew, and koordinerende enhet acting only under a
consent that covers it (stafett/workflow/consent.py says why each is so).
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator, Optional

from stafett.findings import Finding, Msg
from stafett.i18n import N_
from stafett.model import Case
from stafett.model.case import Samtykke
from stafett.rules import HOVEDPERSON, Context, _age_on, one_of, rule  # noqa: F401 - the decorator registers each rule


def _of_age(case: Case, ctx: Context, on: dt.date) -> bool:
    born = case.hovedperson.fodselsdato
    return born is not None and _age_on(born, on) >= ctx.settings.innstillinger.samtykkealder


def _young(case: Case) -> bool:
    return case.hovedperson.kategori in ("barn", "ungdom")


def _consented_to(case: Case, who: str, scopes: list[str], on: dt.date, since: Optional[dt.date] = None) -> bool:
    """Whether `who` signed, through consents in force on `on` (and since `since`), every scope in `scopes`."""
    covered: set[str] = set()
    for s in case.samtykker:
        if not s.active_on(on):
            continue
        dates = [s.dato] if s.gitt_av == who else [g.dato for g in s.medsignaturer if g.av == who]
        if dates and (since is None or max(dates) >= since):
            covered |= set(s.omfang)
    return set(scopes) <= covered


def _why_not(case: Case, ctx: Context, who: str, on: dt.date, *, beside: bool) -> Optional[Msg]:
    """Why `who` may not sign (or withdraw) on `on`; None when they may."""
    if who == HOVEDPERSON:
        if case.hovedperson.kategori == "gravid" or _of_age(case, ctx, on) or (beside and _young(case)):
            return None
        return Msg(N_("the hovedperson, who was under {age} on {date}"),
                   age=ctx.settings.innstillinger.samtykkealder, date=on)
    if any(m.id == who for m in case.familie):
        return Msg(N_("'{who}', who is family but not a foresatt"), who=who)
    guardian = next((f for f in case.foresatte if f.id == who), None)
    if guardian is None:
        return Msg(N_("'{who}', who is not a foresatt in this case"), who=who)
    if not guardian.foreldreansvar:
        return Msg(N_("'{who}', who has no foreldreansvar"), who=who)
    return None


@rule
def foresatte_have_signed(case: Case, ctx: Context) -> Iterator[Finding]:
    """C101: both parents with foreldreansvar sign a consent a foresatt gave (or gave the same themselves)."""
    if case.status != "aktiv" or (_young(case) and _of_age(case, ctx, ctx.today)):
        return
    guardians = {f.id for f in case.foresatte}
    for n, s in enumerate(case.samtykker):
        if s.gitt_av not in guardians or not s.active_on(ctx.today):
            continue
        for f in case.foresatte:
            if f.foreldreansvar and f.id not in s.signatories() and not _consented_to(case, f.id, s.omfang, ctx.today):
                yield Finding("C101", Msg(N_("foresatt '{who}' has foreldreansvar and has not signed consent '{consent}'"),
                                             who=f.id, consent=s.id),
                              severity="warning", loc=("samtykker", n),
                              hint=Msg(N_("both parents with foreldreansvar sign: stafett consent sign CASE {consent} --av {who}"),
                                       consent=s.id, who=f.id))


@rule
def cosignatories_may_sign(case: Case, ctx: Context) -> Iterator[Finding]:
    """C102-C104: a co-signatory may sign (a child under the age of consent may, beside a foresatt), nobody
    signs twice, and a signature is dated from the consent to today."""
    for n, s in enumerate(case.samtykker):
        seen = {s.gitt_av}
        for m, g in enumerate(s.medsignaturer):
            where = ("samtykker", n, "medsignaturer", m)
            why = _why_not(case, ctx, g.av, g.dato, beside=True)
            if why is not None:
                yield Finding("C102", Msg(N_("consent '{consent}' is signed by {signer}"), consent=s.id, signer=why), loc=(*where, "av"),
                              hint=Msg(N_("only a foresatt with foreldreansvar, or the hovedperson, signs a consent")))
            if g.av in seen:
                yield Finding("C103", Msg(N_("'{who}' signs consent '{consent}' twice"), who=g.av, consent=s.id), loc=(*where, "av"),
                              hint=Msg(N_("remove the second signature")))
            seen.add(g.av)
            if g.dato < s.dato or g.dato > ctx.today:
                yield Finding("C104", Msg(N_("a signature on consent '{consent}' is dated {date}, outside {start} to today"),
                                             consent=s.id, date=g.dato, start=s.dato),
                              loc=(*where, "dato"), hint=Msg(N_("a signature comes after the consent, and not in the future")))


@rule
def restrictions_name_services(case: Case, ctx: Context) -> Iterator[Finding]:
    """C105: a restriction names services the kommune has."""
    if not ctx.settings.tjenester:
        return  # settings could not be read; that file has its own findings
    known = {t.id for t in ctx.settings.tjenester}
    for n, s in enumerate(case.samtykker):
        for m, f in enumerate(s.forbehold):
            for k, service in enumerate(f.ikke_med):
                if service not in known:
                    yield Finding("C105", Msg(N_("a restriction on consent '{consent}' names '{service}', which is not a service in "
                                              "stafett.yaml"), consent=s.id, service=service),
                                  loc=("samtykker", n, "forbehold", m, "ikke_med", k), hint=one_of(known))


@rule
def participants_outside_restrictions(case: Case, ctx: Context) -> Iterator[Finding]:
    """C106: a participant from a service a restriction shuts out takes part only with that in mind."""
    if case.status != "aktiv":
        return
    for n, d in enumerate(case.deltakere):
        if d.til is not None:
            continue
        for s in _restricting(case, d.tjeneste, ctx.today):
            yield Finding("C106", Msg(N_("participant '{person}' from '{service}' takes part, and consent '{consent}' has a "
                                     "restriction on what may be shared with '{service}'"),
                                  person=d.person, service=d.tjeneste, consent=s.id),
                          severity="warning", loc=("deltakere", n, "tjeneste"),
                          hint=Msg(N_("keep what the restriction names out of what that service gets; "
                                      "documents for its fagsystem leave the restriction's text out")))


def _restricting(case: Case, service: str, on: dt.date) -> list[Samtykke]:
    return [s for s in case.samtykker if s.active_on(on) and any(service in f.ikke_med for f in s.forbehold)]


@rule
def withdrawn_by_someone_who_may(case: Case, ctx: Context) -> Iterator[Finding]:
    """C107: a withdrawal comes from someone who could consent that day."""
    for n, s in enumerate(case.samtykker):
        t = s.trukket
        if t is None or t.trukket_av is None:
            continue  # version 1 withdrawals did not say who; the command asks now
        why = _why_not(case, ctx, t.trukket_av, t.dato, beside=False)
        if why is None and _young(case) and t.trukket_av != HOVEDPERSON and _of_age(case, ctx, t.dato):
            why = Msg(N_("'{who}', a foresatt, when the hovedperson was of the age of consent"), who=t.trukket_av)
        if why is not None:
            yield Finding("C107", Msg(N_("consent '{consent}' is withdrawn by {signer}"), consent=s.id, signer=why),
                          loc=("samtykker", n, "trukket", "trukket_av"),
                          hint=Msg(N_("a withdrawal comes from a foresatt with foreldreansvar, or the young person from the "
                                      "age of consent")))


@rule
def koordinerende_enhet_under_consent(case: Case, ctx: Context) -> Iterator[Finding]:
    """C108: koordinerende enhet is asked, and appoints, only under a consent that covers it."""
    services = [t.id for t in ctx.settings.tjenester if t.koordinerende_enhet]
    if not services or case.status != "aktiv":
        return

    def covered(on: dt.date) -> bool:
        return any(service in s.omfang and s.active_on(on) for s in case.samtykker for service in services)

    hint = Msg(N_("record the family's consent for koordinerende enhet: stafett consent add CASE --omfang {service} ..."),
               service=services[0])
    request = case.koordinator_foresporsel
    if request is not None and not covered(request.dato):
        yield Finding("C108", Msg(N_("koordinerende enhet was asked on {date} without a consent that covers it"), date=request.dato),
                      severity="warning", loc=("koordinator_foresporsel", "dato"), hint=hint)
    k = case.koordinator
    if k is not None and not covered(k.fra):
        yield Finding("C108", Msg(N_("koordinerende enhet appointed a {kind} on {date} without a consent that covers it"),
                                         kind=k.type, date=k.fra),
                      severity="warning", loc=("koordinator", "fra"), hint=hint)
