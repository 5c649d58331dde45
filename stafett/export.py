"""Rows for reporting: one per case, tiltak, meeting and log entry, for sqlite-utils, datasette or a
spreadsheet, instead of a query language of our own. Reads the model only."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from stafett.model import Case

TABLES = {
    "saker": ["id", "status", "niva", "kategori", "fodselsar", "opprettet", "bekymring_dato", "tjeneste", "eier",
              "stafettholder", "koordinator_type", "koordinator", "individuell_plan", "avsluttet_dato",
              "avsluttet_grunn", "antall_tiltak", "antall_moter", "antall_logg"],
    "tiltak": ["sak_id", "id", "beskrivelse", "ansvarlig", "start", "evalueres", "status", "slutt",
               "antall_evalueringer", "siste_utfall"],
    "moter": ["sak_id", "id", "type", "nummer", "tidspunkt", "sted", "leder", "referent", "har_referat",
              "antall_beslutninger", "antall_oppgaver"],
    "logg": ["sak_id", "nr", "tid", "av", "type", "tekst"],
}


def _iso(value: Any) -> Any:
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat() if isinstance(value, dt.date) else value


def rows(case: Case) -> Iterator[tuple[str, dict]]:
    born = case.hovedperson.fodselsdato or case.hovedperson.termin
    yield "saker", {
        "id": case.id, "status": case.status, "niva": case.niva, "kategori": case.hovedperson.kategori,
        "fodselsar": born.year if born else None, "opprettet": case.opprettet, "bekymring_dato": case.bekymring.dato,
        "tjeneste": case.bekymring.tjeneste, "eier": case.eier,
        "stafettholder": case.stafettholder.person if case.stafettholder else None,
        "koordinator_type": case.koordinator.type if case.koordinator else None,
        "koordinator": case.koordinator.person if case.koordinator else None,
        "individuell_plan": case.individuell_plan.status if case.individuell_plan else None,
        "avsluttet_dato": case.avsluttet.dato if case.avsluttet else None,
        "avsluttet_grunn": case.avsluttet.grunn if case.avsluttet else None,
        "antall_tiltak": len(case.tiltak), "antall_moter": len(case.moter), "antall_logg": len(case.logg),
    }
    for t in case.tiltak:
        yield "tiltak", {"sak_id": case.id, "id": t.id, "beskrivelse": t.beskrivelse, "ansvarlig": t.ansvarlig,
                         "start": t.start, "evalueres": t.evalueres, "status": t.status, "slutt": t.slutt,
                         "antall_evalueringer": len(t.evalueringer),
                         "siste_utfall": t.evalueringer[-1].utfall if t.evalueringer else None}
    for m in case.moter:
        r = m.referat
        yield "moter", {"sak_id": case.id, "id": m.id, "type": m.type, "nummer": m.nummer, "tidspunkt": m.tidspunkt,
                        "sted": m.sted, "leder": m.leder, "referent": m.referent, "har_referat": r is not None,
                        "antall_beslutninger": len(r.beslutninger) if r else 0,
                        "antall_oppgaver": len(r.oppgaver) if r else 0}
    for n, entry in enumerate(case.logg, 1):
        yield "logg", {"sak_id": case.id, "nr": n, "tid": entry.tid, "av": entry.av, "type": entry.type, "tekst": entry.tekst}


def plain_row(row: dict) -> dict:
    return {k: _iso(v) for k, v in row.items()}
