"""The command line: parse arguments, call one workflow function, print. No logic lives here.

Command modules are imported lazily by `main` so `stafett --help` stays fast.
"""

from __future__ import annotations

import sys

from stafett.cli import frame
from stafett.cli.app import app

frame.install()

COMMAND_MODULES = (
    "stafett.cli.folder_cmds",
    "stafett.cli.validate_cmd",
    "stafett.cli.case_cmds",
    "stafett.cli.consent_cmd",
    "stafett.cli.suspicion_cmd",
    "stafett.cli.meeting_cmd",
    "stafett.cli.task_cmd",
    "stafett.cli.status_cmd",
    "stafett.cli.render_cmd",
    "stafett.cli.git_cmds",
    "stafett.cli.export_cmd",
    "stafett.cli.retention_cmd",
    "stafett.cli.migrate_cmd",
    "stafett.cli.journal_cmd",
    "stafett.cli.copy_cmd",
    "stafett.cli.followup_cmd",
    "stafett.cli.people_cmd",
    "stafett.cli.encrypt_cmd",
)


def load_commands() -> None:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name)


def main() -> None:
    from stafett.cli.app import run

    load_commands()
    sys.exit(run(sys.argv[1:]))
