"""`stafett partner add|end`, `stafett family add|remove` and `stafett samtale`: the people around the child who
are not staff, and the talks with the child between meetings."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from stafett.cli.app import ByOption, FolderOption, OnBehalfOption, app
from stafett.cli.case_cmds import CaseArg, DateOption, change, date_or_today, done
from stafett.i18n import _, date_text

partner_app = typer.Typer(help=_("External partners (BUP, fastlege, NAV, a private therapist): not staff; they join under "
                                 "a consent that covers their instans."), no_args_is_help=True)
app.add_typer(partner_app, name="partner")
family_app = typer.Typer(help=_("Family and network who are not foresatte (siblings, grandparents, others the family wants "
                                "along): they can be invited and contacted, never consent."), no_args_is_help=True)
app.add_typer(family_app, name="family")


@partner_app.command("add", help=_("Bring an external partner into the collaboration (needs an active consent covering the instans)."))
def partner_add(
    case_id: str = CaseArg,
    navn: str = typer.Option(..., "--navn", help=_("The contact person's name.")),
    instans: str = typer.Option(..., "--instans", help=_("bup, fastlege, nav, privat or annet. A consent must cover it: "
                                                         "stafett consent add CASE --omfang INSTANS (listed under tjenester in stafett.yaml).")),
    virksomhet: Optional[str] = typer.Option(None, "--virksomhet", help=_("The organisation, e.g. 'BUP Fjordvik'.")),
    rolle: Optional[str] = typer.Option(None, "--rolle", help=_("Their role in the collaboration.")),
    telefon: Optional[str] = typer.Option(None, "--telefon", help=_("Work phone.")),
    epost: Optional[str] = typer.Option(None, "--epost", help=_("Work e-mail.")),
    dato: Optional[str] = typer.Option(None, "--dato", help=_("When they joined, YYYY-MM-DD (default: today).")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.people import add_partner

    day = date_or_today(dato)
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: add_partner(
        c, ctx, navn=navn, instans=instans, dato=day, virksomhet=virksomhet, rolle=rolle, telefon=telefon, epost=epost))
    added = new.eksterne[-1]
    done(new.id, _("external partner {partner} ({instans}) takes part from {date}").format(
        partner=added.id, instans=added.instans, date=date_text(added.fra)))


@partner_app.command("end", help=_("End an external partner's part in the collaboration."))
def partner_end(
    case_id: str = CaseArg,
    partner_id: str = typer.Argument(..., help=_("The partner's id (ek-...).")),
    grunn: Optional[str] = typer.Option(None, "--grunn", "--reason", help=_("Why their part ends.")),
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.people import end_partner

    day = date_or_today(dato)
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: end_partner(c, ctx, partner_id, dato=day, grunn=grunn))
    done(new.id, _("external partner {partner} no longer takes part").format(partner=partner_id))


@family_app.command("add", help=_("Add a family member or someone from the network who is not a foresatt (no parental rights)."))
def family_add(
    case_id: str = CaseArg,
    navn: str = typer.Option(..., "--navn", help=_("Name.")),
    relasjon: str = typer.Option(..., "--relasjon", help=_("Relation to the hovedperson, e.g. søster, bestemor, nettverk.")),
    telefon: Optional[str] = typer.Option(None, "--telefon", help=_("Phone.")),
    epost: Optional[str] = typer.Option(None, "--epost", help=_("E-mail.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.people import add_family

    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: add_family(
        c, ctx, navn=navn, relasjon=relasjon, telefon=telefon, epost=epost))
    added = new.familie[-1]
    done(new.id, _("family member {member} ({relation}) added").format(member=added.id, relation=added.relasjon))


@family_app.command("remove", help=_("Remove a family member the record names nowhere else (a mistake, or the family's wish)."))
def family_remove(
    case_id: str = CaseArg,
    member_id: str = typer.Argument(..., help=_("The family member's id (fm-...).")),
    grunn: Optional[str] = typer.Option(None, "--grunn", "--reason", help=_("Why.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.people import remove_family

    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: remove_family(c, ctx, member_id, grunn=grunn))
    done(new.id, _("family member {member} removed").format(member=member_id))


@app.command("samtale", help=_("Log a talk with the child between meetings (\"snakker med barnet mellom møter\"); same as log "
                               "--type samtale."))
def samtale(
    case_id: str = CaseArg,
    tekst: str = typer.Argument(..., help=_("How it is going, in the child's own words where you can.")),
    med: Optional[List[str]] = typer.Option(None, "--med", help=_("Who you talked with (default: hovedperson); also foresatte or a "
                                                                  "foresatt or familie id.")),
    gjelder: Optional[List[str]] = typer.Option(None, "--gjelder", help=_("The id of what the talk concerns (a tiltak, a goal...); repeat.")),
    skjermet: bool = typer.Option(False, "--skjermet", help=_("Leave this entry out of the foresatte's copy.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import logbook

    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: logbook.add_entry(
        c, ctx, kind="samtale", tekst=tekst, med=med or [], skjermet=skjermet, gjelder=gjelder or []))
    done(new.id, _("samtale logged"))
