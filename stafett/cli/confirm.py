"""Asking before a command ends things: a prompt on a terminal, `--yes` for scripts, and a refusal otherwise.

A script that did not say --yes must never hang on a question nobody sees, nor end what nobody confirmed:
off a terminal the command refuses in one line that names what would end.
"""

from __future__ import annotations

import sys

import typer

from stafett.errors import UsageError
from stafett.i18n import _


def confirmed(action: str, lines: list[str], *, yes: bool) -> None:
    """Return when the user agreed to `action` ending `lines`; raise a one-line UsageError when not."""
    if yes or not lines:
        return
    if not _interactive():
        raise UsageError(_("{action} would end: {items}; nothing was written").format(action=action, items="; ".join(lines)),
                         _("add --yes to confirm, or run it on a terminal to be asked"))
    typer.echo(_("{action} ends:").format(action=action))
    for line in lines:
        typer.echo(f"  - {line}")
    if not typer.confirm(_("Go ahead?"), default=False):
        raise UsageError(_("{action} not confirmed; nothing was written").format(action=action),
                         _("run it again and answer y, or add --yes"))


def _interactive() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream is no terminal
        return False
