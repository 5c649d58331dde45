"""Opening a case: the worry (undring/bekymring) and its owner.

"Den som får undringen/bekymringen er eier av denne, inntil saken er avklart med nærmeste leder."
A case starts on nivå 0; the leader's appointment of a stafettholder moves it on (see baton.py).
With suspected violence or abuse the family is not contacted before barnevern or politi is consulted
(Vestre Toten): `--mistanke-om-vold` raises the suspicion (workflow/suspicion.py) in the same step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from stafett.errors import DomainError, UsageError
from stafett.i18n import N_, _
from stafett.model import Case
from stafett.model.case import RECORD_VERSION, Bekymring, Foresatt, Hovedperson, Stafettholder
from stafett.model.common import new_item_id
from stafett.workflow.common import Context, day, log, new, not_future, period

CATEGORIES = ("barn", "ungdom", "gravid", "familie")


@dataclass(frozen=True)
class NewGuardian:
    relasjon: str
    navn: str
    foreldreansvar: bool = True
    telefon: Optional[str] = None
    epost: Optional[str] = None


def open_case(ctx: Context, *, case_id: str, navn: str, kategori: str, beskrivelse: str, dato: dt.date,
              fodselsdato: Optional[dt.date] = None, termin: Optional[dt.date] = None,
              fodselsnummer: Optional[str] = None, foresatte: tuple[NewGuardian, ...] = (),
              tjeneste: Optional[str] = None, mistanke_om_vold: bool = False, niva: int = 0,
              stafettholder: Optional[str] = None, familiens_onske: Optional[str] = None) -> Case:
    """A new case whose eier is the one who got the worry (the actor), on nivå 0 unless a leader opens it
    already clarified: then the leader names the stafettholder in the same step."""
    if kategori not in CATEGORIES:
        raise UsageError(_("unknown kategori '{kategori}'").format(kategori=kategori),
                         _("use one of: {known}").format(known=", ".join(CATEGORIES)))
    if fodselsdato is None and termin is None:
        raise UsageError(_("the hovedperson needs a birth date or a due date"), _("pass --fodselsdato or --termin"))
    not_future(dato, ctx, N_("the worry's date"))
    if fodselsdato is not None:
        not_future(fodselsdato, ctx, N_("the birth date"))
    if kategori == "gravid" and termin is None:
        raise UsageError(_("a pregnancy needs its due date"), _("pass --termin YYYY-MM-DD"))
    me = ctx.person(ctx.actor, N_("actor"))
    service = ctx.service(tjeneste or me.tjeneste)

    hovedperson = new(Hovedperson, navn=navn, kategori=kategori, fodselsdato=fodselsdato, termin=termin,
                      fodselsnummer=fodselsnummer)
    guardians = []
    used: set[str] = set()
    for g in foresatte:
        guardian_id = _guardian_id(used)
        used.add(guardian_id)
        guardians.append(new(Foresatt, id=guardian_id, navn=g.navn, relasjon=g.relasjon,
                             foreldreansvar=g.foreldreansvar, telefon=g.telefon, epost=g.epost))
    worry = new(Bekymring, dato=dato, meldt_av=ctx.actor, beskrivelse=beskrivelse, tjeneste=service)
    tekst = ctx.tr("Worry of {date} registered. {owner} owns it until it is clarified with the nearest leader.").format(
        date=day(dato, ctx), owner=ctx.who(ctx.actor))
    case = new(Case, versjon=RECORD_VERSION, id=case_id, opprettet=ctx.today, status="aktiv", niva=0, hovedperson=hovedperson,
               foresatte=guardians, bekymring=worry, eier=ctx.actor)
    if niva or stafettholder:
        case, appointed = _clarified(case, ctx, niva, stafettholder, familiens_onske)
        tekst += " " + appointed
    case = log(case, ctx, "opprettet", tekst)
    if mistanke_om_vold:
        # Its own protected entry, so the opening entry says nothing a family copy must not carry.
        from stafett.workflow.suspicion import raise_suspicion

        case = raise_suspicion(case, ctx, grunn=ctx.tr("Reported together with the worry."))
    return case


def _clarified(case: Case, ctx: Context, niva: int, stafettholder: Optional[str], familiens_onske: Optional[str]):
    """Opened on nivå 1-3: the worry is clarified already, so the leader who opens it appoints the holder."""
    from stafett.workflow.baton import may_appoint

    if not 1 <= niva <= 3:
        raise UsageError(_("nivå {level}: a case opened with a stafettholder starts on nivå 1, 2 or 3").format(level=niva),
                         _("pass --niva 1, 2 or 3"))
    if stafettholder is None:
        raise UsageError(_("a case on nivå {level} needs a stafettholder from the start").format(level=niva),
                         _("pass --stafettholder ID, or open it on nivå 0 and let the leader assign one"))
    holder = ctx.person(stafettholder)
    if not may_appoint(case, ctx, ctx.person(ctx.actor, N_("actor"))):
        raise DomainError(_("only a leader can open a case on nivå 1-3 with a stafettholder"),
                          _("open it on nivå 0; your leader appoints the stafettholder with stafett assign"))
    if holder.tjeneste != case.bekymring.tjeneste:
        raise DomainError(_("{person} works in {service}, and a new case has no consent for other services yet").format(
                              person=stafettholder, service=holder.tjeneste),
                          _("appoint someone in the case's own service, or record consent first and hand the baton over"))
    appointed = new(Stafettholder, person=stafettholder, fra=ctx.today, oppnevnt_av=ctx.actor, familiens_onske=familiens_onske)
    text = ctx.tr("{holder} is appointed stafettholder. Nivå 0 → {level}.").format(holder=ctx.who(stafettholder), level=niva)
    if familiens_onske:
        text += ctx.tr(" The family's wish: {wish}").format(wish=period(familiens_onske))
    return case.model_copy(update={"niva": niva, "stafettholder": appointed}), text


def _guardian_id(used: set[str]) -> str:
    while True:
        candidate = new_item_id("f")
        if candidate not in used:
            return candidate


def parse_guardian(spec: str) -> NewGuardian:
    """'mor=Kari Nordmann,telefon=99999999,epost=kari@example.com,foreldreansvar=nei'."""
    parts = [p.strip() for p in spec.split(",")]
    if not parts or "=" not in parts[0]:
        raise UsageError(_("cannot read --foresatt '{spec}'").format(spec=spec),
                         _("write RELASJON=NAVN, e.g. --foresatt 'mor=Kari Nordmann'"))
    relasjon, navn = (s.strip() for s in parts[0].split("=", 1))
    if not relasjon or not navn:
        raise UsageError(_("cannot read --foresatt '{spec}'").format(spec=spec),
                         _("write RELASJON=NAVN, e.g. --foresatt 'mor=Kari Nordmann'"))
    extra: dict = {}
    for part in parts[1:]:
        key, _sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if key in ("telefon", "epost") and value:
            extra[key] = value
        elif key == "foreldreansvar" and value in ("ja", "nei"):
            extra[key] = value == "ja"
        else:
            raise UsageError(_("cannot read '{part}' in --foresatt").format(part=part),
                             _("extras are telefon=..., epost=... and foreldreansvar=ja|nei"))
    return NewGuardian(relasjon=relasjon, navn=navn, **extra)
