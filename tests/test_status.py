"""`stafett status`: what needs doing now across the folder, for everyone or for one person."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from commands_kit import ACTIVE, case_file, ok, stafett, write_case, write_kommune

TODAY = "2026-12-10"

# Evaluation of t-friminutt due 2026-12-15 (near); mo-forste 2026-11-20 has no referat; mo-neste is ahead.
NEAR = ACTIVE

NIVA_0 = """\
versjon: 2
id: S-20261101-niva00
opprettet: 2026-11-01
niva: 0
hovedperson: {navn: Per Prøve, kategori: barn, fodselsdato: 2018-02-02}
bekymring: {dato: 2026-11-01, meldt_av: erik.vatne, beskrivelse: Per gråter ofte.}
eier: erik.vatne
logg:
  - {tid: 2026-11-01 08:00:00, av: erik.vatne, type: opprettet, tekst: Bekymring registrert.}
"""

HANDOVER = """\
versjon: 2
id: S-20261001-overle
opprettet: 2026-10-01
niva: 1
hovedperson: {navn: Ada Prøve, kategori: barn, fodselsdato: 2017-06-06}
bekymring: {dato: 2026-10-01, meldt_av: mona.birkeland, beskrivelse: Ada er mye borte.}
eier: mona.birkeland
stafettholder: {person: mona.birkeland, fra: 2026-10-02, oppnevnt_av: hanne.rossland}
overlevering:
  til: erik.vatne
  fra: mona.birkeland
  tilbudt: 2026-12-08
  grunn: Ny klasse.
  vurdering: {onske: Ja., tiltak: Små., koordineringsbehov: Lite.}
logg:
  - {tid: 2026-10-01 08:00:00, av: mona.birkeland, type: opprettet, tekst: Bekymring registrert.}
"""

# A barnekoordinator case for a child who turns 18 on 2027-03-01; consent expiring; a PPT participant
# whose consent has ended; violence flag without consultation.
MANY = """\
versjon: 2
id: S-20260101-mange1
opprettet: 2026-01-01
niva: 3
hovedperson: {navn: Kim Prøve, kategori: ungdom, fodselsdato: 2009-03-01}
bekymring: {dato: 2026-01-01, meldt_av: siri.dahl, beskrivelse: Sammensatte behov., mistanke_om_vold: true}
eier: siri.dahl
stafettholder: {person: siri.dahl, fra: 2026-01-05, oppnevnt_av: tor.moen}
koordinator_foresporsel: {type: barnekoordinator, dato: 2026-02-01, av: siri.dahl, begrunnelse: Diagnose., kriterier: [barn-under-18]}
koordinator: {type: barnekoordinator, person: anne.ek, sekundaer: liv.berg, oppnevnt_av: tove.ke, fra: 2026-03-01}
samtykker:
  - {id: s-logg, gitt_av: hovedperson, dato: 2026-01-05, omfang: [stafettlogg, ppt, helsestasjon], form: skriftlig,
     registrert_av: siri.dahl, utloper: 2026-12-31}
  - {id: s-skole, gitt_av: hovedperson, dato: 2026-01-05, omfang: [skole], form: muntlig, registrert_av: siri.dahl,
     trukket: {dato: 2026-06-01, registrert_av: siri.dahl}}
deltakere:
  - {person: mona.birkeland, tjeneste: skole, fra: 2026-01-05}
logg:
  - {tid: 2026-01-01 08:00:00, av: siri.dahl, type: opprettet, tekst: Bekymring registrert.}
"""

CLOSED = NIVA_0.replace("id: S-20261101-niva00", "id: S-20261101-lukket").replace("niva: 0\n", "niva: 0\nstatus: avsluttet\n") + \
    "avsluttet: {dato: 2026-11-05, grunn: trygt og godt}\n"


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", TODAY)
    root = write_kommune(tmp_path / "testvik")
    for text in (NEAR, NIVA_0, HANDOVER, MANY, CLOSED):
        write_case(root, text)
    (root / "saker" / "S-20260202-odelag.yaml").write_text("id: S-20260202-odelag\nniva: [\n", encoding="utf-8")
    return root


def _items(kommune: Path, *args: str) -> list[dict]:
    result = ok("status", "--format", "json", "-C", kommune, *args)
    data = json.loads(result.out)
    assert data["today"] == TODAY
    return data["items"]


def test_everything_that_needs_doing(kommune: Path) -> None:
    found = {(i["case"], i["kind"]) for i in _items(kommune)}
    assert found == {
        ("S-20260901-aktiv1", "evaluering"), ("S-20260901-aktiv1", "referat"),
        ("S-20261101-niva00", "niva0-frist"),
        ("S-20261001-overle", "overlevering"),
        ("S-20260101-mange1", "konsultasjon"), ("S-20260101-mange1", "samtykke-utloper"),
        ("S-20260101-mange1", "samtykke-mangler"), ("S-20260101-mange1", "fyller-18"),
        ("S-20260202-odelag", "feil"),
        # Version 2: no talk with the child logged for weeks on nivå 1-3, and an IP not yet offered.
        ("S-20260901-aktiv1", "samtale"), ("S-20261001-overle", "samtale"), ("S-20260101-mange1", "samtale"),
        ("S-20260101-mange1", "ip-tilbud"),
    }


def test_overdue_comes_first_and_items_carry_dates_and_people(kommune: Path) -> None:
    items = _items(kommune)
    overdue = [i["overdue"] for i in items]
    assert overdue == sorted(overdue, reverse=True)
    by_kind = {(i["case"], i["kind"]): i for i in items}
    evaluation = by_kind[("S-20260901-aktiv1", "evaluering")]
    assert (evaluation["due"], evaluation["overdue"], evaluation["who"]) == ("2026-12-15", False, ["mona.birkeland"])
    assert by_kind[("S-20261101-niva00", "niva0-frist")]["due"] == "2026-11-15"
    assert by_kind[("S-20261001-overle", "overlevering")]["who"] == ["erik.vatne", "mona.birkeland"]
    assert by_kind[("S-20260101-mange1", "fyller-18")]["who"] == ["anne.ek", "liv.berg"]
    assert "cannot read" in by_kind[("S-20260202-odelag", "feil")]["text"]


def test_mine_shows_only_what_is_mine(kommune: Path) -> None:
    # A file that cannot be read could be anyone's, so it shows for everyone.
    mine = {(i["case"], i["kind"]) for i in _items(kommune, "--mine", "--by", "erik.vatne")}
    assert mine == {("S-20261101-niva00", "niva0-frist"), ("S-20261001-overle", "overlevering"), ("S-20260202-odelag", "feil")}
    assert {i["kind"] for i in _items(kommune, "--mine", "--by", "anne.ek")} == {
        "fyller-18", "konsultasjon", "samtykke-utloper", "samtykke-mangler", "feil", "samtale", "ip-tilbud"}
    assert [i["kind"] for i in _items(kommune, "--mine", "--by", "tove.ke")] == ["feil"]


def test_mine_needs_to_know_who_you_are(kommune: Path) -> None:
    result = stafett("status", "--mine", "--by", "ola.ukjent", "-C", kommune)
    assert result.code == 2 and len(result.err_lines) == 1


def test_plain_lines_in_a_pipe(kommune: Path) -> None:
    lines = ok("status", "-C", kommune).out.splitlines()
    assert len(lines) == 13
    assert lines[0].startswith("! ") and all("S-2026" in line for line in lines)


def test_a_rich_table_on_a_terminal(kommune: Path, monkeypatch) -> None:
    import contextlib

    from stafett.cli.app import run

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setenv("COLUMNS", "200")
    with contextlib.redirect_stdout(screen):
        assert run(["status", "-C", str(kommune)]) == 0
    table = screen.getvalue()
    assert "What needs doing" in table and "S-20261001-overle" in table and "overlevering" in table


def test_nothing_to_do(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFETT_TODAY", TODAY)
    root = write_kommune(tmp_path / "tom")
    assert ok("status", "-C", root).out.startswith("nothing needs doing")
    assert json.loads(ok("status", "--format", "json", "-C", root).out)["items"] == []


def test_status_reads_only(kommune: Path) -> None:
    before = {p.name: p.read_bytes() for p in (kommune / "saker").iterdir()}
    ok("status", "-C", kommune)
    assert {p.name: p.read_bytes() for p in (kommune / "saker").iterdir()} == before
    assert case_file(kommune, "S-20260901-aktiv1").exists()


def test_an_unknown_format_is_refused(kommune: Path) -> None:
    result = stafett("status", "--format", "xml", "-C", kommune)
    assert result.code == 2 and result.err_lines == ["error: unknown format 'xml' (use table or json)"]


def test_a_todo_as_json_carries_every_field():
    """status --format json and the cache write a to-do by hand (asdict was a third of status's time): a field
    added to Todo must not go missing there."""
    import dataclasses
    import datetime as dt

    from stafett.workflow.status import Todo

    todo = Todo("S-20261101-abcdef", "evaluering", "evaluer tiltak", dt.date(2026, 12, 1), ("kari.lund",), True)
    out = todo.as_dict()
    assert set(out) == {f.name for f in dataclasses.fields(Todo)}
    assert out["due"] == "2026-12-01" and out["who"] == ["kari.lund"] and out["overdue"] is True
