"""`stafett retention`: closed cases past the kommune's retention period, and their purge from git history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from stafett.cli.app import FolderOption, app


@app.command()
def retention(
    case_ids: Optional[List[str]] = typer.Argument(None, help="With --purge: the case ids to purge.", metavar="CASE", show_default=False),
    purge: bool = typer.Option(False, "--purge", help="Delete these cases and rewrite git history so no commit holds them. "
                                                      "Only cases past retention; see docs/retention.md first."),
    yes: bool = typer.Option(False, "--yes", help="With --purge: really do it (it cannot be undone). Without it, only show the plan."),
    tool: Optional[str] = typer.Option(None, "--history-tool", help="filter-repo or filter-branch (default: filter-repo when installed)."),
    check: bool = typer.Option(False, "--check", help="Exit 1 when a case is past retention (for a scheduled CI job)."),
    fmt: str = typer.Option("text", "--format", help="text or json (the list only)."),
    folder: Optional[Path] = FolderOption,
) -> None:
    """List closed cases past the retention period (innstillinger.oppbevaring_ar, counted from avsluttet.dato);
    with --purge CASE... --yes, delete them and remove them from the git history of this clone."""
    from stafett.cli.clock import today
    from stafett.errors import UsageError
    from stafett.folder import load_folder

    if fmt not in ("text", "json"):
        raise UsageError(f"unknown format '{fmt}'", "use text or json")
    place = load_folder(folder)
    years = place.settings.innstillinger.oppbevaring_ar
    day = today()
    if purge:
        _purge(place, case_ids or [], years, day, yes, tool)
        return
    if case_ids:
        raise UsageError("case ids are only taken with --purge", "list with 'stafett retention', purge with --purge CASE... --yes")
    if yes:
        raise UsageError("--yes goes with --purge", "stafett retention --purge CASE... --yes")
    _list(place, years, day, fmt, check)


def _list(place, years: int, day, fmt: str, check: bool) -> None:
    from stafett.errors import StafettError
    from stafett.retention import past_retention
    from stafett.store.cases import read_case

    cases, unreadable = [], []
    for path in place.case_paths():
        try:
            cases.append(read_case(path).model)
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
            typer.echo(f"{len(expired)} closed case(s) past the retention period of {years} year(s) (innstillinger.oppbevaring_ar):")
            for e in expired:
                typer.echo(f"  {e.case_id}  closed {e.closed.isoformat()}  kept until {e.due.isoformat()}  ({(day - e.due).days} day(s) over)")
            typer.echo("purge them with: stafett retention --purge " + " ".join(e.case_id for e in expired[:3])
                       + (" ..." if len(expired) > 3 else "") + " --yes   (read docs/retention.md first)")
        else:
            typer.echo(f"no closed case is past the retention period of {years} year(s)")
        for u in unclear:
            typer.echo(f"warning: {u.case_id}: {u.reason}; fix it with 'stafett validate'", err=True)
    for name in unreadable:
        typer.echo(f"warning: {name} cannot be read, so its retention is unknown; run 'stafett validate'", err=True)
    if unreadable or (check and expired):
        raise typer.Exit(1)


def _purge(place, case_ids: list[str], years: int, day, yes: bool, tool: Optional[str]) -> None:
    from stafett.errors import DomainError, UsageError
    from stafett.retention import check_purgeable
    from stafett.store import purge as purging
    from stafett.store.cases import read_case

    if not case_ids:
        raise UsageError("--purge needs the case ids", "list them with 'stafett retention'")
    names = {"filter-repo": purging.FILTER_REPO, "filter-branch": purging.FILTER_BRANCH, None: None}
    if tool not in names:
        raise UsageError(f"unknown --history-tool '{tool}'", "use filter-repo or filter-branch")
    for case_id in case_ids:
        case = read_case(place.case_path(case_id)).model
        if case.id != case_id:
            raise DomainError(f"saker/{case_id}.yaml holds case {case.id}, so {case_id} cannot be purged by that name",
                              "fix the file name or the id first (stafett validate reports it as F002)")
        why = check_purgeable(case, years, day)
        if why:
            raise DomainError(f"{case_id} cannot be purged: {why}",
                              f"stafett purges only closed cases past the retention period ({years} year(s))")
    plan = purging.plan_purge(place, case_ids, tool=names[tool])
    _show_plan(plan)
    if not yes:
        for problem in purging.problems(plan):
            typer.echo(problem, err=True)
        typer.echo("dry run: nothing was deleted. Run again with --yes to purge; it cannot be undone.")
        raise typer.Exit(1)
    result = purging.purge(plan)  # refuses with one line, before changing anything, what problems() lists
    for path in result.deleted:
        typer.echo(f"deleted {path.relative_to(place.root).as_posix()}")
    if result.rewritten:
        typer.echo(f"rewrote the history of this clone with {plan.tool}; every other path's history checked unchanged, "
                   "blob for blob; reflogs expired, old objects pruned")
    for problem in result.remaining:
        typer.echo(f"warning: {problem}", err=True)
    _next_steps(plan, result)
    if result.remaining:
        raise typer.Exit(1)


def _show_plan(plan) -> None:
    typer.echo(f"purge {', '.join(plan.case_ids)}:")
    for path in plan.files:
        typer.echo(f"  delete   {path.relative_to(plan.root).as_posix()}")
    for path in plan.history_paths:
        typer.echo(f"  history  {path}  ({plan.owners.get(path) or '?'}; every commit, with {plan.tool})")
    if plan.history_paths:
        typer.echo("  kept     every other path: its history is compared blob for blob after the rewrite, "
                   "and restored if anything differs")
    if plan.repo is None:
        typer.echo("  (the folder is not in git: only the files are deleted)")
    for path in plan.mentions:
        typer.echo(f"warning: {path} mentions a purged case id somewhere in history and is NOT removed; review it",
                   err=True)


def _next_steps(plan, result) -> None:
    if not result.rewritten:
        return
    typer.echo("this clone is clean. Now, as docs/retention.md describes:")
    for remote in plan.remotes or ["origin"]:
        typer.echo(f"  git push --force --all {remote} && git push --force --tags {remote}")
    typer.echo("  every other clone: delete it and clone again (or run the same purge there)")
    typer.echo("  the git server: ask its admin to run garbage collection (and drop cached pull-request refs)")
    typer.echo("  backups: the case stays in backups until they age out; note it in the deletion log")
    if result.first_changed:
        typer.echo(f"  first changed commit(s): {' '.join(c[:12] for c in result.first_changed[:5])}")
