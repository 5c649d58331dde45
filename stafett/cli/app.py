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
from stafett.i18n import _

_ClickException = typer.BadParameter.__mro__[2]  # typer vendors click; reach its base class without importing it


class _UserError(_ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:  # noqa: ARG002 - click's signature
        print(_("error: {message}").format(message=self.message), file=sys.stderr)


class _Group(TyperGroup):
    def parse_args(self, ctx, args):
        # Each run starts afresh (tests run many in one process): --lang anywhere on the line wins.
        from stafett import i18n

        i18n.reset(list(args))
        return super().parse_args(ctx, self._without_lang(ctx, list(args)))

    def _without_lang(self, ctx, args: list[str]) -> list[str]:
        """--lang is accepted by every command: a command that has no --lang of its own (render's sets
        the document's målform too) never sees it."""
        if not any(a == "--lang" or a.startswith("--lang=") for a in args):
            return args
        command = self
        for token in args:
            if token.startswith("-") or not hasattr(command, "get_command"):
                continue
            found = command.get_command(ctx, token)
            if found is None:
                break
            command = found
        if any("--lang" in getattr(p, "opts", ()) for p in getattr(command, "params", ())):
            return args
        out, skip = [], False
        for n, a in enumerate(args):
            if skip:
                skip = False
            elif a == "--lang" and n + 1 < len(args):
                skip = True
            elif not a.startswith("--lang="):
                out.append(a)
        return out

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
    help=_("BTI case records (stafettlogg) as YAML files in git: change them safely, validate them, render them. "
           "Every command takes --lang nb|nn|en (or STAFETT_LANG) for the language it writes in."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# A group even in a run that registers one command only (stafett.cli.load_commands): typer runs an app of
# a single command without its name, and would read `validate` as that command's argument.
@app.callback()
def _group() -> None:
    pass


FolderOption = typer.Option(None, "--folder", "-C", help=_("Case folder (default: the one you stand in)."))
ByOption = typer.Option(None, "--by", help=_("Staff id of who acts (default: the staff member with git's user.email). "
                                             "Someone else than you only with --on-behalf."))
OnBehalfOption = typer.Option(False, "--on-behalf", help=_("With --by ID: you (git's user.email) register this on behalf "
                                                           "of ID; the log names you both."))


def run(argv: list[str]) -> int:
    try:
        app(args=argv, prog_name="stafett")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0


def _crash(e: BaseException) -> str:
    from stafett import __version__

    # Case data must not leak into a report: only the traceback's code lines, no locals, no message text.
    frames = traceback.extract_tb(e.__traceback__)
    lines = [f"stafett {__version__}, Python {sys.version.split()[0]}, {sys.platform}", f"{type(e).__name__}"]
    lines += [f"  {f.filename}:{f.lineno} in {f.name}" for f in frames]
    try:
        report = _private_report(("\n".join(lines) + "\n").encode("utf-8"))
    except OSError:
        return _("stafett hit an internal error ({error}). Nothing was written.").format(error=type(e).__name__)
    return _("stafett hit an internal error ({error}); a report is in {report}. Nothing was written.").format(
        error=type(e).__name__, report=report)


def _private_report(data: bytes) -> Path:
    """A new file only the user can read (0600 whatever the umask), never opened through a name someone
    else planted in the shared temp folder: O_EXCL refuses an existing file or link."""
    import tempfile

    folder = Path(tempfile.gettempdir())
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    path = folder / f"stafett-crash-{os.getpid()}.log"
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        fd, name = tempfile.mkstemp(prefix=f"stafett-crash-{os.getpid()}-", suffix=".log", dir=folder)
        path = Path(name)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def git_identity(folder):
    """The staff member git will name as the author of the next commit here (user.email, or GIT_AUTHOR_EMAIL),
    or None (no identity, or not in personer.yaml)."""
    from stafett.errors import StafettError
    from stafett.store.gitio import author_email

    try:
        email = author_email(folder.root)
    except StafettError:  # git is not installed: nothing to check --by against
        email = ""
    return folder.people.by_email(email) if email else None


def acting(folder, by: Optional[str], on_behalf: bool = False) -> tuple[str, Optional[str]]:
    """(the actor, who registers it when that is someone else). The actor is the git identity: --by another
    person is refused unless --on-behalf says so, and then the log records both (nobody acts in another's name
    unseen). Without a git identity there is nothing to check --by against; validate --since then compares each
    entry with the author of the commit that added it."""
    from stafett.errors import UsageError

    if by is not None and folder.people.get(by) is None:
        raise UsageError(_("unknown person '{person}'").format(person=by), _("use an id from personer.yaml"))
    me = git_identity(folder)
    if by is None:
        if on_behalf:
            raise UsageError(_("--on-behalf needs --by ID (the person you register for)"), _("add --by ID"))
        if me is None:
            raise UsageError(_("who is acting? no --by and no staff member with git's user.email"),
                             _("set `git config user.email` to your address in personer.yaml (or pass --by ID)"))
        return me.id, None
    if me is None or me.id == by:
        if on_behalf and me is None:
            raise UsageError(_("--on-behalf needs to know who you are, and git's user.email matches nobody in personer.yaml"),
                             _("set `git config user.email` to your address in personer.yaml"))
        return by, None
    if not on_behalf:
        raise UsageError(_("you are {me} (git's user.email), not {person}").format(me=me.id, person=by),
                         _("to register this on behalf of {person}, add --on-behalf: the log then names you both").format(person=by))
    return by, me.id


def actor_id(folder, by: Optional[str]) -> str:
    """Who acts, for commands that only read (status, render): --by, else the git identity."""
    from stafett.errors import UsageError

    if by:
        if folder.people.get(by) is None:
            raise UsageError(_("unknown person '{person}'").format(person=by), _("use an id from personer.yaml"))
        return by
    person = git_identity(folder)
    if person is None:
        raise UsageError(_("who is acting? no --by and no staff member with git's user.email"),
                         _("pass --by ID or set `git config user.email` to your address in personer.yaml"))
    return person.id


def note_old_record(model) -> None:
    """Read-only commands read a version 1 record as it is, and say once how to upgrade it."""
    from stafett.model.case import RECORD_VERSION

    if getattr(model, "versjon", RECORD_VERSION) < RECORD_VERSION:
        print(_("note: {case} is record version {version}; upgrade the folder with `stafett migrate --write`").format(
            case=model.id, version=model.versjon), file=sys.stderr)
