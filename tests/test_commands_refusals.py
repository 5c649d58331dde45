"""What the routines forbid is refused before anything is written: the case file stays byte-identical,
stderr holds exactly one line saying what is wrong and how to fix it, the exit code is not 0, and no
traceback is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands_kit import ACTIVE, ACTIVE_ID, case_file, case_id_from, load, ok, stafett, write_case, write_kommune

# The suspicion raised after the consent (2026-09-07) was given, as `stafett suspicion raise` writes it.
VIOLENCE = ACTIVE.replace("  beskrivelse: Nora trekker seg unna i friminuttene.\n",
                          "  beskrivelse: Nora trekker seg unna i friminuttene.\n"
                          "voldsmistanke:\n  - tid: 2026-09-10 08:00:00\n    handling: reist\n    av: mona.birkeland\n"
                          "    grunn: Nora har blåmerker hun ikke vil forklare.\n")
ADULT = ACTIVE.replace("  kategori: barn\n  fodselsdato: 2016-03-14", "  kategori: ungdom\n  fodselsdato: 2006-01-01")
YOUTH_17 = ACTIVE.replace("  kategori: barn\n  fodselsdato: 2016-03-14", "  kategori: ungdom\n  fodselsdato: 2009-05-01")
NIVA_0 = ACTIVE.replace("niva: 1\n", "niva: 0\n").replace(
    "stafettholder:\n  person: mona.birkeland\n  fra: 2026-09-03\n  oppnevnt_av: hanne.rossland\n", "")
CLOSED = ACTIVE.replace("status: aktiv\n", "status: avsluttet\n") + "avsluttet:\n  dato: 2026-11-01\n  grunn: flyttet\n"
BROKEN_BY_HAND = ACTIVE.replace("    av: hanne.rossland\n    type: oppnevning", "    av: ukjent.person\n    type: oppnevning")

C = ACTIVE_ID
OFFER = ("handover", "offer", C, "--til", "erik.vatne", "--grunn", "Ny kontaktlærer.", "--onske", "Mor ønsker Erik.",
         "--tiltak", "Tilrettelegging i klassen.", "--koordineringsbehov", "Lite; samme skole.", "--by", "mona.birkeland")
BARNEKOORDINATOR = ("escalate", C, "--koordinator", "barnekoordinator", "--kriterium", "alvorlig-sykdom-skade-funksjonsnedsettelse",
                    "--kriterium", "langvarige-sammensatte-tjenester", "--begrunnelse", "Alvorlig sykdom.", "--by", "mona.birkeland")
# Koordinerende enhet acts only under a consent that covers it.
KE_CONSENT = ("consent", "add", C, "--gitt-av", "f-mor", "--gitt-av", "f-far", "--omfang", "koordinerende-enhet", "--by", "mona.birkeland")

# (name, case text, commands that succeed first, the refused command, a fragment of its one line)
REFUSALS = [
    ("accept by someone other than the receiver", ACTIVE, [OFFER],
     ("handover", "accept", C, "--by", "siri.dahl"), "only erik.vatne, who was offered the baton, can accept it"),
    ("a participant without consent", ACTIVE, [],
     ("assign", C, "--deltaker", "siri.dahl", "--by", "mona.birkeland"), "no active consent covers 'ppt'"),
    ("barnekoordinator for an adult", ADULT, [], BARNEKOORDINATOR, "barnekoordinator is only for a child under 18"),
    ("closing with a handover pending", ACTIVE, [OFFER],
     ("close", C, "--grunn", "trygt og godt", "--by", "mona.birkeland"), "a handover to Erik Vatne is pending"),
    ("unknown person as participant", ACTIVE, [],
     ("assign", C, "--deltaker", "ola.ukjent", "--by", "mona.birkeland"), "unknown person 'ola.ukjent'"),
    ("unknown actor", ACTIVE, [], ("log", C, "Notat.", "--by", "ola.ukjent"), "unknown person 'ola.ukjent'"),
    ("unknown responsible for a tiltak", ACTIVE, [],
     ("tiltak", "add", C, "--beskrivelse", "Noe", "--ansvarlig", "ola.ukjent", "--evalueres", "2027-01-10", "--mal", "m-venner",
      "--by", "mona.birkeland"), "unknown responsible person 'ola.ukjent'"),
    ("unknown invitee", ACTIVE, [],
     ("meeting", "plan", C, "--tid", "2026-12-01 14:00", "--sted", "Skolen", "--innkalt", "ola.ukjent", "--no-ics",
      "--by", "mona.birkeland"), "unknown person 'ola.ukjent'"),
    ("impossible date", ACTIVE, [],
     ("close", C, "--grunn", "flyttet", "--dato", "2026-02-30", "--by", "mona.birkeland"), "--dato '2026-02-30' is not a date"),
    ("impossible evaluation date", ACTIVE, [],
     ("tiltak", "adjust", C, "t-friminutt", "--evalueres", "2026-13-01", "--by", "mona.birkeland"), "--evalueres '2026-13-01' is not a date"),
    ("impossible meeting time", ACTIVE, [],
     ("meeting", "plan", C, "--tid", "2026-12-01 25:00", "--sted", "Skolen", "--by", "mona.birkeland"), "is not a date and time"),
    ("family contact while a violence flag is open", VIOLENCE, [],
     ("log", C, "Ringte mor.", "--med", "foresatte", "--by", "mona.birkeland"), "suspected violence or abuse is flagged"),
    ("contact with one parent while a violence flag is open", VIOLENCE, [],
     ("log", C, "Snakket med far.", "--med", "f-far", "--by", "mona.birkeland"), "suspected violence or abuse is flagged"),
    ("a family copy while a violence flag is open", VIOLENCE, [],
     ("render", C, "--for", "foresatte", "--by", "mona.birkeland"), "no copy goes to the family"),
    ("lowering a suspicion nobody raised", ACTIVE, [],
     ("suspicion", "lower", C, "--grunn", "Ingen grunn.", "--besluttet-av", "hanne.rossland", "--by", "mona.birkeland"),
     "no suspicion of violence or abuse is raised"),
    ("raising a suspicion twice", VIOLENCE, [],
     ("suspicion", "raise", C, "--grunn", "Igjen.", "--by", "mona.birkeland"), "already raised"),
    ("a consultation with someone other than barnevern or politi", VIOLENCE, [],
     ("suspicion", "consult", C, "--med", "fastlege", "--konsultert", "Dr. Ask", "--rad", "Vent.", "--by", "mona.birkeland"),
     "barnevern or politi"),
    ("family contact after a consultation that said wait", VIOLENCE,
     [("suspicion", "consult", C, "--med", "barnevern", "--konsultert", "anonym drøfting", "--rad", "Vent med foreldrene.",
       "--familiekontakt", "vent", "--by", "mona.birkeland")],
     ("log", C, "Ringte mor.", "--med", "f-mor", "--by", "mona.birkeland"), "suspected violence or abuse is flagged"),
    ("family contact after a consultation with no advice on it", VIOLENCE,
     [("suspicion", "consult", C, "--med", "politi", "--konsultert", "Politiet, vakthavende", "--rad", "De ringer tilbake.",
       "--by", "mona.birkeland")],
     ("log", C, "Ringte mor.", "--med", "f-mor", "--by", "mona.birkeland"), "suspected violence or abuse is flagged"),
    ("asking for consent while a violence flag is open", VIOLENCE, [],
     ("consent", "add", C, "--gitt-av", "f-far", "--omfang", "ppt", "--by", "mona.birkeland"), "asking the family for consent waits"),
    ("inviting the family while a violence flag is open", VIOLENCE, [],
     ("meeting", "plan", C, "--tid", "2026-12-01 14:00", "--sted", "Skolen", "--innkalt", "foresatte", "--no-ics",
      "--by", "mona.birkeland"), "inviting the family waits"),
    ("the leader's appointment by someone who is not a leader", NIVA_0, [],
     ("assign", C, "--stafettholder", "erik.vatne", "--by", "siri.dahl"), "is not a leader who can appoint"),
    ("a leader from another service", NIVA_0, [],
     ("assign", C, "--stafettholder", "erik.vatne", "--by", "tor.moen"), "is not a leader who can appoint"),
    ("a second stafettholder instead of a handover", ACTIVE, [],
     ("assign", C, "--stafettholder", "erik.vatne", "--by", "hanne.rossland"), "already has a stafettholder"),
    ("a handover offered by someone who does not hold the baton", ACTIVE, [],
     (*OFFER[:-1], "erik.vatne"), "only the holder (mona.birkeland) can offer the baton"),
    ("a handover to another service without consent", ACTIVE, [],
     (*OFFER[:4], "siri.dahl", *OFFER[5:]), "no active consent covers 'ppt'"),
    ("a second offer while one is pending", ACTIVE, [OFFER], OFFER, "already pending"),
    ("a referat before the meeting", ACTIVE, [],
     ("meeting", "referat", C, "mo-neste", "--tilstede", "mona.birkeland", "--barnets-stemme", "Glad.", "--by", "mona.birkeland"),
     "has not happened yet"),
    ("a referat without the child's voice", ACTIVE, [],
     ("meeting", "referat", C, "mo-forste", "--tilstede", "mona.birkeland", "--by", "mona.birkeland"), "the child's voice"),
    ("a second referat", ACTIVE,
     [("meeting", "referat", C, "mo-forste", "--tilstede", "mona.birkeland", "--barnets-stemme", "Glad.", "--by", "mona.birkeland")],
     ("meeting", "referat", C, "mo-forste", "--tilstede", "mona.birkeland", "--barnets-stemme", "Glad.", "--by", "mona.birkeland"),
     "has a referat already"),
    ("consent from a child under the age of consent", ACTIVE, [],
     ("consent", "add", C, "--gitt-av", "hovedperson", "--omfang", "ppt", "--by", "mona.birkeland"), "under the age of consent (16)"),
    ("a parent consenting for a 17-year-old", YOUTH_17, [],
     ("consent", "add", C, "--gitt-av", "f-mor", "--omfang", "ppt", "--by", "mona.birkeland"), "consents for themself"),
    ("consent to a service the kommune does not have", ACTIVE, [],
     ("consent", "add", C, "--gitt-av", "f-mor", "--omfang", "tannlege", "--by", "mona.birkeland"), "'tannlege' is not a service"),
    ("a tiltak on nivå 0", NIVA_0, [],
     ("tiltak", "add", C, "--beskrivelse", "Noe", "--ansvarlig", "mona.birkeland", "--evalueres", "2027-01-10", "--mal", "m-venner",
      "--by", "mona.birkeland"), "tiltak start on nivå 1"),
    ("a koordinator request without the criteria", ACTIVE, [],
     ("escalate", C, "--koordinator", "koordinator", "--begrunnelse", "Trenger det.", "--by", "mona.birkeland"),
     "needs these criteria assessed as met: langvarige-koordinerte-tjenester"),
    ("a koordinator appointed without a request", ACTIVE, [],
     ("assign", C, "--koordinator", "anne.ek", "--by", "tove.ke"), "no koordinator has been requested"),
    ("a koordinator appointed by someone outside koordinerende enhet", ACTIVE, [KE_CONSENT, BARNEKOORDINATOR],
     ("assign", C, "--koordinator", "anne.ek", "--by", "hanne.rossland"), "is not in koordinerende enhet"),
    ("an IP wanted before it is offered", ACTIVE, [KE_CONSENT, BARNEKOORDINATOR],
     ("escalate", C, "--ip", "onsket", "--by", "mona.birkeland"), "cannot go from nothing to onsket"),
    ("a request with an IP answer before the offer", ACTIVE, [KE_CONSENT], (*BARNEKOORDINATOR, "--ip", "onsket"),
     "cannot go from nothing to onsket"),
    ("back to nivå 0", ACTIVE, [], ("escalate", C, "--niva", "0", "--grunn", "Bedre.", "--by", "mona.birkeland"), "does not go back"),
    ("closing for 'annet' without saying why", ACTIVE, [],
     ("close", C, "--grunn", "annet", "--by", "mona.birkeland"), "needs a note"),
    ("closing by someone outside the case", ACTIVE, [],
     ("close", C, "--grunn", "flyttet", "--by", "siri.dahl"), "only the one holding the baton"),
    ("any change to a closed case", CLOSED, [], ("log", C, "Notat.", "--by", "mona.birkeland"), "is closed"),
    ("a case a rule finds broken", BROKEN_BY_HAND, [], ("log", C, "Notat.", "--by", "mona.birkeland"), "R001 unknown person 'ukjent.person'"),
    ("evaluating an ended tiltak", ACTIVE, [("tiltak", "end", C, "t-friminutt", "--by", "mona.birkeland")],
     ("evaluate", C, "t-friminutt", "--utfall", "effekt", "--vurdering", "Bra.", "--neste", "2027-01-10", "--by", "mona.birkeland"),
     "has ended"),
    ("a withdrawal of a consent that does not exist", ACTIVE, [],
     ("consent", "withdraw", C, "s-finnesikke", "--trukket-av", "f-mor", "--by", "mona.birkeland"), "no consent 's-finnesikke'"),
]


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    return write_kommune(tmp_path / "testvik")


@pytest.mark.parametrize("name,text,before,refused,fragment", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_leaves_the_file_byte_identical(kommune: Path, name, text, before, refused, fragment) -> None:
    case_id = write_case(kommune, text)
    for args in before:
        ok(*args, "-C", kommune)
    path = case_file(kommune, case_id)
    snapshot = path.read_bytes()

    result = stafett(*refused, "-C", kommune)

    assert result.code != 0
    assert len(result.err_lines) == 1, result.err
    line = result.err_lines[0]
    assert line.startswith("error: ") and fragment in line, line
    assert "Traceback" not in result.err and "(" in line, "the line says how to fix it, in parentheses"
    assert result.out == ""
    assert path.read_bytes() == snapshot
    assert {p.name for p in path.parent.iterdir()} - {f".{path.name}.lock"} == {path.name}, "no temp file left behind"


def test_contact_is_allowed_only_once_a_consultation_clears_it(kommune: Path) -> None:
    write_case(kommune, VIOLENCE)
    assert stafett("log", C, "Ringte mor.", "--med", "foresatte", "--by", "mona.birkeland", "-C", kommune).code != 0
    ok("suspicion", "consult", C, "--med", "barnevern", "--konsultert", "anonym drøfting",
       "--rad", "Snakk med barnet først, ikke med foreldrene ennå.", "--familiekontakt", "vent",
       "--by", "mona.birkeland", "-C", kommune)
    assert stafett("log", C, "Ringte mor.", "--med", "foresatte", "--by", "mona.birkeland", "-C", kommune).code != 0
    ok("suspicion", "consult", C, "--med", "barnevern", "--konsultert", "Nora Hetland, barnevernet",
       "--rad", "Barnevernet har snakket med foreldrene; skolen kan ta kontakt.", "--familiekontakt", "klarert",
       "--by", "mona.birkeland", "-C", kommune)
    ok("log", C, "Ringte mor.", "--med", "foresatte", "--by", "mona.birkeland", "-C", kommune)
    assert ok("validate", kommune, "-j", "1").code == 0
    case = load(kommune, C)
    assert [k.familiekontakt for k in case.konsultasjoner] == ["vent", "klarert"], "each consultation is kept"


def test_a_suspicion_raised_again_blocks_again_and_lowering_ends_it(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    ok("log", C, "Ringte mor.", "--med", "f-mor", "--by", "mona.birkeland", "-C", kommune)
    ok("suspicion", "raise", C, "--grunn", "Nora fortalte om slag hjemme.", "--by", "mona.birkeland", "-C", kommune)
    assert stafett("log", C, "Ringte mor.", "--med", "f-mor", "--by", "mona.birkeland", "-C", kommune).code != 0
    result = stafett("suspicion", "lower", C, "--grunn", "Barnevernet fant ingen grunn.", "--by", "mona.birkeland",
                     "-C", kommune)
    assert result.code != 0, "lowering needs who decided"
    ok("suspicion", "lower", C, "--grunn", "Barnevernet fant ingen grunn til bekymring.",
       "--besluttet-av", "hanne.rossland", "--by", "mona.birkeland", "-C", kommune)
    ok("log", C, "Ringte mor.", "--med", "f-mor", "--by", "mona.birkeland", "-C", kommune)
    case = load(kommune, C)
    assert [(h.handling, h.besluttet_av) for h in case.voldsmistanke] == [("reist", None), ("senket", "hanne.rossland")]
    assert [e.type for e in case.logg][-3:] == ["voldsmistanke", "voldsmistanke", "kontakt"]
    assert all(e.skjermet for e in case.logg if e.type == "voldsmistanke")
    assert ok("validate", kommune, "-j", "1").code == 0


def test_open_with_the_flag_writes_the_suspicion_as_its_own_protected_entry(kommune: Path) -> None:
    result = ok("open", "--navn", "Ida Testesen", "--fodselsdato", "2018-02-02", "--beskrivelse", "Blåmerker på armen.",
                "--mistanke-om-vold", "--foresatt", "mor=Eva Testesen", "--by", "mona.birkeland", "-C", kommune)
    case_id = case_id_from(result)
    case = load(kommune, case_id)
    opened, raised = case.logg
    assert opened.type == "opprettet" and "vold" not in opened.tekst.lower(), "the opening entry says nothing protected"
    assert raised.type == "voldsmistanke" and raised.skjermet
    assert case.voldsmistanke[0].handling == "reist" and not case.bekymring.mistanke_om_vold


def test_contact_with_a_partner_is_fine_while_the_flag_is_open(kommune: Path) -> None:
    write_case(kommune, VIOLENCE)
    ok("log", C, "Drøftet med helsesykepleier.", "--med", "anne.ek", "--by", "mona.birkeland", "-C", kommune)


def test_a_consent_that_covers_the_log_closes_it_when_withdrawn(kommune: Path, monkeypatch) -> None:
    from commands_kit import load

    write_case(kommune, ACTIVE)
    ok("consent", "add", C, "--gitt-av", "f-mor", "--omfang", "ppt", "--by", "mona.birkeland", "-C", kommune)
    ok("assign", C, "--deltaker", "siri.dahl", "--by", "mona.birkeland", "-C", kommune)
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-24")  # rule C001 reads a same-day withdrawal as "no consent when joining"
    ppt_consent = load(kommune, C).samtykker[-1].id
    result = ok("consent", "withdraw", C, ppt_consent, "--trukket-av", "f-mor", "--by", "mona.birkeland", "-C", kommune)
    case = load(kommune, C)
    assert "participation ended for Siri Dahl" in result.out and case.status == "aktiv"
    assert case.deltakere[0].til is not None

    result = ok("consent", "withdraw", C, "s-logg", "--trukket-av", "f-mor", "--merknad", "Mor ringte og trakk samtykket.", "--by", "mona.birkeland",
                "-C", kommune)
    case = load(kommune, C)
    assert "the case is closed" in result.out
    assert case.status == "avsluttet" and case.avsluttet.grunn == "samtykke trukket"
    assert ok("validate", kommune, "-j", "1").code == 0


def test_who_acts_comes_from_git_when_by_is_not_given(kommune: Path) -> None:
    import subprocess

    write_case(kommune, ACTIVE)
    subprocess.run(["git", "init", "-q"], cwd=kommune, check=True)
    path = case_file(kommune, C)
    snapshot = path.read_bytes()
    subprocess.run(["git", "config", "user.email", "ukjent@example.com"], cwd=kommune, check=True)
    result = stafett("log", C, "Notat.", "-C", kommune)
    assert result.code != 0 and len(result.err_lines) == 1 and "who is acting" in result.err
    assert path.read_bytes() == snapshot
    subprocess.run(["git", "config", "user.email", "Mona.Birkeland@testvik.example"], cwd=kommune, check=True)
    ok("log", C, "Notat.", "-C", kommune)
    from commands_kit import load

    assert load(kommune, C).logg[-1].av == "mona.birkeland"


def test_sending_the_referat_to_the_family_waits_while_the_flag_is_open(kommune: Path, monkeypatch) -> None:
    from commands_kit import new_id

    write_case(kommune, VIOLENCE)
    planned = ok("meeting", "plan", C, "--tid", "2026-11-20 14:00", "--sted", "Skolen", "--innkalt", "erik.vatne",
                 "--no-ics", "--by", "mona.birkeland", "-C", kommune)
    meeting = new_id(planned, "mo")
    path = case_file(kommune, C)
    snapshot = path.read_bytes()
    result = stafett("meeting", "referat", C, meeting, "--tilstede", "mona.birkeland", "--barnets-stemme-mangler",
                     "Ikke med.", "--kopi-til", "f-mor", "--by", "mona.birkeland", "-C", kommune)
    assert result.code != 0 and "sending the referat to the family waits" in result.err
    assert path.read_bytes() == snapshot
