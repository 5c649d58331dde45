"""`stafett migrate`: upgrade a folder's records to the current version, comments and all."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import FolderOption, app


@app.command()
def migrate(
    write: bool = typer.Option(False, "--write", help="Apply the upgrade. Without it, only show what would change."),
    folder: Optional[Path] = FolderOption,
) -> None:
    """Upgrade stafett.yaml, personer.yaml and every case to the current record version (a dry run by default)."""
    from stafett.folder import load_folder
    from stafett.model.case import RECORD_VERSION
    from stafett.store import migration

    f = load_folder(folder)
    upgrades = migration.plan(f.root, f.case_paths(), f.settings.malform)
    if not upgrades:
        typer.echo(f"every file is already version {RECORD_VERSION}; nothing to do")
        return
    for u in upgrades:
        typer.echo(f"{u.path.relative_to(f.root)}: {'; '.join(u.changes)}")
    if not write:
        typer.echo(f"{len(upgrades)} file(s) would be upgraded to version {RECORD_VERSION}; "
                   "run 'stafett migrate --write' to apply")
        return
    migration.write(upgrades)
    typer.echo(f"upgraded {len(upgrades)} file(s) to version {RECORD_VERSION}; "
               "check with 'stafett validate' and commit them as one commit")
