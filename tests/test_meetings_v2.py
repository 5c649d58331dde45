"""Record version 2, meetings: moving and cancelling a meeting (the .ics keeps its UID, SEQUENCE counts
the revisions), a referat that rests on several consents and shows the case as it was on the day, and
referat tasks that are ticked off and followed up in `status`."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from icalendar import Calendar

from commands_kit import ACTIVE, ACTIVE_ID, case_file, git, load, new_id, ok, stafett, write_case, write_kommune

C = ACTIVE_ID
MONA = ("--by", "mona.birkeland")
PLAN = ("meeting", "plan", C, "--tid", "2026-12-01 14:00", "--sted", "Testvik skole, møterom 2", "--innkalt", "foresatte",
        "--innkalt", "anne.ek", "--dagsorden", "Hvordan har Nora det hjemme?", *MONA)

# mo-forste (20.11.2026) with its referat: two tasks with known ids, one of them past its deadline on 23.11.
REFERAT = """\
    referat:
      skrevet: 2026-11-20
      skrevet_av: mona.birkeland
      tilstede:
        - f-mor
        - mona.birkeland
      samtykker:
        - s-logg
      oppgaver:
        - id: o-ringe1
          tekst: Ringe PPT om observasjon.
          ansvarlig: erik.vatne
          frist: 2026-11-21
        - id: o-lese22
          tekst: Lese kartleggingen.
          ansvarlig: anne.ek
          frist: 2026-12-10
      barnets_stemme: Nora vil ha noen å leke med.
"""
WITH_TASKS = ACTIVE.replace("      - Tiltak\n  - id: mo-neste", "      - Tiltak\n" + REFERAT + "  - id: mo-neste")
# A consent given after mo-forste was held.
LATER_CONSENT = ACTIVE.replace("mal:\n  - id: m-venner", "  - id: s-senere\n    gitt_av: f-mor\n    dato: 2026-11-22\n"
                               "    omfang:\n      - ppt\n    form: muntlig\n    registrert_av: mona.birkeland\n"
                               "mal:\n  - id: m-venner")
# Suspected violence raised after the consent: family contact is blocked.
VIOLENCE = ACTIVE.replace("  beskrivelse: Nora trekker seg unna i friminuttene.\n",
                          "  beskrivelse: Nora trekker seg unna i friminuttene.\n"
                          "voldsmistanke:\n  - tid: 2026-09-10 08:00:00\n    handling: reist\n    av: mona.birkeland\n"
                          "    grunn: Nora har blåmerker hun ikke vil forklare.\n")


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return write_kommune(tmp_path / "testvik")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """Where the commands run: a default .ics lands here."""
    path = tmp_path / "arbeid"
    path.mkdir()
    return path


def _event(path: Path):
    cal = Calendar.from_ical(path.read_bytes())
    (event,) = cal.walk("VEVENT")
    return cal, event


def _codes(root: Path) -> set[str]:
    result = stafett("validate", root, "-j", "1", "--format", "json")
    return {f["code"] for f in json.loads(result.out)["findings"]}


def _todos(root: Path, *extra: str) -> list[dict]:
    return json.loads(ok("status", "--format", "json", *extra, "-C", root).out)["items"]


# --- postpone and cancel: one event, revised ------------------------------------------------------

def test_postponing_moves_the_meeting_and_revises_the_same_calendar_event(kommune: Path, work: Path) -> None:
    write_case(kommune, ACTIVE)
    ics = work / "mote.ics"
    meeting = new_id(ok(*PLAN, "--ics", ics, "-C", kommune), "mo")
    _, first = _event(ics)
    assert first.decoded("sequence") == 0

    result = ok("meeting", "postpone", C, meeting, "--til", "2026-12-08 09:30", "--grunn", "Mor er på Hurtigruten.",
                "--ics", ics, *MONA, "-C", kommune)
    assert result.out == f"{C}: {meeting} moved from 2026-12-01 14:00 to 2026-12-08 09:30; invitation in {ics}\n"
    cal, event = _event(ics)
    assert str(cal["method"]) == "REQUEST" and str(event["status"]) == "CONFIRMED"
    assert str(event["uid"]) == str(first["uid"]) == f"{meeting}.{C}@stafett"
    assert event.decoded("sequence") == 1
    assert f"{event.decoded('dtstart'):%Y-%m-%d %H:%M}" == "2026-12-08 09:30"
    text = ics.read_bytes().decode("utf-8")
    assert "Hurtigruten" not in text, "the reason stays in the case, never in the calendar"
    assert "flyttet fra 1.12.2026 kl. 14.00" in str(event["description"])

    case = load(kommune, C)
    moved = case.moter[-1]
    assert f"{moved.tidspunkt:%Y-%m-%d %H:%M}" == "2026-12-08 09:30"
    (step,) = moved.utsettelser
    assert (f"{step.fra:%Y-%m-%d %H:%M}", f"{step.til:%Y-%m-%d %H:%M}", step.grunn, step.av) == (
        "2026-12-01 14:00", "2026-12-08 09:30", "Mor er på Hurtigruten.", "mona.birkeland")
    entry = case.logg[-1]
    assert entry.type == "møte" and entry.av == "mona.birkeland"
    assert "er flyttet fra 1.12.2026 kl. 14.00 til 8.12.2026 kl. 09.30. Grunn: Mor er på Hurtigruten." in entry.tekst

    ok("meeting", "postpone", C, meeting, "--til", "2026-12-09 09:30", "--grunn", "Igjen.", "--ics", ics, *MONA, "-C", kommune)
    _, again = _event(ics)
    assert again.decoded("sequence") == 2 and str(again["uid"]) == str(first["uid"])
    assert load(kommune, C).moter[-1].sequence == 2


def test_cancelling_sends_a_cancel_for_the_same_event(kommune: Path, work: Path) -> None:
    write_case(kommune, ACTIVE)
    ics = work / "mote.ics"
    meeting = new_id(ok(*PLAN, "--ics", ics, "-C", kommune), "mo")
    uid = str(_event(ics)[1]["uid"])
    ok("meeting", "postpone", C, meeting, "--til", "2026-12-08 09:30", "--grunn", "Flyttet.", "--ics", ics, *MONA, "-C", kommune)
    result = ok("meeting", "cancel", C, meeting, "--grunn", "Mor ønsker å vente til etter jul.", "--ics", ics, *MONA,
                "-C", kommune)
    assert result.out == f"{C}: {meeting} cancelled; cancellation in {ics}\n"
    cal, event = _event(ics)
    assert str(cal["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == uid and event.decoded("sequence") == 2
    assert "jul" not in ics.read_bytes().decode("utf-8")
    attendees = {str(a) for a in event["attendee"]}
    assert "mailto:ida@example.com" in attendees, "the cancellation reaches everyone the invitation reached"

    case = load(kommune, C)
    cancelled = case.moter[-1]
    assert cancelled.avlyst.grunn == "Mor ønsker å vente til etter jul." and cancelled.avlyst.av == "mona.birkeland"
    assert case.logg[-1].type == "møte" and "8.12.2026 kl. 09.30 er avlyst. Grunn: Mor ønsker å vente til etter jul." in case.logg[-1].tekst

    # Written again later, the file is the same cancellation, not a new invitation.
    again = work / "igjen.ics"
    ok("meeting", "ics", C, meeting, "--ics", again, "-C", kommune)
    cal2, event2 = _event(again)
    assert (str(cal2["method"]), str(event2["status"]), event2.decoded("sequence"), str(event2["uid"])) == (
        "CANCEL", "CANCELLED", 2, uid)


def test_the_default_invitation_file_is_rewritten_in_place(kommune: Path, work: Path) -> None:
    write_case(kommune, ACTIVE)
    meeting = new_id(ok(*PLAN, "-C", kommune, cwd=work), "mo")
    target = work / f"{C}-{meeting}.ics"
    ok("meeting", "cancel", C, meeting, "--grunn", "Avlyst.", *MONA, "-C", kommune, cwd=work)
    assert sorted(p.name for p in work.iterdir()) == [target.name]
    assert str(_event(target)[0]["method"]) == "CANCEL"


def test_a_cancelled_meeting_needs_no_referat(kommune: Path, work: Path) -> None:
    write_case(kommune, ACTIVE)
    assert "M001" in _codes(kommune)
    assert any(t["kind"] == "referat" and "mo-forste" in t["text"] for t in _todos(kommune))
    ok("meeting", "cancel", C, "mo-forste", "--grunn", "Mor var syk.", "--no-ics", *MONA, "-C", kommune, cwd=work)
    assert "M001" not in _codes(kommune)
    assert not any(t["kind"] == "referat" for t in _todos(kommune))
    assert list(work.iterdir()) == []


def test_a_meeting_with_the_family_can_be_cancelled_without_an_invitation_while_contact_is_blocked(
        kommune: Path, work: Path) -> None:
    write_case(kommune, VIOLENCE)
    assert any("invites the family" in t["text"] for t in _todos(kommune)) is False  # mo-forste is past
    ok("meeting", "cancel", C, "mo-forste", "--grunn", "Avventer råd fra barnevernet.", "--no-ics", *MONA, "-C", kommune,
       cwd=work)
    assert load(kommune, C).moter[0].avlyst is not None and list(work.iterdir()) == []


# --- refusals: one line, nothing written -----------------------------------------------------------

HELD = ("meeting", "referat", C, "mo-forste", "--tilstede", "mona.birkeland", "--barnets-stemme", "Glad.", *MONA)
CANCEL_NESTE = ("meeting", "cancel", C, "mo-neste", "--grunn", "Avlyst.", "--no-ics", *MONA)
CANCEL_FORSTE = ("meeting", "cancel", C, "mo-forste", "--grunn", "Avlyst.", "--no-ics", *MONA)


def POSTPONE(meeting: str = "mo-neste", til: str = "2026-12-16 10:00", *extra: str) -> tuple:
    return ("meeting", "postpone", C, meeting, "--til", til, "--grunn", "Kollisjon med foreldremøte.", *extra)


REFUSALS = [
    ("moving a meeting that was held", ACTIVE, [HELD], POSTPONE("mo-forste", "2026-12-01 10:00", *MONA), "has its referat"),
    ("moving a cancelled meeting", ACTIVE, [CANCEL_NESTE], POSTPONE("mo-neste", "2026-12-16 10:00", *MONA), "was cancelled"),
    ("moving a meeting into the past", ACTIVE, [], POSTPONE("mo-neste", "2026-11-22 10:00", *MONA), "has passed"),
    ("moving a meeting to the time it has", ACTIVE, [], POSTPONE("mo-neste", "2026-12-15 14:00", *MONA), "already at"),
    ("moving a meeting to an impossible time", ACTIVE, [], POSTPONE("mo-neste", "2026-13-01 10:00", *MONA),
     "is not a date and time"),
    ("moving a meeting without a reason", ACTIVE, [],
     ("meeting", "postpone", C, "mo-neste", "--til", "2026-12-16 10:00", "--grunn", " ", *MONA), "say why"),
    ("moving someone else's meeting", ACTIVE, [], POSTPONE("mo-neste", "2026-12-16 10:00", "--by", "siri.dahl"),
     "only the meeting's leader (mona.birkeland)"),
    ("moving a meeting with the family while contact is blocked", VIOLENCE, [],
     POSTPONE("mo-forste", "2026-12-01 10:00", "--no-ics", *MONA), "moving a meeting with the family waits"),
    ("moving a meeting with the invitation inside saker/", ACTIVE, [],
     POSTPONE("mo-neste", "2026-12-16 10:00", "--ics", "{kommune}/saker/mote.ics", *MONA), "inside the case folder"),
    ("moving an unknown meeting", ACTIVE, [], POSTPONE("mo-finnes", "2026-12-16 10:00", *MONA), "no meeting 'mo-finnes'"),
    ("cancelling a meeting that was held", ACTIVE, [HELD], CANCEL_FORSTE, "has its referat"),
    ("cancelling twice", ACTIVE, [CANCEL_NESTE], CANCEL_NESTE, "was cancelled"),
    ("cancelling someone else's meeting", ACTIVE, [], (*CANCEL_NESTE[:-2], "--by", "siri.dahl"), "only the meeting's leader"),
    ("a cancellation to the family while contact is blocked", VIOLENCE, [],
     ("meeting", "cancel", C, "mo-forste", "--grunn", "Avlyst.", *MONA), "sending the cancellation to the family waits"),
    ("a referat of a cancelled meeting", ACTIVE, [CANCEL_FORSTE], HELD, "a cancelled meeting has no referat"),
    ("a referat on an unknown consent", ACTIVE, [], (*HELD, "--samtykke", "s-finnes"), "no consent 's-finnes'"),
    ("a referat on a consent given after the meeting", LATER_CONSENT, [], (*HELD, "--samtykke", "s-senere"),
     "was not in force on 2026-11-20"),
    ("ticking off someone else's task", WITH_TASKS, [], ("task", "done", C, "o-lese22", "--by", "erik.vatne"),
     "only anne.ek (responsible for the task)"),
    ("ticking off a task twice", WITH_TASKS, [("task", "done", C, "o-ringe1", "--by", "erik.vatne")],
     ("task", "done", C, "o-ringe1", "--by", "erik.vatne"), "was ticked off on 2026-11-23"),
    ("a task done before its meeting", WITH_TASKS, [], ("task", "done", C, "o-ringe1", "--dato", "2026-11-19", "--by", "erik.vatne"),
     "cannot be done on 2026-11-19"),
    ("a task done in the future", WITH_TASKS, [], ("task", "done", C, "o-ringe1", "--dato", "2026-11-30", "--by", "erik.vatne"),
     "is after today"),
    ("a task done on an impossible date", WITH_TASKS, [], ("task", "done", C, "o-ringe1", "--dato", "2026-11-31", "--by", "erik.vatne"),
     "is not a date"),
    ("an unknown task", WITH_TASKS, [], ("task", "done", C, "o-finnes", *MONA), "no task 'o-finnes'"),
]


@pytest.mark.parametrize("name,text,before,refused,fragment", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_leaves_every_file_byte_identical(kommune: Path, work: Path, name, text, before, refused, fragment) -> None:
    write_case(kommune, text)
    for args in before:
        ok(*args, "-C", kommune, cwd=work)

    def files() -> dict:
        return {p: p.read_bytes() for root in (kommune, work) for p in root.rglob("*")
                if p.is_file() and not p.name.endswith(".lock")}

    snapshot = files()
    args = [str(a).replace("{kommune}", str(kommune)) for a in refused]
    result = stafett(*args, "-C", kommune, cwd=work)
    assert result.code != 0 and result.out == ""
    assert len(result.err_lines) == 1 and fragment in result.err_lines[0], result.err
    assert "Traceback" not in result.err and "(" in result.err_lines[0], "the line says how to fix it"
    assert files() == snapshot


# --- several consents ------------------------------------------------------------------------------

def test_a_referat_rests_on_every_consent_named(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    ppt = new_id(ok("consent", "add", C, "--gitt-av", "f-mor", "--omfang", "ppt", "--dato", "2026-11-02", *MONA, "-C", kommune), "s")
    ok(*HELD, "--samtykke", "s-logg", "--samtykke", ppt, "--samtykke", "s-logg", "-C", kommune)
    referat = load(kommune, C).moter[0].referat
    assert referat.samtykker == ["s-logg", ppt] and referat.samtykke is None
    for fmt in ("md", "html"):
        out = ok("render", C, "--layout", "standard", "--meeting", "mo-forste", "--format", fmt, *MONA, "-C", kommune).out
        assert out.count("Møtet bygger på samtykke") == 2 and "s-logg" in out and ppt in out


def test_the_referat_file_may_name_the_consents(kommune: Path, tmp_path: Path) -> None:
    write_case(kommune, ACTIVE)
    source = tmp_path / "referat.yaml"
    source.write_text("tilstede: [mona.birkeland]\nbarnets_stemme: Bra.\nsamtykker: [s-logg]\n", encoding="utf-8")
    ok("meeting", "referat", C, "mo-forste", "--file", source, *MONA, "-C", kommune)
    assert load(kommune, C).moter[0].referat.samtykker == ["s-logg"]


# --- referat tasks ---------------------------------------------------------------------------------

def test_each_task_gets_its_own_id_and_is_ticked_off_by_the_one_responsible(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    result = ok(*HELD, "--oppgave", "erik.vatne,2026-11-30,Ringe PPT", "--oppgave", "anne.ek,2026-12-10,Lese kartleggingen",
                "-C", kommune)
    ids = [o.id for o in load(kommune, C).moter[0].referat.oppgaver]
    assert len(set(ids)) == 2 and all(re.fullmatch(r"o-[a-z0-9]{6}", i) for i in ids)
    assert f"2 task(s) ({ids[0]}, {ids[1]})" in result.out

    assert ok("task", "done", C, ids[0], "--merknad", "PPT kommer 3.12.", "--by", "erik.vatne", "-C", kommune).out == (
        f"{C}: task {ids[0]} done 2026-11-23\n")
    case = load(kommune, C)
    done = case.moter[0].referat.oppgaver[0].utfort
    assert (done.dato, done.av, done.merknad) == (dt.date(2026, 11, 23), "erik.vatne", "PPT kommer 3.12.")
    assert case.moter[0].referat.oppgaver[1].utfort is None
    entry = case.logg[-1]
    assert entry.type == "referat" and entry.av == "erik.vatne"
    assert entry.tekst == (f"Oppgave {ids[0]} fra samarbeidsmøte nr. 1 (mo-forste) er utført 23.11.2026: Ringe PPT. "
                           "Merknad: PPT kommer 3.12.")

    listing = ok("task", "list", C, "-C", kommune).out
    assert f"{ids[0]}" in listing and "done 2026-11-23 (erik.vatne)" in listing and "open" in listing
    assert ids[0] not in ok("task", "list", C, "--open", "-C", kommune).out


def test_the_stafettholder_ticks_off_a_task_and_the_log_names_the_one_responsible(kommune: Path) -> None:
    write_case(kommune, WITH_TASKS)
    ok("task", "done", C, "o-lese22", "--dato", "2026-11-21", *MONA, "-C", kommune)
    case = load(kommune, C)
    assert case.moter[0].referat.oppgaver[1].utfort.av == "mona.birkeland"
    assert case.logg[-1].tekst.endswith("Lese kartleggingen. Ansvarlig: Anne Ek.")


def test_a_task_registered_on_behalf_of_the_one_responsible_names_both(kommune: Path) -> None:
    write_case(kommune, WITH_TASKS)
    git(kommune, "init", "-q")
    git(kommune, "config", "user.email", "mona.birkeland@testvik.example")
    refused = stafett("task", "done", C, "o-ringe1", "--by", "erik.vatne", "-C", kommune)
    assert refused.code != 0 and "--on-behalf" in refused.err
    ok("task", "done", C, "o-ringe1", "--by", "erik.vatne", "--on-behalf", "-C", kommune)
    case = load(kommune, C)
    assert case.moter[0].referat.oppgaver[0].utfort.av == "erik.vatne"
    assert (case.logg[-1].av, case.logg[-1].registrert_av) == ("erik.vatne", "mona.birkeland")


def test_status_lists_open_tasks_for_their_owner_and_overdue_ones_for_the_holder_too(kommune: Path) -> None:
    write_case(kommune, WITH_TASKS)
    tasks = {t["text"].split()[1]: t for t in _todos(kommune) if t["kind"] == "oppgave"}
    assert set(tasks) == {"o-ringe1", "o-lese22"}
    late, later = tasks["o-ringe1"], tasks["o-lese22"]
    assert (late["overdue"], late["due"], late["who"]) == (True, "2026-11-21", ["erik.vatne", "mona.birkeland"])
    assert "was due 2026-11-21" in late["text"] and "Ringe PPT" in late["text"]
    assert (later["overdue"], later["due"], later["who"]) == (False, "2026-12-10", ["anne.ek"])
    assert [t["text"].split()[1] for t in _todos(kommune, "--mine", "--by", "anne.ek") if t["kind"] == "oppgave"] == ["o-lese22"]

    ok("task", "done", C, "o-ringe1", "--by", "erik.vatne", "-C", kommune)
    assert [t["text"].split()[1] for t in _todos(kommune) if t["kind"] == "oppgave"] == ["o-lese22"]
    listing = ok("task", "list", C, "-C", kommune).out.splitlines()
    assert [line[0] for line in listing] == [" ", " "], "a done task is never marked overdue"


# --- the rules -------------------------------------------------------------------------------------

def test_hand_edits_the_rules_catch(kommune: Path) -> None:
    text = _broken_case()
    write_case(kommune, text)
    found = _codes(kommune)
    assert {"M101", "M102", "M103", "M105", "M106", "R001"} <= found, found
    cancelled_held = WITH_TASKS.replace("      barnets_stemme: Nora vil ha noen å leke med.\n",
                                        "      barnets_stemme: Nora vil ha noen å leke med.\n    avlyst:\n"
                                        "      tid: 2026-11-21 08:00:00\n      grunn: Feil.\n      av: mona.birkeland\n")
    write_case(kommune, cancelled_held)
    assert "M104" in _codes(kommune)
    write_case(kommune, WITH_TASKS)
    assert not {"M101", "M102", "M103", "M104", "M105", "M106"} & _codes(kommune)


def _broken_case() -> str:
    text = LATER_CONSENT.replace("      - Tiltak\n  - id: mo-neste", "      - Tiltak\n" + REFERAT + "  - id: mo-neste")
    return (text
            .replace("          frist: 2026-11-21\n", "          frist: 2026-11-21\n          utfort:\n"
                     "            dato: 2026-11-19\n            av: ukjent.person\n")
            .replace("        - id: o-lese22\n", "        - id: o-ringe1\n")
            .replace("      barnets_stemme: Nora vil", "        - tekst: Uten id.\n          ansvarlig: anne.ek\n"
                     "          frist: 2026-12-01\n      barnets_stemme: Nora vil")
            .replace("      samtykker:\n        - s-logg\n", "      samtykker:\n        - s-logg\n        - s-senere\n")
            .replace("    tidspunkt: 2026-12-15 14:00:00\n", "    tidspunkt: 2026-12-16 14:00:00\n    utsettelser:\n"
                     "      - tid: 2026-11-22 10:00:00\n        fra: 2026-12-01 14:00:00\n        til: 2026-12-15 14:00:00\n"
                     "        grunn: Kollisjon.\n        av: mona.birkeland\n"))


def test_a_version_1_task_without_an_id_is_not_a_finding(kommune: Path) -> None:
    v1 = WITH_TASKS.replace("versjon: 2\n", "").replace("        - id: o-lese22\n          tekst:", "        - tekst:")
    v1 = v1.replace("      samtykker:\n        - s-logg\n", "      samtykke: s-logg\n")
    write_case(kommune, v1)
    found = _codes(kommune)
    assert "Z001" in found and "M102" not in found  # the record version


# --- a referat is a snapshot -------------------------------------------------------------------------

def test_a_referat_shows_the_case_as_it_was_at_the_meeting(kommune: Path, monkeypatch) -> None:
    write_case(kommune, LATER_CONSENT)
    ok(*HELD, "-C", kommune)  # mo-forste, 20.11.2026, written 23.11.
    monkeypatch.setenv("STAFETT_TODAY", "2027-01-15")
    ok("tiltak", "add", C, "--beskrivelse", "Vennegruppe med helsesykepleier", "--ansvarlig", "anne.ek",
       "--evalueres", "2027-03-01", "--start", "2027-01-10", "--mal", "m-venner", *MONA, "-C", kommune)
    ok("evaluate", C, "t-friminutt", "--utfall", "effekt", "--vurdering", "Nora leker med to andre nå.",
       "--barnets-syn", "Bedre.", "--neste", "2027-03-01", "--dato", "2027-01-12", *MONA, "-C", kommune)
    ok("tiltak", "end", C, "t-friminutt", "--grunn", "Ikke lenger nødvendig.", "--dato", "2027-01-14", *MONA, "-C", kommune)

    logg = ok("render", C, "--layout", "standard", "--format", "md", *MONA, "-C", kommune).out
    assert "Vennegruppe" in logg and "Nora leker med to andre nå." in logg and "Avsluttet 14.1.2027" in logg

    referat = ok("render", C, "--layout", "standard", "--meeting", "mo-forste", "--format", "md", *MONA, "-C", kommune).out
    assert "Voksen ute i friminuttene" in referat, "the tiltak that ran at the meeting is there"
    assert "Vennegruppe" not in referat, "a tiltak started after the meeting is not"
    assert "Nora leker med to andre nå." not in referat, "nor an evaluation made after it"
    assert "Avsluttet" not in referat and "| Aktiv |" in referat, "it was still active then"
    assert "1.3.2027" not in referat, "nor the evaluation date set after it"
    for fmt in ("html",):
        out = ok("render", C, "--layout", "standard", "--meeting", "mo-forste", "--format", fmt, *MONA, "-C", kommune).out
        assert "Vennegruppe" not in out and "Nora leker med to andre nå." not in out


def test_a_consent_withdrawn_after_the_meeting_shows_as_in_force(kommune: Path, monkeypatch) -> None:
    write_case(kommune, ACTIVE)
    ppt = new_id(ok("consent", "add", C, "--gitt-av", "f-mor", "--omfang", "ppt", "--dato", "2026-11-02", *MONA, "-C", kommune), "s")
    ok(*HELD, "--samtykke", "s-logg", "--samtykke", ppt, "-C", kommune)
    monkeypatch.setenv("STAFETT_TODAY", "2026-12-01")
    ok("consent", "withdraw", C, ppt, "--dato", "2026-11-30", "--trukket-av", "f-mor", *MONA, "-C", kommune)
    referat = ok("render", C, "--layout", "standard", "--meeting", "mo-forste", "--format", "md", *MONA, "-C", kommune).out
    assert ppt in referat and "Trukket" not in referat
    logg = ok("render", C, "--layout", "standard", "--format", "md", *MONA, "-C", kommune).out
    assert "30.11.2026" in logg


def test_as_of_is_the_case_on_that_day() -> None:
    from stafett.model.case import Case, Trukket, Utfort
    from stafett.model.snapshot import as_of
    from stafett.store import yamlio

    data, _ = yamlio.load_mapping(WITH_TASKS.encode("utf-8"), "case")
    case = Case.model_validate(data)
    t = case.tiltak[0]
    ended = t.model_copy(update={"status": "avsluttet", "slutt": dt.date(2026, 11, 1), "evalueres": None})
    later = t.model_copy(update={"id": "t-senere", "start": dt.date(2026, 11, 21)})
    s = case.samtykker[0]
    withdrawn = s.model_copy(update={"trukket": Trukket(dato=dt.date(2026, 11, 22), registrert_av="mona.birkeland")})
    task = case.moter[0].referat.oppgaver[0].model_copy(update={"utfort": Utfort(dato=dt.date(2026, 11, 22), av="erik.vatne")})
    referat = case.moter[0].referat.model_copy(update={"oppgaver": [task]})
    case = Case.model_validate(case.model_copy(update={
        "tiltak": [ended, later], "samtykker": [withdrawn],
        "moter": [case.moter[0].model_copy(update={"referat": referat}), case.moter[1]]}).model_dump())

    before = as_of(case, dt.date(2026, 10, 1))
    assert [x.id for x in before.tiltak] == ["t-friminutt"]
    assert (before.tiltak[0].status, before.tiltak[0].slutt) == ("aktiv", None)
    assert before.samtykker[0].trukket is None and before.moter[0].referat.oppgaver[0].utfort is None
    after = as_of(case, dt.date(2026, 11, 22))
    assert [x.id for x in after.tiltak] == ["t-friminutt", "t-senere"] and after.tiltak[0].status == "avsluttet"
    assert after.samtykker[0].trukket is not None and after.moter[0].referat.oppgaver[0].utfort is not None
    assert as_of(case, dt.date(2026, 8, 1)).samtykker == [] and case.samtykker[0].trukket is not None, "the case is not changed"


# --- the proof over git history --------------------------------------------------------------------

def test_history_accepts_the_commands_and_catches_hand_edits(kommune: Path, work: Path, monkeypatch) -> None:
    write_case(kommune, WITH_TASKS)
    git(kommune, "init", "-q")
    git(kommune, "add", "-A")
    git(kommune, "commit", "-q", "-m", "start")

    def step(*args: str, who: str) -> None:
        monkeypatch.setenv("GIT_AUTHOR_EMAIL", f"{who}@testvik.example")
        ok(*args, "--by", who, "-C", kommune, cwd=work)
        git(kommune, "commit", "-q", "-am", args[1], who=who)
        assert ok("validate", kommune, "-j", "1", "--since", "HEAD~1").code == 0

    step("task", "done", C, "o-ringe1", who="erik.vatne")
    step("meeting", "postpone", C, "mo-neste", "--til", "2026-12-16 10:00", "--grunn", "Kollisjon.", "--no-ics", who="mona.birkeland")
    step("meeting", "cancel", C, "mo-neste", "--grunn", "Ikke behov.", "--no-ics", who="mona.birkeland")

    path = case_file(kommune, C)
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("dato: 2026-11-23\n            av: erik.vatne", "dato: 2026-11-22\n            av: erik.vatne"),
                    encoding="utf-8")
    git(kommune, "commit", "-q", "-am", "endret", who="mona.birkeland")
    result = stafett("validate", kommune, "-j", "1", "--since", "HEAD~1")
    assert result.code == 1 and "P003" in result.out, result.out

    path.write_text(original.replace("          frist: 2026-12-10\n", "          frist: 2026-12-10\n          utfort:\n"
                                     "            dato: 2026-11-23\n            av: anne.ek\n"), encoding="utf-8")
    git(kommune, "commit", "-q", "-am", "krysset av for hånd", who="mona.birkeland")
    result = stafett("validate", kommune, "-j", "1", "--since", "HEAD~1")
    assert result.code == 1 and "P005" in result.out and "moter" in result.out, result.out


# --- Thunderbird's parser -----------------------------------------------------------------------------

ICALJS = r"""
const { createRequire } = require("module");
let ICAL = null;
for (const base of process.argv.slice(2)) {
  try { ICAL = createRequire(base.endsWith("/") ? base : base + "/")("ical.js"); break; } catch (e) {}
}
if (!ICAL) { console.log(JSON.stringify({ missing: true })); process.exit(0); }
const root = new ICAL.Component(ICAL.parse(require("fs").readFileSync(0, "utf8")));
for (const zone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
const vevent = root.getFirstSubcomponent("vevent");
const event = new ICAL.Event(vevent);
console.log(JSON.stringify({ method: root.getFirstPropertyValue("method"), uid: event.uid, sequence: event.sequence,
  status: vevent.getFirstPropertyValue("status"), start: event.startDate.toJSDate().toISOString() }));
"""


def test_thunderbirds_parser_reads_the_revisions_as_one_event(kommune: Path, work: Path, tmp_path: Path) -> None:
    import shutil
    import subprocess

    from test_meeting_ics import _icaljs_bases

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = tmp_path / "parse.cjs"
    script.write_text(ICALJS, encoding="utf-8")

    def parse(path: Path) -> dict:
        done = subprocess.run([node, str(script), *_icaljs_bases()], input=path.read_bytes(), capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        return json.loads(done.stdout)

    write_case(kommune, ACTIVE)
    ics = work / "mote.ics"
    meeting = new_id(ok(*PLAN, "--ics", ics, "-C", kommune), "mo")
    first = parse(ics)
    if first.get("missing"):
        pytest.skip("ical.js is not installed (npm install ical.js; .ci/run does it)")
    ok("meeting", "postpone", C, meeting, "--til", "2027-07-01 14:00", "--grunn", "Sommer.", "--ics", ics, *MONA, "-C", kommune)
    moved = parse(ics)
    ok("meeting", "cancel", C, meeting, "--grunn", "Avlyst.", "--ics", ics, *MONA, "-C", kommune)
    cancelled = parse(ics)
    assert first["uid"] == moved["uid"] == cancelled["uid"] == f"{meeting}.{C}@stafett"
    assert [first["sequence"], moved["sequence"], cancelled["sequence"]] == [0, 1, 2]
    assert moved["start"] == "2027-07-01T12:00:00.000Z", "summer time: 14.00 in Oslo is 12.00 UTC"
    assert (first["method"], moved["method"], cancelled["method"]) == ("REQUEST", "REQUEST", "CANCEL")
    assert (moved["status"], cancelled["status"]) == ("CONFIRMED", "CANCELLED")
