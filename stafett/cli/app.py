"""The typer app and the one place that turns errors into messages and exit codes.

The handler lives in the command group itself, so `stafett` on a terminal, typer's CliRunner in tests
and `python -m stafett` all behave the same: a user error is one line on stderr and a non-zero exit;
a bug is a short note and a crash report without case data.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from stafett.errors import StafettError

_ClickException = typer.BadParameter.__mro__[2]  # typer vendors click; reach its base class without importing it


class _UserError(_ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:  # noqa: ARG002 - click's signature
        print(f"error: {self.message}", file=sys.stderr)


class _Group(TyperGroup):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StafettError as e:
            raise _UserError(str(e), e.exit_code) from None
        except (_ClickException, typer.Exit, typer.Abort, KeyboardInterrupt, SystemExit):
            raise
        except BrokenPipeError:
            # The reader went away (`stafett export | head`): stop quietly, as other Unix tools do.
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            raise typer.Exit(141) from None
        except Exception as e:  # noqa: BLE001 - the crash handler is the point
            raise _UserError(_crash(e), 3) from None


app = typer.Typer(
    name="stafett",
    cls=_Group,
    help="BTI case records (stafettlogg) as YAML files in git: change them safely, validate them, render them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

FolderOption = typer.Option(None, "--folder", "-C", help="Case folder (default: the one you stand in).")
ByOption = typer.Option(None, "--by", help="Staff id of who acts (default: matches git config user.email).")


def run(argv: list[str]) -> int:
    try:
        app(args=argv, prog_name="stafett")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0


def _crash(e: BaseException) -> str:
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
    return f"stafett hit an internal error ({type(e).__name__}){where}. Nothing was written."


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
