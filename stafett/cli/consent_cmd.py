"""`stafett consent add|sign|restrict|withdraw`: the family's consent, who signed it, its restrictions, its end."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from stafett.cli.app import ByOption, FolderOption, OnBehalfOption, app
from stafett.cli.case_cmds import CaseArg, DateOption, change, date_or_today, done, optional_date
from stafett.i18n import _

consent_app = typer.Typer(help=_("Record the family's consent, more signatures on it, its restrictions, or its withdrawal."),
                          no_args_is_help=True)
app.add_typer(consent_app, name="consent")

ConsentArg = typer.Argument(..., help=_("The consent id (s-...)."), show_default=False)
FormOption = typer.Option("skriftlig", "--form", help=_("skriftlig or muntlig."))
RestrictionOption = typer.Option(None, "--forbehold", help=_("A restriction: what may not be shared (with --ikke-med: with whom)."))
NotWithOption = typer.Option(None, "--ikke-med", help=_("With --forbehold: a service it may not be shared with; repeat for each."))


@consent_app.command("add", help=_("Add a consent: given by whom (and who signs beside), when, in what form, to which "
                                   "services, with what restriction."))
def consent_add(
    case_id: str = CaseArg,
    gitt_av: List[str] = typer.Option(..., "--gitt-av", help=_("Who consents: a foresatt id (f-...) or 'hovedperson' (from the age "
                                                               "of consent; a pregnant woman at any age). Repeat for each "
                                                               "signatory: the first gives it, the others sign beside.")),
    omfang: List[str] = typer.Option(..., "--omfang", help=_("What it covers: 'stafettlogg' and/or service ids; repeat for each.")),
    form: str = FormOption,
    dato: Optional[str] = DateOption,
    utloper: Optional[str] = typer.Option(None, "--utloper", help=_("Expiry date, YYYY-MM-DD, if the consent has one.")),
    forbehold: Optional[str] = RestrictionOption,
    ikke_med: Optional[List[str]] = NotWithOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.common import scopes_text
    from stafett.workflow.consent import add_consent

    day, expires = date_or_today(dato), optional_date(utloper, "--utloper")
    _old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: add_consent(
        c, ctx, gitt_av=gitt_av, dato=day, omfang=omfang, form=form, utloper=expires, forbehold=forbehold,
        ikke_med=ikke_med or ()))
    added = new.samtykker[-1]
    if added.medsignaturer:
        done(new.id, _("consent {consent} from {given_by}, also signed by {signed_by} covers {scope}").format(
            consent=added.id, given_by=names.person(new, ctx, added.gitt_av),
            signed_by=names.people(new, ctx, [s.av for s in added.medsignaturer]), scope=scopes_text(added.omfang, ctx)))
    else:
        done(new.id, _("consent {consent} from {given_by} covers {scope}").format(
            consent=added.id, given_by=names.person(new, ctx, added.gitt_av), scope=scopes_text(added.omfang, ctx)))


@consent_app.command("sign", help=_("Add a signature to a consent already given: the other parent, or the young person "
                                    "beside the parents."))
def consent_sign(
    case_id: str = CaseArg,
    samtykke: str = ConsentArg,
    av: str = typer.Option(..., "--av", help=_("Who signs: a foresatt id with foreldreansvar, or 'hovedperson'.")),
    form: str = FormOption,
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.common import people_word
    from stafett.workflow.consent import sign_consent

    day = date_or_today(dato)
    _old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: sign_consent(
        c, ctx, samtykke_id=samtykke, av=av, dato=day, form=form))
    done(new.id, _("consent {consent} also signed by {signed_by}").format(
        consent=samtykke, signed_by=names.person(new, ctx, people_word(av))))


@consent_app.command("restrict", help=_("Add a restriction to a consent in force: what may not be shared, and with which services."))
def consent_restrict(
    case_id: str = CaseArg,
    samtykke: str = ConsentArg,
    forbehold: str = typer.Option(..., "--forbehold", help=_("What may not be shared.")),
    ikke_med: Optional[List[str]] = NotWithOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.common import scopes_text
    from stafett.workflow.consent import restrict_consent

    _old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: restrict_consent(
        c, ctx, samtykke_id=samtykke, forbehold=forbehold, ikke_med=ikke_med or ()))
    if ikke_med:
        done(new.id, _("consent {consent} has a new restriction (not with {services})").format(
            consent=samtykke, services=scopes_text(ikke_med, ctx)))
    else:
        done(new.id, _("consent {consent} has a new restriction").format(consent=samtykke))


@consent_app.command("withdraw", help=_("Withdraw a consent: ends the participation it covered, and closes the log if it covered the log."))
def consent_withdraw(
    case_id: str = CaseArg,
    samtykke: str = ConsentArg,
    trukket_av: str = typer.Option(..., "--trukket-av", help=_("Who withdrew: a foresatt id with foreldreansvar, or 'hovedperson'.")),
    dato: Optional[str] = DateOption,
    merknad: Optional[str] = typer.Option(None, "--merknad", help=_("A note, e.g. how it was withdrawn.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.common import people_word
    from stafett.workflow.consent import withdraw_consent

    day = date_or_today(dato)
    old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: withdraw_consent(
        c, ctx, samtykke_id=samtykke, dato=day, merknad=merknad, trukket_av=trukket_av))
    ended = [d.person for d, before in zip(new.deltakere, old.deltakere) if d.til and not before.til]
    parts = [_("consent {consent} withdrawn by {withdrawn_by}").format(
        consent=samtykke, withdrawn_by=names.person(new, ctx, people_word(trukket_av)))]
    if ended:
        parts.append(_("participation ended for {people}").format(people=names.people(new, ctx, ended)))
    if new.status == "avsluttet":
        parts.append(_("the case is closed (samtykke trukket)"))
    done(new.id, "; ".join(parts))
