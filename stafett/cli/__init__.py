"""The command line: parse arguments, call one workflow function, print. No logic lives here.

Command modules are imported lazily by `main` so `stafett --help` stays fast.
"""

from __future__ import annotations

import sys

from stafett.cli.app import app

COMMAND_MODULES = (
    "stafett.cli.folder_cmds",
    "stafett.cli.validate_cmd",
    "stafett.cli.case_cmds",
    "stafett.cli.suspicion_cmd",
    "stafett.cli.meeting_cmd",
    "stafett.cli.status_cmd",
    "stafett.cli.render_cmd",
    "stafett.cli.git_cmds",
    "stafett.cli.export_cmd",
    "stafett.cli.retention_cmd",
)


def load_commands() -> None:
    import importlib

    for name in COMMAND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:  # a missing command module is fine while it is being written; a broken import is not
                raise


def main() -> None:
    from stafett.cli.app import run

    load_commands()
    sys.exit(run(sys.argv[1:]))
