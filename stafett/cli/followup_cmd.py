"""Follow-up commands: postponed evaluations, the leader's approval of a handover, koordinerende enhet's
answer and the koordinator over time, and the individuell plan.

    stafett tiltak postpone CASE TILTAK --til DATE --grunn TEXT
    stafett handover approve CASE
    stafett koordinator refuse|replace|end|absence CASE ...
    stafett ip period|revision|evaluate CASE ...

Help with søknader and klager is logged with `stafett log CASE TEXT --type soknad|klage`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import ByOption, FolderOption, OnBehalfOption, app
from stafett.cli.case_cmds import (
    CaseArg, DateOption, change, date_or_today, done, handover_app, optional_date, parse_date, tiltak_app,
)
from stafett.i18n import N_, _, date_text

# --- the child's and the family's view, asked for on a terminal ------------------------------------

CHILD_PROMPT = N_("The child's own view (what they said or showed; empty if not heard)")
MISSING_PROMPT = N_("Why is the child's view not included?")
FAMILY_PROMPT = N_("The family's view (empty to leave it out)")

BarnetsSynOption = typer.Option(None, "--barnets-syn", help=_("The child's own view of the change."))
UtenBarnetsSynOption = typer.Option(None, "--barnets-syn-mangler", "--uten-barnets-syn",
                                    help=_("Why the child's view is not included (needed without --barnets-syn)."))
FamiliensSynOption = typer.Option(None, "--familiens-syn", help=_("The family's view."))


def ask_views(barnets_syn: Optional[str], mangler: Optional[str],
              familiens_syn: Optional[str]) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """On a terminal, ask for the views not given as flags. Scripts are never asked: without the child's
    view or the reason it is missing, the command refuses with one line saying which flag to add."""
    if not _interactive():
        return barnets_syn, mangler, familiens_syn
    if barnets_syn is None and mangler is None:
        barnets_syn = _ask(CHILD_PROMPT)
        if barnets_syn is None:
            mangler = _ask(MISSING_PROMPT)
    if familiens_syn is None:
        familiens_syn = _ask(FAMILY_PROMPT)
    return barnets_syn, mangler, familiens_syn


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):  # closed or replaced stdin
        return False


def _ask(question: str) -> Optional[str]:
    answer = typer.prompt(_(question), default="", show_default=False, err=True)
    return answer.strip() or None


# --- tiltak postpone -------------------------------------------------------------------------------

@tiltak_app.command("postpone", help=_("Postpone a tiltak's evaluation to a later date, with the reason (kept with the tiltak)."))
def tiltak_postpone(
    case_id: str = CaseArg,
    tiltak_id: str = typer.Argument(..., help=_("The tiltak id (t-...).")),
    til: str = typer.Option(..., "--til", help=_("The new evaluation date, YYYY-MM-DD (later than the current one).")),
    grunn: str = typer.Option(..., "--grunn", "--reason", help=_("Why the evaluation is postponed.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.tiltak import postpone_evaluation

    later = parse_date(til, "--til")
    old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: postpone_evaluation(
        c, ctx, tiltak_id, til=later, grunn=grunn))
    moved = next(t for t in new.tiltak if t.id == tiltak_id).utsettelser[-1]
    done(new.id, _("evaluation of tiltak {tiltak} postponed from {old_date} to {new_date}").format(
        tiltak=tiltak_id, old_date=date_text(moved.fra), new_date=date_text(moved.til)))


# --- handover approve ------------------------------------------------------------------------------

@handover_app.command("approve", help=_("Approve, as the receiver's leader, that they take over the baton (needed when it "
                                         "moves to another service)."))
def handover_approve(
    case_id: str = CaseArg,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.baton import approve_handover

    _old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: approve_handover(c, ctx))
    done(new.id, _("handover to {receiver} approved by {leader}; {receiver} accepts it").format(
        receiver=names.staff(ctx, new.overlevering.til), leader=names.staff(ctx, new.overlevering.leder_godkjent)))


# --- koordinator -----------------------------------------------------------------------------------

koordinator_app = typer.Typer(help=_("Koordinerende enhet's answer, a change of koordinator, and absences."),
                              no_args_is_help=True)
app.add_typer(koordinator_app, name="koordinator")

GrunnOption = typer.Option(..., "--grunn", "--reason", help=_("Why."))


@koordinator_app.command("refuse", help=_("Refuse the request for a (barne)koordinator, with the reason (koordinerende enhet). "
                                            "A new request replaces it."))
def koordinator_refuse(
    case_id: str = CaseArg,
    grunn: str = GrunnOption,
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.coordination import refuse_request

    day = date_or_today(dato)
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: refuse_request(c, ctx, grunn=grunn, dato=day))
    done(new.id, _("request for a {kind} refused; a new request: stafett escalate {case} --koordinator ...").format(
        kind=new.koordinator_foresporsel.type, case=new.id))


@koordinator_app.command("replace", help=_("Replace the koordinator (koordinerende enhet); the old one goes into the history with the reason."))
def koordinator_replace(
    case_id: str = CaseArg,
    ny: str = typer.Option(..., "--ny", help=_("Staff id of the new koordinator.")),
    grunn: str = GrunnOption,
    sekundaer: Optional[str] = typer.Option(None, "--sekundaer", help=_("The sekundær-koordinator (default: the new koordinator's nearest leader).")),
    familiens_onske: Optional[str] = typer.Option(None, "--familiens-onske", help=_("The family's wish about who.")),
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.coordination import replace_koordinator

    day = date_or_today(dato)
    old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: replace_koordinator(
        c, ctx, person=ny, grunn=grunn, dato=day, sekundaer=sekundaer, familiens_onske=familiens_onske))
    if new.baton_holder() == ny and old.baton_holder() != ny:
        done(new.id, _("{person} is {kind} after {before}; {person} holds the baton").format(
            person=names.staff(ctx, ny), kind=new.koordinator.type, before=names.staff(ctx, old.koordinator.person)))
    else:
        done(new.id, _("{person} is {kind} after {before}").format(
            person=names.staff(ctx, ny), kind=new.koordinator.type, before=names.staff(ctx, old.koordinator.person)))


@koordinator_app.command("end", help=_("End the koordinator's appointment with no one after (koordinerende enhet)."))
def koordinator_end(
    case_id: str = CaseArg,
    grunn: str = GrunnOption,
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.coordination import end_koordinator

    day = date_or_today(dato)
    old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: end_koordinator(c, ctx, grunn=grunn, dato=day))
    done(new.id, _("{person} is no longer {kind}").format(person=names.staff(ctx, old.koordinator.person),
                                                          kind=old.koordinator.type))


@koordinator_app.command("absence", help=_("Register the koordinator's absence: the sekundær-koordinator covers, with the "
                                             "koordinator's rights."))
def koordinator_absence(
    case_id: str = CaseArg,
    fra: str = typer.Option(..., "--fra", help=_("First day away, YYYY-MM-DD.")),
    til: str = typer.Option(..., "--til", help=_("Last day away, YYYY-MM-DD.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.coordination import register_absence

    start, end = parse_date(fra, "--fra"), parse_date(til, "--til")
    _old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: register_absence(c, ctx, fra=start, til=end))
    k = new.koordinator
    done(new.id, _("{person} away {first_day} to {last_day}; {deputy} covers").format(
        person=names.staff(ctx, k.person), first_day=date_text(start), last_day=date_text(end),
        deputy=names.staff(ctx, k.sekundaer)))


# --- individuell plan ------------------------------------------------------------------------------

ip_app = typer.Typer(help=_("The individuell plan: its period, revision dates and evaluations (the koordinator)."),
                     no_args_is_help=True)
app.add_typer(ip_app, name="ip")


@ip_app.command("period", help=_("Set the period the individuell plan applies to."))
def ip_period(
    case_id: str = CaseArg,
    fra: str = typer.Option(..., "--fra", help=_("The plan applies from, YYYY-MM-DD.")),
    til: str = typer.Option(..., "--til", help=_("The plan applies to, YYYY-MM-DD.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.coordination import set_ip_period

    start, end = parse_date(fra, "--fra"), parse_date(til, "--til")
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: set_ip_period(c, ctx, fra=start, til=end))
    done(new.id, _("individuell plan applies {first_day} to {last_day}").format(first_day=date_text(start), last_day=date_text(end)))


@ip_app.command("revision", help=_("Plan a revision date for the individuell plan (`stafett status` reminds when it nears)."))
def ip_revision(
    case_id: str = CaseArg,
    dato: str = typer.Option(..., "--dato", help=_("A date the plan is to be revised, YYYY-MM-DD.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.coordination import add_ip_revision

    when = parse_date(dato, "--dato")
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: add_ip_revision(c, ctx, dato=when))
    done(new.id, _("individuell plan to be revised {date}").format(date=date_text(when)))


@ip_app.command("evaluate", help=_("Evaluate the individuell plan, with the child's and the family's view (asked for on a terminal)."))
def ip_evaluate(
    case_id: str = CaseArg,
    vurdering: str = typer.Option(..., "--vurdering", help=_("How the plan works: what helps, what should change.")),
    barnets_syn: Optional[str] = BarnetsSynOption,
    barnets_syn_mangler: Optional[str] = UtenBarnetsSynOption,
    familiens_syn: Optional[str] = FamiliensSynOption,
    neste_revisjon: Optional[str] = typer.Option(None, "--neste-revisjon", help=_("The next revision date, YYYY-MM-DD.")),
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.coordination import evaluate_ip

    day, following = date_or_today(dato), optional_date(neste_revisjon, "--neste-revisjon")
    child, missing, family = ask_views(barnets_syn, barnets_syn_mangler, familiens_syn)
    _old, new, _place, _ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: evaluate_ip(
        c, ctx, vurdering=vurdering, dato=day, barnets_syn=child, barnets_syn_mangler=missing, familiens_syn=family,
        neste_revisjon=following))
    if following:
        done(new.id, _("individuell plan evaluated; next revision {date}").format(date=date_text(following)))
    else:
        done(new.id, _("individuell plan evaluated"))
