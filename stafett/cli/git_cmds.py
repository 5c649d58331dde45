"""Git integration: the semantic merge driver and the per-clone setup it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import FolderOption, app
from stafett.i18n import _


@app.command("merge-driver", hidden=False,
             help=_("Git merge driver for case files: merges on the model, not on lines (set up by `stafett git-setup`)."))
def merge_driver(
    base: Path = typer.Argument(..., help=_("%O: the common ancestor.")),
    ours: Path = typer.Argument(..., help=_("%A: our version; the result is written here.")),
    theirs: Path = typer.Argument(..., help=_("%B: their version.")),
    name: str = typer.Argument(_("case file"), help=_("%P: the path in the repository, for messages.")),
    ours_label: Optional[str] = typer.Option(None, "--ours-label", help=_("%X: git's name for our side (git 2.44+).")),
    base_label: Optional[str] = typer.Option(None, "--base-label", help=_("%S: git's name for the common ancestor.")),
    theirs_label: Optional[str] = typer.Option(None, "--theirs-label", help=_("%Y: git's name for their side.")),
) -> None:
    from stafett.store.mergefile import driver_labels, merge_case_files

    labels = driver_labels(ours_label, base_label, theirs_label, Path.cwd())
    conflicts = merge_case_files(base, ours, theirs, name, labels)
    for problem in conflicts:
        typer.echo(_("stafett merge: conflict in {name}: {problem}").format(name=name, problem=problem), err=True)
    raise typer.Exit(1 if conflicts else 0)


@app.command("git-setup", help=_("Install the merge driver in this clone (a driver does not travel with a clone) and .gitattributes."))
def git_setup(folder: Optional[Path] = FolderOption) -> None:
    from stafett.folder import find_root
    from stafett.store.gitsetup import install

    for line in install(find_root(folder)):
        typer.echo(line)


@app.command("textconv", help=_("Print a case file with its encrypted values in clear, for whoever holds a key "
                                "(git diff and git log -p use it; set up by `stafett git-setup`)."))
def textconv(path: Path = typer.Argument(..., help=_("The file git hands over."))) -> None:
    import sys

    from stafett.store import files
    from stafett.store.cases import clear_text

    sys.stdout.buffer.write(clear_text(files.read_regular(path), str(path)))
