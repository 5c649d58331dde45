"""The domain rules `validate` enforces: one small function per concern, each returning findings.

Every rule comes from the kommuners' routines (shared/seeds) and is documented in docs/rules.md under its
code. Where kommuner differ, the rule reads a setting from stafett.yaml (`innstillinger`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Optional

from stafett.findings import Finding, Msg, safe_token
from stafett.i18n import N_
from stafett.model import Case, People, Settings
from stafett.model.case import ID_LISTS, STAFETTLOGG_SCOPE

HOVEDPERSON = "hovedperson"


@dataclass(frozen=True)
class Context:
    settings: Settings
    people: Optional[People]  # None when a case is checked outside any folder (stdin in an editor)
    today: dt.date


Rule = Callable[[Case, Context], Iterable[Finding]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def run_rules(case: Case, settings: Settings, people: Optional[People], today: dt.date) -> list[Finding]:
    ctx = Context(settings, people, today)
    return [f for r in RULES for f in r(case, ctx)]


def check_case(case: Case, folder, today: dt.date) -> list[Finding]:
    """The rules for a case inside a loaded Folder (what every command checks before it writes)."""
    return run_rules(case, folder.settings, folder.people, today)


def one_of(known) -> Msg:
    """The hint that lists the ids to choose from."""
    return Msg(N_("use one of: {choices}"), choices=", ".join(sorted(known)))


def _age_on(born: dt.date, day: dt.date) -> int:
    from stafett.dateprobe import age_on  # a watched today: the age changes on birthdays only

    return age_on(born, day)


# --- the baton ------------------------------------------------------------------------------------

@rule
def baton_holder_clear(case: Case, ctx: Context) -> Iterator[Finding]:
    """B001-B003: eier until a stafettholder is assigned, exactly one holder after; offers come from the holder."""
    if case.status == "aktiv" and case.niva >= 1 and case.stafettholder is None and case.koordinator is None:
        yield Finding("B001", Msg(N_("case is on nivå {niva} but nobody holds the baton"), niva=case.niva), loc=("niva",),
                      hint=Msg(N_("the leader appoints a stafettholder: stafett assign CASE --stafettholder ID")))
    offer = case.overlevering
    if offer is not None:
        holder = case.baton_holder()
        if offer.fra != holder:
            yield Finding("B002", Msg(N_("handover is offered by '{giver}', who does not hold the baton ('{holder}' does)"),
                                         giver=offer.fra, holder=holder),
                          loc=("overlevering", "fra"), hint=Msg(N_("only the holder can offer the baton")))
        if offer.til == holder:
            yield Finding("B003", Msg(N_("handover is offered to the person who already holds the baton")),
                          loc=("overlevering", "til"), hint=Msg(N_("offer it to someone else or remove the offer")))


@rule
def niva0_deadline(case: Case, ctx: Context) -> Iterator[Finding]:
    """N001: a worry on nivå 0 is clarified within the kommune's deadline (default 14 days)."""
    limit = ctx.settings.innstillinger.niva0_frist_dager
    age = (ctx.today - case.bekymring.dato).days
    if case.status == "aktiv" and case.niva == 0 and age > limit:
        yield Finding("N001", Msg(N_("worry from {date} is still on nivå 0 after {days} days (deadline {limit})"),
                                         date=case.bekymring.dato, days=age, limit=limit),
                      severity="warning", loc=("niva",), hint=Msg(N_("close it or move it to nivå 1-3 with stafett escalate")))


# --- consent --------------------------------------------------------------------------------------

def consent_covers(case: Case, scope: str, day: dt.date) -> bool:
    return any(scope in s.omfang and s.active_on(day) for s in case.samtykker)


def _covered_when_joining(case: Case, scope: str, day: dt.date) -> bool:
    # A consent withdrawn later that same day still covered the joining (withdrawal ends participation).
    return any(scope in s.omfang and s.dato <= day and (s.utloper is None or s.utloper >= day)
               and (s.trukket is None or s.trukket.dato >= day) for s in case.samtykker)


@rule
def participants_have_consent(case: Case, ctx: Context) -> Iterator[Finding]:
    """C001-C002: no participant from a service outside an active consent; withdrawal ends participation."""
    for n, d in enumerate(case.deltakere):
        if not _covered_when_joining(case, d.tjeneste, d.fra):
            yield Finding("C001", Msg(N_("participant '{person}' from '{service}' has no consent covering that service on {date}"),
                                         person=d.person, service=d.tjeneste, date=d.fra),
                          loc=("deltakere", n, "tjeneste"), hint=Msg(N_("record consent for the service first: stafett consent add")))
        elif d.til is None and case.status == "aktiv" and not consent_covers(case, d.tjeneste, ctx.today):
            yield Finding("C002", Msg(N_("participant '{person}' still takes part, but the consent for '{service}' has ended"),
                                         person=d.person, service=d.tjeneste),
                          loc=("deltakere", n), hint=Msg(N_("end the participation (til:) or record a new consent")))


@rule
def consent_given_by_someone_who_may(case: Case, ctx: Context) -> Iterator[Finding]:
    """C003-C004: a foresatt with parental responsibility, or the young person from the age of consent."""
    guardians = {f.id: f for f in case.foresatte}
    age_limit = ctx.settings.innstillinger.samtykkealder
    born = case.hovedperson.fodselsdato
    for n, s in enumerate(case.samtykker):
        if s.gitt_av == HOVEDPERSON:
            # A pregnant woman consents for herself whatever her age.
            if case.hovedperson.kategori != "gravid" and (born is None or _age_on(born, s.dato) < age_limit):
                yield Finding("C003", Msg(N_("consent given by the hovedperson, who was under {age} on {date}"),
                                             age=age_limit, date=s.dato),
                              loc=("samtykker", n, "gitt_av"), hint=Msg(N_("a foresatt with foreldreansvar must consent")))
        elif s.gitt_av not in guardians:
            yield Finding("C003", Msg(N_("consent given by '{who}', who is not a foresatt in this case"), who=s.gitt_av),
                          loc=("samtykker", n, "gitt_av"), hint=Msg(N_("use a foresatt id from foresatte, or 'hovedperson'")))
        elif not guardians[s.gitt_av].foreldreansvar:
            yield Finding("C004", Msg(N_("consent given by '{who}', who has no foreldreansvar"), who=s.gitt_av),
                          loc=("samtykker", n, "gitt_av"), hint=Msg(N_("consent must come from someone with parental responsibility")))


@rule
def consent_scope_known(case: Case, ctx: Context) -> Iterator[Finding]:
    """C005: consent is given to services the kommune has (or to the stafettlogg itself)."""
    if not ctx.settings.tjenester:
        return  # settings could not be read; that file has its own findings
    known = {t.id for t in ctx.settings.tjenester} | {STAFETTLOGG_SCOPE}
    for n, s in enumerate(case.samtykker):
        for m, scope in enumerate(s.omfang):
            if scope not in known:
                yield Finding("C005", Msg(N_("consent scope '{scope}' is not a service in stafett.yaml"), scope=scope),
                              loc=("samtykker", n, "omfang", m), hint=one_of(known))


@rule
def stafettlogg_consent(case: Case, ctx: Context) -> Iterator[Finding]:
    """C006: from nivå 2 the stafettlogg is kept with the family's consent."""
    if case.status == "aktiv" and case.niva >= 2 and not consent_covers(case, STAFETTLOGG_SCOPE, ctx.today):
        yield Finding("C006", Msg(N_("no active consent to keep a stafettlogg")), severity="warning", loc=("samtykker",),
                      hint=Msg(N_("record it: stafett consent add CASE --omfang stafettlogg ...")))


# --- tiltak ---------------------------------------------------------------------------------------

@rule
def tiltak_evaluated(case: Case, ctx: Context) -> Iterator[Finding]:
    """T001-T002: every active tiltak has an evaluation date; an overdue one is a warning."""
    for n, t in enumerate(case.tiltak):
        if t.status != "aktiv" or case.status != "aktiv":
            continue
        if t.evalueres is None:
            yield Finding("T001", Msg(N_("active tiltak '{tiltak}' has no evaluation date"), tiltak=t.id), loc=("tiltak", n),
                          hint=Msg(N_("set one: stafett tiltak adjust CASE ID --evalueres YYYY-MM-DD")))
        elif t.evalueres < ctx.today:
            yield Finding("T002", Msg(N_("evaluation of tiltak '{tiltak}' was due {date}"), tiltak=t.id, date=t.evalueres),
                          severity="warning", loc=("tiltak", n, "evalueres"),
                          hint=Msg(N_("evaluate it: stafett evaluate CASE ID ...")))


# --- koordinator ----------------------------------------------------------------------------------

@rule
def barnekoordinator_age(case: Case, ctx: Context) -> Iterator[Finding]:
    """K001-K002: barnekoordinator only for a child under 18 or not yet born; warn as 18 nears."""
    k = case.koordinator
    if k is None or k.type != "barnekoordinator" or case.status != "aktiv":
        return
    born = case.hovedperson.fodselsdato
    if born is None or (case.hovedperson.kategori == "gravid" and case.hovedperson.termin is not None):
        return  # an expected child (termin): the right holds; a gravid's fodselsdato is the mother's
    if _age_on(born, ctx.today) >= 18:
        yield Finding("K001", Msg(N_("barnekoordinator for someone who is 18 or older")), loc=("koordinator", "type"),
                      hint=Msg(N_("the right ends at 18; appoint an ordinary koordinator")))
    else:
        eighteen = born.replace(year=born.year + 18) if (born.month, born.day) != (2, 29) else dt.date(born.year + 18, 3, 1)
        days = (eighteen - ctx.today).days
        if days <= ctx.settings.innstillinger.varsel_18_ar_dager:
            yield Finding("K002", Msg(N_("the hovedperson turns 18 in {days} days; the barnekoordinator right ends then"), days=days),
                          severity="warning", loc=("koordinator", "type"),
                          hint=Msg(N_("plan the move to an ordinary koordinator")))


@rule
def koordinator_has_sekundaer(case: Case, ctx: Context) -> Iterator[Finding]:
    """K003: a koordinator has a sekundær-koordinator where the kommune requires one."""
    k = case.koordinator
    if k is not None and k.sekundaer is None and ctx.settings.innstillinger.krev_sekundaer_koordinator:
        yield Finding("K003", Msg(N_("koordinator has no sekundær-koordinator")), loc=("koordinator",),
                      hint=Msg(N_("appoint one (usually the koordinator's nearest leader) with stafett assign --sekundaer")))
    if k is not None and k.sekundaer == k.person:
        yield Finding("K004", Msg(N_("the sekundær-koordinator is the koordinator")), loc=("koordinator", "sekundaer"),
                      hint=Msg(N_("choose another person, usually the nearest leader")))


# --- closing --------------------------------------------------------------------------------------

@rule
def closed_case_complete(case: Case, ctx: Context) -> Iterator[Finding]:
    """A001-A003: a closed case has a reason and no pending handover."""
    if case.status == "avsluttet" and case.avsluttet is None:
        yield Finding("A001", Msg(N_("case is closed without a reason")), loc=("status",),
                      hint=Msg(N_("add avsluttet: {dato, grunn} or close it with stafett close")))
    if case.status == "avsluttet" and case.overlevering is not None:
        yield Finding("A002", Msg(N_("case is closed with a handover still pending")), loc=("overlevering",),
                      hint=Msg(N_("accept or decline the handover first")))
    if case.status == "aktiv" and case.avsluttet is not None:
        yield Finding("A003", Msg(N_("case has avsluttet but status is aktiv")), loc=("status",),
                      hint=Msg(N_("set status: avsluttet, or remove avsluttet")))


# --- references -----------------------------------------------------------------------------------

def _person_refs(case: Case) -> Iterator[tuple[tuple, str]]:
    yield ("eier",), case.eier
    yield ("bekymring", "meldt_av"), case.bekymring.meldt_av
    if case.konsultasjon:
        yield ("konsultasjon", "av"), case.konsultasjon.av
    for n, h in enumerate(case.voldsmistanke):
        yield ("voldsmistanke", n, "av"), h.av
        if h.besluttet_av:
            yield ("voldsmistanke", n, "besluttet_av"), h.besluttet_av
    for n, k in enumerate(case.konsultasjoner):
        yield ("konsultasjoner", n, "registrert_av"), k.registrert_av
    if case.stafettholder:
        yield ("stafettholder", "person"), case.stafettholder.person
        yield ("stafettholder", "oppnevnt_av"), case.stafettholder.oppnevnt_av
    for n, t in enumerate(case.tidligere_stafettholdere):
        yield ("tidligere_stafettholdere", n, "person"), t.person
    if case.overlevering:
        yield ("overlevering", "til"), case.overlevering.til
        yield ("overlevering", "fra"), case.overlevering.fra
    if case.koordinator_foresporsel:
        yield ("koordinator_foresporsel", "av"), case.koordinator_foresporsel.av
    if case.koordinator:
        yield ("koordinator", "person"), case.koordinator.person
        yield ("koordinator", "oppnevnt_av"), case.koordinator.oppnevnt_av
        if case.koordinator.sekundaer:
            yield ("koordinator", "sekundaer"), case.koordinator.sekundaer
    for n, s in enumerate(case.samtykker):
        yield ("samtykker", n, "registrert_av"), s.registrert_av
        if s.trukket:
            yield ("samtykker", n, "trukket", "registrert_av"), s.trukket.registrert_av
    for n, d in enumerate(case.deltakere):
        yield ("deltakere", n, "person"), d.person
    for n, k in enumerate(case.kartlegginger):
        yield ("kartlegginger", n, "av"), k.av
    for n, t in enumerate(case.tiltak):
        yield ("tiltak", n, "ansvarlig"), t.ansvarlig
        for m, e in enumerate(t.evalueringer):
            yield ("tiltak", n, "evalueringer", m, "av"), e.av
    for n, mote in enumerate(case.moter):
        yield ("moter", n, "leder"), mote.leder
        yield ("moter", n, "referent"), mote.referent
        if mote.referat:
            yield ("moter", n, "referat", "skrevet_av"), mote.referat.skrevet_av
            for m, o in enumerate(mote.referat.oppgaver):
                yield ("moter", n, "referat", "oppgaver", m, "ansvarlig"), o.ansvarlig
    for n, entry in enumerate(case.logg):
        yield ("logg", n, "av"), entry.av
        if entry.registrert_av:
            yield ("logg", n, "registrert_av"), entry.registrert_av


@rule
def people_exist(case: Case, ctx: Context) -> Iterator[Finding]:
    """R001: every staff id in the case is in personer.yaml."""
    if ctx.people is None:
        return
    known = {p.id for p in ctx.people.personer}
    for loc, person in _person_refs(case):
        if person not in known:
            yield Finding("R001", Msg(N_("unknown person '{person}'"), person=person), loc=loc,
                          hint=Msg(N_("use an id from personer.yaml")))


@rule
def meeting_people_exist(case: Case, ctx: Context) -> Iterator[Finding]:
    """R002: invited, present, absent and copied are staff, foresatte, familie, eksterne or the hovedperson."""
    if ctx.people is None:
        return
    known = {p.id for p in ctx.people.personer} | {f.id for f in (*case.foresatte, *case.familie, *case.eksterne)} | {HOVEDPERSON}
    for n, mote in enumerate(case.moter):
        lists = [("innkalt", mote.innkalt)]
        if mote.referat:
            lists += [(("referat", k), getattr(mote.referat, k)) for k in ("tilstede", "fravaerende", "kopi_til")]
        for key, ids in lists:
            for m, who in enumerate(ids):
                if who not in known:
                    path = ("moter", n, *key, m) if isinstance(key, tuple) else ("moter", n, key, m)
                    message = (Msg(N_("unknown participant '{who}' in meeting '{meeting}'"), who=who, meeting=mote.id)
                               if safe_token(who) else
                               Msg(N_("unknown participant (not an id) in meeting '{meeting}'"), meeting=mote.id))
                    yield Finding("R002", message, loc=path,
                                  hint=Msg(N_("use a staff id, a foresatt, familie or ekstern id, or 'hovedperson'")))


@rule
def ids_unique(case: Case, ctx: Context) -> Iterator[Finding]:
    """R003: ids are unique within the case, so lists merge and references are unambiguous."""
    seen: dict[str, tuple] = {}
    for key in ID_LISTS:
        for n, item in enumerate(getattr(case, key)):
            if item.id in seen:
                yield Finding("R003", Msg(N_("id '{id}' is used twice"), id=item.id), loc=(key, n, "id"),
                              hint=Msg(N_("give each item its own id")))
            seen[item.id] = (key, n)


@rule
def item_refs_resolve(case: Case, ctx: Context) -> Iterator[Finding]:
    """R004: tiltak point at goals and areas that exist; a referat's consent exists."""
    goals = {m.id for m in case.mal}
    areas = {u.id for u in case.utviklingsomrader}
    consents = {s.id for s in case.samtykker}
    for n, t in enumerate(case.tiltak):
        for m, goal in enumerate(t.mal):
            if goal not in goals:
                yield Finding("R004", Msg(N_("tiltak '{tiltak}' points at unknown goal '{goal}'"), tiltak=t.id, goal=goal),
                              loc=("tiltak", n, "mal", m), hint=Msg(N_("use an id from mal")))
        if t.utviklingsomrade and t.utviklingsomrade not in areas:
            yield Finding("R004", Msg(N_("tiltak '{tiltak}' points at unknown utviklingsområde '{area}'"),
                                         tiltak=t.id, area=t.utviklingsomrade),
                          loc=("tiltak", n, "utviklingsomrade"), hint=Msg(N_("use an id from utviklingsomrader")))
    for n, mote in enumerate(case.moter):
        if mote.referat is None:
            continue
        if mote.referat.samtykke and mote.referat.samtykke not in consents:
            yield Finding("R004", Msg(N_("referat of '{meeting}' rests on unknown consent '{consent}'"),
                                         meeting=mote.id, consent=mote.referat.samtykke),
                          loc=("moter", n, "referat", "samtykke"), hint=Msg(N_("use an id from samtykker")))
        for m, ref in enumerate(mote.referat.samtykker):
            if ref not in consents:
                yield Finding("R004", Msg(N_("referat of '{meeting}' rests on unknown consent '{consent}'"),
                                             meeting=mote.id, consent=ref),
                              loc=("moter", n, "referat", "samtykker", m), hint=Msg(N_("use an id from samtykker")))


@rule
def record_version_current(case: Case, ctx: Context) -> Iterator[Finding]:
    """Z001: the case is written in the current record version; commands refuse to change an older one."""
    from stafett.model.case import RECORD_VERSION

    if case.versjon < RECORD_VERSION:
        yield Finding("Z001", Msg(N_("case is record version {version}; commands only change version {current}"),
                                         version=case.versjon, current=RECORD_VERSION),
                      severity="warning", loc=("id",),
                      hint=Msg(N_("upgrade the folder with `stafett migrate --write` and commit the result as one commit")))


@rule
def services_known(case: Case, ctx: Context) -> Iterator[Finding]:
    """R005: services named in the case exist in stafett.yaml."""
    known = {t.id for t in ctx.settings.tjenester}
    if not known:
        return
    if case.bekymring.tjeneste and case.bekymring.tjeneste not in known:
        yield Finding("R005", Msg(N_("unknown service '{service}'"), service=case.bekymring.tjeneste),
                      loc=("bekymring", "tjeneste"), hint=one_of(known))
    for n, d in enumerate(case.deltakere):
        if d.tjeneste not in known:
            yield Finding("R005", Msg(N_("unknown service '{service}'"), service=d.tjeneste), loc=("deltakere", n, "tjeneste"),
                          hint=one_of(known))


# --- the log --------------------------------------------------------------------------------------

@rule
def log_chronological(case: Case, ctx: Context) -> Iterator[Finding]:
    """L001-L002: the log is in time order and the case has one (every command adds an entry)."""
    if not case.logg:
        yield Finding("L002", Msg(N_("the case has no log entries")), severity="warning", loc=(),
                      hint=Msg(N_("every change is logged; stafett open writes the first entry")))
    for n in range(1, len(case.logg)):
        a, b = case.logg[n - 1].tid, case.logg[n].tid
        if (b < a) if (a.tzinfo is None and b.tzinfo is None) else (_naive(b) < _naive(a)):
            yield Finding("L001", Msg(N_("log entry {number} ({time}) is earlier than the one before it"),
                                         number=n + 1, time=case.logg[n].tid),
                          loc=("logg", n, "tid"),
                          hint=Msg(N_("the log is append-only: add a correction as a new entry at the end")))


def _naive(t: dt.datetime) -> dt.datetime:
    return t.replace(tzinfo=None) if t.tzinfo is None else t.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _whole_day_blocked(windows, day: dt.date) -> bool:
    """A date-only record is flagged only when the whole day lay inside a block: no false alarms."""
    first, last = dt.datetime.combine(day, dt.time.min), dt.datetime.combine(day, dt.time.max)
    return any(w.holds(first) and w.holds(last) for w in windows)


@rule
def no_family_contact_while_blocked(case: Case, ctx: Context) -> Iterator[Finding]:
    """V001-V004: with suspected violence or abuse, the family is not contacted until a consultation clears it."""
    from stafett.model.protection import family_ids, windows

    spans = windows(case)
    family = family_ids(case)
    hint = Msg(N_("with suspected violence or abuse, record the advice first: "
                  "stafett suspicion consult ... --familiekontakt klarert"))
    if spans:
        for n, entry in enumerate(case.logg):
            if entry.type in ("kontakt", "samtale") and family & set(entry.med) and any(w.holds(entry.tid) for w in spans):
                yield Finding("V001", Msg(N_("the family was contacted while suspected violence or abuse blocked it")),
                              loc=("logg", n), hint=hint)
        for n, mote in enumerate(case.moter):
            present = set(mote.referat.tilstede) if mote.referat else set()
            if family & present and any(w.holds(mote.tidspunkt) for w in spans):
                yield Finding("V002", Msg(N_("the family took part in meeting '{meeting}' while suspected violence or abuse blocked it"),
                                             meeting=mote.id),
                              loc=("moter", n, "referat", "tilstede"), hint=hint)
        for n, s in enumerate(case.samtykker):
            if s.gitt_av in family and _whole_day_blocked(spans, s.dato):
                yield Finding("V003", Msg(N_("consent '{consent}' was asked of the family while suspected violence or abuse blocked it"),
                                             consent=s.id),
                              loc=("samtykker", n, "dato"), hint=hint)
    if case.konsultasjon is not None:
        yield Finding("V004", Msg(N_("a consultation in the old form (konsultasjon): its advice on family contact is not recorded, "
                                 "so it does not clear contact")), severity="warning", loc=("konsultasjon",),
                      hint=Msg(N_("record it again with the advice: "
                                  "stafett suspicion consult CASE --med ... --familiekontakt klarert|vent")))


@rule
def past_meetings_have_referat(case: Case, ctx: Context) -> Iterator[Finding]:
    """M001: a meeting that has taken place gets a referat."""
    for n, mote in enumerate(case.moter):
        if mote.referat is None and mote.avlyst is None and mote.tidspunkt.date() < ctx.today and case.status == "aktiv":
            yield Finding("M001", Msg(N_("meeting '{meeting}' on {date} has no referat"), meeting=mote.id,
                                         date=mote.tidspunkt.date()), severity="warning",
                          loc=("moter", n), hint=Msg(N_("record it: stafett meeting referat CASE {meeting}"), meeting=mote.id))


@rule
def fodselsnummer_valid(case: Case, ctx: Context) -> Iterator[Finding]:
    """H001-H002: a fødselsnummer passes the check digits and matches the birth date."""
    fnr = case.hovedperson.fodselsnummer
    if fnr is None:
        return
    from stdnum.no import fodselsnummer

    if not fodselsnummer.is_valid(fnr):
        yield Finding("H001", Msg(N_("fodselsnummer fails its check digits")), loc=("hovedperson", "fodselsnummer"),
                      hint=Msg(N_("check the number against the family's papers")))
        return
    born = case.hovedperson.fodselsdato
    if born is not None:
        try:
            if fodselsnummer.get_birth_date(fnr) != born:
                yield Finding("H002", Msg(N_("fodselsnummer does not match fodselsdato")), loc=("hovedperson", "fodselsnummer"),
                              hint=Msg(N_("one of them is mistyped")))
        except Exception:  # noqa: BLE001 - stdnum raises its own family for odd numbers
            pass


def folder_file_version(obj, name: str) -> list[Finding]:
    """Z002: stafett.yaml and personer.yaml are upgraded with the cases (same command, same commit)."""
    from stafett.model.case import RECORD_VERSION

    if obj.versjon < RECORD_VERSION:
        return [Finding("Z002", Msg(N_("{file} is version {version}; the current version is {current}"),
                                       file=name, version=obj.versjon, current=RECORD_VERSION),
                        severity="warning", loc=(), hint=Msg(N_("upgrade the folder with `stafett migrate --write`")))]
    return []


# The version 2 rules live in their own modules by concern; importing them registers them here.
from stafett import rules_consent, rules_followup, rules_meetings, rules_people  # noqa: E402,F401
