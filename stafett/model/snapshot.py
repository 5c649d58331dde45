"""The case as it stood on a day: what a referat may show of the tiltak, evaluations, consents and people.

A referat records one meeting. Rendered months later it must still show what the meeting saw, not
what happened after: a January referat that listed October's tiltak, or an evaluation made in March,
would put words in the meeting's mouth. The record keeps enough history to go back: each tiltak has a
start, an end and dated evaluations; a consent has its date and the date it was withdrawn; a
participant joins and leaves on dates; a task is ticked off on a date.

What has no dated history is left as it is now: goals, utviklingsområder, the holder and koordinator,
and a tiltak's description and responsible person (adjust leaves no dated trace). Meetings are kept,
each as of the day (a task done later is open again), so a referat can still find its own meeting.

Pure: a case and a day in, a new case out. Renders and rules share it, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt

from stafett.model.case import Case, Deltaker, Ekstern, Mote, Samtykke, Tiltak
from stafett.model.protection import naive


def as_of(case: Case, day: dt.date) -> Case:
    """The case as it was at the end of `day`."""
    return case.model_copy(update={
        "tiltak": [tiltak_as_of(t, day) for t in case.tiltak if t.start <= day],
        "samtykker": [consent_as_of(s, day) for s in case.samtykker if s.dato <= day],
        "deltakere": [_participant(d, day) for d in case.deltakere if d.fra <= day],
        "eksterne": [_partner(e, day) for e in case.eksterne if e.fra <= day],
        "kartlegginger": [k for k in case.kartlegginger if k.dato <= day],
        "moter": [meeting_as_of(m, day) for m in case.moter],
        "logg": [e for e in case.logg if naive(e.tid).date() <= day],
    })


def tiltak_as_of(t: Tiltak, day: dt.date) -> Tiltak:
    """Evaluations made by `day`; ended only if it ended by then; the evaluation date that was set then."""
    evaluations = [e for e in t.evalueringer if e.dato <= day]
    ended = t.status == "avsluttet" and (t.slutt is None or t.slutt <= day)
    changed_since = len(evaluations) < len(t.evalueringer) or (t.status == "avsluttet" and not ended)
    evalueres = t.evalueres
    if changed_since:
        # The date in the file was set later. The last evaluation by then named the next one; before any
        # evaluation the date first set is not kept anywhere, so none is shown rather than a later one.
        evalueres = evaluations[-1].neste_evaluering if evaluations else None
    return t.model_copy(update={
        "evalueringer": evaluations,
        "status": "avsluttet" if ended else "aktiv",
        "slutt": t.slutt if ended else None,
        "evalueres": evalueres,
    })


def consent_as_of(s: Samtykke, day: dt.date) -> Samtykke:
    """Withdrawn only if it was withdrawn by `day`; only the signatures given by then."""
    return s.model_copy(update={
        "trukket": s.trukket if s.trukket is not None and s.trukket.dato <= day else None,
        "medsignaturer": [m for m in s.medsignaturer if m.dato <= day],
    })


def meeting_as_of(m: Mote, day: dt.date) -> Mote:
    """A referat's tasks as they stood: one ticked off after `day` is open again."""
    if m.referat is None or not any(o.utfort is not None and o.utfort.dato > day for o in m.referat.oppgaver):
        return m
    tasks = [o.model_copy(update={"utfort": None}) if o.utfort is not None and o.utfort.dato > day else o
             for o in m.referat.oppgaver]
    return m.model_copy(update={"referat": m.referat.model_copy(update={"oppgaver": tasks})})


def _participant(d: Deltaker, day: dt.date) -> Deltaker:
    return d if d.til is None or d.til <= day else d.model_copy(update={"til": None})


def _partner(e: Ekstern, day: dt.date) -> Ekstern:
    return e if e.til is None or e.til <= day else e.model_copy(update={"til": None})
