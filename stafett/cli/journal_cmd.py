"""`stafett journal`: the plain-text journal note for one service, to paste into its fagsystem."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from stafett.cli.app import ByOption, FolderOption, OnBehalfOption, app, note_old_record
from stafett.cli.case_cmds import CaseArg, change, optional_date
from stafett.i18n import _, date_text


@app.command("journal", help=_("Print what concerns one service since its last note, as plain text for its journal."))
def journal(
    case_id: str = CaseArg,
    tjeneste: str = typer.Option(..., "--tjeneste", help=_("The service the note is for (a service id from stafett.yaml).")),
    siden: Optional[str] = typer.Option(
        None, "--siden", help=_("First day of the period, YYYY-MM-DD. Default: the day after the last note "
                                "stafett remembers for the service (--husk), else the case's first day.")),
    layout: Optional[str] = typer.Option(
        None, "--layout", help=_("The profile that shapes the note. Default: the service's fagsystem in stafett.yaml.")),
    lang: Optional[str] = typer.Option(None, "--lang", help=_("nb or nn. Default: the kommune's målform.")),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=_("Write to this file (default: standard output).")),
    husk: bool = typer.Option(False, "--husk", help=_("Remember that the note up to today was made: the next starts tomorrow.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.cli.clock import today
    from stafett.cli.render_cmd import _check_output, note_alias
    from stafett.errors import UsageError
    from stafett.folder import load_folder
    from stafett.model.sharing import restricted_consents
    from stafett.render.journal import render_journal
    from stafett.store.cases import read_case
    from stafett.workflow.journal import period, remember_extract

    if lang is not None and lang not in ("nb", "nn"):
        raise UsageError(_("unknown målform '{lang}'").format(lang=lang), _("use --lang nb or --lang nn"))
    start = optional_date(siden, "--siden")
    place = load_folder(folder)
    svc = place.settings.service(tjeneste)
    if svc is None:
        raise UsageError(_("unknown service '{service}'").format(service=tjeneste),
                         _("use one of: {services}").format(services=", ".join(t.id for t in place.settings.tjenester)))
    chosen = layout or svc.fagsystem
    note_alias(place, chosen)
    if output is not None:
        _check_output(output, place, case_id)
    case = read_case(place.case_path(case_id)).model
    note_old_record(case)

    def note(of) -> str:
        return render_journal(place, of, service=tjeneste, period=period(of, tjeneste, start, today()), layout=chosen,
                              lang=lang)

    text = note(case)  # every refusal comes before anything is remembered
    if husk:
        old, _new, place, ctx = change(case_id, folder, (by, on_behalf),
                                    lambda c, ctx: remember_extract(c, ctx, tjeneste=tjeneste, siden=start))
        text = render_journal(place, old, service=tjeneste, period=period(old, tjeneste, start, ctx.today),
                              layout=chosen, lang=lang)
    for consent in restricted_consents(case, tjeneste, today()):
        print(_("note: consent {consent} restricts what may be shared with {service}; read the note against it "
                "before it goes into the journal").format(consent=consent, service=tjeneste), file=sys.stderr)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        from stafett.store.files import atomic_write

        atomic_write(output, text.encode("utf-8"))
        print(_("wrote {file}").format(file=output), file=sys.stderr)
    if husk:
        print(f"{case_id}: " + _("journal note for {service} remembered up to {date}")
              .format(service=tjeneste, date=date_text(ctx.today)), file=sys.stderr)
