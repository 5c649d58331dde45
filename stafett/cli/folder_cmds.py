"""`stafett init` and `stafett schema`: making and keeping a case folder."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import app


@app.command()
def init(
    directory: Path = typer.Argument(Path("."), help="Folder to create (default: here)."),
    kommune: str = typer.Option(..., "--kommune", help="The kommune's name, e.g. 'Fjordvik'."),
    malform: str = typer.Option("nb", "--malform", help="nb (bokmål) or nn (nynorsk)."),
) -> None:
    """Create a case folder: stafett.yaml, personer.yaml, saker/, schemas/ and a README, in a git repo."""
    from stafett.store.scaffold import create_folder

    for line in create_folder(directory, kommune, malform):
        typer.echo(line)


@app.command()
def schema(
    out: Optional[Path] = typer.Option(None, "--out", help="Folder to write to (default: schemas/ here)."),
    check: bool = typer.Option(False, "--check", help="Only check that the schemas are up to date; exit 1 if not."),
) -> None:
    """Write the JSON Schemas that editors use to complete and check case files."""
    from stafett import schema as schemas

    folder = out or Path("schemas")
    if check:
        stale = schemas.drift(folder)
        if stale:
            typer.echo(f"error: {', '.join(stale)} in {folder} differ from the models (run 'stafett schema')", err=True)
            raise typer.Exit(1)
        typer.echo(f"schemas in {folder} are up to date")
        return
    written = schemas.write(folder)
    typer.echo(f"wrote {len(written)} schema file(s) to {folder}" if written else f"schemas in {folder} were up to date")
