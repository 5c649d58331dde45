"""One invented case walked through the whole life the routines describe, with real files, a git commit
after each step, and `stafett validate` passing after each:

worry → owner → leader appoints stafettholder → consent → tiltak → meeting planned (.ics) → referat →
evaluation → handover offered, accepted → nivå 3 → barnekoordinator with sekundær and IP → close.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from commands_kit import PEOPLE, SETTINGS, case_file, case_id_from, git, load, new_id, ok, write_kommune


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch, request) -> Path:
    """The kommune, clear or with encryption on: then every staff member has their own age key
    (keys/<id>), and the archive holds the recovery key (keys/arkiv)."""
    settings, people = SETTINGS, PEOPLE
    if getattr(request, "param", "clear") == "encrypted":
        pyrage = pytest.importorskip("pyrage")
        keys = tmp_path / "keys"
        keys.mkdir()
        for who in [*re.findall(r"^  - id: (\S+)$", PEOPLE, re.MULTILINE), "arkiv"]:
            ident = pyrage.x25519.Identity.generate()
            (keys / who).write_text(f"{ident}\n")
            people = people.replace(f"  - id: {who}\n", f"  - id: {who}\n    age_nokkel: {ident.to_public()}\n")
            if who == "arkiv":
                settings += f"kryptering:\n  pa: true\n  gjenoppretting:\n    - id: arkiv\n      mottaker: {ident.to_public()}\n"
    root = write_kommune(tmp_path / "testvik", settings, people)
    git(root, "init", "-q")
    git(root, "config", "user.email", "mona.birkeland@testvik.example")  # who acts, when --by is not given
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Testvik case folder")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return root


@pytest.mark.parametrize("kommune", ["clear", "encrypted"], indirect=True)
def test_a_case_from_worry_to_barnekoordinator(kommune: Path, monkeypatch, tmp_path: Path) -> None:
    root = kommune
    state: dict = {"log": []}

    keys = tmp_path / "keys"
    encrypted = keys.is_dir()

    def step(today: str, *args: str, message: str):
        monkeypatch.setenv("STAFETT_TODAY", today)
        # Each person acts from their own machine: git's identity is theirs, and so is the commit (and, when
        # the kommune encrypts, the key: only their own, so each step proves they may read the case).
        who = args[args.index("--by") + 1] if "--by" in args else "mona.birkeland"
        monkeypatch.setenv("GIT_AUTHOR_EMAIL", f"{who}@testvik.example")
        monkeypatch.setenv("STAFETT_IDENTITY", str(keys / who) if encrypted else "")
        result = ok(*args, "-C", root)
        case_id = state.get("id") or case_id_from(result)
        state["id"] = case_id
        monkeypatch.setenv("STAFETT_IDENTITY", str(keys / "arkiv") if encrypted else "")  # the test reads as the archive
        case = load(root, case_id)
        # Exactly one new log entry, and the old ones are untouched (append-only).
        assert case.logg[: len(state["log"])] == state["log"], f"{message}: the log was rewritten"
        assert len(case.logg) == len(state["log"]) + 1, f"{message}: expected exactly one new log entry"
        state["log"] = case.logg
        assert result.out.startswith(f"{case_id}: ")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message, who=who)
        # Valid, and proven append-only against the commit before this step.
        check = ok("validate", root, "-j", "1", "--since", "HEAD~1")
        assert "error" not in check.out.lower(), check.out
        return result, case

    # 1. The worry: Mona (found through git's user.email) owns it until it is clarified with her leader.
    result, case = step("2026-09-01", "open", "--navn", "Nora Testdatter", "--kategori", "barn",
                        "--fodselsdato", "2016-03-14", "--beskrivelse", "Nora trekker seg unna og sier lite.",
                        "--foresatt", "mor=Ida Testdatter,epost=ida@example.com", "--foresatt", "far=Jon Testdatter",
                        message="bekymring")
    case_id = state["id"]
    assert (case.eier, case.niva, case.bekymring.meldt_av) == ("mona.birkeland", 0, "mona.birkeland")
    assert case_file(root, case_id).read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schemas/")
    mor = next(f.id for f in case.foresatte if f.relasjon == "mor")

    # 2. The leader appoints the stafettholder, recording the family's wish; nivå 0 → 1.
    _, case = step("2026-09-03", "assign", case_id, "--stafettholder", "mona.birkeland", "--by", "hanne.rossland",
                   "--familiens-onske", "Mor ønsker at kontaktlæreren følger opp.", message="stafettholder")
    assert case.stafettholder.person == "mona.birkeland" and case.stafettholder.oppnevnt_av == "hanne.rossland"
    assert case.niva == 1

    # 3. Consent from mor, to services.
    result, case = step("2026-09-07", "consent", "add", case_id, "--gitt-av", mor, "--omfang", "stafettlogg",
                        "--omfang", "skole", "--omfang", "ppt", "--omfang", "helsestasjon", "--omfang", "koordinerende-enhet",
                        "--form", "skriftlig", message="samtykke")
    assert case.samtykker[0].omfang == ["stafettlogg", "skole", "ppt", "helsestasjon", "koordinerende-enhet"]

    # 4. A tiltak with a new goal.
    result, case = step("2026-09-07", "tiltak", "add", case_id, "--beskrivelse", "Fast voksen i friminuttene",
                        "--ansvarlig", "mona.birkeland", "--evalueres", "2026-10-19", "--nytt-mal",
                        "Nora har noen å være sammen med i friminuttene.", message="tiltak")
    tiltak_id = new_id(result, "t")
    assert case.tiltak[0].mal == [case.mal[0].id]

    # 5. A meeting planned, with an invitation that a calendar can read.
    invite = tmp_path / "invitasjon.ics"
    result, case = step("2026-09-08", "meeting", "plan", case_id, "--tid", "2026-09-14 14:00", "--sted", "Testvik skole, møterom 2",
                        "--innkalt", "foresatte", "--innkalt", "siri.dahl", "--dagsorden", "Hvordan har Nora det?",
                        "--dagsorden", "Tiltak", "--dagsorden", "Veien videre", "--ics", invite, message="møte planlagt")
    meeting_id = new_id(result, "mo")
    from icalendar import Calendar

    event = Calendar.from_ical(invite.read_bytes()).walk("VEVENT")[0]
    assert event.decoded("dtstart").strftime("%Y-%m-%d %H:%M") == "2026-09-14 14:00"
    assert case_id in str(event["summary"]) and "Nora" not in invite.read_text(encoding="utf-8")

    # Between meetings: contact with the family, and a lysglimt.
    step("2026-09-10", "log", case_id, "Ringte mor og avtalte møtet.", "--med", "foresatte", message="kontakt")
    step("2026-09-11", "log", case_id, "Nora lekte med to andre i storefri.", "--type", "lysglimt", message="lysglimt")

    # 6. The referat, and PPT joins (consent covers ppt).
    _, case = step("2026-09-14", "meeting", "referat", case_id, meeting_id, "--tilstede", "mona.birkeland",
                   "--tilstede", "foresatte", "--tilstede", "siri.dahl", "--notat", "1=Nora er stille hjemme også.",
                   "--notat", "Tiltak=Fortsetter med fast voksen.", "--beslutning", "PPT kobles inn.",
                   "--oppgave", "siri.dahl,2026-09-30,Observere Nora i friminuttene",
                   "--barnets-stemme", "Nora vil ha en venn å gå hjem med.", "--kopi-til", "foresatte",
                   "--neste-mote", "2026-10-19 14:00", message="referat")
    referat = case.moter[0].referat
    assert referat.samtykker == [case.samtykker[0].id] and referat.kopi_til == [f.id for f in case.foresatte]
    _, case = step("2026-09-14", "assign", case_id, "--deltaker", "siri.dahl", "--rolle", "PPT-rådgiver", message="deltaker")

    # 7. Evaluation.
    _, case = step("2026-10-19", "evaluate", case_id, tiltak_id, "--utfall", "effekt", "--vurdering",
                   "Nora er oftere sammen med andre, men trenger fortsatt støtte.", "--barnets-syn", "Det er bedre nå.",
                   "--familiens-syn", "Mor ser at Nora gleder seg mer til skolen.", "--neste", "2026-12-14",
                   message="evaluering")
    assert case.tiltak[0].evalueres.isoformat() == "2026-12-14"

    # 8. Handover: offered by the holder, accepted by the receiver; until then Mona holds the baton.
    _, case = step("2026-11-02", "handover", "offer", case_id, "--til", "siri.dahl", "--grunn", "Behovene ligger nå mest hos PPT.",
                   "--onske", "Familien ønsker PPT som kontakt.", "--tiltak", "Utredning og tilrettelegging.",
                   "--koordineringsbehov", "Flere tjenester; rådgiver med tid til koordinering.", message="overlevering tilbudt")
    assert case.baton_holder() == "mona.birkeland" and case.overlevering.til == "siri.dahl"
    # PPT is another service than the school: PPT's leader approves the new stafettholder first.
    _, case = step("2026-11-03", "handover", "approve", case_id, "--by", "tor.moen", message="overlevering godkjent")
    _, case = step("2026-11-04", "handover", "accept", case_id, "--by", "siri.dahl", message="overlevering akseptert")
    assert case.baton_holder() == "siri.dahl" and case.overlevering is None
    assert case.tidligere_stafettholdere[0].person == "mona.birkeland"
    assert case.stafettholder.leder_godkjent == "tor.moen" and case.stafettholder.vurdering.onske == "Familien ønsker PPT som kontakt."

    # 9. Nivå 3, and a barnekoordinator requested with the law's criteria.
    _, case = step("2026-11-10", "escalate", case_id, "--niva", "3", "--grunn", "Omfattende samarbeid mellom flere tjenester.",
                   "--stafettholder-videre", "Siri beholder stafettpinnen til koordinator er på plass.", "--by", "siri.dahl",
                   message="nivå 3")
    assert case.niva == 3
    _, case = step("2026-11-10", "escalate", case_id, "--koordinator", "barnekoordinator",
                   "--kriterium", "alvorlig-sykdom-skade-funksjonsnedsettelse", "--kriterium", "langvarige-sammensatte-tjenester",
                   "--begrunnelse", "Nora har fått en alvorlig diagnose og trenger langvarige tjenester.",
                   "--ip", "tilbudt", "--by", "siri.dahl", message="barnekoordinator forespurt, IP tilbudt")
    assert case.koordinator_foresporsel.kriterier[0] == "barn-under-18"
    assert case.individuell_plan.status == "tilbudt" and "Individuell plan er tilbudt" in case.logg[-1].tekst

    # 10. Koordinerende enhet appoints; the sekundær is the koordinator's nearest leader. The family wants the IP.
    _, case = step("2026-11-20", "assign", case_id, "--koordinator", "anne.ek", "--by", "tove.ke", message="barnekoordinator")
    assert (case.koordinator.type, case.koordinator.person, case.koordinator.sekundaer) == ("barnekoordinator", "anne.ek", "liv.berg")
    _, case = step("2026-11-24", "escalate", case_id, "--ip", "onsket", "--merknad", "Foreldrene ønsker IP.", "--by", "anne.ek",
                   message="IP ønsket")
    assert case.individuell_plan.status == "onsket"

    # 11. Close: the koordinator takes over.
    # The follow-up moves to the koordinator: Siri's period as stafettholder ends, nothing else does.
    result, case = step("2026-11-24", "close", case_id, "--grunn", "koordinator overtar", "--yes", "--by", "siri.dahl", message="avsluttet")
    assert case.status == "aktiv" and case.stafettholder.person == case.baton_holder() == "anne.ek"
    assert case.tidligere_stafettholdere[-1].person == "siri.dahl"
    assert any(t.status == "aktiv" for t in case.tiltak)

    history = git(root, "log", "--oneline").splitlines()
    assert len(history) == len(case.logg) + 1  # the folder, and one commit per step
    kinds = [entry.type for entry in case.logg]
    assert kinds == ["opprettet", "oppnevning", "samtykke", "tiltak", "møte", "kontakt", "lysglimt", "referat", "deltaker",
                     "evaluering", "overlevering", "overlevering", "overlevering", "nivå", "koordinator", "koordinator",
                     "individuell_plan", "koordinator"]
    assert [entry.av for entry in case.logg][:3] == ["mona.birkeland", "hanne.rossland", "mona.birkeland"]
    if encrypted:
        # Worked from start to end with each person's own key: no name or free text in any git object.
        objects = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=root, capture_output=True,
                                 check=True).stdout
        for text in ("Nora", "Testdatter", "trekker seg unna", "Ringte mor", "storefri", "Omfattende samarbeid"):
            assert text.encode() not in objects, text


def test_a_leader_can_open_a_clarified_case_on_niva_1(kommune: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFETT_TODAY", "2026-09-01")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "hanne.rossland@testvik.example")
    result = ok("open", "-C", kommune, "--by", "hanne.rossland", "--navn", "Emil Prøve", "--fodselsdato", "2015-01-02",
                "--beskrivelse", "Avklart med foreldrene.", "--niva", "1", "--stafettholder", "erik.vatne")
    case = load(kommune, case_id_from(result))
    assert (case.niva, case.stafettholder.person, case.stafettholder.oppnevnt_av) == (1, "erik.vatne", "hanne.rossland")
    assert len(case.logg) == 1
    assert ok("validate", kommune, "-j", "1").code == 0


def test_case_ids_are_random_not_counted(kommune: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFETT_TODAY", "2026-09-01")
    ids = {case_id_from(ok("open", "-C", kommune, "--by", "mona.birkeland", "--navn", "Barn", "--fodselsdato", "2016-01-01",
                          "--beskrivelse", "Undring.")) for _ in range(5)}
    assert len(ids) == 5 and all(i.startswith("S-20260901-") for i in ids)
