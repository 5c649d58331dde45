"""What needs doing now: the duties of the routines that have a date, per case, for whom.

The stafettholder "følger med på tidsfrister og at tiltak evalueres"; a worry on nivå 0 is clarified
within the kommune's deadline; the baton is never left between two people; participants need consent;
consents expire (Conexus); every meeting gets a referat; the barnekoordinator right ends at 18. Pure
functions over (case, settings, today); the CLI reads the files and prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from stafett.i18n import N_, _, date_text
from stafett.model import Case, Settings
from stafett.model.case import STAFETTLOGG_SCOPE
from stafett.model.protection import blocked_at
from stafett.workflow.common import covering_consent, family_ids, staff_name
from stafett.workflow.names import listed, service_name

NEAR_NIVA0_DAYS = 3  # days before the nivå-0 deadline that status starts to remind


@dataclass(frozen=True)
class Todo:
    case: str
    kind: str  # a stable key scripts can filter on
    text: str  # one line, in the language of the run (status_scan keys its cache by language)
    due: Optional[dt.date] = None
    who: tuple[str, ...] = ()  # staff ids this is for
    overdue: bool = False

    def as_dict(self) -> dict:
        # By hand: dataclasses.asdict deep-copies every field, and cost status a third of its time.
        return {"case": self.case, "kind": self.kind, "text": self.text,
                "due": self.due.isoformat() if self.due else None, "who": list(self.who), "overdue": self.overdue}


def todos(case: Case, settings: Settings, today: dt.date, people=None) -> list[Todo]:
    """What needs doing in the case; `people` (personer.yaml) lets the texts name staff instead of ids."""
    if case.status != "aktiv":
        return []
    found: list[Todo] = []
    for check in (_version, _violence, _niva0, _handover, _evaluations, _consents, _participants, _meetings, _koordinator, _eighteen,
                  *_more_checks()):
        found.extend(check(case, settings, today, people))
    return found


KIND_WORDS = {"koordinator": N_("a koordinator"), "barnekoordinator": N_("a barnekoordinator")}


def _version(case: Case, settings: Settings, today: dt.date, people=None) -> list[Todo]:
    from stafett.model.case import RECORD_VERSION

    if case.versjon >= RECORD_VERSION:
        return []
    return [Todo(case.id, "migrate", _("record version {version}: upgrade the folder with `stafett migrate --write`").format(version=case.versjon),
                 who=_holders(case))]


def _more_checks() -> list:
    """Version 2's items, one module per concern (they import Todo from here, so they load after it)."""
    from stafett.workflow import copies, status_consent, status_followup, status_meetings, status_people

    return [*status_consent.CHECKS, *status_meetings.CHECKS, *status_followup.CHECKS, *status_people.CHECKS,
            *copies.CHECKS]


def for_person(items: list[Todo], person_id: str) -> list[Todo]:
    return [t for t in items if person_id in t.who]


def sort_key(item: Todo) -> tuple:
    return (not item.overdue, item.due or dt.date.max, item.case, item.kind)


def _holders(case: Case) -> tuple[str, ...]:
    people = [case.baton_holder()]
    if case.koordinator:
        people.append(case.koordinator.person)
    return tuple(dict.fromkeys(people))


def _violence(case: Case, settings: Settings, today: dt.date, people=None):
    window = blocked_at(case)
    if window is None:
        return
    yield Todo(case.id, "konsultasjon", _("suspected violence or abuse: no contact with the family until a consultation "
                 "with barnevern or politi clears it"), window.start.date(), _holders(case), overdue=True)
    for m in case.moter:
        if m.referat is None and m.avlyst is None and m.tidspunkt.date() >= today and family_ids(case) & set(m.innkalt):
            yield Todo(case.id, "konsultasjon", _("meeting {meeting} on {date} invites the family while "
                         "contact is blocked: move it or take the family off the invitation").format(
                           meeting=m.id, date=date_text(m.tidspunkt.date())), m.tidspunkt.date(),
                       _holders(case), overdue=True)


def _niva0(case: Case, settings: Settings, today: dt.date, people=None):
    if case.niva != 0:
        return
    deadline = case.bekymring.dato + dt.timedelta(days=settings.innstillinger.niva0_frist_dager)
    if today > deadline:
        yield Todo(case.id, "niva0-frist", _("worry still on nivå 0, deadline was {deadline}: close it or move it to nivå 1-3").format(
                       deadline=date_text(deadline)),
                   deadline, _holders(case), overdue=True)
    elif (deadline - today).days <= NEAR_NIVA0_DAYS:
        yield Todo(case.id, "niva0-frist", _("worry on nivå 0 must be clarified by {deadline}").format(deadline=date_text(deadline)), deadline, _holders(case))


def _handover(case: Case, settings: Settings, today: dt.date, people=None):
    offer = case.overlevering
    if offer is not None:
        yield Todo(case.id, "overlevering", _("baton offered by {giver} to {taker} on {date}: {taker} accepts or declines").format(
                       giver=staff_name(people, offer.fra), taker=staff_name(people, offer.til), date=date_text(offer.tilbudt)),
                   offer.tilbudt, (offer.til, offer.fra))


def _evaluations(case: Case, settings: Settings, today: dt.date, people=None):
    warn = settings.innstillinger.varsel_evaluering_dager
    for t in case.tiltak:
        if t.status != "aktiv":
            continue
        who = tuple(dict.fromkeys((t.ansvarlig, *_holders(case))))
        if t.evalueres is None:
            yield Todo(case.id, "evaluering", _("tiltak {tiltak} has no evaluation date").format(tiltak=t.id), None, who, overdue=True)
        elif t.evalueres < today:
            yield Todo(case.id, "evaluering", _("evaluation of tiltak {tiltak} was due {date}").format(tiltak=t.id, date=date_text(t.evalueres)), t.evalueres, who, overdue=True)
        elif (t.evalueres - today).days <= warn:
            yield Todo(case.id, "evaluering", _("evaluate tiltak {tiltak} by {date}").format(tiltak=t.id, date=date_text(t.evalueres)), t.evalueres, who)


def _consents(case: Case, settings: Settings, today: dt.date, people=None):
    warn = settings.innstillinger.varsel_samtykke_dager
    for s in case.samtykker:
        if s.active_on(today) and s.utloper is not None and (s.utloper - today).days <= warn:
            yield Todo(case.id, "samtykke-utloper", _("consent {consent} ({scope}) expires {date}").format(
                           consent=s.id, scope=", ".join(service_name(settings, x) for x in s.omfang), date=date_text(s.utloper)),
                       s.utloper, _holders(case))
    if case.niva >= 2 and covering_consent(case, STAFETTLOGG_SCOPE, today) is None:
        yield Todo(case.id, "samtykke-mangler", _("no active consent to keep the stafettlogg"), None, _holders(case), overdue=True)


def _participants(case: Case, settings: Settings, today: dt.date, people=None):
    for d in case.deltakere:
        if d.til is None and covering_consent(case, d.tjeneste, today) is None:
            yield Todo(case.id, "samtykke-mangler", _("participant {person} ({service}) has no active consent for {service}").format(
                           person=staff_name(people, d.person), service=service_name(settings, d.tjeneste)),
                       None, _holders(case), overdue=True)


def _meetings(case: Case, settings: Settings, today: dt.date, people=None):
    for m in case.moter:
        if m.referat is None and m.avlyst is None and m.tidspunkt.date() < today:
            who = tuple(dict.fromkeys((m.referent, m.leder)))
            yield Todo(case.id, "referat", _("meeting {meeting} on {date} has no referat").format(meeting=m.id, date=date_text(m.tidspunkt.date())),
                       m.tidspunkt.date(), who, overdue=True)


def _koordinator(case: Case, settings: Settings, today: dt.date, people=None):
    request = case.koordinator_foresporsel
    # A refused request, or one a koordinator since ended or replaced was appointed on, waits for nobody.
    answered = request is not None and (request.avslag is not None or any(
        t.type == request.type and t.fra >= request.dato for t in case.tidligere_koordinatorer))
    if request is not None and not answered and (case.koordinator is None or case.koordinator.type != request.type):
        yield Todo(case.id, "koordinator", _("{kind} requested on {date}, not appointed yet").format(kind=_(KIND_WORDS[request.type]), date=date_text(request.dato)),
                   request.dato, _holders(case))


def _eighteen(case: Case, settings: Settings, today: dt.date, people=None):
    k = case.koordinator
    born = case.hovedperson.fodselsdato
    if k is None or k.type != "barnekoordinator" or born is None or case.hovedperson.kategori == "gravid":
        return
    try:
        eighteen = born.replace(year=born.year + 18)
    except ValueError:  # born 29 February
        eighteen = dt.date(born.year + 18, 3, 1)
    days = (eighteen - today).days
    if days <= settings.innstillinger.varsel_18_ar_dager:
        who = tuple(p for p in (k.person, k.sekundaer) if p)
        text = (_("turned 18 on {date}: the barnekoordinator right has ended") if days <= 0
                else _("turns 18 on {date}: plan the move from barnekoordinator to koordinator")).format(
                    date=date_text(eighteen))
        yield Todo(case.id, "fyller-18", text, eighteen, who, overdue=days <= 0)
