"""Record version 2, follow-up: postponed evaluations and the child's view, the leader's approval of a
handover to another service and the assessment kept with the holder, koordinerende enhet's refusal, the
koordinator's history and absences, and the individuell plan's period, revisions and evaluations."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from commands_kit import ACTIVE, ACTIVE_ID, PEOPLE, case_file, load, ok, stafett, write_case, write_kommune

C = ACTIVE_ID
MONA = ("--by", "mona.birkeland")

# A second koordinator in the same service, so koordinerende enhet has someone to replace Anne with.
MORE_PEOPLE = PEOPLE + """\
  - id: per.lund
    navn: Per Lund
    stilling: helsesykepleier
    tjeneste: helsestasjon
    leder: liv.berg
    epost: per.lund@testvik.example
    roller: [koordinator]
"""

# Nivå 3 with koordinator Anne Ek (helsestasjon), sekundær Liv Berg, and the family wanting an IP.
KOORD = ACTIVE.replace("niva: 1\n", "niva: 3\n").replace(
    "      - helsestasjon\n    form", "      - helsestasjon\n      - koordinerende-enhet\n    form").replace(
    "samtykker:\n", """\
koordinator_foresporsel:
  type: koordinator
  dato: 2026-10-01
  av: mona.birkeland
  begrunnelse: Langvarige behov.
  kriterier:
    - behov for langvarige og koordinerte helse- og omsorgstjenester (hol. § 7-2)
koordinator:
  type: koordinator
  person: anne.ek
  sekundaer: liv.berg
  oppnevnt_av: tove.ke
  fra: 2026-10-10
individuell_plan:
  status: onsket
  dato: 2026-10-12
samtykker:
""", 1)
# The same case before koordinerende enhet has answered the request.
REQUESTED = KOORD.replace("""\
koordinator:
  type: koordinator
  person: anne.ek
  sekundaer: liv.berg
  oppnevnt_av: tove.ke
  fra: 2026-10-10
individuell_plan:
  status: onsket
  dato: 2026-10-12
""", "")
ACTIVE_IP = KOORD.replace("  status: onsket\n  dato: 2026-10-12\n",
                          "  status: aktiv\n  dato: 2026-10-20\n  periode_fra: 2026-10-20\n  periode_til: 2027-06-30\n")


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    return write_kommune(tmp_path / "testvik", people=MORE_PEOPLE)


def refused(kommune: Path, *args: str, fragment: str) -> str:
    """The command refuses with one line, exit non-zero, and the case file is byte-identical."""
    path = case_file(kommune, C)
    before = path.read_bytes()
    result = stafett(*args, "-C", kommune)
    assert result.code != 0, result.out
    assert len(result.err_lines) == 1 and "Traceback" not in result.err, result.err
    assert fragment in result.err_lines[0], result.err_lines[0]
    assert path.read_bytes() == before
    return result.err_lines[0]


def codes(kommune: Path) -> str:
    return stafett("validate", kommune, "-j", "1").out


def todos(kommune: Path) -> list[dict]:
    return json.loads(ok("status", "--format", "json", "-C", kommune).out)["items"]


# --- evaluations -----------------------------------------------------------------------------------

def test_postponing_an_evaluation_keeps_the_date_it_moved_from_and_why(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    result = ok("tiltak", "postpone", C, "t-friminutt", "--til", "2027-01-12", "--grunn", "Nora var syk i desember.",
                *MONA, "-C", kommune)
    assert "postponed from 2026-12-15 to 2027-01-12" in result.out
    case = load(kommune, C)
    t = case.tiltak[0]
    assert t.evalueres.isoformat() == "2027-01-12"
    u = t.utsettelser[0]
    assert (u.fra.isoformat(), u.til.isoformat(), u.grunn, u.av) == ("2026-12-15", "2027-01-12", "Nora var syk i desember.",
                                                                      "mona.birkeland")
    assert case.logg[-1].type == "evaluering" and "utsatt fra 15.12.2026 til 12.1.2027" in case.logg[-1].tekst
    assert "Nora var syk i desember." in case.logg[-1].tekst
    assert " E00" not in codes(kommune)


@pytest.mark.parametrize("args,fragment", [
    (("--til", "2026-12-01", "--grunn", "Tidligere."), "moves the evaluation later"),
    (("--til", "2026-12-15", "--grunn", "Samme dag."), "moves the evaluation later"),
    (("--til", "2027-01-12", "--grunn", "  "), "needs a reason"),
    (("--til", "2027-02-30", "--grunn", "Feil dato."), "is not a date"),
])
def test_a_postponement_that_does_not_move_later_is_refused(kommune: Path, args, fragment) -> None:
    write_case(kommune, ACTIVE)
    refused(kommune, "tiltak", "postpone", C, "t-friminutt", *args, *MONA, fragment=fragment)


def test_postponing_an_ended_or_unknown_tiltak_is_refused(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    refused(kommune, "tiltak", "postpone", C, "t-finnesikke", "--til", "2027-01-12", "--grunn", "G.", *MONA,
            fragment="no tiltak 't-finnesikke'")
    ok("tiltak", "end", C, "t-friminutt", *MONA, "-C", kommune)
    refused(kommune, "tiltak", "postpone", C, "t-friminutt", "--til", "2027-01-12", "--grunn", "G.", *MONA, fragment="has ended")


def test_postponing_into_the_past_is_refused(kommune: Path, monkeypatch) -> None:
    write_case(kommune, ACTIVE.replace("evalueres: 2026-12-15", "evalueres: 2026-11-01"))
    refused(kommune, "tiltak", "postpone", C, "t-friminutt", "--til", "2026-11-10", "--grunn", "For sent.", *MONA,
            fragment="has passed already")


EVALUATE = ("evaluate", C, "t-friminutt", "--utfall", "effekt", "--vurdering", "Bedre i friminuttene.", "--neste", "2027-01-20")


def test_a_script_must_give_the_childs_view_or_why_it_is_missing(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    line = refused(kommune, *EVALUATE, *MONA, fragment="records the child's own view")
    assert "--barnets-syn" in line and "--uten-barnets-syn" in line
    refused(kommune, *EVALUATE, "--barnets-syn", "Bra.", "--uten-barnets-syn", "Syk.", *MONA, fragment="not both")
    ok(*EVALUATE, "--uten-barnets-syn", "Nora var syk på evalueringsdagen; vi spør henne neste uke.", *MONA, "-C", kommune)
    case = load(kommune, C)
    e = case.tiltak[0].evalueringer[0]
    assert e.barnets_syn is None and e.barnets_syn_mangler.startswith("Nora var syk")
    assert "Barnets syn er ikke med: Nora var syk" in case.logg[-1].tekst
    assert "Familiens syn er ikke med." in case.logg[-1].tekst


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_childs_and_familys_view_are_asked_for(kommune: Path, monkeypatch) -> None:
    write_case(kommune, ACTIVE)
    monkeypatch.setattr(sys, "stdin", _Terminal("Jeg har noen å leke med nå.\nMor ser at Nora gleder seg.\n"))
    ok(*EVALUATE, *MONA, "-C", kommune)
    e = load(kommune, C).tiltak[0].evalueringer[0]
    assert (e.barnets_syn, e.familiens_syn) == ("Jeg har noen å leke med nå.", "Mor ser at Nora gleder seg.")


def test_on_a_terminal_an_empty_answer_asks_why_the_childs_view_is_missing(kommune: Path, monkeypatch) -> None:
    write_case(kommune, ACTIVE)
    monkeypatch.setattr(sys, "stdin", _Terminal("\nNora ville ikke snakke om det i dag.\n\n"))
    ok(*EVALUATE, *MONA, "-C", kommune)
    e = load(kommune, C).tiltak[0].evalueringer[0]
    assert (e.barnets_syn, e.barnets_syn_mangler, e.familiens_syn) == (None, "Nora ville ikke snakke om det i dag.", None)


def test_an_evaluation_made_in_a_meeting_takes_its_date(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    ok(*EVALUATE, "--barnets-syn", "Bedre.", "--mote", "mo-forste", *MONA, "-C", kommune)
    case = load(kommune, C)
    e = case.tiltak[0].evalueringer[0]
    assert (e.mote, e.dato.isoformat()) == ("mo-forste", "2026-11-20")
    assert "Evaluert i møtet mo-forste." in case.logg[-1].tekst
    rendered = ok("render", C, "--format", "md", *MONA, "-C", kommune).out
    assert "Evaluert i:** Samarbeidsmøte nr. 1, 20.11.2026" in rendered


@pytest.mark.parametrize("extra,fragment", [
    (("--mote", "mo-finnesikke"), "no meeting 'mo-finnesikke'"),
    (("--mote", "mo-forste", "--dato", "2026-11-21"), "was held on 2026-11-20, not on 2026-11-21"),
    (("--mote", "mo-neste"), "is after today"),
])
def test_an_evaluation_tied_to_a_meeting_that_does_not_fit_is_refused(kommune: Path, extra, fragment) -> None:
    write_case(kommune, ACTIVE)
    refused(kommune, *EVALUATE, "--barnets-syn", "Bedre.", *extra, *MONA, fragment=fragment)


def test_validate_names_inconsistent_postponements_and_evaluation_meetings(kommune: Path) -> None:
    text = ACTIVE.replace("    status: aktiv\nmoter:", """\
    status: aktiv
    utsettelser:
      - fra: 2026-12-15
        til: 2026-12-01
        grunn: Feil vei.
        av: mona.birkeland
      - fra: 2026-08-01
        til: 2026-12-15
        grunn: Før start.
        av: ukjent.person
    evalueringer:
      - dato: 2026-11-19
        av: mona.birkeland
        utfall: effekt men ikke i mål
        vurdering: Bedre.
        barnets_syn: Bra.
        neste_evaluering: 2026-12-15
        mote: mo-forste
      - dato: 2026-11-19
        av: mona.birkeland
        utfall: effekt men ikke i mål
        vurdering: Bedre.
        barnets_syn: Bra.
        neste_evaluering: 2026-12-15
        mote: mo-borte
moter:""")
    write_case(kommune, text)
    out = codes(kommune)
    for code in ("E001", "E002", "E003", "E004", "R001 unknown person 'ukjent.person'"):
        assert code in out, out


# --- handover ---------------------------------------------------------------------------------------

OFFER_PPT = ("handover", "offer", C, "--til", "siri.dahl", "--grunn", "Behovene ligger mest hos PPT nå.",
             "--onske", "Mor ønsker PPT.", "--tiltak", "Utredning og tilrettelegging.",
             "--koordineringsbehov", "Flere tjenester; rådgiver med tid.", *MONA)


def test_a_handover_to_another_service_waits_for_that_leaders_approval(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    refused(kommune, *OFFER_PPT, fragment="no active consent covers 'ppt'")  # PPT may not be told without consent
    write_case(kommune, ACTIVE.replace("      - helsestasjon\n    form", "      - helsestasjon\n      - ppt\n    form", 1))
    ok(*OFFER_PPT, "-C", kommune)
    line = refused(kommune, "handover", "accept", C, "--by", "siri.dahl", fragment="its leader approves")
    assert "Tor Moen runs: stafett handover approve" in line
    refused(kommune, "handover", "approve", C, "--by", "hanne.rossland", fragment="is not a leader of siri.dahl's unit")
    refused(kommune, "handover", "approve", C, "--by", "siri.dahl", fragment="is not a leader")
    result = ok("handover", "approve", C, "--by", "tor.moen", "-C", kommune)
    assert "approved by Tor Moen" in result.out
    assert load(kommune, C).baton_holder() == "mona.birkeland"
    refused(kommune, "handover", "approve", C, "--by", "tor.moen", fragment="approved already")
    ok("handover", "accept", C, "--by", "siri.dahl", "-C", kommune)
    case = load(kommune, C)
    holder = case.stafettholder
    assert (holder.person, holder.leder_godkjent, holder.familiens_onske) == ("siri.dahl", "tor.moen", "Mor ønsker PPT.")
    assert (holder.vurdering.onske, holder.vurdering.tiltak, holder.vurdering.koordineringsbehov) == (
        "Mor ønsker PPT.", "Utredning og tilrettelegging.", "Flere tjenester; rådgiver med tid.")
    assert "Godkjent av leder Tor Moen." in case.logg[-1].tekst
    assert "O00" not in codes(kommune)

    # The assessment goes with Siri into the history when the baton moves on.
    ok("handover", "offer", C, "--til", "tor.moen", "--grunn", "Siri slutter.", "--onske", "Mor ønsker Tor.",
       "--tiltak", "Som før.", "--koordineringsbehov", "Som før.", "--by", "siri.dahl", "-C", kommune)
    ok("handover", "accept", C, "--by", "tor.moen", "-C", kommune)  # a leader of the service approves himself
    case = load(kommune, C)
    assert case.tidligere_stafettholdere[-1].vurdering.onske == "Mor ønsker PPT."
    assert case.stafettholder.leder_godkjent == "tor.moen"
    # Standard keeps the baton's history (Vigilo, the school's own layout, leaves it to the stafettlogg).
    rendered = ok("render", C, "--format", "md", "--layout", "standard", *MONA, "-C", kommune).out
    assert "Vurdert da stafettpinnen ble overlevert" in rendered and "Mor ønsker PPT." in rendered
    html = ok("render", C, "--format", "html", "--layout", "standard", "--lang", "nn", *MONA, "-C", kommune).out
    assert "Vurdert då stafettpinnen vart overlevert" in html and "Godkjent av leiar" in html


def test_a_handover_inside_the_service_needs_no_approval_and_keeps_the_assessment(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    ok("handover", "offer", C, "--til", "erik.vatne", "--grunn", "Ny kontaktlærer.", "--onske", "Nora vil ha Erik.",
       "--tiltak", "Som før.", "--koordineringsbehov", "Lite.", *MONA, "-C", kommune)
    ok("handover", "accept", C, "--by", "erik.vatne", "-C", kommune)
    holder = load(kommune, C).stafettholder
    assert holder.leder_godkjent is None and holder.vurdering.onske == "Nora vil ha Erik."


def test_approving_without_a_pending_handover_is_refused(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    refused(kommune, "handover", "approve", C, "--by", "tor.moen", fragment="no handover is pending")


def test_validate_warns_of_a_new_service_holder_without_approval(kommune: Path) -> None:
    text = ACTIVE.replace("stafettholder:\n  person: mona.birkeland\n  fra: 2026-09-03\n  oppnevnt_av: hanne.rossland\n",
                          "stafettholder:\n  person: siri.dahl\n  fra: 2026-11-02\n  oppnevnt_av: mona.birkeland\n"
                          "tidligere_stafettholdere:\n  - person: mona.birkeland\n    fra: 2026-09-03\n    til: 2026-11-02\n")
    write_case(kommune, text)
    out = codes(kommune)
    assert "O001 (warning) the baton moved from skole to ppt" in out, out
    path = case_file(kommune, C)
    path.write_text(path.read_text(encoding="utf-8").replace("  oppnevnt_av: mona.birkeland\n",
                                                             "  oppnevnt_av: mona.birkeland\n  leder_godkjent: hanne.rossland\n"),
                    encoding="utf-8")
    out = codes(kommune)
    assert "O001" not in out and "O002 (warning) 'hanne.rossland' approved the handover" in out, out


# --- koordinerende enhet: the family's wish, a refusal, a new request --------------------------------

REQUEST = ("escalate", C, "--koordinator", "koordinator", "--kriterium", "langvarige-koordinerte-tjenester",
           "--begrunnelse", "Behov for langvarige, koordinerte tjenester.", *MONA)


def test_a_refused_request_is_closed_and_a_new_one_replaces_it(kommune: Path) -> None:
    write_case(kommune, KOORD.replace("koordinator_foresporsel:", "koordinator_fjernet:").split("koordinator_fjernet:")[0]
               + "samtykker:" + KOORD.split("samtykker:", 1)[1])
    ok(*REQUEST, "--familiens-onske", "Familien ønsker Anne, som de kjenner fra helsestasjonen.", "-C", kommune)
    assert load(kommune, C).koordinator_foresporsel.familiens_onske.startswith("Familien ønsker Anne")
    assert any(t["kind"] == "koordinator" for t in todos(kommune))

    refused(kommune, "koordinator", "refuse", C, "--grunn", "Nei.", "--by", "mona.birkeland",
            fragment="is not in koordinerende enhet")
    refused(kommune, "koordinator", "refuse", C, "--grunn", " ", "--by", "tove.ke", fragment="needs a reason")
    ok("koordinator", "refuse", C, "--grunn", "Behovet er ikke langvarig nok ennå; vurderes igjen i mars.",
       "--by", "tove.ke", "-C", kommune)
    case = load(kommune, C)
    avslag = case.koordinator_foresporsel.avslag
    assert (avslag.av, avslag.dato.isoformat()) == ("tove.ke", "2026-11-23") and avslag.grunn.startswith("Behovet")
    assert case.logg[-1].type == "koordinator" and "avslo forespørselen om koordinator" in case.logg[-1].tekst
    assert not any(t["kind"] == "koordinator" for t in todos(kommune))
    refused(kommune, "koordinator", "refuse", C, "--grunn", "Igjen.", "--by", "tove.ke", fragment="refused already")
    refused(kommune, "assign", C, "--koordinator", "anne.ek", "--by", "tove.ke", fragment="refused the request")

    rendered = ok("render", C, "--format", "md", *MONA, "-C", kommune).out
    assert "Avslag:** 23.11.2026, avslått av Tove Kjos" in rendered and "Familien ønsker Anne" in rendered

    ok(*REQUEST, "-C", kommune)  # a new request after the refusal
    assert load(kommune, C).koordinator_foresporsel.avslag is None
    ok("assign", C, "--koordinator", "anne.ek", "--familiens-onske", "Mor ønsker Anne.", "--by", "tove.ke", "-C", kommune)
    assert load(kommune, C).koordinator.familiens_onske == "Mor ønsker Anne."


def test_the_familys_wish_on_the_request_goes_with_the_appointment(kommune: Path) -> None:
    write_case(kommune, REQUESTED.replace("  begrunnelse: Langvarige behov.\n",
                                          "  begrunnelse: Langvarige behov.\n  familiens_onske: Mor ønsker Anne.\n"))
    ok("assign", C, "--koordinator", "anne.ek", "--by", "tove.ke", "-C", kommune)
    case = load(kommune, C)
    assert case.koordinator.familiens_onske == "Mor ønsker Anne." and "Familiens ønske: Mor ønsker Anne." in case.logg[-1].tekst


def test_validate_names_a_refusal_before_its_request_and_an_appointment_on_a_refusal(kommune: Path) -> None:
    write_case(kommune, KOORD.replace("    - behov for langvarige og koordinerte helse- og omsorgstjenester (hol. § 7-2)\n",
                                      "    - behov for langvarige og koordinerte helse- og omsorgstjenester (hol. § 7-2)\n"
                                      "  avslag:\n    dato: 2026-09-01\n    av: tove.ke\n    grunn: Nei.\n"))
    out = codes(kommune)
    assert "I001" in out and "I002" in out, out


# --- the koordinator over time -------------------------------------------------------------------

def test_replacing_the_koordinator_keeps_who_went_when_and_why(kommune: Path) -> None:
    write_case(kommune, KOORD)
    refused(kommune, "koordinator", "replace", C, "--ny", "per.lund", "--grunn", "Permisjon.", *MONA,
            fragment="is not in koordinerende enhet")
    refused(kommune, "koordinator", "replace", C, "--ny", "erik.vatne", "--grunn", "Bytte.", "--by", "tove.ke",
            fragment="is not listed as a koordinator")
    refused(kommune, "koordinator", "replace", C, "--ny", "anne.ek", "--grunn", "Bytte.", "--by", "tove.ke",
            fragment="is the koordinator already")
    refused(kommune, "koordinator", "replace", C, "--ny", "per.lund", "--grunn", "Bytte.", "--dato", "2026-10-01",
            "--by", "tove.ke", fragment="is before anne.ek became koordinator")
    ok("koordinator", "replace", C, "--ny", "per.lund", "--grunn", "Anne går ut i permisjon.",
       "--familiens-onske", "Familien vil ha en mann denne gangen.", "--by", "tove.ke", "-C", kommune)
    case = load(kommune, C)
    past = case.tidligere_koordinatorer[0]
    assert (past.person, past.fra.isoformat(), past.til.isoformat(), past.grunn) == (
        "anne.ek", "2026-10-10", "2026-11-23", "Anne går ut i permisjon.")
    k = case.koordinator
    assert (k.person, k.sekundaer, k.oppnevnt_av, k.familiens_onske) == (
        "per.lund", "liv.berg", "tove.ke", "Familien vil ha en mann denne gangen.")
    assert case.baton_holder() == "mona.birkeland"
    rendered = ok("render", C, "--format", "md", "--lang", "nn", *MONA, "-C", kommune).out
    assert "Tidlegare koordinatorar" in rendered and "Anne går ut i permisjon." in rendered


def test_a_koordinator_holding_the_baton_hands_it_to_the_new_one(kommune: Path) -> None:
    write_case(kommune, KOORD.replace("stafettholder:\n  person: mona.birkeland\n  fra: 2026-09-03\n  oppnevnt_av: hanne.rossland\n",
                                      "stafettholder:\n  person: anne.ek\n  fra: 2026-10-10\n  oppnevnt_av: tove.ke\n"))
    refused(kommune, "koordinator", "end", C, "--grunn", "Ferdig.", "--by", "tove.ke", fragment="holds the baton")
    result = ok("koordinator", "replace", C, "--ny", "per.lund", "--grunn", "Bytte.", "--by", "tove.ke", "-C", kommune)
    assert "Per Lund holds the baton" in result.out
    case = load(kommune, C)
    assert case.baton_holder() == "per.lund" and case.tidligere_stafettholdere[-1].person == "anne.ek"


def test_ending_the_koordinator_leaves_no_open_request_behind(kommune: Path) -> None:
    write_case(kommune, KOORD)
    ok("koordinator", "end", C, "--grunn", "Familien ønsker ikke koordinator lenger.", "--by", "tove.ke", "-C", kommune)
    case = load(kommune, C)
    assert case.koordinator is None and case.tidligere_koordinatorer[0].person == "anne.ek"
    assert "er ikke lenger koordinator" in case.logg[-1].tekst
    assert not any(t["kind"] == "koordinator" for t in todos(kommune))
    refused(kommune, "koordinator", "end", C, "--grunn", "Igjen.", "--by", "tove.ke", fragment="has no koordinator")


def test_the_sekundaer_covers_an_absence_with_the_koordinators_rights(kommune: Path, monkeypatch) -> None:
    write_case(kommune, KOORD)
    adding = ("assign", C, "--deltaker", "anne.ek", "--by", "liv.berg")
    refused(kommune, *adding, fragment="only the one holding the baton")
    refused(kommune, "koordinator", "absence", C, "--fra", "2026-11-30", "--til", "2026-11-29", "--by", "anne.ek",
            fragment="ends (2026-11-29) before it starts")
    refused(kommune, "koordinator", "absence", C, "--fra", "2026-11-20", "--til", "2026-11-29", "--by", "erik.vatne",
            fragment="cannot register the koordinator's absence")
    result = ok("koordinator", "absence", C, "--fra", "2026-11-20", "--til", "2026-12-04", "--by", "anne.ek", "-C", kommune)
    assert "Liv Berg covers" in result.out
    case = load(kommune, C)
    f = case.koordinator.fravaer[0]
    assert (f.dekket_av, f.registrert_av, f.til.isoformat()) == ("liv.berg", "anne.ek", "2026-12-04")
    assert "overtar ansvaret" in case.logg[-1].tekst
    refused(kommune, "koordinator", "absence", C, "--fra", "2026-12-01", "--til", "2026-12-10", "--by", "anne.ek",
            fragment="overlaps")
    assert any(t["kind"] == "koordinator-fravaer" and t["who"] == ["liv.berg"] for t in todos(kommune))
    ok(*adding, "-C", kommune)  # inside the absence, the sekundær acts as koordinator
    monkeypatch.setenv("STAFETT_TODAY", "2026-12-07")
    refused(kommune, "assign", C, "--deltaker", "anne.ek", "--slutt", "--by", "liv.berg", fragment="only the one holding the baton")
    rendered = ok("render", C, "--format", "html", *MONA, "-C", kommune).out
    assert "Fravær" in rendered and "20.11.2026–4.12.2026" in rendered


def test_validate_names_overlapping_or_self_covered_absences(kommune: Path) -> None:
    write_case(kommune, KOORD.replace("  fra: 2026-10-10\nindividuell_plan:", """\
  fra: 2026-10-10
  fravaer:
    - fra: 2026-11-01
      til: 2026-11-10
      dekket_av: liv.berg
      registrert_av: anne.ek
    - fra: 2026-11-05
      til: 2026-11-12
      dekket_av: anne.ek
      registrert_av: anne.ek
individuell_plan:"""))
    out = codes(kommune)
    assert "I004" in out and "I005" in out, out


# --- the individuell plan --------------------------------------------------------------------------

def test_the_plan_gets_a_period_revision_dates_and_its_own_evaluation(kommune: Path, monkeypatch) -> None:
    write_case(kommune, KOORD)
    refused(kommune, "ip", "evaluate", C, "--vurdering", "Bra.", "--barnets-syn", "Bra.", "--by", "anne.ek",
            fragment="needs an individuell plan the family wants (status aktiv)")
    refused(kommune, "ip", "period", C, "--fra", "2026-11-23", "--til", "2027-06-30", *MONA,
            fragment="the koordinator (anne.ek) keeps the individuell plan")
    refused(kommune, "ip", "period", C, "--fra", "2027-06-30", "--til", "2026-11-23", "--by", "anne.ek",
            fragment="ends (2026-11-23) before or when it starts")
    ok("ip", "period", C, "--fra", "2026-11-23", "--til", "2027-06-30", "--by", "anne.ek", "-C", kommune)
    refused(kommune, "ip", "revision", C, "--dato", "2027-08-01", "--by", "anne.ek", fragment="outside the plan's period")
    refused(kommune, "ip", "revision", C, "--dato", "2026-11-01", "--by", "anne.ek", fragment="has passed")
    ok("ip", "revision", C, "--dato", "2027-02-01", "--by", "anne.ek", "-C", kommune)
    refused(kommune, "ip", "revision", C, "--dato", "2027-02-01", "--by", "anne.ek", fragment="a revision date already")
    ok("escalate", C, "--ip", "aktiv", "--by", "anne.ek", "-C", kommune)
    plan = load(kommune, C).individuell_plan
    assert (plan.status, plan.periode_fra.isoformat(), [r.isoformat() for r in plan.revisjoner]) == (
        "aktiv", "2026-11-23", ["2027-02-01"]), "a change of status keeps the period and the revisions"

    monkeypatch.setenv("STAFETT_TODAY", "2027-02-03")
    assert any(t["kind"] == "ip-revisjon" and t["overdue"] for t in todos(kommune))
    refused(kommune, "ip", "evaluate", C, "--vurdering", "Planen virker.", "--by", "anne.ek", fragment="the child's own view")
    ok("ip", "evaluate", C, "--vurdering", "Planen virker; skoledagen er kortere.", "--barnets-syn", "Jeg vil ha mer friminutt.",
       "--familiens-syn", "Mor er fornøyd.", "--neste-revisjon", "2027-05-01", "--by", "anne.ek", "-C", kommune)
    case = load(kommune, C)
    e = case.individuell_plan.evalueringer[0]
    assert (e.dato.isoformat(), e.av, e.barnets_syn, e.familiens_syn) == (
        "2027-02-03", "anne.ek", "Jeg vil ha mer friminutt.", "Mor er fornøyd.")
    assert case.individuell_plan.revisjoner[-1].isoformat() == "2027-05-01"
    assert case.logg[-1].type == "individuell_plan" and "Neste revisjon 1.5.2027." in case.logg[-1].tekst
    assert not any(t["kind"] == "ip-revisjon" for t in todos(kommune))
    # A later evaluation may confirm the revision date already planned: kept once, not refused.
    ok("ip", "evaluate", C, "--vurdering", "Fortsatt bra.", "--barnets-syn", "Bra.", "--neste-revisjon", "2027-05-01",
       "--by", "anne.ek", "-C", kommune)
    assert [r.isoformat() for r in load(kommune, C).individuell_plan.revisjoner] == ["2027-02-01", "2027-05-01"]

    monkeypatch.setenv("STAFETT_TODAY", "2027-06-20")
    kinds = {t["kind"]: t for t in todos(kommune)}
    assert kinds["ip-revisjon"]["overdue"] and not kinds["ip-periode"]["overdue"]
    rendered = ok("render", C, "--format", "md", *MONA, "-C", kommune).out
    assert "Periode:** 23.11.2026–30.6.2027" in rendered and "1.2.2027, 1.5.2027" in rendered
    assert "Evalueringer av planen" in rendered and "Jeg vil ha mer friminutt." in rendered


def test_the_sekundaer_keeps_the_plan_while_covering(kommune: Path) -> None:
    write_case(kommune, ACTIVE_IP.replace("  fra: 2026-10-10\nindividuell_plan:", """\
  fra: 2026-10-10
  fravaer:
    - fra: 2026-11-16
      til: 2026-11-27
      dekket_av: liv.berg
      registrert_av: anne.ek
individuell_plan:"""))
    ok("ip", "evaluate", C, "--vurdering", "Ok.", "--uten-barnets-syn", "Nora var ikke med på møtet.", "--by", "liv.berg",
       "-C", kommune)
    refused(kommune, "ip", "evaluate", C, "--vurdering", "Ok.", "--barnets-syn", "Ja.", *MONA,
            fragment="keeps the individuell plan")


def test_a_koordinator_case_without_an_ip_offer_is_flagged(kommune: Path) -> None:
    write_case(kommune, KOORD.replace("individuell_plan:\n  status: onsket\n  dato: 2026-10-12\n", ""))
    out = codes(kommune)
    assert "I006 (warning) koordinator since 2026-10-10, and no individuell plan was offered within 30 days" in out, out
    assert any(t["kind"] == "ip-tilbud" and t["overdue"] for t in todos(kommune))
    ok("escalate", C, "--ip", "tilbudt", "--by", "anne.ek", "-C", kommune)
    assert "I006" not in codes(kommune)


def test_validate_names_a_broken_ip_period(kommune: Path) -> None:
    write_case(kommune, ACTIVE_IP.replace("  periode_til: 2027-06-30\n", "  periode_til: 2026-10-01\n"))
    assert "I007" in codes(kommune)
    write_case(kommune, ACTIVE_IP.replace("  periode_til: 2027-06-30\n", "  periode_til: 2027-06-30\n  revisjoner:\n    - 2027-09-01\n"))
    assert "I008 (warning)" in codes(kommune)


# --- help with søknader and klager --------------------------------------------------------------------

@pytest.mark.parametrize("kind,label", [("soknad", "Søknad"), ("klage", "Klage")])
def test_help_with_applications_and_complaints_is_logged(kommune: Path, kind: str, label: str) -> None:
    write_case(kommune, KOORD)
    ok("log", C, "Hjalp mor med søknad om omsorgsstønad til NAV.", "--type", kind, "--by", "anne.ek", "-C", kommune)
    assert load(kommune, C).logg[-1].type == kind
    # standard: Mona's own InfoDoc journal note leaves the full log out by design.
    assert f"| {label} |" in ok("render", C, "--format", "md", "--layout", "standard", *MONA, "-C", kommune).out


# --- the proof over git history ------------------------------------------------------------------

def test_history_proves_the_koordinator_history_only_grows(kommune: Path, monkeypatch) -> None:
    from commands_kit import git

    write_case(kommune, KOORD)
    git(kommune, "init", "-q")
    git(kommune, "add", "-A")
    git(kommune, "commit", "-q", "-m", "start")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "tove.ke@testvik.example")
    ok("koordinator", "replace", C, "--ny", "per.lund", "--grunn", "Anne går ut i permisjon.", "-C", kommune)
    git(kommune, "commit", "-q", "-am", "bytte", who="tove.ke")
    assert ok("validate", kommune, "-j", "1", "--since", "HEAD~1").code == 0
    path = case_file(kommune, C)
    path.write_text(path.read_text(encoding="utf-8").replace("Anne går ut i permisjon.", "Annen grunn."), encoding="utf-8")
    git(kommune, "commit", "-q", "-am", "endret", who="tove.ke")
    result = stafett("validate", kommune, "-j", "1", "--since", "HEAD~1")
    assert result.code == 1 and "P006" in result.out and "tidligere_koordinatorer" in result.out, result.out
