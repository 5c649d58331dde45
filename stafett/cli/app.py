"""The typer app and the one place that turns errors into messages and exit codes."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Optional

import typer

from stafett.errors import StafettError

app = typer.Typer(
    name="stafett",
    help="BTI case records (stafettlogg) as YAML files in git: change them safely, validate them, render them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

FolderOption = typer.Option(None, "--folder", "-C", help="Case folder (default: the one you stand in).")
ByOption = typer.Option(None, "--by", help="Staff id of who acts (default: matches git config user.email).")


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def run(argv: list[str]) -> int:
    """Run the app; a user error is one line on stderr, a bug is a short note and a crash report file."""
    try:
        rc = app(args=argv, prog_name="stafett", standalone_mode=False)
        return rc if isinstance(rc, int) else 0
    except StafettError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except typer.Exit as e:
        return e.exit_code
    except typer.Abort:
        print("aborted", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - the crash handler is the point
        if type(e).__name__ in ("UsageError", "BadParameter", "NoSuchOption", "MissingParameter", "BadOptionUsage", "BadArgumentUsage"):
            show = getattr(e, "format_message", None)
            print(f"error: {show() if show else e}", file=sys.stderr)
            print("Try 'stafett --help'.", file=sys.stderr)
            return 2
        return _crash(e)


def _crash(e: BaseException) -> int:
    import tempfile

    from stafett import __version__

    # Case data must not leak into a report: only the traceback's code lines, no locals, no message text.
    frames = traceback.extract_tb(e.__traceback__)
    lines = [f"stafett {__version__}, Python {sys.version.split()[0]}, {sys.platform}", f"{type(e).__name__}"]
    lines += [f"  {f.filename}:{f.lineno} in {f.name}" for f in frames]
    report = Path(tempfile.gettempdir()) / f"stafett-crash-{os.getpid()}.log"
    try:
        report.write_text("\n".join(lines) + "\n", encoding="utf-8")
        where = f"; a report is in {report}"
    except OSError:
        where = ""
    print(f"error: stafett hit an internal error ({type(e).__name__}){where}. Nothing was written.", file=sys.stderr)
    return 3


def actor_id(folder, by: Optional[str]) -> str:
    """--by, else the staff member whose e-mail is git's user.email."""
    from stafett.errors import UsageError

    if by:
        if folder.people.get(by) is None:
            raise UsageError(f"unknown person '{by}'", "use an id from personer.yaml")
        return by
    import subprocess

    try:
        email = subprocess.run(["git", "config", "user.email"], cwd=folder.root, capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        email = ""
    person = folder.people.by_email(email) if email else None
    if person is None:
        raise UsageError("who is acting? no --by and no staff member with git's user.email",
                         "pass --by ID or set 'git config user.email' to your address in personer.yaml")
    return person.id
