"""What every workflow shares: who acts and when, the log entry, and the checks the routines repeat.

The checks raise the user's errors (`DomainError`, `NotFound`, `UsageError`) with a message that says
what is wrong and a hint that says how to fix it; the CLI prints them as one line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Optional, TypeVar

from pydantic import BaseModel, ValidationError

from stafett.errors import DomainError, NotFound, UsageError
from stafett.i18n import N_, _, date_text, time_text
from stafett.model import Case, People, Person, Settings
from stafett.model.case import ID_LISTS, STAFETTLOGG_SCOPE, Logg, LoggType, Samtykke
from stafett.model.protection import blocked_at, family_ids
from stafett.model.common import new_item_id

HOVEDPERSON = "hovedperson"
FORESATTE = "foresatte"  # shorthand for every foresatt in the case
# The same words as a nynorsk coordinator types them: stored as the one code.
_PEOPLE_WORDS = {"føresette": FORESATTE, "foreldra": FORESATTE, "hovudperson": HOVEDPERSON, "hovudpersonen": HOVEDPERSON,
                 "hovedpersonen": HOVEDPERSON}


def people_word(raw: str) -> str:
    """'foresatte' or 'hovedperson' from the bokmål or nynorsk word; anything else (an id) as typed."""
    return _PEOPLE_WORDS.get(raw.strip().lower(), raw) if isinstance(raw, str) else raw

M = TypeVar("M", bound=BaseModel)
CLOCK_SKEW = dt.timedelta(minutes=10)  # how far ahead the log's last entry may be before `log` refuses


@dataclass(frozen=True)
class Context:
    """The folder and the moment a command runs in."""

    settings: Settings
    people: People
    actor: str
    now: dt.datetime
    registrar: Optional[str] = None  # who typed it, when that is not the actor (registered on the actor's behalf)
    malform: Optional[str] = None  # the case's målform, once the command has read the case

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def tr(self, message: str) -> str:
        """A log text from the catalog, in the case's målform whatever language the user reads: the log is
        the case's record. Mark the English msgid at the call: ctx.tr(N_("...")).format(...)."""
        from stafett.i18n import in_lang

        return in_lang(self.malform or self.settings.malform, message)

    def person(self, person_id: str, what: str = N_("person")) -> Person:
        found = self.people.get(person_id)
        if found is None:
            raise NotFound(_("unknown {what} '{id}'").format(what=_(what), id=person_id),
                           _("use a staff id from personer.yaml"))
        return found

    def name(self, person_id: Optional[str]) -> str:
        return staff_name(self.people, person_id)

    def who(self, person_id: str) -> str:
        """'Kari Lund (pedagogisk leder, Barnehagene)': how the log names a staff member, the service by name."""
        p = self.people.get(person_id)
        if p is None:
            return person_id
        found = self.settings.service(p.tjeneste)
        return f"{p.navn} ({p.stilling}, {found.navn if found else p.tjeneste})"

    def service(self, service_id: str) -> str:
        if self.settings.service(service_id) is None:
            known = ", ".join(t.id for t in self.settings.tjenester)
            raise NotFound(_("unknown service '{service}'").format(service=service_id),
                           _("use one of: {known}").format(known=known))
        return service_id


# --- building records ------------------------------------------------------------------------------

def new(cls: type[M], **fields: Any) -> M:
    """A record with only the fields that carry a value, so the file never grows keys nobody set.

    Invalid input (a text too long, an id of the wrong form) is the user's to fix: a one-line UsageError.
    """
    given = {k: v for k, v in fields.items() if v is not None and not (isinstance(v, (list, tuple)) and not v)}
    try:
        return cls(**given)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"]) or cls.__name__.lower()
        raise UsageError(f"{where}: {err['msg'].replace('Value error, ', '')}", _("check the value you gave")) from None


def fresh_id(case: Case, prefix: str) -> str:
    """A random item id (no counters: two clones never mint the same) that is unused in this case."""
    used = {item.id for key in ID_LISTS
            for item in getattr(case, key)}
    while True:
        candidate = new_item_id(prefix)
        if candidate not in used:
            return candidate


def replaced(items: list, index: int, item: Any) -> list:
    return [item if n == index else old for n, old in enumerate(items)]


def log(case: Case, ctx: Context, kind: LoggType, tekst: str, *, med: Iterable[str] = (), skjermet: bool = False,
        gjelder: Iterable[str] = ()) -> Case:
    """Append the one log entry a command writes. The log is append-only and in time order. `gjelder`: the ids
    of the items the entry is about (a tiltak, a meeting, a consent), so renders can link them."""
    tid = ctx.now.replace(microsecond=0)
    last = _naive(case.logg[-1].tid) if case.logg else None
    if last is not None and last > _naive(tid):
        if last - _naive(tid) > CLOCK_SKEW:
            raise DomainError(_("the log's last entry ({last}) is later than now ({now})").format(
                                  last=moment(last), now=moment(tid)),
                              _("check the computer's clock (or STAFETT_TODAY); the log must stay in time order"))
        tid = last  # a clock a little behind a colleague's (entries merged from another clone): keep the order
    registrar = ctx.registrar if ctx.registrar not in (None, ctx.actor) else None
    entry = new(Logg, tid=tid, av=ctx.actor, type=kind, tekst=tekst, med=list(med) or None, skjermet=skjermet or None,
                registrert_av=registrar, gjelder=list(dict.fromkeys(gjelder)) or None)
    return case.model_copy(update={"logg": [*case.logg, entry]})


def _naive(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is None else t.astimezone().replace(tzinfo=None)


# --- dates -----------------------------------------------------------------------------------------

def day(d: dt.date, ctx: Context) -> str:
    """Norwegian date for log text, with the year so an archived log reads alone (Språkrådet: d.m.åååå)."""
    return f"{d.day}.{d.month}.{d.year}"


def clock(t: dt.datetime, ctx: Context) -> str:
    return f"{day(t.date(), ctx)} kl. {t:%H.%M}"


def moment(t: dt.datetime) -> str:
    """A date and clock time in a message: 2026-11-23 14:00 in English, 23.11.2026 kl. 14.00 in Norwegian."""
    return f"{date_text(t.date())} {time_text(t)}"


def not_future(d: dt.date, ctx: Context, what: str) -> None:
    """`what`: the date's name, marked with N_() or _() by the caller (translated here)."""
    if d > ctx.today:
        raise DomainError(_("{what} {date} is after today ({today})").format(
                              what=_(what), date=date_text(d), today=date_text(ctx.today)),
                          _("record things once they have happened"))


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --- the case's state ------------------------------------------------------------------------------

def require_current_version(case: Case) -> None:
    """Commands write only the current record version; an older file is read, never half-upgraded."""
    from stafett.model.case import RECORD_VERSION

    if case.versjon != RECORD_VERSION:
        raise DomainError(_("case {case} is record version {version}; commands write version {current}").format(
                              case=case.id, version=case.versjon, current=RECORD_VERSION),
                          _("upgrade the folder first: stafett migrate --write"))


def require_open(case: Case) -> None:
    if case.status != "aktiv":
        raise DomainError(_("case {case} is closed").format(case=case.id),
                          _("open a new case for a new worry: stafett open"))


def active_koordinator(case: Case, on: Optional[dt.date] = None) -> Optional[str]:
    """The koordinator; on a day inside a registered absence, the sekundær who covers it
    ("Dersom koordinator er fraværende, overtar sekundær-koordinator ansvaret", Lyngdal)."""
    k = case.koordinator
    if k is None:
        return None
    cover = next((f.dekket_av for f in k.fravaer if on is not None and f.fra <= on <= f.til), None)
    return cover or k.person


def leads(ctx: Context, leader: str, person_id: Optional[str]) -> bool:
    p = ctx.people.get(person_id) if person_id else None
    return p is not None and p.leder == leader


def involved(case: Case, ctx: Context, person_id: str) -> bool:
    """Part of the case: eier, holder, (sekundær-)koordinator, a participant, a tiltak's responsible,
    a meeting's leader or referent, or the nearest leader of the eier or the holder."""
    people = {case.eier, case.baton_holder()}
    if case.koordinator:
        people |= {case.koordinator.person, case.koordinator.sekundaer}
    people |= {d.person for d in case.deltakere if d.til is None}
    people |= {t.ansvarlig for t in case.tiltak if t.status == "aktiv"}
    people |= {m.leder for m in case.moter} | {m.referent for m in case.moter}
    if person_id in people:
        return True
    return leads(ctx, person_id, case.eier) or leads(ctx, person_id, case.baton_holder())


def require_involved(case: Case, ctx: Context, action: str) -> None:
    if not involved(case, ctx, ctx.actor):
        raise DomainError(_("{actor} is not part of case {case} and cannot {action}").format(
                              actor=ctx.actor, case=case.id, action=_(action)),
                          _("the eier, the stafettholder, the koordinator, participants and their leaders can; "
                            "ask the stafettholder to add you with stafett assign --deltaker"))


def require_holder(case: Case, ctx: Context, action: str) -> None:
    """The baton holder or the koordinator, or (before a stafettholder exists) the eier; or their leader."""
    allowed = {case.baton_holder(), active_koordinator(case), active_koordinator(case, ctx.today)}
    if ctx.actor in allowed or leads(ctx, ctx.actor, case.baton_holder()):
        return
    holder = case.baton_holder()
    raise DomainError(_("only the one holding the baton ({holder}) or the koordinator can {action}").format(
                          holder=holder, action=_(action)),
                      _("ask {name} to do it, or pass --by {holder} if you act for them").format(
                          name=ctx.name(holder), holder=holder))


def home_services(case: Case, ctx: Context) -> set[str]:
    """Services a case lives in without any consent to share: where the worry arose and where the baton is."""
    out = set()
    for person_id in (case.eier, case.baton_holder()):
        p = ctx.people.get(person_id)
        if p is not None:
            out.add(p.tjeneste)
    if case.bekymring.tjeneste:
        out.add(case.bekymring.tjeneste)
    return out


# --- consent ---------------------------------------------------------------------------------------

def covering_consent(case: Case, scope: str, on: dt.date, skip: Optional[str] = None) -> Optional[Samtykke]:
    return next((s for s in case.samtykker if s.id != skip and scope in s.omfang and s.active_on(on)), None)


def require_consent(case: Case, scope: str, on: dt.date, what: str) -> Samtykke:
    found = covering_consent(case, scope, on)
    if found is None:
        raise DomainError(_("no active consent covers '{scope}' on {date}, which {what} needs").format(
                              scope=scope, date=date_text(on), what=_(what)),
                          _("record the family's consent first: stafett consent add {case} --omfang {scope} ...").format(
                              case=case.id, scope=scope))
    return found


def require_staff_consent(case: Case, ctx: Context, person_id: str, on: dt.date, what: str) -> None:
    """Staff from a service outside the case's own need consent covering that service (taushetsplikt)."""
    p = ctx.person(person_id)
    if p.tjeneste not in home_services(case, ctx):
        require_consent(case, p.tjeneste, on, what)


# --- the family and the violence flag --------------------------------------------------------------

def family_contact_blocked(case: Case) -> bool:
    return blocked_at(case) is not None


def require_family_contact_allowed(case: Case, what: str) -> None:
    if family_contact_blocked(case):
        raise DomainError(_("suspected violence or abuse is flagged: {what} waits until a consultation with barnevern "
                            "or politi has cleared contact with the family").format(what=_(what)),
                          _("record the advice: stafett suspicion consult {case} --med barnevern --familiekontakt "
                            "klarert ...").format(case=case.id))


def expand_people(case: Case, ctx: Context, ids: Iterable[str], what: str) -> list[str]:
    """Meeting lists: staff ids, foresatt ids, 'hovedperson', and 'foresatte' for every foresatt; also family
    members who are not foresatte and external partners, by their ids in the case ('foresatte' never covers them)."""
    out: list[str] = []
    guardians = [f.id for f in case.foresatte]
    around = {x.id for x in (*case.familie, *case.eksterne)}
    for raw in map(people_word, ids):
        for one in (guardians if raw == FORESATTE else [raw]):
            if one not in (HOVEDPERSON, *guardians) and one not in around and ctx.people.get(one) is None:
                raise NotFound(_("unknown person '{id}' in {what}").format(id=one, what=_(what)),
                               _("use a staff id from personer.yaml, a foresatt, familie or ekstern id from the case, "
                                 "'hovedperson' or 'foresatte'"))
            if one not in out:
                out.append(one)
    return out


def staff_name(people: Optional[People], person_id: Optional[str]) -> str:
    """A staff member by name (the id only when personer.yaml is not at hand or does not know them)."""
    found = people.get(person_id) if people is not None and person_id else None
    return found.navn if found else str(person_id)


def find_item(items: list, item_id: str, what: str, case: Case) -> tuple[int, Any]:
    for n, item in enumerate(items):
        if item.id == item_id:
            return n, item
    known = ", ".join(i.id for i in items) or _("none yet")
    raise NotFound(_("no {what} '{id}' in case {case}").format(what=_(what), id=item_id, case=case.id),
                   _("known: {known}").format(known=known))


def short(text: str, limit: int = 80) -> str:
    """The first line of a free text, cut to fit a log line."""
    lines = text.strip().splitlines()
    first = lines[0].strip() if lines else ""
    if len(first) > limit:
        return first[: limit - 1].rstrip() + "…"
    return first + (" …" if len(lines) > 1 else "")


def clause(text: str) -> str:
    """A text inside a sentence in a log line: stripped, without its own full stop."""
    return text.strip().rstrip(".").rstrip()


def period(text: str) -> str:
    """A text as a sentence in a log line: stripped, ending in a full stop unless it has its own."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…", ":")) else text + "."


def check_rules(case: Case, ctx: Context) -> None:
    """The rules `validate` enforces, on the case a command is about to write: the first error refuses it."""
    from stafett.rules import run_rules

    for finding in run_rules(case, ctx.settings, ctx.people, ctx.today):
        if finding.severity == "error":
            raise DomainError(f"{finding.code} {finding.message}", finding.hint)


def scopes_text(scopes: Iterable[str], ctx: Context) -> str:
    """What a consent covers, as words: each service by its name; stafettlogg and the instanser as they read."""
    upper = {"bup": "BUP", "nav": "NAV"}
    return ", ".join((found.navn if (found := ctx.settings.service(s)) else upper.get(s, s)) for s in scopes)


__all__ = [
    "Context", "HOVEDPERSON", "FORESATTE", "STAFETTLOGG_SCOPE", "people_word", "new", "fresh_id", "replaced", "log", "day", "clock",
    "not_future", "moment", "age_on", "require_open", "involved", "require_involved", "require_holder", "home_services",
    "covering_consent", "require_consent", "require_staff_consent", "family_ids", "family_contact_blocked",
    "require_family_contact_allowed", "expand_people", "staff_name", "find_item", "short", "leads", "active_koordinator",
    "check_rules", "period", "clause",
]
