"""`stafett export`: the folder as rows for the kommune's own questions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import FolderOption, app, note_old_record
from stafett.i18n import _


@app.command(help=_("Export one row per case, tiltak, meeting and log entry (query it with sqlite-utils or datasette)."))
def export(
    fmt: str = typer.Option("jsonl", "--format", help=_("jsonl (one JSON object a line) or sqlite.")),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=_("File to write (required for sqlite; jsonl defaults to stdout).")),
    anonymize: bool = typer.Option(False, "--anonymize", help=_("Pseudonyms for every person, no free text, dates to the month: for statistics that leave the building.")),
    folder: Optional[Path] = FolderOption,
) -> None:
    from stafett.errors import CaseFileError, UsageError
    from stafett.export import rows
    from stafett.folder import load_folder
    from stafett.store.cases import read_case

    if fmt not in ("jsonl", "sqlite"):
        raise UsageError(_("unknown format '{format}'").format(format=fmt), _("use jsonl or sqlite"))
    if fmt == "sqlite" and output is None:
        raise UsageError(_("sqlite needs a file"), _("pass -o stafett.db"))
    if output is not None and output.is_dir():
        raise UsageError(_("{path} is a folder").format(path=output), _("give a file name"))
    f = load_folder(folder)
    if output is not None:
        target = output.resolve()
        if target.is_relative_to(f.cases_dir.resolve()) or target in {f.root / "stafett.yaml", f.root / "personer.yaml"}:
            raise UsageError(_("the export would overwrite or land among the case folder's own files"),
                             _("write it outside saker/, e.g. -o stafett-eksport.db"))

    def all_rows():
        from stafett.anonymize import Pseudonyms, anonymize as pseudonymise

        ps = Pseudonyms()
        for path in f.case_paths():
            # Statistics need no content: without a key, an anonymised export reads the clear part.
            case = read_case(path, view="best" if anonymize else "open").model
            note_old_record(case)
            if case.id != path.stem:
                # A copy or a misnamed file would put one child's rows under another id, or twice under one.
                raise CaseFileError(_("case id '{case}' does not match the file name '{file}'").format(case=case.id, file=path.name),
                                    _("rename the file to {case}.yaml or fix the id; nothing was exported").format(case=case.id),
                                    path=str(path), line=1, col=1, code="F002")
            if anonymize:
                case = pseudonymise(case, f.people, ps, keep_text=False)[0]
            yield from rows(case)

    if fmt == "sqlite":
        from stafett.store.exporter import write_sqlite

        counts = write_sqlite(output, all_rows())
        # TRANSLATORS: {counts} lists rows per table, e.g. "3 saker, 5 tiltak" (table names stay as they are).
        typer.echo(_("wrote {path}: {counts}").format(path=output, counts=", ".join(f"{n} {t}" for t, n in counts.items())))
        return
    from stafett.store.exporter import jsonl_lines

    lines = list(jsonl_lines(all_rows()))  # every case read and checked before the first line goes out
    if output is None:
        for line in lines:
            sys.stdout.write(line + "\n")
        return
    from stafett.store.files import atomic_write

    atomic_write(output, "".join(line + "\n" for line in lines).encode("utf-8"))
    typer.echo(_("wrote {path}").format(path=output))
