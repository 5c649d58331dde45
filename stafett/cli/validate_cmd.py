"""`stafett validate`: print findings as `path:line:col: CODE message`, set the exit code."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from stafett.cli.app import app
from stafett.cli.clock import today
from stafett.i18n import _


@app.command(help=_("Check case files against the schema and the BTI rules. Exit 0 clean, 1 findings, 2 usage."))
def validate(
    paths: Optional[List[str]] = typer.Argument(None, help=_("Files or folders; '-' reads one case from stdin. Default: the case folder you stand in.")),
    fmt: str = typer.Option("text", "--format", help=_("text, json or github (Actions annotations).")),
    strict: bool = typer.Option(False, "--strict", help=_("Fail on warnings too.")),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help=_("Processes to use (default: every core).")),
    excerpt: Optional[bool] = typer.Option(
        None, "--excerpt/--no-excerpt",
        help=_("Show the source line under each finding (default: yes, but not when the CI variable is set, so case text never reaches a CI log)."),
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help=_("Check every file again, ignoring the cache of unchanged files.")),
    since: Optional[str] = typer.Option(None, "--since", help=_("Also prove that since this git revision no log entry, referat or evaluation was changed or removed.")),
) -> None:
    from stafett.errors import UsageError
    from stafett.validate import validate_paths, validate_stdin

    if fmt not in ("text", "json", "github"):
        raise UsageError(_("unknown format '{format}'").format(format=fmt), _("use text, json or github"))
    targets = paths or []
    if since and targets == ["-"]:
        raise UsageError(_("--since needs files in a git repository, not stdin"), _("drop '-' or drop --since"))
    if targets == ["-"]:
        findings = validate_stdin(sys.stdin.buffer.read(), Path.cwd(), today())
        sources = {"-": None}
    elif "-" in targets:
        raise UsageError(_("'-' cannot be combined with other paths"), _("validate stdin on its own"))
    else:
        from stafett.folder import find_root

        resolved = [Path(p) for p in targets] or [find_root()]
        with _progress(fmt) as progress:
            findings = validate_paths(resolved, today(), jobs=jobs, use_cache=not no_cache, progress=progress)
        sources = {}
        if since:
            from stafett.history import append_only_findings

            findings += append_only_findings(since, resolved, shown=lambda p: os.path.relpath(p, Path.cwd()))
    findings.sort(key=lambda f: (f.path, f.line, f.col, f.code))
    if fmt in ("json", "github") or os.environ.get("CI"):
        findings = [f.for_ci() for f in findings]  # machine output ends up in logs: no values from the files
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if fmt == "json":
        typer.echo(json.dumps({"errors": errors, "warnings": warnings, "findings": [f.as_dict() for f in findings]},
                              ensure_ascii=False, indent=2))
    elif fmt == "github":
        for f in findings:
            kind = "error" if f.severity == "error" else "warning"
            typer.echo(f"::{kind} file={_gh_property(f.path)},line={f.line},col={f.col},title={_gh_property(f.code)}"
                       f"::{_gh(f.message)}")
    else:
        if excerpt is None:
            excerpt = not os.environ.get("CI")
        _print_text(findings, sources if excerpt else None)
        if findings:
            typer.echo(_("{errors} error(s), {warnings} warning(s)").format(errors=errors, warnings=warnings), err=True)
    failed = errors > 0 or (strict and warnings > 0)
    raise typer.Exit(1 if failed else 0)


class _Bar:
    """A rich progress bar on stderr, shown only once a run proves long (terminal, not CI)."""

    SHOW_FROM = 500

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.bar = None
        self.task = None

    def add_total(self, n: int) -> None:
        self.total += n
        if self.bar is None and self.total >= self.SHOW_FROM:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(_("validating"), total=self.total)
        elif self.bar is not None:
            self.bar.update(self.task, total=self.total)

    def __call__(self, n: int) -> None:
        self.done += n
        if self.bar is not None and (self.done % 50 == 0 or self.done == self.total):
            self.bar.update(self.task, completed=self.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextlib.contextmanager
def _progress(fmt: str):
    interactive = fmt == "text" and sys.stderr.isatty() and not os.environ.get("CI")
    bar = _Bar() if interactive else None
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()


def _gh(text: str) -> str:
    """GitHub's escaping of a workflow command's message (actions/toolkit escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """A property value (file=...) also escapes the separators ':' and ',' (actions/toolkit escapeProperty);
    unescaped, `saker/a,line=1.yaml` would move the annotation to another file and line."""
    return _gh(text).replace(":", "%3A").replace(",", "%2C")


def _print_text(findings, sources: dict) -> None:
    """ruff/hledger style: the finding, the source line with a caret, one sentence on how to fix it."""
    out: list[str] = []  # one write: a folder past its deadlines has tens of thousands of lines
    # TRANSLATORS: a validate finding that is a warning; keep {path}:{line}:{col}: {code} first, as editors read it.
    warning, fix = _("{path}:{line}:{col}: {code} (warning) {message}"), _("fix: {hint}")
    for f in findings:
        if f.severity == "error":
            out.append(f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}")
        else:
            out.append(warning.format(path=f.path, line=f.line, col=f.col, code=f.code, message=f.message))
        line = _source_line(f.path, f.line, sources) if sources is not None else None
        if line is not None:
            width = len(str(f.line))
            out.append(f" {f.line} | {line}")
            out.append(f" {' ' * width} | {' ' * (f.col - 1)}^")
        if f.hint:
            out.append("   = " + fix.format(hint=f.hint))
    if out:
        typer.echo("\n".join(out))


def _source_line(path: str, line: int, sources: dict) -> Optional[str]:
    if path == "-" or not path:
        return None
    if path not in sources:
        from stafett.errors import StafettError
        from stafett.store.files import read_regular

        try:  # the store's reader: a FIFO or device that got a finding is not opened again to show a line
            sources[path] = read_regular(Path(path)).decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
        except (OSError, StafettError):
            sources[path] = None
    lines = sources[path]
    if lines is None or not (1 <= line <= len(lines)):
        return None
    text = lines[line - 1].replace("\x00", "")
    return text if len(text) <= 200 else text[:200] + "…"
