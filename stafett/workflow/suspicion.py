"""Suspected violence or abuse: raising it, lowering it, and each consultation with barnevern or politi.

"Ved mistanke om vold eller overgrep skal ikke familien kontaktes før barnevern eller politi er
konsultert" (Vestre Toten). The suspicion is protected state with its own history (model/protection.py
reads it): raised at any time by anyone in the case, lowered only with a reason and the person who
decided, and every consultation kept as its own entry with the advice given. Family contact stays
blocked until a consultation's advice explicitly clears it. Every entry here is staff-only: the log
kinds `voldsmistanke` and `konsultasjon` never reach a family copy.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from stafett.errors import DomainError, UsageError
from stafett.i18n import N_, _
from stafett.model import Case
from stafett.model.case import Konsultasjon, Voldshendelse
from stafett.model.protection import blocked_at, raised
from stafett.workflow.common import (
    Context, day, fresh_id, log, new, not_future, period, require_involved, require_open,
)

CONSULTED = ("barnevern", "politi")
ADVICE = ("klarert", "vent")


def raise_suspicion(case: Case, ctx: Context, *, grunn: str) -> Case:
    require_open(case)
    require_involved(case, ctx, N_("report a suspicion of violence or abuse"))
    if raised(case):
        raise DomainError(_("a suspicion of violence or abuse is already raised in case {case}").format(case=case.id),
                          _("record what is new in the log, or the advice you get: stafett suspicion consult"))
    if not grunn.strip():
        raise UsageError(_("say what the suspicion rests on"), _("add --grunn TEXT"))
    step = new(Voldshendelse, tid=_now(ctx), handling="reist", av=ctx.actor, grunn=grunn.strip())
    tekst = ctx.tr("A suspicion of violence or abuse is reported: {reason} The family is not contacted until "
                   "barnevern or the police have been consulted and have cleared contact.").format(reason=period(grunn))
    return log(case.model_copy(update={"voldsmistanke": [*case.voldsmistanke, step]}), ctx, "voldsmistanke", tekst,
               skjermet=True)


def lower_suspicion(case: Case, ctx: Context, *, grunn: str, besluttet_av: str) -> Case:
    require_open(case)
    require_involved(case, ctx, N_("lower a suspicion of violence or abuse"))
    if not raised(case):
        raise DomainError(_("no suspicion of violence or abuse is raised in case {case}").format(case=case.id),
                          _("nothing to lower"))
    if not grunn.strip():
        raise UsageError(_("say why the suspicion is lowered"), _("add --grunn TEXT"))
    decider = ctx.person(besluttet_av, N_("person for --besluttet-av"))
    step = new(Voldshendelse, tid=_now(ctx), handling="senket", av=ctx.actor, besluttet_av=decider.id,
               grunn=grunn.strip())
    tekst = ctx.tr("The suspicion of violence or abuse is set aside, decided by {decider}: {reason}").format(
        decider=ctx.who(decider.id), reason=period(grunn))
    return log(case.model_copy(update={"voldsmistanke": [*case.voldsmistanke, step]}), ctx, "voldsmistanke", tekst,
               skjermet=True)


def consult(case: Case, ctx: Context, *, med: str, konsultert: str, rad: str, familiekontakt: Optional[str],
            dato: Optional[dt.date] = None) -> Case:
    """One consultation with barnevern or politi (anonymous or not), kept as its own entry."""
    require_open(case)
    require_involved(case, ctx, N_("record a consultation"))
    if med not in CONSULTED:
        raise UsageError(_("a consultation is with barnevern or politi, not '{who}'").format(who=med),
                         _("use --med barnevern or --med politi"))
    if familiekontakt is not None and familiekontakt not in ADVICE:
        raise UsageError(_("unknown advice on family contact '{advice}'").format(advice=familiekontakt),
                         _("use --familiekontakt klarert (contact may start) or vent (not yet)"))
    if not konsultert.strip():
        raise UsageError(_("say who was consulted"), _("add --konsultert 'NAME, ROLE' (or 'anonym drøfting')"))
    if not rad.strip():
        raise UsageError(_("say what advice was given"), _("add --rad TEXT"))
    when = dato or ctx.today
    not_future(when, ctx, N_("the consultation's date"))
    entry = new(Konsultasjon, id=fresh_id(case, "k"), tid=_now(ctx), dato=when, med=med, konsultert=konsultert.strip(),
                rad=rad.strip(), familiekontakt=familiekontakt, registrert_av=ctx.actor)
    case = case.model_copy(update={"konsultasjoner": [*case.konsultasjoner, entry]})
    tekst = ctx.tr("Consulted {body} {date} ({consulted}). Advice: {advice}").format(
        body=med, date=day(when, ctx), consulted=konsultert.strip(), advice=period(rad))
    if blocked_at(case) is not None:
        tekst += ctx.tr(" The family is still not contacted.")
    elif familiekontakt == "klarert":
        tekst += ctx.tr(" The advice opens for contact with the family.")
    return log(case, ctx, "konsultasjon", tekst, med=[med], skjermet=True)


def _now(ctx: Context) -> dt.datetime:
    return ctx.now.replace(microsecond=0)
