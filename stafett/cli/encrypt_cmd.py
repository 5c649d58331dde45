"""`stafett encrypt`: turn encryption on for a folder, in one commit."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import FolderOption, app
from stafett.i18n import _


@app.command(help=_("Encrypt every case to the people its record gives access (and the kommune's recovery keys), "
                    "switch encryption on in stafett.yaml, and commit it as one commit. A dry run without --write."))
def encrypt(
    write: bool = typer.Option(False, "--write", help=_("Write the files and commit them. Without it, only show what would change.")),
    folder: Optional[Path] = FolderOption,
) -> None:
    from stafett.cli.clock import today
    from stafett.folder import load_folder
    from stafett.store import encryption, gitio

    f = load_folder(folder)
    p = encryption.plan(f, today())
    for case in p.unreadable:
        typer.echo(_("{case}: encrypted to others already; left as it is").format(case=case))
    if not p.writes:
        typer.echo(_("every case is encrypted to its readers; nothing to do"))
        return
    names = encryption.relative(f, [u.path for u in p.writes])
    if not write:
        typer.echo(_("{n} file(s) would be written: {files}; run `stafett encrypt --write` to apply").format(
            n=len(names), files=", ".join(names)))
        return
    encryption.write(p)
    committed = gitio.commit_files(f.root, names, "stafett encrypt: cases sealed to their readers")
    if committed:
        typer.echo(_("encrypted {n} file(s) in one commit").format(n=len(names)))
    else:
        typer.echo(_("encrypted {n} file(s); not a git repository, so nothing was committed").format(n=len(names)))
    typer.echo(_("the earlier history still holds the cases in clear: see docs/access.md on rewriting it"))
