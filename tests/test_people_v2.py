"""Record v2, people around the child: external partners and family who are not foresatte, what a log entry
concerns (gjelder), the talk with the child between meetings (samtale), and closing that lists what it ends
(and moves the follow-up to the koordinator when the koordinator takes over)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commands_kit import ACTIVE, ACTIVE_ID, SETTINGS, case_file, load, ok, stafett, write_case, write_kommune

C = ACTIVE_ID
BY = ("--by", "mona.birkeland")
WITH_BUP = SETTINGS + "  - id: bup\n    navn: BUP Testvik\n    fagsystem: standard\n"
VIOLENCE = ACTIVE.replace("  beskrivelse: Nora trekker seg unna i friminuttene.\n",
                          "  beskrivelse: Nora trekker seg unna i friminuttene.\n"
                          "voldsmistanke:\n  - tid: 2026-09-10 08:00:00\n    handling: reist\n    av: mona.birkeland\n"
                          "    grunn: Nora har blåmerker hun ikke vil forklare.\n")
BUP_CONSENT = ("consent", "add", C, "--gitt-av", "f-mor", "--omfang", "bup", *BY)
PARTNER = ("partner", "add", C, "--navn", "Dr. Åse Ask", "--instans", "bup", "--virksomhet", "BUP Testvik",
           "--rolle", "psykolog", "--epost", "ase.ask@bup.example", *BY)
GRANDMOTHER = ("family", "add", C, "--navn", "Kari Testdatter", "--relasjon", "bestemor", "--telefon", "90000001", *BY)


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    return write_kommune(tmp_path / "testvik", WITH_BUP)


def refused(kommune: Path, *args: str, fragment: str) -> str:
    path = case_file(kommune, C)
    before = path.read_bytes()
    result = stafett(*args, "-C", kommune)
    assert result.code != 0 and result.out == ""
    assert len(result.err_lines) == 1 and "Traceback" not in result.err, result.err
    line = result.err_lines[0]
    assert line.startswith("error: ") and fragment in line and "(" in line, line
    assert path.read_bytes() == before
    return line


def render(kommune: Path, *args: str) -> str:
    return ok("render", C, "--layout", "standard", *args, *BY, "-C", kommune).out


# --- external partners -------------------------------------------------------------------------------

def test_a_partner_joins_only_under_a_consent_to_its_instans(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    refused(kommune, *PARTNER, fragment="no active consent covers 'bup'")
    ok(*BUP_CONSENT, "-C", kommune)
    result = ok(*PARTNER, "-C", kommune)
    case = load(kommune, C)
    partner = case.eksterne[0]
    assert partner.id in result.out and (partner.instans, partner.virksomhet, partner.fra.isoformat()) == ("bup", "BUP Testvik", "2026-11-23")
    entry = case.logg[-1]
    assert entry.type == "deltaker" and entry.gjelder == [partner.id, case.samtykker[-1].id]
    assert "Dr. Åse Ask (BUP Testvik, psykolog) er med i samarbeidet fra 23.11.2026" in entry.tekst
    assert ok("validate", kommune, "-j", "1").code == 0


def test_a_partner_whose_instans_is_no_service_is_refused_with_the_way_to_fix_it(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    refused(kommune, "partner", "add", C, "--navn", "Dr. Lege", "--instans", "fastlege", *BY,
            fragment="stafett.yaml lists no service 'fastlege'")
    refused(kommune, "partner", "add", C, "--navn", "Dr. Lege", "--instans", "sykehus", *BY, fragment="unknown instans 'sykehus'")


def test_a_partner_ends_once_and_only_by_the_holder(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    ok(*BUP_CONSENT, "-C", kommune)
    ok(*PARTNER, "-C", kommune)
    partner_id = load(kommune, C).eksterne[0].id
    refused(kommune, "partner", "end", C, partner_id, "--by", "siri.dahl", fragment="only the one holding the baton")
    refused(kommune, *PARTNER, fragment="already takes part")
    ok("partner", "end", C, partner_id, "--grunn", "Behandlingen er avsluttet.", *BY, "-C", kommune)
    case = load(kommune, C)
    assert case.eksterne[0].til.isoformat() == "2026-11-23" and case.logg[-1].gjelder == [partner_id]
    refused(kommune, "partner", "end", C, partner_id, *BY, fragment="left the collaboration")
    refused(kommune, "partner", "end", C, "ek-finnes", *BY, fragment="no external partner 'ek-finnes'")


def test_a_partner_outside_consent_or_period_is_caught_by_validate(kommune: Path) -> None:
    text = ACTIVE.replace("mal:\n", "eksterne:\n  - id: ek-bup001\n    navn: Dr. Ask\n    instans: bup\n    fra: 2026-10-01\n"
                                   "    til: 2026-09-01\nmal:\n", 1)
    text = text.replace("    innkalt:\n      - f-mor\n      - mona.birkeland\n",
                        "    innkalt:\n      - f-mor\n      - mona.birkeland\n      - ek-bup001\n", 1)
    text += "    gjelder:\n      - t-finnesikke\n"
    write_case(kommune, text)
    result = stafett("validate", kommune, "-j", "1", "--format", "json")
    codes = {f["code"] for f in __import__("json").loads(result.out)["findings"]} if result.out.strip().startswith("{") else set()
    out = result.out
    for code in ("X001", "X003", "L003"):
        assert code in out, (code, out)
    assert result.code != 0
    del codes


# --- family who are not foresatte --------------------------------------------------------------------

def test_family_can_be_invited_and_attend_but_never_consent(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    ok(*BUP_CONSENT, "-C", kommune)
    ok(*PARTNER, "-C", kommune)
    ok(*GRANDMOTHER, "-C", kommune)
    case = load(kommune, C)
    ek, fm = case.eksterne[0].id, case.familie[0].id
    assert case.familie[0].relasjon == "bestemor" and "samtykker ikke" in case.logg[-1].tekst
    refused(kommune, "consent", "add", C, "--gitt-av", fm, "--omfang", "ppt", *BY, fragment=fm)
    ok("meeting", "plan", C, "--tid", "2026-11-23 08:00", "--sted", "Skolen", "--innkalt", "foresatte", "--innkalt", fm,
       "--innkalt", ek, "--no-ics", *BY, "-C", kommune)
    meeting = load(kommune, C).moter[-1]
    assert meeting.innkalt[:4] == ["f-mor", "f-far", fm, ek], "'foresatte' expands to the foresatte only"
    assert "Kari Testdatter (bestemor)" in load(kommune, C).logg[-1].tekst
    ok("meeting", "referat", C, meeting.id, "--tilstede", fm, "--tilstede", ek, "--tilstede", "mona.birkeland",
       "--barnets-stemme", "Nora vil at bestemor skal være med.", "--kopi-til", fm, *BY, "-C", kommune)
    ok("log", C, "Ringte bestemor.", "--med", fm, *BY, "-C", kommune)
    assert ok("validate", kommune, "-j", "1").code == 0
    refused(kommune, "family", "remove", C, fm, *BY, fragment=f"is named in meeting {meeting.id}")
    refused(kommune, *GRANDMOTHER, fragment="already")
    refused(kommune, "family", "add", C, "--navn", "Ida Testdatter", "--relasjon", "mor", *BY, fragment="is a foresatt")


def test_a_family_member_named_nowhere_can_be_removed(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    ok(*GRANDMOTHER, "-C", kommune)
    fm = load(kommune, C).familie[0].id
    ok("family", "remove", C, fm, "--grunn", "Feilregistrert.", *BY, "-C", kommune)
    case = load(kommune, C)
    assert case.familie == [] and case.logg[-1].type == "deltaker" and "Feilregistrert." in case.logg[-1].tekst
    assert ok("validate", kommune, "-j", "1").code == 0


def test_the_violence_block_covers_family_members_but_not_partners(kommune: Path) -> None:
    write_case(kommune, VIOLENCE)
    ok(*GRANDMOTHER, "-C", kommune)
    fm = load(kommune, C).familie[0].id
    refused(kommune, "log", C, "Ringte bestemor.", "--med", fm, *BY, fragment="suspected violence or abuse is flagged")
    refused(kommune, "samtale", C, "Snakket med bestemor.", "--med", fm, *BY, fragment="suspected violence or abuse is flagged")
    refused(kommune, "meeting", "plan", C, "--tid", "2026-12-01 14:00", "--sted", "Skolen", "--innkalt", fm, "--no-ics", *BY,
            fragment="inviting the family waits")
    ok("samtale", C, "Nora sier hun har det bra på skolen.", *BY, "-C", kommune)  # the child may be talked with
    ok("log", C, "Drøftet med helsesykepleier.", "--med", "anne.ek", *BY, "-C", kommune)


def test_the_family_copy_shows_family_without_contact_details_and_hides_what_concerns_hidden_items(kommune: Path) -> None:
    write_case(kommune, VIOLENCE)
    ok(*GRANDMOTHER, "-C", kommune)
    ok("suspicion", "consult", C, "--med", "barnevern", "--konsultert", "anonym drøfting", "--rad", "Kontakt familien.",
       "--familiekontakt", "klarert", *BY, "-C", kommune)
    konsultasjon = load(kommune, C).konsultasjoner[0].id
    ok("log", C, "Barnevernet ringte tilbake om saken.", "--gjelder", konsultasjon, *BY, "-C", kommune)
    ok("log", C, "Fast voksen fungerer.", "--gjelder", "t-friminutt", *BY, "-C", kommune)
    staff, family = render(kommune), render(kommune, "--for", "foresatte")
    assert "90000001" in staff and "Barnevernet ringte tilbake" in staff
    assert "Kari Testdatter" in family and "90000001" not in family
    assert "Barnevernet ringte tilbake" not in family, "an entry about a consultation stays out of the family copy"
    assert "Fast voksen fungerer." in family


# --- what a log entry concerns -------------------------------------------------------------------------

def test_log_entries_say_what_they_concern_and_renders_link_it(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    refused(kommune, "log", C, "Notat.", "--gjelder", "t-finnesikke", *BY, fragment="no item 't-finnesikke'")
    ok("log", C, "Tiltaket er drøftet med mor.", "--med", "f-mor", "--gjelder", "t-friminutt", "--gjelder", "mo-forste",
       "--gjelder", "t-friminutt", *BY, "-C", kommune)
    assert load(kommune, C).logg[-1].gjelder == ["t-friminutt", "mo-forste"]
    md = render(kommune)
    assert "Tiltaket er drøftet med mor. (med: Ida Testdatter) (gjelder: Tiltak 1, Samarbeidsmøte nr. 1)" in md
    html = render(kommune, "--format", "html")
    assert '<article class="tiltak" id="ref-t-friminutt">' in html and '<tr id="ref-mo-forste">' in html
    assert '<a href="#ref-t-friminutt">Tiltak 1</a>, <a href="#ref-mo-forste">Samarbeidsmøte nr. 1</a>' in html
    assert '<tr id="ref-s-logg">' in html
    assert ok("validate", kommune, "-j", "1").code == 0


def test_an_unknown_gjelder_written_by_hand_is_l003(kommune: Path) -> None:
    write_case(kommune, ACTIVE + "    gjelder:\n      - mo-finnesikke\n")
    result = stafett("validate", kommune, "-j", "1")
    assert result.code != 0 and "L003" in result.out and "mo-finnesikke" in result.out
    refused(kommune, "log", C, "Notat.", *BY, fragment="L003")


# --- the talk with the child between meetings --------------------------------------------------------------

def test_samtale_defaults_to_the_child_and_status_reminds_when_none_is_logged(kommune: Path, monkeypatch) -> None:
    write_case(kommune, ACTIVE)
    # Holder since 2026-09-03; six weeks (the default samtale_uker) passed on 2026-10-15.
    items = ok("status", "--by", "mona.birkeland", "--format", "json", "-C", kommune).out
    assert '"kind": "samtale"' in items and "no talk with the child logged yet" in items
    ok("samtale", C, "Nora sier hun har fått en venn i klassen.", "--gjelder", "m-venner", *BY, "-C", kommune)
    entry = load(kommune, C).logg[-1]
    assert (entry.type, entry.med, entry.gjelder) == ("samtale", ["hovedperson"], ["m-venner"])
    assert '"kind": "samtale"' not in ok("status", "--by", "mona.birkeland", "--format", "json", "-C", kommune).out
    monkeypatch.setenv("STAFETT_TODAY", "2026-12-30")
    later = ok("status", "--by", "mona.birkeland", "--format", "json", "-C", kommune).out
    assert "last talk with the child logged 2026-11-23" in later
    ok("log", C, "Snakket med Nora og mor.", "--type", "samtale", "--med", "hovedperson", "--med", "f-mor", *BY, "-C", kommune)
    assert load(kommune, C).logg[-1].type == "samtale"


def test_no_samtale_reminder_on_niva_0(kommune: Path) -> None:
    write_case(kommune, ACTIVE.replace("niva: 1\n", "niva: 0\n").replace(
        "stafettholder:\n  person: mona.birkeland\n  fra: 2026-09-03\n  oppnevnt_av: hanne.rossland\n", ""))
    assert '"kind": "samtale"' not in ok("status", "--by", "mona.birkeland", "--format", "json", "-C", kommune).out


# --- closing ------------------------------------------------------------------------------------------------

def test_close_off_a_terminal_refuses_without_yes_and_names_what_would_end(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    line = refused(kommune, "close", C, "--grunn", "trygt", *BY, fragment="add --yes")
    assert "1 active tiltak: t-friminutt" in line and "planned meeting (cancelled): mo-neste" in line
    ok("close", C, "--grunn", "trygt", "--yes", *BY, "-C", kommune)
    case = load(kommune, C)
    assert case.status == "avsluttet" and case.tiltak[0].status == "avsluttet"
    neste = next(m for m in case.moter if m.id == "mo-neste")
    assert neste.avlyst is not None and neste.avlyst.av == "mona.birkeland"
    assert next(m for m in case.moter if m.id == "mo-forste").avlyst is None, "a held meeting is not cancelled"
    assert case.logg[-1].gjelder == ["t-friminutt", "mo-neste"]
    assert "1 aktive tiltak er avsluttet og 1 planlagt(e) møte(r) er avlyst." in case.logg[-1].tekst
    assert ok("validate", kommune, "-j", "1").code == 0


KOORDINATOR = [
    ("consent", "add", C, "--gitt-av", "f-mor", "--omfang", "koordinerende-enhet", *BY),
    ("escalate", C, "--koordinator", "barnekoordinator", "--kriterium", "alvorlig-sykdom-skade-funksjonsnedsettelse",
     "--kriterium", "langvarige-sammensatte-tjenester", "--begrunnelse", "Alvorlig sykdom.", *BY),
    ("assign", C, "--koordinator", "anne.ek", "--by", "tove.ke"),
]


def test_koordinator_overtar_moves_the_follow_up_instead_of_ending_it(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    refused(kommune, "close", C, "--grunn", "koordinator", "--yes", *BY, fragment="no koordinator has been appointed")
    for args in KOORDINATOR:
        ok(*args, "-C", kommune)
    line = refused(kommune, "close", C, "--grunn", "koordinator", *BY, fragment="add --yes")
    assert "the stafettholder period of Mona Birkeland ends; koordinator Anne Ek holds the baton" in line
    result = ok("close", C, "--grunn", "koordinator", "--merknad", "Avtalt i ansvarsgruppen.", "--yes", *BY, "-C", kommune)
    assert "Anne Ek (koordinator) holds the baton" in result.out
    case = load(kommune, C)
    assert case.status == "aktiv" and case.avsluttet is None and case.baton_holder() == "anne.ek"
    assert case.tiltak[0].status == "aktiv" and all(m.avlyst is None for m in case.moter)
    past = case.tidligere_stafettholdere[-1]
    assert (past.person, past.til.isoformat()) == ("mona.birkeland", "2026-11-23") and "Koordinator overtar" in past.grunn
    assert case.logg[-1].type == "koordinator" and "koordinator overtar" in case.logg[-1].tekst
    refused(kommune, "close", C, "--grunn", "koordinator", "--yes", "--by", "anne.ek", fragment="holds the baton already")
    assert ok("validate", kommune, "-j", "1").code == 0


def test_close_writes_nynorsk_when_the_kommune_does(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    kommune = write_kommune(tmp_path / "nn", WITH_BUP.replace("malform: nb", "malform: nn"))
    write_case(kommune, ACTIVE)
    ok("close", C, "--grunn", "flyttet", "--yes", *BY, "-C", kommune)
    assert load(kommune, C).logg[-1].tekst == ("Saka er avslutta 23.11.2026: flytta. 1 aktive tiltak er avslutta og "
                                               "1 planlagt(e) møte er avlyst.")


@pytest.mark.skipif(not hasattr(os, "openpty") or sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("answer,closed", [("n", False), ("y", True)])
def test_close_on_a_terminal_asks_first(kommune: Path, answer: str, closed: bool) -> None:
    import pty  # noqa: F401 - only where pseudo-terminals exist

    write_case(kommune, ACTIVE)
    before = case_file(kommune, C).read_bytes()
    main, side = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "stafett", "close", C, "--grunn", "trygt", *BY, "-C", str(kommune)],
                            stdin=side, stdout=side, stderr=side, env={**os.environ, "STAFETT_TODAY": "2026-11-23"})
    os.close(side)
    seen = b""
    while b"Go ahead?" not in seen:
        chunk = os.read(main, 1024)
        assert chunk, seen
        seen += chunk
    os.write(main, answer.encode() + b"\n")
    try:
        while chunk := os.read(main, 1024):
            seen += chunk
    except OSError:  # the side closed when the process ended
        pass
    assert proc.wait(timeout=60) == (0 if closed else 2), seen
    os.close(main)
    assert b"1 active tiltak: t-friminutt" in seen
    assert (load(kommune, C).status == "avsluttet") is closed
    if not closed:
        assert case_file(kommune, C).read_bytes() == before
