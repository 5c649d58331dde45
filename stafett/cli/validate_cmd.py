"""`stafett validate`: print findings as `path:line:col: CODE message`, set the exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from stafett.cli.app import app
from stafett.cli.clock import today


@app.command()
def validate(
    paths: Optional[List[str]] = typer.Argument(None, help="Files or folders; '-' reads one case from stdin. Default: the case folder you stand in."),
    fmt: str = typer.Option("text", "--format", help="text, json or github (Actions annotations)."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Processes to use (default: every core)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Check every file again, ignoring the cache of unchanged files."),
    since: Optional[str] = typer.Option(None, "--since", help="Also prove that since this git revision no log entry, referat or evaluation was changed or removed."),
) -> None:
    """Check case files against the schema and the BTI rules. Exit 0 clean, 1 findings, 2 usage."""
    from stafett.errors import UsageError
    from stafett.validate import validate_paths, validate_stdin

    if fmt not in ("text", "json", "github"):
        raise UsageError(f"unknown format '{fmt}'", "use text, json or github")
    targets = paths or []
    if since and targets == ["-"]:
        raise UsageError("--since needs files in a git repository, not stdin", "drop '-' or drop --since")
    if targets == ["-"]:
        findings = validate_stdin(sys.stdin.buffer.read(), Path.cwd(), today())
        sources = {"-": None}
    elif "-" in targets:
        raise UsageError("'-' cannot be combined with other paths", "validate stdin on its own")
    else:
        from stafett.folder import find_root

        resolved = [Path(p) for p in targets] or [find_root()]
        findings = validate_paths(resolved, today(), jobs=jobs, use_cache=not no_cache)
        sources = {}
        if since:
            import os

            from stafett.history import append_only_findings

            findings += append_only_findings(since, resolved, shown=lambda p: os.path.relpath(p, Path.cwd()))
    findings.sort(key=lambda f: (f.path, f.line, f.col, f.code))
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if fmt == "json":
        typer.echo(json.dumps({"errors": errors, "warnings": warnings, "findings": [f.as_dict() for f in findings]},
                              ensure_ascii=False, indent=2))
    elif fmt == "github":
        for f in findings:
            kind = "error" if f.severity == "error" else "warning"
            typer.echo(f"::{kind} file={f.path},line={f.line},col={f.col},title={f.code}::{_gh(f.message)}")
    else:
        _print_text(findings, sources)
        if findings:
            typer.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    failed = errors > 0 or (strict and warnings > 0)
    raise typer.Exit(1 if failed else 0)


def _gh(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _print_text(findings, sources: dict) -> None:
    """ruff/hledger style: the finding, the source line with a caret, one sentence on how to fix it."""
    for f in findings:
        kind = "" if f.severity == "error" else " (warning)"
        typer.echo(f"{f.path}:{f.line}:{f.col}: {f.code}{kind} {f.message}")
        line = _source_line(f.path, f.line, sources)
        if line is not None:
            width = len(str(f.line))
            typer.echo(f" {f.line} | {line}")
            typer.echo(f" {' ' * width} | {' ' * (f.col - 1)}^")
        if f.hint:
            typer.echo(f"   = fix: {f.hint}")


def _source_line(path: str, line: int, sources: dict) -> Optional[str]:
    if path == "-" or not path:
        return None
    if path not in sources:
        try:
            sources[path] = Path(path).read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
        except OSError:
            sources[path] = None
    lines = sources[path]
    if lines is None or not (1 <= line <= len(lines)):
        return None
    text = lines[line - 1].replace("\x00", "")
    return text if len(text) <= 200 else text[:200] + "…"
