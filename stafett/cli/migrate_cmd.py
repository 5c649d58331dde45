"""`stafett migrate`: upgrade a folder's records to the current version, comments and all."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import FolderOption, app
from stafett.i18n import _


# Upgrades stafett.yaml, personer.yaml and every case to the current record version (a dry run by default).
@app.command(help=_("Upgrade stafett.yaml, personer.yaml and every case to the current record version (a dry run by default)."))
def migrate(
    write: bool = typer.Option(False, "--write", help=_("Apply the upgrade. Without it, only show what would change.")),
    folder: Optional[Path] = FolderOption,
) -> None:
    from stafett.folder import load_folder
    from stafett.model.case import RECORD_VERSION
    from stafett.store import migration

    f = load_folder(folder)
    upgrades = migration.plan(f.root, f.case_paths(), f.settings.malform)
    if not upgrades:
        typer.echo(_("every file is already version {version}; nothing to do").format(version=RECORD_VERSION))
        return
    for u in upgrades:
        typer.echo(f"{u.path.relative_to(f.root)}: {'; '.join(u.changes)}")
    if not write:
        typer.echo(_("{n} file(s) would be upgraded to version {version}; run `stafett migrate --write` to apply")
                   .format(n=len(upgrades), version=RECORD_VERSION))
        return
    migration.write(upgrades)
    typer.echo(_("upgraded {n} file(s) to version {version}; check with `stafett validate` and commit them as one commit")
               .format(n=len(upgrades), version=RECORD_VERSION))
