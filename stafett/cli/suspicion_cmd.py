"""`stafett suspicion raise|lower|consult`: suspected violence or abuse, and the consultations it waits for.

Everything these commands write is staff-only: it never reaches a family copy (model/protection.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import ByOption, FolderOption, OnBehalfOption, app
from stafett.cli.case_cmds import CaseArg, change, done, optional_date
from stafett.i18n import _

suspicion_app = typer.Typer(help=_("Suspected violence or abuse: raise or lower it, and record each consultation with "
                                   "barnevern or politi. Family contact waits until a consultation clears it."),
                            no_args_is_help=True)
app.add_typer(suspicion_app, name="suspicion")


@suspicion_app.command("raise", help=_(
    "Raise a suspicion of violence or abuse: from now on the family is not contacted (no contact log, meeting "
    "invitation, consent request or family copy) until a consultation with barnevern or politi clears it."))
def raise_(
    case_id: str = CaseArg,
    grunn: str = typer.Option(..., "--grunn", help=_("What the suspicion rests on (what was seen or said).")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.suspicion import raise_suspicion

    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: raise_suspicion(c, ctx, grunn=grunn))
    done(new.id, _("suspicion of violence or abuse raised; do not contact the family until barnevern or politi clears it"))


@suspicion_app.command("lower", help=_("Lay the suspicion aside, with the reason and who decided; the block on family contact ends."))
def lower(
    case_id: str = CaseArg,
    grunn: str = typer.Option(..., "--grunn", help=_("Why the suspicion is laid aside.")),
    besluttet_av: str = typer.Option(..., "--besluttet-av", help=_("Staff id of who decided it (often the leader or barnevern).")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.suspicion import lower_suspicion

    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf),
                                     lambda c, ctx: lower_suspicion(c, ctx, grunn=grunn, besluttet_av=besluttet_av))
    done(new.id, _("suspicion of violence or abuse lowered"))


@suspicion_app.command("consult", help=_("Record one consultation with barnevern or politi and its advice, as its own entry."))
def consult(
    case_id: str = CaseArg,
    med: str = typer.Option(..., "--med", help=_("barnevern or politi.")),
    konsultert: str = typer.Option(..., "--konsultert", help=_("Who was consulted: name and role, or 'anonym drøfting'.")),
    rad: str = typer.Option(..., "--rad", help=_("The advice given, in a sentence or two.")),
    familiekontakt: Optional[str] = typer.Option(
        None, "--familiekontakt",
        help=_("klarert: the advice clears contact with the family; vent: not yet. Left out, the family still waits.")),
    dato: Optional[str] = typer.Option(None, "--dato", help=_("When the consultation took place, YYYY-MM-DD (default: today).")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.model.protection import blocked_at
    from stafett.workflow.suspicion import consult as record

    when = optional_date(dato, "--dato")
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: record(
        c, ctx, med=med, konsultert=konsultert, rad=rad, familiekontakt=familiekontakt, dato=when))
    if blocked_at(new) is None:
        done(new.id, _("consultation with {who} recorded; the family may now be contacted").format(who=med))
    else:
        done(new.id, _("consultation with {who} recorded; the family is still not to be contacted").format(who=med))
