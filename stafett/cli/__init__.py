"""The command line: parse arguments, call one workflow function, print. No logic lives here.

Command modules are imported by `main`, only the one a command line names when it names one.
"""

from __future__ import annotations

import sys

from stafett.cli import frame
from stafett.cli.app import app

frame.install()

# Every top-level command and the module that registers it, in the order `stafett --help` lists them. A run
# that names one of them imports that module alone: building every command's options with typer, and the
# imports they pull in, cost a command about a fifth of its run. tests/test_startup.py keeps this table
# equal to what the modules register.
COMMANDS = {
    "init": "stafett.cli.folder_cmds", "schema": "stafett.cli.folder_cmds",
    "validate": "stafett.cli.validate_cmd",
    **dict.fromkeys(("open", "assign", "log", "evaluate", "escalate", "close", "tiltak", "handover"),
                    "stafett.cli.case_cmds"),
    "consent": "stafett.cli.consent_cmd",
    "suspicion": "stafett.cli.suspicion_cmd",
    "meeting": "stafett.cli.meeting_cmd",
    "task": "stafett.cli.task_cmd",
    "status": "stafett.cli.status_cmd",
    "render": "stafett.cli.render_cmd",
    **dict.fromkeys(("merge-driver", "git-setup", "textconv"), "stafett.cli.git_cmds"),
    "export": "stafett.cli.export_cmd",
    "retention": "stafett.cli.retention_cmd",
    "migrate": "stafett.cli.migrate_cmd",
    "journal": "stafett.cli.journal_cmd",
    "copy": "stafett.cli.copy_cmd",
    "koordinator": "stafett.cli.followup_cmd", "ip": "stafett.cli.followup_cmd",
    **dict.fromkeys(("samtale", "partner", "family"), "stafett.cli.people_cmd"),
    "encrypt": "stafett.cli.encrypt_cmd",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))


def asked_command(argv: list[str]) -> str | None:
    """The command a command line names: its first word that is not an option (--lang, the one option
    before a command, takes a value)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def load_commands(argv: list[str] | None = None) -> None:
    """Register the command the line names, or every command (help, a mistyped name, the tests)."""
    import importlib

    module = COMMANDS.get(asked_command(argv)) if argv is not None else None
    for name in (module,) if module else COMMAND_MODULES:
        importlib.import_module(name)


def main() -> None:
    from stafett.cli.app import run

    load_commands(sys.argv[1:])
    sys.exit(run(sys.argv[1:]))
