"""People around the child who are not staff: external partners and family or network who are not foresatte.

"Holder kontakt med familien, tjenestene som er involvert og nettverket rundt" (Rutine Stafettholder);
"Inviterer inn andre tjenester etter behov ... og koordinerer det tverrfaglige arbeidet". Partners
outside the kommune (BUP, fastlege, NAV, a private therapist) join only under the family's consent:
consent is given to services, so the scope that covers a partner is its instans (`bup`, `fastlege`,
`nav`, `privat`, `annet`), listed as a service in stafett.yaml like any other. Family and network can
be invited and contacted, never consent: they have no parental rights. While a suspicion of violence or
abuse blocks contact with the family, it blocks them too (model/protection.family_ids).
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from stafett.errors import DomainError, UsageError
from stafett.i18n import _, date_text
from stafett.model import Case
from stafett.model.case import Ekstern, Familiemedlem
from stafett.workflow.common import (
    Context, day, find_item, fresh_id, log, new, not_future, period, replaced, require_consent, require_holder,
    require_open,
)

INSTANSER = ("bup", "fastlege", "nav", "privat", "annet")


def add_partner(case: Case, ctx: Context, *, navn: str, instans: str, dato: dt.date, virksomhet: Optional[str] = None,
                rolle: Optional[str] = None, telefon: Optional[str] = None, epost: Optional[str] = None) -> Case:
    require_open(case)
    require_holder(case, ctx, _("bring in an external partner"))
    if instans not in INSTANSER:
        raise UsageError(_("unknown instans '{instans}'").format(instans=instans),
                         _("use one of: {values}").format(values=", ".join(INSTANSER)))
    if not navn.strip():
        raise UsageError(_("an external partner needs a name"), _("add --navn 'NAME' (the contact person)"))
    not_future(dato, ctx, _("the date the partner joins"))
    if dato < case.opprettet:
        raise DomainError(_("the partner's start {date} is before the case was opened ({opened})").format(
            date=date_text(dato), opened=date_text(case.opprettet)), _("check --dato"))
    if ctx.settings.service(instans) is None:
        raise DomainError(_("sharing the case with {instans} needs the family's consent to '{instans}', "
                            "and stafett.yaml lists no service '{instans}' a consent can name").format(instans=instans),
                          _("add '{instans}' under tjenester in stafett.yaml, then record the consent: "
                            "stafett consent add {case} --omfang {instans} ...").format(instans=instans, case=case.id))
    consent = require_consent(case, instans, dato, _("sharing the case with {name} ({instans})").format(name=navn.strip(), instans=instans))
    for e in case.eksterne:
        if e.til is None and e.instans == instans and e.navn.strip().casefold() == navn.strip().casefold():
            raise DomainError(_("{name} ({instans}) already takes part as {partner}").format(name=e.navn, instans=instans, partner=e.id),
                              _("end that first (stafett partner end {case} {partner}) or use another name").format(
                                  case=case.id, partner=e.id))
    partner = new(Ekstern, id=fresh_id(case, "ek"), navn=navn.strip(), instans=instans, virksomhet=_clean(virksomhet),
                  rolle=_clean(rolle), telefon=_clean(telefon), epost=_clean(epost), fra=dato)
    where = partner.virksomhet or instans
    role = f", {partner.rolle}" if partner.rolle else ""
    tekst = ctx.tr("{name} ({where}{role}) is part of the cooperation from {date}. Consent {consent} covers {instans}.").format(
        name=partner.navn, where=where, role=role, date=day(dato, ctx), consent=consent.id, instans=instans)
    case = case.model_copy(update={"eksterne": [*case.eksterne, partner]})
    return log(case, ctx, "deltaker", tekst, gjelder=(partner.id, consent.id))


def end_partner(case: Case, ctx: Context, partner_id: str, *, dato: dt.date, grunn: Optional[str] = None) -> Case:
    require_open(case)
    require_holder(case, ctx, _("end an external partner's part"))
    index, partner = find_item(case.eksterne, partner_id, _("external partner"), case)
    if partner.til is not None:
        raise DomainError(_("{name} ({partner}) left the collaboration on {date}").format(
            name=partner.navn, partner=partner_id, date=date_text(partner.til)), _("nothing to end"))
    not_future(dato, ctx, _("the end date"))
    if dato < partner.fra:
        raise DomainError(_("the end date {date} is before {name} joined ({joined})").format(
            date=date_text(dato), name=partner.navn, joined=date_text(partner.fra)), _("check --dato"))
    ended = partner.model_copy(update={"til": dato})
    tekst = ctx.tr("{name} ({where}) is no longer part of the cooperation from {date}.").format(
        name=partner.navn, where=partner.virksomhet or partner.instans, date=day(dato, ctx))
    if grunn and grunn.strip():
        tekst += f" {period(grunn)}"
    case = case.model_copy(update={"eksterne": replaced(case.eksterne, index, ended)})
    return log(case, ctx, "deltaker", tekst, gjelder=(partner_id,))


def add_family(case: Case, ctx: Context, *, navn: str, relasjon: str, telefon: Optional[str] = None,
               epost: Optional[str] = None) -> Case:
    require_open(case)
    require_holder(case, ctx, _("add family or network"))
    if not navn.strip() or not relasjon.strip():
        raise UsageError(_("a family member needs a name and a relation"), _("add --navn 'NAME' --relasjon 'søster'"))
    for f in case.familie:
        if f.navn.strip().casefold() == navn.strip().casefold():
            raise DomainError(_("{name} is in the family list already ({member})").format(name=f.navn, member=f.id), _("nothing to add"))
    for f in case.foresatte:
        if f.navn.strip().casefold() == navn.strip().casefold():
            raise DomainError(_("{name} is a foresatt in this case ({member})").format(name=f.navn, member=f.id),
                              _("foresatte are invited by their foresatt id; familie is for people without parental rights"))
    member = new(Familiemedlem, id=fresh_id(case, "fm"), navn=navn.strip(), relasjon=relasjon.strip(),
                 telefon=_clean(telefon), epost=_clean(epost))
    tekst = ctx.tr("{name} ({relation}) is listed as family and network around the hovedperson. "
                   "May be invited to meetings, but does not consent on the child's behalf.").format(
        name=member.navn, relation=member.relasjon)
    # No gjelder: an entry pointing at the member would keep them in the record for good (remove_family).
    case = case.model_copy(update={"familie": [*case.familie, member]})
    return log(case, ctx, "deltaker", tekst)


def remove_family(case: Case, ctx: Context, member_id: str, *, grunn: Optional[str] = None) -> Case:
    """Only someone the record never names elsewhere: a meeting's list or a log entry must keep saying who."""
    require_open(case)
    require_holder(case, ctx, _("remove family or network"))
    index, member = find_item(case.familie, member_id, _("family member"), case)
    where = _named_in(case, member_id)
    if where:
        raise DomainError(_("{name} ({member}) is named in {where}, which must keep saying who").format(
            name=member.navn, member=member_id, where=where),
                          _("family members who were part of the follow-up stay in the record"))
    tekst = ctx.tr("{name} ({relation}) is removed from family and network in the case.").format(
        name=member.navn, relation=member.relasjon)
    if grunn and grunn.strip():
        tekst += f" {period(grunn)}"
    familie = [f for n, f in enumerate(case.familie) if n != index]
    return log(case.model_copy(update={"familie": familie}), ctx, "deltaker", tekst)


def _named_in(case: Case, person_id: str) -> Optional[str]:
    for m in case.moter:
        lists = [m.innkalt]
        if m.referat is not None:
            lists += [m.referat.tilstede, m.referat.fravaerende, m.referat.kopi_til]
        if any(person_id in ids for ids in lists):
            return _("meeting {meeting}").format(meeting=m.id)
    if any(person_id in e.med or person_id in e.gjelder for e in case.logg):
        return _("the log")
    if any(person_id in k.til for k in case.kopier):
        return _("a copy sent (kopier)")
    return None


def _clean(value: Optional[str]) -> Optional[str]:
    return value.strip() if value and value.strip() else None
