"""Who may see what: the family copy is built here, from what is family-visible only.

Every part of the record has an audience. Staff see all of it. The family copy (render --for foresatte)
never carries:
- the suspicion of violence or abuse and its history, the consultations with barnevern or politi, and
  the log entries of those kinds, including the ones stafett writes itself (protection.PROTECTED_LOG_KINDS);
- anything written while the suspicion blocked family contact: log entries and meetings inside a block
  window, since what was written then may name the suspicion in its own words;
- the worry's description when the worry was reported as the suspicion;
- skjermet log entries and kartlegginger;
- log entries that concern (`gjelder`) an item the copy leaves out: what is written about a consultation or
  a hidden meeting may tell what the copy hides;
- the phone and e-mail of family and network who are not foresatte (one parent need not learn where the
  other's new partner or a grandparent can be reached), and external partners who joined on a day the
  suspicion blocked family contact.

The filter runs on the model before any template (shipped or local override) sees the data, so a
template cannot show what it was never given. Anonymised output and CI logs have their own filters
(anonymize.py; findings without values).
"""

from __future__ import annotations

from stafett.model.case import Case
from stafett.model.protection import PROTECTED_LOG_KINDS, windows, worry_is_the_suspicion


def family_copy(case: Case) -> Case:
    """The case as the family may read it. Raises nothing: whether a copy may be sent at all is the
    caller's question (protection.blocked_at)."""
    spans = windows(case)

    def inside(t) -> bool:
        return any(w.holds(t, from_start=True) for w in spans)

    logg = [e for e in case.logg if not (e.skjermet or e.type in PROTECTED_LOG_KINDS or inside(e.tid))]
    moter = [m for m in case.moter if not inside(m.tidspunkt)]
    eksterne = [e for e in case.eksterne if not _day_touched(spans, e.fra)]
    familie = [f.model_copy(update={"telefon": None, "epost": None}) for f in case.familie]
    bekymring = case.bekymring.model_copy(update={
        "mistanke_om_vold": False,
        # A placeholder keeps the record's shape; the template shows the section without the suspicion's grounds.
        "beskrivelse": None if worry_is_the_suspicion(case) else case.bekymring.beskrivelse,
    })
    copy = case.model_copy(update={
        "bekymring": bekymring, "konsultasjon": None, "voldsmistanke": [], "konsultasjoner": [],
        "logg": logg, "moter": moter, "kartlegginger": [k for k in case.kartlegginger if not k.skjermet],
        "eksterne": eksterne, "familie": familie,
    })
    kept = _item_ids(copy)
    return copy.model_copy(update={"logg": [e for e in logg if all(ref in kept for ref in e.gjelder)]})


def _day_touched(spans, day) -> bool:
    """A date-only record on a day any part of which lay inside a block: when in doubt, leave it out."""
    return any(w.start.date() <= day and (w.end is None or w.end.date() >= day) for w in spans)


def _item_ids(case: Case) -> set[str]:
    from stafett.model.case import ID_LISTS

    return {item.id for key in ID_LISTS for item in getattr(case, key)} | {
        o.id for m in case.moter if m.referat for o in m.referat.oppgaver if o.id}


def hidden_meeting(case: Case, meeting_id: str) -> bool:
    """A meeting the family copy leaves out (it was held while family contact was blocked)."""
    spans = windows(case)
    return any(m.id == meeting_id and any(w.holds(m.tidspunkt, from_start=True) for w in spans) for m in case.moter)
