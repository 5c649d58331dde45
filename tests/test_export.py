"""`stafett export`: rows for the kommune's own questions, and an anonymised variant for statistics."""

from __future__ import annotations

import json
import sqlite3

from tests.conftest import EXAMPLE


def test_jsonl_has_a_row_per_case_tiltak_meeting_and_log_entry(cli, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    result = cli("export")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    tables = {r["tabell"] for r in rows}
    assert tables == {"saker", "tiltak", "moter", "logg"}
    cases = [r for r in rows if r["tabell"] == "saker"]
    assert len(cases) == len(list((EXAMPLE / "saker").glob("*.yaml")))
    assert {r["niva"] for r in cases} == {0, 1, 2, 3}


def test_sqlite_answers_questions(cli, monkeypatch, tmp_path):
    monkeypatch.chdir(EXAMPLE)
    db = tmp_path / "stafett.db"
    result = cli("export", "--format", "sqlite", "-o", str(db))
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    overdue = con.execute("select count(*) from tiltak where status = 'aktiv' and evalueres < '2026-11-23'").fetchone()[0]
    assert overdue == 1
    assert con.execute("select count(*) from logg").fetchone()[0] > 200


def test_anonymized_export_leaks_no_names_text_or_exact_dates(cli, monkeypatch):
    monkeypatch.chdir(EXAMPLE)
    plain = cli("export").stdout
    anon = cli("export", "--anonymize").stdout
    from stafett.folder import load_folder
    from stafett.store.cases import read_case

    folder = load_folder(EXAMPLE)
    names = set()
    for path in folder.case_paths():
        case = read_case(path).model
        names |= {case.hovedperson.navn, *(f.navn for f in case.foresatte)}
    names |= {p.navn for p in folder.people.personer} | {p.id for p in folder.people.personer}
    for name in names:
        assert name in plain or name not in plain  # (names appear in ids/text of the plain export)
        assert name not in anon, name
    rows = [json.loads(line) for line in anon.splitlines()]
    assert all(r["tekst"] == "[fjernet]" for r in rows if r["tabell"] == "logg")
    assert all(r["opprettet"].endswith("-01") for r in rows if r["tabell"] == "saker")
    assert len(rows) == len(plain.splitlines())


def test_export_refuses_to_write_among_case_files(cli, folder):
    result = cli("export", "-o", "saker/ut.jsonl")
    assert result.exit_code == 2
    assert not (folder / "saker" / "ut.jsonl").exists()
    assert cli("export", "--format", "sqlite").exit_code == 2


def test_render_anonymize_replaces_every_known_name_and_exact_date(cli, monkeypatch):
    from stafett.folder import load_folder
    from stafett.store.cases import read_case

    monkeypatch.chdir(EXAMPLE)
    folder = load_folder(EXAMPLE)
    case_id = "S-20260212-p3xd9e"
    case = read_case(folder.case_path(case_id)).model
    for fmt in ("md", "html"):
        result = cli("render", case_id, "--anonymize", "--format", fmt, "--layout", "standard")
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        names = [case.hovedperson.navn, *(f.navn for f in case.foresatte), *(p.navn for p in folder.people.personer)]
        for name in names:
            assert name not in out, name
        assert case.hovedperson.navn.split()[0] not in out
        assert case_id not in out and "S-20260201-" in out
        assert "12.2.2026" not in out  # the day the worry was raised; months survive, days do not
    assert cli("render", case_id, "--anonymize", "--show-fnr").exit_code == 2
