"""`stafett render`: a case's stafettlogg, or one meeting's referat, as Markdown, HTML or PDF/A."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import ByOption, FolderOption, app, note_old_record
from stafett.i18n import _

# What --for accepts: the code, and the word in nynorsk.
FOR_VALUES = {"foresatte": "foresatte", "føresette": "foresatte"}


@app.command(help=_("Render a stafettlogg or a referat for a fagsystem. Reads only; never changes the case."))
def render(
    case: str = typer.Argument(..., help=_("Case id, e.g. S-20260212-p3xd9e.")),
    meeting: Optional[str] = typer.Option(None, "--meeting", help=_("Render this meeting's referat instead of the stafettlogg.")),
    layout: Optional[str] = typer.Option(
        None, "--layout",
        help=_("standard, vigilo, profil, infodoc, hk-oppvekst, familia, compilo (or a profile in the folder's "
               "templates/profiles/). Default: the fagsystem stafett.yaml gives the actor's service, else standard."),
    ),
    fmt: Optional[str] = typer.Option(
        None, "--format",
        help=_("md, html or pdf (PDF/A-2b; needs pip install 'stafett[pdf]'). Default: by the -o suffix "
               "(.html, .pdf), else md."),
    ),
    lang: Optional[str] = typer.Option(None, "--lang", help=_("nb (bokmål) or nn (nynorsk). Default: the kommune's målform.")),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=_("Write to this file (default: standard output).")),
    for_: Optional[str] = typer.Option(
        None, "--for", help=_("'foresatte': the family's copy, without what stafett.yaml marks as not for them.")
    ),
    show_fnr: bool = typer.Option(False, "--show-fnr", help=_("Show the full fødselsnummer (masked by default).")),
    anonymize: bool = typer.Option(
        False, "--anonymize",
        help=_("Consistent pseudonyms for every person, no fødselsnummer, dates kept to the month: for examples and training."),
    ),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
) -> None:
    from stafett.errors import UsageError
    from stafett.folder import load_folder
    from stafett.render import default_layout, render_case
    from stafett.store.cases import read_case

    if for_ not in (None, *FOR_VALUES):
        raise UsageError(_("--for '{value}' is not known").format(value=for_), _("the only copy is --for foresatte"))
    for_ = FOR_VALUES.get(for_, for_)
    if fmt is None:
        suffix = output.suffix.lower() if output is not None else ""
        fmt = "html" if suffix in (".html", ".htm") else "pdf" if suffix == ".pdf" else "md"
    if fmt not in ("md", "html", "pdf"):
        raise UsageError(_("unknown format '{format}'").format(format=fmt), _("use --format md, html or pdf"))
    if fmt == "pdf":
        from stafett.render.pdf import require

        if output is None and sys.stdout.isatty():
            raise UsageError(_("stafett will not write a PDF to the terminal"), _("give -o FILE.pdf or redirect the output"))
        require()
    if lang is not None and lang not in ("nb", "nn"):
        raise UsageError(_("unknown målform '{lang}'").format(lang=lang), _("use --lang nb or --lang nn"))

    f = load_folder(folder)
    path = f.case_path(case)
    if output is not None:
        _check_output(output, f, case)
    model = read_case(path).model
    note_old_record(model)
    if anonymize:
        import dataclasses

        from stafett.anonymize import anonymize as pseudonymise

        if show_fnr:
            raise UsageError(_("--show-fnr and --anonymize contradict each other"), _("drop one of them"))
        model, people = pseudonymise(model, f.people)
        f = dataclasses.replace(f, people=people)
        by = None  # the actor's id no longer exists among the pseudonyms
    if layout is None:
        layout = default_layout(f, _actor_or_none(f, by))
    note_alias(f, layout)
    what = dict(kind="referat" if meeting else "stafettlogg", meeting_id=meeting, layout=layout, lang=lang,
                for_foresatte=for_ == "foresatte", show_fnr=show_fnr)
    if fmt == "pdf":
        from stafett.render.pdf import render_pdf

        text, data = None, render_pdf(f, model, **what, actor=None if anonymize else _actor_or_none(f, by))
    else:
        text = render_case(f, model, **what, fmt=fmt)
        data = text.encode("utf-8")
    if output is None:
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            sys.stdout.flush()
            out.write(data)
            out.flush()
        elif text is not None:  # pragma: no cover - a text-only stdout
            typer.echo(text, nl=False)
        else:
            raise UsageError(_("standard output takes no bytes here, so it cannot carry a PDF"), _("give -o FILE.pdf"))
        return
    from stafett.store.files import atomic_write

    atomic_write(output, data)
    typer.echo(_("wrote {file}").format(file=output), err=True)


def note_alias(folder, layout: str) -> None:
    """One line on stderr when the layout is an old name merged into another (compilo is standard now)."""
    from stafett.render import environment, profiles

    target = profiles.merged_into(layout, environment.search_dirs(folder.root))
    if target is not None:
        print(_("note: layout '{layout}' is merged into '{target}': the same document (templates/README.md)")
              .format(layout=layout, target=target), file=sys.stderr)


def _actor_or_none(folder, by: Optional[str]) -> Optional[str]:
    """--by must name a person; without it, git's user.email may, and if nobody matches: no actor."""
    from stafett.cli.app import actor_id
    from stafett.errors import UsageError

    if by:
        return actor_id(folder, by)
    try:
        return actor_id(folder, None)
    except UsageError:
        return None


def _check_output(output: Path, folder, case_id: str) -> None:
    from stafett.case_names import ids_in
    from stafett.errors import UsageError

    if output.is_dir():
        raise UsageError(_("{path} is a directory").format(path=output), _("give a file name, e.g. -o stafettlogg.html"))
    if not output.parent.is_dir():
        raise UsageError(_("no folder {folder} to write {name} in").format(folder=output.parent, name=output.name),
                         _("create the folder first"))
    target = output.resolve()
    root = folder.root.resolve()
    protected = {root / "stafett.yaml", root / "personer.yaml"}
    if target in protected or target.parent == folder.cases_dir.resolve():
        raise UsageError(_("{path} is a file of the case folder; render never overwrites it").format(path=output),
                         _("write the document somewhere else, e.g. -o stafettlogg.html"))
    # A file named after another case would be purged with that case and missed when this one is
    # (the purge finds a case's documents by name: stafett/case_names.py).
    for name in dict.fromkeys([output.name, target.name]):
        others = [i for i in ids_in(name) if i != case_id]
        if others:
            raise UsageError(_("the file name {name} names case {other}, but this is {case}")
                             .format(name=name, other=others[0], case=case_id),
                             _("name it after the case it holds, e.g. -o {case}-stafettlogg.html").format(case=case_id))
