"""`stafett retention`: closed cases past the kommune's retention period, and their purge from git history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from stafett.cli.app import FolderOption, app
from stafett.i18n import _, date_text


@app.command(help=_("List closed cases past the retention period (innstillinger.oppbevaring_ar, counted from avsluttet.dato); "
                    "with --purge CASE... --yes, delete them and remove them from the git history of this clone."))
def retention(
    case_ids: Optional[List[str]] = typer.Argument(None, help=_("With --purge: the case ids to purge."), metavar="CASE", show_default=False),
    purge: bool = typer.Option(False, "--purge", help=_("Delete these cases and rewrite git history so no commit holds them. "
                                                        "Only cases past retention; see docs/retention.md first.")),
    yes: bool = typer.Option(False, "--yes", help=_("With --purge: really do it (it cannot be undone). Without it, only show the plan.")),
    tool: Optional[str] = typer.Option(None, "--history-tool", help=_("filter-repo or filter-branch (default: filter-repo when installed).")),
    check: bool = typer.Option(False, "--check", help=_("Exit 1 when a case is past retention (for a scheduled CI job).")),
    fmt: str = typer.Option("text", "--format", help=_("text or json (the list only).")),
    folder: Optional[Path] = FolderOption,
) -> None:
    from stafett.cli.clock import today
    from stafett.errors import UsageError
    from stafett.folder import load_folder

    if fmt not in ("text", "json"):
        raise UsageError(_("unknown format '{format}'").format(format=fmt), _("use text or json"))
    place = load_folder(folder)
    years = place.settings.innstillinger.oppbevaring_ar
    day = today()
    if purge:
        _purge(place, case_ids or [], years, day, yes, tool)
        return
    if case_ids:
        raise UsageError(_("case ids are only taken with --purge"), _("list with `stafett retention`, purge with --purge CASE... --yes"))
    if yes:
        raise UsageError(_("--yes goes with --purge"), _("stafett retention --purge CASE... --yes"))
    _list(place, years, day, fmt, check)


def _list(place, years: int, day, fmt: str, check: bool) -> None:
    from stafett.errors import StafettError
    from stafett.retention import past_retention
    from stafett.store.cases import read_case

    cases, unreadable = [], []
    for path in place.case_paths():
        try:
            cases.append(read_case(path, view="best").model)  # dates and status: the clear part suffices
        except StafettError:
            unreadable.append(path.name)
    expired, unclear = past_retention(cases, years, day)
    if fmt == "json":
        typer.echo(json.dumps({
            "oppbevaring_ar": years, "today": day.isoformat(),
            "past_retention": [{"id": e.case_id, "avsluttet": e.closed.isoformat(), "slettes_fra": e.due.isoformat()} for e in expired],
            "unclear": [{"id": u.case_id, "reason": u.reason} for u in unclear],
            "unreadable": unreadable,
        }, ensure_ascii=False, indent=2))
    else:
        if expired:
            typer.echo(_("{n} closed case(s) past the retention period of {years} year(s) (innstillinger.oppbevaring_ar):").format(
                n=len(expired), years=years))
            for e in expired:
                typer.echo("  " + _("{case}  closed {closed}  kept until {due}  ({days} day(s) over)").format(
                    case=e.case_id, closed=date_text(e.closed), due=date_text(e.due), days=(day - e.due).days))
            ids = " ".join(e.case_id for e in expired[:3]) + (" ..." if len(expired) > 3 else "")
            typer.echo(_("purge them with: stafett retention --purge {cases} --yes   (read docs/retention.md first)").format(cases=ids))
        else:
            typer.echo(_("no closed case is past the retention period of {years} year(s)").format(years=years))
        for u in unclear:
            typer.echo(_("warning: {case}: {reason}; fix it with `stafett validate`").format(case=u.case_id, reason=u.reason), err=True)
    for name in unreadable:
        typer.echo(_("warning: {file} cannot be read, so its retention is unknown; run `stafett validate`").format(file=name), err=True)
    if unreadable or (check and expired):
        raise typer.Exit(1)


def _purge(place, case_ids: list[str], years: int, day, yes: bool, tool: Optional[str]) -> None:
    from stafett.errors import DomainError, UsageError
    from stafett.retention import check_purgeable
    from stafett.store import purge as purging
    from stafett.store.cases import read_case

    if not case_ids:
        raise UsageError(_("--purge needs the case ids"), _("list them with `stafett retention`"))
    names = {"filter-repo": purging.FILTER_REPO, "filter-branch": purging.FILTER_BRANCH, None: None}
    if tool not in names:
        raise UsageError(_("unknown --history-tool '{tool}'").format(tool=tool), _("use filter-repo or filter-branch"))
    for case_id in case_ids:
        case = read_case(place.case_path(case_id), view="best").model
        if case.id != case_id:
            raise DomainError(_("saker/{name}.yaml holds case {case}, so {name} cannot be purged by that name").format(
                name=case_id, case=case.id), _("fix the file name or the id first (stafett validate reports it as F002)"))
        why = check_purgeable(case, years, day)
        if why:
            raise DomainError(_("{case} cannot be purged: {reason}").format(case=case_id, reason=why),
                              _("stafett purges only closed cases past the retention period ({years} year(s))").format(years=years))
    plan = purging.plan_purge(place, case_ids, tool=names[tool])
    _show_plan(plan)
    if not yes:
        for problem in purging.problems(plan):
            typer.echo(problem, err=True)
        typer.echo(_("dry run: nothing was deleted. Run again with --yes to purge; it cannot be undone."))
        raise typer.Exit(1)
    result = purging.purge(plan)  # refuses with one line, before changing anything, what problems() lists
    for path in result.deleted:
        typer.echo(_("deleted {path}").format(path=path.relative_to(place.root).as_posix()))
    if result.rewritten:
        typer.echo(_("rewrote the history of this clone with {tool}; every other path's history checked unchanged, "
                     "blob for blob; reflogs expired, old objects pruned").format(tool=plan.tool))
    for problem in result.remaining:
        typer.echo(_("warning: {problem}").format(problem=problem), err=True)
    _next_steps(plan, result)
    if result.remaining:
        raise typer.Exit(1)


def _show_plan(plan) -> None:
    typer.echo(_("purge {cases}:").format(cases=", ".join(plan.case_ids)))
    # TRANSLATORS: the plan's lines are aligned: keep the label and its spaces 9 characters wide.
    for path in plan.files:
        typer.echo("  " + _("delete   {path}").format(path=path.relative_to(plan.root).as_posix()))
    for path in plan.history_paths:
        typer.echo("  " + _("history  {path}  ({owner}; every commit, with {tool})").format(
            path=path, owner=plan.owners.get(path) or "?", tool=plan.tool))
    if plan.history_paths:
        typer.echo("  " + _("kept     every other path: its history is compared blob for blob after the rewrite, "
                            "and restored if anything differs"))
    if plan.repo is None:
        typer.echo("  " + _("(the folder is not in git: only the files are deleted)"))
    for path in plan.mentions:
        typer.echo(_("warning: {path} mentions a purged case id somewhere in history and is NOT removed; review it").format(path=path),
                   err=True)


def _next_steps(plan, result) -> None:
    if not result.rewritten:
        return
    typer.echo(_("this clone is clean. Now, as docs/retention.md describes:"))
    for remote in plan.remotes or ["origin"]:
        typer.echo(f"  git push --force --all {remote} && git push --force --tags {remote}")
    typer.echo("  " + _("every other clone: delete it and clone again (or run the same purge there)"))
    typer.echo("  " + _("the git server: ask its admin to run garbage collection (and drop cached pull-request refs)"))
    typer.echo("  " + _("backups: the case stays in backups until they age out; note it in the deletion log"))
    if result.first_changed:
        typer.echo("  " + _("first changed commit(s): {commits}").format(commits=" ".join(c[:12] for c in result.first_changed[:5])))
