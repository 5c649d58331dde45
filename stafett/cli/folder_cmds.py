"""`stafett init` and `stafett schema`: making and keeping a case folder."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import app
from stafett.i18n import _


@app.command(help=_("Create a case folder: stafett.yaml, personer.yaml, saker/, schemas/ and a README, in a git repo."))
def init(
    directory: Path = typer.Argument(Path("."), help=_("Folder to create (default: here).")),
    kommune: str = typer.Option(..., "--kommune", help=_("The kommune's name, e.g. 'Fjordvik'.")),
    malform: str = typer.Option("nb", "--malform", help=_("nb (bokmål) or nn (nynorsk).")),
    kryptert: bool = typer.Option(False, "--kryptert", help=_("Encrypt every case to the people its record gives access (docs/access.md); needs --gjenoppretting.")),
    gjenoppretting: Optional[str] = typer.Option(None, "--gjenoppretting", help=_("The kommune's recovery key (age1... from age-keygen), held by the archive or the personvernombud.")),
) -> None:
    from stafett import i18n
    from stafett.errors import UsageError
    from stafett.store.scaffold import create_folder

    i18n.for_case(malform)  # the new kommune's own målform, unless --lang or STAFETT_LANG says otherwise
    if kryptert and not gjenoppretting:
        raise UsageError(_("--kryptert needs the kommune's recovery key"),
                         _("add --gjenoppretting age1... (make it with `age-keygen`; keep the secret part offline)"))
    if gjenoppretting and not kryptert:
        raise UsageError(_("--gjenoppretting only goes with --kryptert"), _("add --kryptert, or leave the key out"))
    for line in create_folder(directory, kommune, malform, gjenoppretting if kryptert else None):
        typer.echo(line)


@app.command(help=_("Write the JSON Schemas that editors use to complete and check case files."))
def schema(
    out: Optional[Path] = typer.Option(None, "--out", help=_("Folder to write to (default: schemas/ here).")),
    check: bool = typer.Option(False, "--check", help=_("Only check that the schemas are up to date; exit 1 if not.")),
) -> None:
    from stafett import schema as schemas

    folder = out or Path("schemas")
    if check:
        stale = schemas.drift(folder)
        if stale:
            typer.echo(_("error: {files} in {folder} differ from the models (run `stafett schema`)").format(
                files=", ".join(stale), folder=folder), err=True)
            raise typer.Exit(1)
        typer.echo(_("schemas in {folder} are up to date").format(folder=folder))
        return
    written = schemas.write(folder)
    if written:
        typer.echo(_("wrote {n} schema file(s) to {folder}").format(n=len(written), folder=folder))
    else:
        typer.echo(_("schemas in {folder} were up to date").format(folder=folder))
