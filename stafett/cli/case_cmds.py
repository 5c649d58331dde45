"""Commands that change one case: open, consent, assign, log, tiltak, evaluate, handover, escalate, close.

Each parses its flags, calls one workflow function through the store (which writes nothing when the
function or the rules refuse), and prints `<case id>: <what changed>`. Dates are ISO flags
(`--dato 2026-11-23`, today by default); STAFETT_TODAY pins today for scripts and tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, List, Optional

import typer

from stafett.cli.app import ByOption, FolderOption, OnBehalfOption, app
from stafett.errors import UsageError
from stafett.i18n import _, date_text

CaseArg = typer.Argument(..., help=_("The case id, e.g. S-20261123-k7q4m2."), show_default=False)
DateOption = typer.Option(None, "--dato", help=_("Date it happened, YYYY-MM-DD (default: today)."))


# --- shared by every case command (meeting_cmd uses these too) -------------------------------------

def parse_date(value: str, flag: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise UsageError(_("{flag} '{value}' is not a date").format(flag=flag, value=value),
                         _("write dates as YYYY-MM-DD, e.g. 2026-11-23")) from None


def parse_datetime(value, flag: str) -> dt.datetime:
    """Oslo's wall time (an offset given is honoured), marked to be written with its offset."""
    from stafett.model.common import OsloTime

    if isinstance(value, dt.datetime):
        return OsloTime.of(value)
    text = str(value).strip().replace("T", " ")
    try:
        parsed = dt.datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError:
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise UsageError(_("{flag} '{value}' is not a date and time").format(flag=flag, value=value),
                             _("write 'YYYY-MM-DD HH:MM', e.g. '2026-12-01 14:00'")) from None
    return OsloTime.of(parsed)


def optional_date(value: Optional[str], flag: str) -> Optional[dt.date]:
    return parse_date(value, flag) if value is not None else None


def date_or_today(value: Optional[str], flag: str = "--dato") -> dt.date:
    from stafett.cli.clock import today

    return parse_date(value, flag) if value is not None else today()


# --by and --on-behalf as the command got them.
Who = tuple[Optional[str], bool]


def session(folder_option: Optional[Path], who: Who):
    """The folder, and who acts when: the Context every workflow function takes."""
    from stafett.cli.app import acting
    from stafett.cli.clock import now
    from stafett.folder import load_folder
    from stafett.workflow.common import Context

    folder = load_folder(folder_option)
    actor, registrar = acting(folder, *who)
    return folder, Context(folder.settings, folder.people, actor, now(), registrar)


def change(case_id: str, folder_option: Optional[Path], who: Who, fn: Callable, also: Optional[Callable] = None):
    """Run one workflow function on one case under the store's lock; the rules check the result.
    `also` gives other files written with the case, all or none (store.cases.update_case)."""
    from dataclasses import replace

    from stafett import i18n
    from stafett.cli.clock import now
    from stafett.store.cases import update_case
    from stafett.workflow.common import check_rules, require_current_version

    folder, ctx = session(folder_option, who)
    path = folder.case_path(case_id)
    current = [ctx]

    def apply(case):
        # The clock is read under the lock, so writers queued on the same case log in the order they write.
        malform = case.malform_in(folder.settings)
        i18n.for_case(malform)
        current[0] = replace(ctx, now=now(), malform=malform)
        require_current_version(case)
        return fn(case, current[0])

    old, new = update_case(path, apply, check=lambda case: check_rules(case, current[0]), also=also, today=ctx.now.date(),
                           folder=folder)
    return old, new, folder, current[0]


def done(case_id: str, text: str) -> None:
    typer.echo(f"{case_id}: {text}")


def _day(value) -> str:
    """A date in a message (ISO in English, 23.11.2026 in Norwegian); None as before."""
    return date_text(value) if value is not None else str(value)


def one_of(**given) -> str:
    chosen = [name for name, value in given.items() if value]
    if len(chosen) != 1:
        flags = ", ".join("--" + name.replace("_", "-") for name in given)
        raise UsageError(_("give exactly one of {flags}").format(flags=flags), _("run the command once for each change"))
    return chosen[0]


# --- open ------------------------------------------------------------------------------------------

CASE_HEADER = "# yaml-language-server: $schema=../schemas/sak.schema.json\n"


@app.command("open", help=_("Record a worry (undring/bekymring) as a new case on nivå 0; you own it until your leader clarifies it."
                              "\n\nPrints the new case id first on the line; ids are random, so cases opened in two clones never "
                              "collide."))
def open_(
    navn: str = typer.Option(..., "--navn", help=_("The hovedperson's name (the child, young person, pregnant woman or family).")),
    kategori: str = typer.Option("barn", "--kategori", help=_("barn, ungdom, gravid or familie.")),
    beskrivelse: str = typer.Option(..., "--beskrivelse", help=_("The worry: what have you seen or heard, and for how long?")),
    dato: Optional[str] = typer.Option(None, "--dato", help=_("When the worry arose, YYYY-MM-DD (default: today).")),
    fodselsdato: Optional[str] = typer.Option(None, "--fodselsdato", help=_("Birth date, YYYY-MM-DD.")),
    termin: Optional[str] = typer.Option(None, "--termin", help=_("Due date when the child is not born yet.")),
    fodselsnummer: Optional[str] = typer.Option(None, "--fodselsnummer", help=_("Fødselsnummer (11 digits), if needed.")),
    foresatt: Optional[List[str]] = typer.Option(None, "--foresatt", help=_("RELASJON=NAVN[,telefon=..][,epost=..][,foreldreansvar=nei]; repeat for each.")),
    tjeneste: Optional[str] = typer.Option(None, "--tjeneste", help=_("Service the worry arose in (default: yours).")),
    vold: bool = typer.Option(False, "--mistanke-om-vold", help=_("Suspected violence or abuse: family contact waits until barnevern/politi is consulted.")),
    niva: int = typer.Option(0, "--niva", help=_("BTI nivå; above 0 only when a leader opens a clarified case with --stafettholder.")),
    stafettholder: Optional[str] = typer.Option(None, "--stafettholder", help=_("With --niva 1-3: the stafettholder the opening leader appoints.")),
    familiens_onske: Optional[str] = typer.Option(None, "--familiens-onske", help=_("With --stafettholder: the family's wish about who holds the baton.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    # Help text in the decorator (translated); prints the new case id first on the line.
    from stafett.cli.clock import today
    from stafett.model.common import new_case_id
    from stafett.store.cases import create_case
    from stafett.workflow import names
    from stafett.workflow.common import check_rules
    from stafett.workflow.opening import open_case, parse_guardian

    place, ctx = session(folder, (by, on_behalf))
    guardians = tuple(parse_guardian(spec) for spec in foresatt or [])
    case = open_case(ctx, case_id=new_case_id(today()), navn=navn, kategori=kategori, beskrivelse=beskrivelse,
                     dato=date_or_today(dato), fodselsdato=optional_date(fodselsdato, "--fodselsdato"),
                     termin=optional_date(termin, "--termin"), fodselsnummer=fodselsnummer, foresatte=guardians,
                     tjeneste=tjeneste, mistanke_om_vold=vold, niva=niva, stafettholder=stafettholder,
                     familiens_onske=familiens_onske)
    place.cases_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    create_case(place.case_path(case.id, must_exist=False), case, CASE_HEADER, check=lambda c: check_rules(c, ctx),
                today=ctx.now.date(), folder=place)
    # TRANSLATORS: the parts below are added to "opened on nivå ..." when they apply.
    # Each foresatt by name, with the id the next commands take (--gitt-av, --innkalt) to type.
    extra = _("; foresatte {guardians}").format(
        guardians=", ".join(f"{f.navn} ({f.relasjon}, `{f.id}`)" for f in case.foresatte)) if case.foresatte else ""
    flag = _("; violence flag set: no family contact before barnevern/politi is consulted") if vold else ""
    holder = _(", stafettholder {person}").format(person=names.staff(ctx, case.stafettholder.person)) \
        if case.stafettholder else ""
    done(case.id, _("opened on nivå {niva}, eier {owner}{holder}{guardians}{violence}").format(
        niva=case.niva, owner=names.staff(ctx, ctx.actor), holder=holder, guardians=extra, violence=flag))


# --- consent: stafett/cli/consent_cmd.py -----------------------------------------------------------


# --- assign ----------------------------------------------------------------------------------------

@app.command(help=_("Appoint a stafettholder (leader), add or end a participant, or appoint a koordinator (koordinerende enhet)."))
def assign(
    case_id: str = CaseArg,
    stafettholder: Optional[str] = typer.Option(None, "--stafettholder", help=_("The leader appoints this staff id as stafettholder.")),
    deltaker: Optional[str] = typer.Option(None, "--deltaker", help=_("Add this staff id as a participant (needs consent covering their service).")),
    koordinator: Optional[str] = typer.Option(None, "--koordinator", help=_("Koordinerende enhet appoints this staff id as the requested (barne)koordinator.")),
    familiens_onske: Optional[str] = typer.Option(None, "--familiens-onske", help=_("The child's/family's wish about who holds the baton (or is koordinator).")),
    niva: Optional[int] = typer.Option(None, "--niva", help=_("With --stafettholder on a nivå-0 case: the level it moves to (default 1).")),
    tjeneste: Optional[str] = typer.Option(None, "--tjeneste", help=_("With --deltaker: the service they take part for (default: theirs).")),
    rolle: Optional[str] = typer.Option(None, "--rolle", help=_("With --deltaker: their role in the collaboration.")),
    slutt: bool = typer.Option(False, "--slutt", help=_("With --deltaker: end their participation instead.")),
    sekundaer: Optional[str] = typer.Option(None, "--sekundaer", help=_("With --koordinator: the sekundær-koordinator (default: the koordinator's nearest leader).")),
    takes_baton: bool = typer.Option(False, "--overtar-stafettpinnen", help=_("With --koordinator: the koordinator takes over the baton now.")),
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import baton, names

    what = one_of(stafettholder=stafettholder, deltaker=deltaker, koordinator=koordinator)
    day = date_or_today(dato)
    if what == "stafettholder":
        old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: baton.appoint_stafettholder(
            c, ctx, person=stafettholder, dato=day, familiens_onske=familiens_onske, niva=niva))
        holder = names.staff(ctx, stafettholder)
        if new.niva != old.niva:
            done(new.id, _("{person} is stafettholder; nivå {old} → {new}").format(person=holder, old=old.niva, new=new.niva))
        else:
            done(new.id, _("{person} is stafettholder").format(person=holder))
    elif what == "deltaker" and slutt:
        new, _place, ctx = change(case_id, folder, (by, on_behalf),
                                  lambda c, ctx: baton.end_participant(c, ctx, person=deltaker, dato=day))[1:]
        done(new.id, _("{person} no longer takes part").format(person=names.staff(ctx, deltaker)))
    elif what == "deltaker":
        new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: baton.add_participant(
            c, ctx, person=deltaker, dato=day, tjeneste=tjeneste, rolle=rolle))[1:]
        done(new.id, _("{person} takes part for {service}").format(
            person=names.staff(ctx, deltaker), service=names.service(ctx, new.deltakere[-1].tjeneste)))
    else:
        new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: baton.appoint_koordinator(
            c, ctx, person=koordinator, dato=day, sekundaer=sekundaer, takes_baton=takes_baton,
            familiens_onske=familiens_onske))[1:]
        k = new.koordinator
        appointed = names.staff(ctx, koordinator)
        # TRANSLATORS: added to "{person} is {kind}" when they apply.
        second = _(", sekundær {person}").format(person=names.staff(ctx, k.sekundaer)) if k.sekundaer else ""
        baton_text = _("; {person} holds the baton").format(person=appointed) if takes_baton else ""
        # TRANSLATORS: {kind} is koordinator or barnekoordinator.
        done(new.id, _("{person} is {kind}{secondary}{baton}").format(person=appointed, kind=k.type, secondary=second,
                                                                       baton=baton_text))


# --- log -------------------------------------------------------------------------------------------

@app.command("log", help=_("Log a contact (loggføre kontakt), a talk with the child (samtale), a lysglimt, a note or a correction."
                            "\n\nA consultation with barnevern or politi about suspected violence is `stafett suspicion consult`."))
def log_(
    case_id: str = CaseArg,
    tekst: str = typer.Argument(..., help=_("What happened, in a sentence or two.")),
    kind: Optional[str] = typer.Option(None, "--type", help=_("kontakt, samtale (a talk with the child between meetings), lysglimt, notat, "
                                                            "retting, soknad or klage (help with an application or a complaint); "
                                                            "default: kontakt with --med, else notat.")),
    med: Optional[List[str]] = typer.Option(None, "--med", help=_("Who the contact was with: hovedperson, foresatte, a foresatt, familie or "
                                                                  "ekstern id, a staff id or a service.")),
    skjermet: bool = typer.Option(False, "--skjermet", help=_("Leave this entry out of the foresatte's copy.")),
    gjelder: Optional[List[str]] = typer.Option(None, "--gjelder", help=_("The id of what the entry concerns (tiltak, meeting, consent, "
                                                                          "task...); repeat for each. Renders link it.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import logbook, names

    chosen = kind or ("kontakt" if med else "notat")
    new = change(case_id, folder, (by, on_behalf), lambda c, ctx: logbook.add_entry(
        c, ctx, kind=chosen, tekst=tekst, med=med or [], skjermet=skjermet, gjelder=gjelder or []))[1]
    # TRANSLATORS: {kind} is the kind of entry: contact, note, lysglimt...
    done(new.id, _("{kind} logged").format(kind=names.word(names.LOG_KIND_WORDS, new.logg[-1].type)))


# --- tiltak and evaluation -------------------------------------------------------------------------

tiltak_app = typer.Typer(help=_("Add, adjust or end a tiltak (a measure)."), no_args_is_help=True)
app.add_typer(tiltak_app, name="tiltak")

MalOption = typer.Option(None, "--mal", help=_("Id of a goal (m-...) the tiltak serves; repeat for more."))
NyttMalOption = typer.Option(None, "--nytt-mal", help=_("A new goal, in the hovedperson's words; repeat for more."))
OmradeOption = typer.Option(None, "--utviklingsomrade", help=_("Id of the utviklingsområde (u-...) it serves."))
NyttOmradeOption = typer.Option(None, "--nytt-utviklingsomrade", help=_("A new utviklingsområde it serves."))
TiltakArg = typer.Argument(..., help=_("The tiltak id (t-...)."))


@tiltak_app.command("add", help=_("Add a tiltak: what, which goal or utviklingsområde, who is responsible, start and evaluation date."))
def tiltak_add(
    case_id: str = CaseArg,
    beskrivelse: str = typer.Option(..., "--beskrivelse", help=_("What will be done.")),
    ansvarlig: str = typer.Option(..., "--ansvarlig", help=_("Staff id of who is responsible.")),
    evalueres: str = typer.Option(..., "--evalueres", help=_("Evaluation date, YYYY-MM-DD.")),
    start: Optional[str] = typer.Option(None, "--start", help=_("Start date, YYYY-MM-DD (default: today).")),
    mal: Optional[List[str]] = MalOption,
    nytt_mal: Optional[List[str]] = NyttMalOption,
    utviklingsomrade: Optional[str] = OmradeOption,
    nytt_utviklingsomrade: Optional[str] = NyttOmradeOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.tiltak import add_tiltak

    begins, evaluation = date_or_today(start, "--start"), parse_date(evalueres, "--evalueres")
    new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: add_tiltak(
        c, ctx, beskrivelse=beskrivelse, ansvarlig=ansvarlig, evalueres=evaluation, start=begins, mal=mal or [],
        nye_mal=nytt_mal or [], utviklingsomrade=utviklingsomrade, nytt_utviklingsomrade=nytt_utviklingsomrade))[1:]
    t = new.tiltak[-1]
    done(new.id, _("tiltak {tiltak} added, {person} responsible, evaluation {date}").format(
        tiltak=t.id, person=names.staff(ctx, ansvarlig), date=_day(t.evalueres)))


@tiltak_app.command("adjust", help=_("Adjust a tiltak: description, responsible, evaluation date, goals or utviklingsområde."))
def tiltak_adjust(
    case_id: str = CaseArg,
    tiltak_id: str = TiltakArg,
    beskrivelse: Optional[str] = typer.Option(None, "--beskrivelse", help=_("A new description.")),
    ansvarlig: Optional[str] = typer.Option(None, "--ansvarlig", help=_("A new responsible staff id.")),
    evalueres: Optional[str] = typer.Option(None, "--evalueres", help=_("A new evaluation date, YYYY-MM-DD.")),
    mal: Optional[List[str]] = MalOption,
    nytt_mal: Optional[List[str]] = NyttMalOption,
    utviklingsomrade: Optional[str] = OmradeOption,
    nytt_utviklingsomrade: Optional[str] = NyttOmradeOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.tiltak import adjust_tiltak

    evaluation = optional_date(evalueres, "--evalueres")
    new = change(case_id, folder, (by, on_behalf), lambda c, ctx: adjust_tiltak(
        c, ctx, tiltak_id, beskrivelse=beskrivelse, ansvarlig=ansvarlig, evalueres=evaluation, mal=mal or [],
        nye_mal=nytt_mal or [], utviklingsomrade=utviklingsomrade, nytt_utviklingsomrade=nytt_utviklingsomrade))[1]
    done(new.id, _("tiltak {tiltak} adjusted").format(tiltak=tiltak_id))


@tiltak_app.command("end", help=_("End a tiltak (without an evaluation; to end it by evaluating it, use "
                                   "`stafett evaluate ... --utfall avslutte`)."))
def tiltak_end(
    case_id: str = CaseArg,
    tiltak_id: str = TiltakArg,
    grunn: Optional[str] = typer.Option(None, "--grunn", "--reason", help=_("Why it ends.")),
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow.tiltak import end_tiltak

    day = date_or_today(dato)
    new = change(case_id, folder, (by, on_behalf), lambda c, ctx: end_tiltak(c, ctx, tiltak_id, dato=day, grunn=grunn))[1]
    done(new.id, _("tiltak {tiltak} ended").format(tiltak=tiltak_id))


@app.command(help=_("Evaluate a tiltak: outcome, assessment, the child's and family's view (asked for on a terminal), next date."))
def evaluate(
    case_id: str = CaseArg,
    tiltak_id: str = TiltakArg,
    utfall: str = typer.Option(..., "--utfall", help=_("'avslutte tiltaket', 'effekt men ikke i mål', 'andre tiltak' or 'behov for andre tjenester' "
                                                        "(short: avslutte, effekt, andre-tiltak, andre-tjenester).")),
    vurdering: str = typer.Option(..., "--vurdering", help=_("The assessment: what changed, and why.")),
    barnets_syn: Optional[str] = typer.Option(None, "--barnets-syn", help=_("The child's own view of the change.")),
    barnets_syn_mangler: Optional[str] = typer.Option(None, "--barnets-syn-mangler", "--uten-barnets-syn",
                                                      help=_("Why the child's view is not included (needed without --barnets-syn).")),
    familiens_syn: Optional[str] = typer.Option(None, "--familiens-syn", help=_("The family's view.")),
    neste: Optional[str] = typer.Option(None, "--neste", help=_("Next evaluation date, YYYY-MM-DD (unless the tiltak ends).")),
    mote: Optional[str] = typer.Option(None, "--mote", help=_("The meeting (mo-...) the evaluation was made in; its date is the default.")),
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.cli.followup_cmd import ask_views
    from stafett.workflow import names
    from stafett.workflow.tiltak import evaluate_tiltak, outcome

    day, following = optional_date(dato, "--dato"), optional_date(neste, "--neste")
    child, missing, family = ask_views(barnets_syn, barnets_syn_mangler, familiens_syn)
    new = change(case_id, folder, (by, on_behalf), lambda c, ctx: evaluate_tiltak(
        c, ctx, tiltak_id, utfall=utfall, vurdering=vurdering, dato=day, neste_evaluering=following,
        barnets_syn=child, barnets_syn_mangler=missing, familiens_syn=family, mote=mote))[1]
    result = outcome(utfall)
    said = names.word(names.OUTCOME_WORDS, result)
    if result == "avslutte tiltaket":
        # TRANSLATORS: {outcome} is the evaluation's outcome in words, e.g. 'some effect, but the goal is not reached'.
        done(new.id, _("tiltak {tiltak} evaluated: {outcome}; the tiltak is ended").format(tiltak=tiltak_id, outcome=said))
    else:
        done(new.id, _("tiltak {tiltak} evaluated: {outcome}; next evaluation {date}").format(
            tiltak=tiltak_id, outcome=said, date=_day(following)))
    if result == "behov for andre tjenester":
        typer.echo(_("hint: involve the service with `stafett consent add` and `stafett assign --deltaker`, "
                     "or change the level with `stafett escalate`"))


# --- handover --------------------------------------------------------------------------------------

handover_app = typer.Typer(help=_("Move the baton: the holder offers it, only the receiver accepts or declines."),
                           no_args_is_help=True)
app.add_typer(handover_app, name="handover")


@handover_app.command("offer", help=_("Offer the baton; you keep it until the receiver accepts."))
def handover_offer(
    case_id: str = CaseArg,
    til: str = typer.Option(..., "--til", help=_("Staff id of who is offered the baton.")),
    grunn: str = typer.Option(..., "--grunn", "--reason", help=_("Why the baton should move.")),
    onske: str = typer.Option(..., "--onske", help=_("The child's/young person's/family's wishes.")),
    tiltak: str = typer.Option(..., "--tiltak", help=_("The nature and scope of the tiltak.")),
    koordineringsbehov: str = typer.Option(..., "--koordineringsbehov", help=_("Expected coordination need and the participants' position type.")),
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.baton import offer_handover

    day = date_or_today(dato)
    new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: offer_handover(
        c, ctx, til=til, grunn=grunn, onske=onske, tiltak=tiltak, koordineringsbehov=koordineringsbehov, dato=day))[1:]
    done(new.id, _("baton offered to {receiver}; {holder} holds it until {receiver} accepts").format(
        receiver=names.staff(ctx, til), holder=names.staff(ctx, new.baton_holder())))


@handover_app.command("accept", help=_("Accept the baton offered to you."))
def handover_accept(
    case_id: str = CaseArg,
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.baton import accept_handover

    day = date_or_today(dato)
    old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: accept_handover(c, ctx, dato=day))
    done(new.id, _("{holder} holds the baton (from {previous})").format(
        holder=names.staff(ctx, new.baton_holder()), previous=names.staff(ctx, old.baton_holder())))


@handover_app.command("decline", help=_("Decline the baton offered to you; the holder keeps it."))
def handover_decline(
    case_id: str = CaseArg,
    grunn: Optional[str] = typer.Option(None, "--grunn", "--reason", help=_("Why you decline.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.baton import decline_handover

    new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: decline_handover(c, ctx, grunn=grunn))[1:]
    done(new.id, _("handover declined; {holder} still holds the baton").format(holder=names.staff(ctx, new.baton_holder())))


@handover_app.command("cancel", help=_("Withdraw your offer of the baton."))
def handover_cancel(
    case_id: str = CaseArg,
    grunn: Optional[str] = typer.Option(None, "--grunn", "--reason", help=_("Why the offer is withdrawn.")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import names
    from stafett.workflow.baton import cancel_handover

    new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: cancel_handover(c, ctx, grunn=grunn))[1:]
    done(new.id, _("handover withdrawn; {holder} still holds the baton").format(holder=names.staff(ctx, new.baton_holder())))


# --- escalate --------------------------------------------------------------------------------------

@app.command(help=_("Change the nivå, request a (barne)koordinator from koordinerende enhet, or record the IP offer and answer."))
def escalate(
    case_id: str = CaseArg,
    niva: Optional[int] = typer.Option(None, "--niva", help=_("Move the case to this BTI nivå (1-3).")),
    grunn: Optional[str] = typer.Option(None, "--grunn", "--reason", help=_("With --niva: why.")),
    stafettholder_videre: Optional[str] = typer.Option(None, "--stafettholder-videre",
                                                       help=_("With --niva: what was agreed with the family about who holds the baton next.")),
    koordinator: Optional[str] = typer.Option(None, "--koordinator", help=_("Request a 'koordinator' or 'barnekoordinator' from koordinerende enhet.")),
    kriterium: Optional[List[str]] = typer.Option(None, "--kriterium", help=_("With --koordinator: a criterion assessed as met; repeat. Koordinator: "
                                                  "langvarige-koordinerte-tjenester. Barnekoordinator: alvorlig-sykdom-skade-funksjonsnedsettelse "
                                                  "and langvarige-sammensatte-tjenester (the age is read from the case).")),
    begrunnelse: Optional[str] = typer.Option(None, "--begrunnelse", help=_("With --koordinator: the reasons for the request.")),
    ip: Optional[str] = typer.Option(None, "--ip", help=_("Record the individuell plan: tilbudt, onsket, avslatt or aktiv "
                                                          "(alone, or with --koordinator to offer it with the request).")),
    merknad: Optional[str] = typer.Option(None, "--merknad", help=_("With --ip: a note, e.g. the family's answer.")),
    familiens_onske: Optional[str] = typer.Option(None, "--familiens-onske", help=_("With --koordinator: the family's wish about who.")),
    dato: Optional[str] = DateOption,
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.workflow import escalation, names

    what = one_of(niva=niva is not None, koordinator=koordinator, ip=ip and not koordinator)
    day = date_or_today(dato)
    if what == "niva":
        if not grunn:
            raise UsageError(_("a change of nivå needs a reason"), _("add --grunn TEXT"))
        old, new, _place, ctx = change(case_id, folder, (by, on_behalf), lambda c, ctx: escalation.change_level(
            c, ctx, niva=niva, grunn=grunn, stafettholder_videre=stafettholder_videre))
        done(new.id, _("nivå {old} → {new}").format(old=old.niva, new=new.niva))
        if not stafettholder_videre and new.stafettholder is not None:
            typer.echo(_("note: agree with the family who holds the baton now; {holder} keeps it unless they offer it "
                         "on (stafett handover offer {case} --til ID ...)").format(
                           holder=names.staff(ctx, new.baton_holder()), case=new.id))
    elif what == "koordinator":
        new = change(case_id, folder, (by, on_behalf), lambda c, ctx: escalation.request_koordinator(
            c, ctx, kind=koordinator, kriterier=kriterium or [], begrunnelse=begrunnelse or "", dato=day, ip=ip,
            ip_merknad=merknad, familiens_onske=familiens_onske))[1]
        if ip:
            # TRANSLATORS: {kind} is koordinator or barnekoordinator; {status} is tilbudt, onsket, avslatt or aktiv.
            done(new.id, _("{kind} requested from koordinerende enhet; individuell plan: {status}").format(
                kind=koordinator, status=names.word(names.IP_WORDS, new.individuell_plan.status)))
        else:
            done(new.id, _("{kind} requested from koordinerende enhet; offer the family an individuell plan "
                           "(stafett escalate {case} --ip tilbudt)").format(kind=koordinator, case=new.id))
    else:
        new = change(case_id, folder, (by, on_behalf), lambda c, ctx: escalation.record_ip(c, ctx, status=ip, dato=day, merknad=merknad))[1]
        done(new.id, _("individuell plan: {status}").format(status=names.word(names.IP_WORDS, new.individuell_plan.status)))


# --- close -----------------------------------------------------------------------------------------


@app.command(help=_("Close the case with a reason; 'koordinator overtar' instead moves the follow-up to the koordinator."
                    "\n\nLists what it ends (tiltak, participations, partners, planned meetings, open tasks, the stafettholder's "
                    "period) and asks first; off a terminal it needs --yes. Refused while a handover is pending."))
def close(
    case_id: str = CaseArg,
    grunn: str = typer.Option(..., "--grunn", "--reason", help=_("'trygt og godt', 'koordinator overtar', 'samtykke trukket', 'flyttet' or 'annet' "
                                                                "(short: trygt, koordinator, samtykke).")),
    merknad: Optional[str] = typer.Option(None, "--merknad", help=_("A note; required with 'annet'.")),
    dato: Optional[str] = DateOption,
    yes: bool = typer.Option(False, "--yes", "-y", help=_("Confirm what the close ends without being asked (for scripts).")),
    folder: Optional[Path] = FolderOption,
    by: Optional[str] = ByOption,
    on_behalf: bool = OnBehalfOption,
) -> None:
    from stafett.cli.confirm import confirmed
    from stafett.store.cases import read_case
    from stafett.workflow import names
    from stafett.workflow.closing import TAKEOVER, close_case, closing_plan, closing_reason, reason_word
    from stafett.workflow.common import require_current_version

    day, reason = date_or_today(dato), closing_reason(grunn)
    place, ctx = session(folder, (by, on_behalf))
    current = read_case(place.case_path(case_id)).model
    require_current_version(current)
    plan = closing_plan(current, ctx, grunn=reason, dato=day, merknad=merknad)
    # TRANSLATORS: what the confirmation names, as in "{action} would end: ..."; {reason} is the grunn as written in the file.
    confirmed(_("closing {case} ({reason})").format(case=case_id, reason=reason_word(reason)),
              plan.lines(lambda person: names.staff(ctx, person)), yes=yes)
    new, _place, ctx = change(case_id, folder, (by, on_behalf),
                              lambda c, ctx: close_case(c, ctx, grunn=reason, dato=day, merknad=merknad, expect=plan))[1:]
    if reason == TAKEOVER:
        done(new.id, _("{holder} (koordinator) holds the baton; the follow-up goes on").format(
            holder=names.staff(ctx, new.baton_holder())))
    else:
        done(new.id, _("closed ({reason})").format(reason=names.word(names.REASON_WORDS, reason)))
