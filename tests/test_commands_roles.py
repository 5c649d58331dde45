"""Who may do what: the leader rule, koordinerende enhet, the koordinator taking the baton, the
sekundær-koordinator, and log text in the kommune's målform."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands_kit import ACTIVE, ACTIVE_ID, PEOPLE, SETTINGS, case_id_from, load, ok, stafett, write_case, write_kommune

C = ACTIVE_ID
REQUEST = ("escalate", C, "--koordinator", "koordinator", "--kriterium", "langvarige-koordinerte-tjenester",
           "--begrunnelse", "Behov for langvarige, koordinerte tjenester.", "--by", "mona.birkeland")
# Koordinerende enhet acts only under a consent that covers it.
KE_CONSENT = ("consent", "add", C, "--gitt-av", "f-mor", "--gitt-av", "f-far", "--omfang", "koordinerende-enhet", "--by", "mona.birkeland")
NIVA_0 = ACTIVE.replace("niva: 1\n", "niva: 0\n").replace(
    "stafettholder:\n  person: mona.birkeland\n  fra: 2026-09-03\n  oppnevnt_av: hanne.rossland\n", "")


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    return write_kommune(tmp_path / "testvik")


def test_the_eiers_nearest_leader_appoints_and_may_set_the_level(kommune: Path) -> None:
    write_case(kommune, NIVA_0)
    ok("assign", C, "--stafettholder", "erik.vatne", "--niva", "2", "--familiens-onske", "Nora vil ha Erik.",
       "--by", "hanne.rossland", "-C", kommune)
    case = load(kommune, C)
    assert (case.niva, case.stafettholder.person, case.stafettholder.familiens_onske) == (2, "erik.vatne", "Nora vil ha Erik.")
    assert "Familiens ønske: Nora vil ha Erik." in case.logg[-1].tekst and "Nivå 0 → 2." in case.logg[-1].tekst


def test_a_leder_in_the_same_unit_may_appoint_by_delegation(kommune: Path) -> None:
    people = PEOPLE.replace("  - id: tor.moen\n", "  - id: nestleder\n    navn: Nils Nestleder\n    stilling: inspektør\n"
                                                 "    tjeneste: skole\n    enhet: Testvik skole\n    roller: [leder]\n  - id: tor.moen\n")
    root = write_kommune(kommune.parent / "delegert", people=people)
    write_case(root, NIVA_0)
    ok("assign", C, "--stafettholder", "mona.birkeland", "--by", "nestleder", "-C", root)
    assert load(root, C).stafettholder.oppnevnt_av == "nestleder"


def test_koordinator_takes_the_baton_when_asked(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    ok(*KE_CONSENT, "-C", kommune)
    ok(*REQUEST, "-C", kommune)
    result = ok("assign", C, "--koordinator", "anne.ek", "--overtar-stafettpinnen", "--by", "tove.ke", "-C", kommune)
    case = load(kommune, C)
    assert "Anne Ek holds the baton" in result.out
    assert case.baton_holder() == "anne.ek" and case.koordinator.sekundaer == "liv.berg"
    assert case.tidligere_stafettholdere[0].person == "mona.birkeland"
    assert ok("validate", kommune, "-j", "1").code == 0


def test_a_named_sekundaer_and_a_koordinator_without_the_role(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    ok(*KE_CONSENT, "-C", kommune)
    ok(*REQUEST, "-C", kommune)
    refused = stafett("assign", C, "--koordinator", "mona.birkeland", "--by", "tove.ke", "-C", kommune)
    assert refused.code == 1 and "is not listed as a koordinator" in refused.err
    ok("assign", C, "--koordinator", "anne.ek", "--sekundaer", "hanne.rossland", "--by", "tove.ke", "-C", kommune)
    assert load(kommune, C).koordinator.sekundaer == "hanne.rossland"


def test_a_koordinator_without_a_leader_needs_a_named_sekundaer(kommune: Path) -> None:
    people = PEOPLE.replace("    leder: liv.berg\n    epost: anne.ek", "    epost: anne.ek")
    root = write_kommune(kommune.parent / "uten-leder", people=people)
    write_case(root, ACTIVE)
    ok(*KE_CONSENT, "-C", root)
    ok(*REQUEST, "-C", root)
    refused = stafett("assign", C, "--koordinator", "anne.ek", "--by", "tove.ke", "-C", root)
    assert refused.code == 1 and "has no nearest leader" in refused.err and "--sekundaer" in refused.err


def test_barnekoordinator_for_an_expected_child(kommune: Path) -> None:
    result = ok("open", "-C", kommune, "--by", "anne.ek", "--navn", "Familien Prøve", "--kategori", "gravid",
                "--termin", "2027-02-01", "--beskrivelse", "Fostermedisinsk funn.")
    case_id = case_id_from(result)
    ok("assign", case_id, "--stafettholder", "anne.ek", "--by", "liv.berg", "-C", kommune)
    ok("consent", "add", case_id, "--gitt-av", "hovedperson", "--omfang", "koordinerende-enhet", "--by", "anne.ek", "-C", kommune)
    ok("escalate", case_id, "--koordinator", "barnekoordinator", "--kriterium", "alvorlig-sykdom-skade-funksjonsnedsettelse",
       "--kriterium", "langvarige-sammensatte-tjenester", "--begrunnelse", "Ventet barn med alvorlig sykdom.",
       "--by", "anne.ek", "-C", kommune)
    assert load(kommune, case_id).koordinator_foresporsel.kriterier[0] == "ventet-barn"


def test_the_receiver_declines_and_the_holder_cancels(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    offer = ("handover", "offer", C, "--til", "erik.vatne", "--grunn", "Ny klasse.", "--onske", "Ja.", "--tiltak", "Få.",
             "--koordineringsbehov", "Lite.", "--by", "mona.birkeland", "-C", kommune)
    ok(*offer)
    assert stafett("handover", "decline", C, "--by", "mona.birkeland", "-C", kommune).code == 1
    ok("handover", "decline", C, "--grunn", "Har ikke tid.", "--by", "erik.vatne", "-C", kommune)
    assert load(kommune, C).overlevering is None and load(kommune, C).baton_holder() == "mona.birkeland"
    ok(*offer)
    assert stafett("handover", "cancel", C, "--by", "erik.vatne", "-C", kommune).code == 1
    ok("handover", "cancel", C, "--by", "mona.birkeland", "-C", kommune)
    assert load(kommune, C).overlevering is None
    assert [e.type for e in load(kommune, C).logg[-4:]] == ["overlevering"] * 4


def test_log_text_follows_the_kommunes_malform(kommune: Path) -> None:
    root = write_kommune(kommune.parent / "nynorsk", settings=SETTINGS.replace("malform: nb", "malform: nn"))
    write_case(root, NIVA_0)
    ok("assign", C, "--stafettholder", "mona.birkeland", "--by", "hanne.rossland", "-C", root)
    ok("tiltak", "add", C, "--beskrivelse", "Vaksen ute", "--ansvarlig", "mona.birkeland", "--evalueres", "2027-01-10",
       "--mal", "m-venner", "--by", "mona.birkeland", "-C", root)
    texts = [e.tekst for e in load(root, C).logg[-2:]]
    assert "oppnemnde Mona Birkeland (kontaktlærer, Grunnskolene) som stafetthaldar frå 23.11.2026" in texts[0]
    assert "Ansvarleg: Mona Birkeland" in texts[1] and "vert evaluert 10.1.2027" in texts[1]


def test_a_new_goal_and_area_are_created_with_the_tiltak(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    result = ok("tiltak", "add", C, "--beskrivelse", "Vennegruppe med helsesykepleier", "--ansvarlig", "anne.ek",
                "--evalueres", "2027-02-01", "--start", "2026-11-30", "--mal", "m-venner", "--nytt-mal", "Nora har en bestevenn.",
                "--nytt-utviklingsomrade", "Sosial fungering", "--by", "mona.birkeland", "-C", kommune)
    case = load(kommune, C)
    tiltak = case.tiltak[-1]
    assert tiltak.id in result.out and tiltak.ansvarlig == "anne.ek" and tiltak.start.isoformat() == "2026-11-30"
    assert tiltak.mal == ["m-venner", case.mal[-1].id] and tiltak.utviklingsomrade == case.utviklingsomrader[0].id
    assert case.mal[-1].tekst == "Nora har en bestevenn."


def test_evaluating_with_avslutte_ends_the_tiltak(kommune: Path) -> None:
    write_case(kommune, ACTIVE)
    ok("evaluate", C, "t-friminutt", "--utfall", "avslutte tiltaket", "--vurdering", "Målet er nådd.",
       "--barnets-syn", "Jeg har venner nå.", "--by", "mona.birkeland", "-C", kommune)
    tiltak = load(kommune, C).tiltak[0]
    assert tiltak.status == "avsluttet" and tiltak.slutt.isoformat() == "2026-11-23"
    assert tiltak.evalueringer[0].utfall == "avslutte tiltaket" and tiltak.evalueringer[0].neste_evaluering is None


def test_log_keeps_time_order_across_a_small_clock_skew() -> None:
    import datetime as dt

    from stafett.model import Case, People, Settings
    from stafett.store import yamlio
    from stafett.workflow.common import Context, log

    settings = Settings.model_validate(yamlio.load_strict(SETTINGS))
    people = People.model_validate(yamlio.load_strict(PEOPLE))
    case = Case.model_validate(yamlio.load_strict(ACTIVE))  # last entry 2026-09-03 10:00:00
    behind = Context(settings, people, "mona.birkeland", dt.datetime(2026, 9, 3, 9, 55))
    assert log(case, behind, "notat", "Fem minutter bak.").logg[-1].tid == dt.datetime(2026, 9, 3, 10, 0)
    from stafett.errors import DomainError

    with pytest.raises(DomainError, match="later than now"):
        log(case, Context(settings, people, "mona.birkeland", dt.datetime(2026, 9, 3, 9, 0)), "notat", "En time bak.")
    assert len(case.logg) == 2, "the case given is never changed"
