"""A suspected abuser is never tipped off: the suspicion, the consultations, what stafett itself logs about
them, anything written while the family could not be told, and anything skjermet never reach a family copy,
in any layout, format or målform, whatever a local template asks for. The case is built through the CLI,
as a coordinator would: raise, note, a staff meeting, a "wait" consultation, a clearing one, then contact."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from commands_kit import ACTIVE, ACTIVE_ID, case_id_from, load, new_id, ok, stafett, write_case, write_kommune

C = ACTIVE_ID
LAYOUTS = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "templates" / "profiles").glob("*.yaml"))
FORMATS = ("md", "html")
LANGS = ("nb", "nn")

# Strings only staff may ever read.
PROTECTED = ("GRUNN-HEMMELIG", "VINDU-NOTAT-HEMMELIG", "MOTE-VINDU-HEMMELIG", "RAD-VENT-HEMMELIG", "KONSULTERT-NAVN",
             "RAD-KLARERT-HEMMELIG", "SKJERMET-HEMMELIG", "Mistanke om v", "onsultasjon", "onsultert", "Konsultert")
VISIBLE = ("ETTER-KLARERING", "SYNLIG-LYSGLIMT")


def _on(monkeypatch, day: str, *args: str):
    monkeypatch.setenv("STAFETT_TODAY", day)
    return ok(*args, "-C", _on.root)


@pytest.fixture
def flagged(tmp_path: Path, monkeypatch) -> Path:
    root = write_kommune(tmp_path / "testvik")
    write_case(root, ACTIVE)
    _on.root = root
    by = ("--by", "mona.birkeland")
    _on(monkeypatch, "2026-11-02", "suspicion", "raise", C, "--grunn", "GRUNN-HEMMELIG: Nora fortalte om slag.", *by)
    _on(monkeypatch, "2026-11-02", "log", C, "VINDU-NOTAT-HEMMELIG: drøftet med rektor.", *by)
    planned = _on(monkeypatch, "2026-11-02", "meeting", "plan", C, "--tid", "2026-11-03 10:00", "--sted", "Rektors kontor",
                  "--innkalt", "erik.vatne", "--no-ics", *by)
    _on(monkeypatch, "2026-11-03", "meeting", "referat", C, new_id(planned, "mo"), "--tilstede", "mona.birkeland",
        "--tilstede", "erik.vatne", "--beslutning", "MOTE-VINDU-HEMMELIG: vi melder til barnevernet.",
        "--barnets-stemme-mangler", "Internt møte.", *by)
    _on(monkeypatch, "2026-11-03", "suspicion", "consult", C, "--med", "barnevern", "--konsultert", "KONSULTERT-NAVN",
        "--rad", "RAD-VENT-HEMMELIG: vent med foreldrene.", "--familiekontakt", "vent", *by)
    _on(monkeypatch, "2026-11-04", "log", C, "SKJERMET-HEMMELIG notat.", "--skjermet", *by)
    _on(monkeypatch, "2026-11-05", "suspicion", "consult", C, "--med", "politi", "--konsultert", "KONSULTERT-NAVN",
        "--rad", "RAD-KLARERT-HEMMELIG: familien kan kontaktes.", "--familiekontakt", "klarert", *by)
    _on(monkeypatch, "2026-11-06", "log", C, "ETTER-KLARERING: ringte mor.", "--med", "f-mor", *by)
    _on(monkeypatch, "2026-11-06", "log", C, "SYNLIG-LYSGLIMT i friminuttet.", "--type", "lysglimt", *by)
    return root


def _render(root: Path, *args: str) -> str:
    result = stafett("render", C, *args, "-C", root)
    assert result.code == 0, result.err
    return result.out


def test_every_family_copy_leaves_out_every_protected_string(flagged: Path) -> None:
    staff = _render(flagged, "--format", "md")
    for text in PROTECTED[:7]:
        assert text in staff, f"the staff copy shows {text}"
    for layout, fmt, lang in itertools.product(LAYOUTS, FORMATS, LANGS):
        family = _render(flagged, "--layout", layout, "--format", fmt, "--lang", lang, "--for", "foresatte")
        for text in PROTECTED:
            assert text not in family, f"{text} leaked into the family copy ({layout}, {fmt}, {lang})"
        assert "ETTER-KLARERING" in family or layout != "standard", "the family copy still shows the later log"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_local_template_that_dumps_everything_still_gets_no_protected_data(flagged: Path, fmt: str) -> None:
    # A hostile or careless override prints every value it is given, the whole view included.
    dump = "{{ c }}\n{{ c.bekymring }}\n{% for e in c.logg %}{{ e }}\n{% endfor %}{{ c.moter }}\n"
    if fmt == "html":
        dump = f'<!DOCTYPE html>\n<html lang="nb">\n<head>\n<title>x</title>\n</head>\n<body>\n{dump}</body>\n</html>\n'
    (flagged / "templates" / fmt).mkdir(parents=True)
    (flagged / "templates" / fmt / f"document.{fmt}.j2").write_text(dump, encoding="utf-8")
    staff = _render(flagged, "--format", fmt)
    assert "GRUNN-HEMMELIG" in staff and "RAD-VENT-HEMMELIG" in staff, "the override sees everything for staff"
    family = _render(flagged, "--format", fmt, "--for", "foresatte")
    assert "ETTER-KLARERING" in family
    for text in PROTECTED[:7]:  # the values; the view's empty attribute names carry nothing
        assert text not in family, f"{text} reached a local template's family copy"


def test_the_referat_of_a_meeting_held_under_the_block_is_not_a_family_copy(flagged: Path) -> None:
    meeting = next(m.id for m in load(flagged, C).moter if m.tidspunkt.day == 3)
    assert "MOTE-VINDU-HEMMELIG" in _render(flagged, "--meeting", meeting, "--format", "md")
    result = stafett("render", C, "--meeting", meeting, "--for", "foresatte", "-C", flagged)
    assert result.code != 0 and len(result.err.splitlines()) == 1 and "blocked" in result.err


def test_a_worry_reported_as_the_suspicion_keeps_its_words_out_of_the_family_copy(tmp_path: Path, monkeypatch) -> None:
    root = write_kommune(tmp_path / "testvik")
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-02")
    opened = ok("open", "--navn", "Ida Testesen", "--fodselsdato", "2018-02-02", "--mistanke-om-vold",
                "--beskrivelse", "BESKRIVELSE-HEMMELIG: blåmerker, sier at stefar slo.", "--foresatt", "mor=Eva Testesen",
                "--by", "mona.birkeland", "-C", root)
    case_id = case_id_from(opened)
    assert stafett("render", case_id, "--for", "foresatte", "-C", root).code != 0, "no family copy while blocked"
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-04")
    ok("suspicion", "consult", case_id, "--med", "barnevern", "--konsultert", "Barnevernsvakten", "--rad", "Snakk med mor.",
       "--familiekontakt", "klarert", "--by", "mona.birkeland", "-C", root)
    for fmt in FORMATS:
        family = stafett("render", case_id, "--format", fmt, "--for", "foresatte", "-C", root)
        assert family.code == 0, family.err
        assert "BESKRIVELSE-HEMMELIG" not in family.out and "Mistanke om v" not in family.out
        assert "BESKRIVELSE-HEMMELIG" in stafett("render", case_id, "--format", fmt, "-C", root).out


def test_status_names_the_block_and_a_meeting_that_invites_the_family(tmp_path: Path, monkeypatch) -> None:
    root = write_kommune(tmp_path / "testvik")
    write_case(root, ACTIVE)
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-02")
    ok("meeting", "plan", C, "--tid", "2026-12-10 14:00", "--sted", "Skolen", "--innkalt", "f-mor", "--no-ics",
       "--by", "mona.birkeland", "-C", root)
    ok("suspicion", "raise", C, "--grunn", "Nora fortalte om slag.", "--by", "mona.birkeland", "-C", root)
    result = ok("status", "--format", "json", "-C", root, "--by", "mona.birkeland")
    items = json.loads(result.out)["items"]
    texts = [item["text"] for item in items if item["kind"] == "konsultasjon"]
    assert any("no contact with the family" in t for t in texts)
    assert any("invites the family while contact is blocked" in t for t in texts)


def test_an_invitation_to_the_family_waits_while_the_flag_is_open(tmp_path: Path, monkeypatch) -> None:
    root = write_kommune(tmp_path / "testvik")
    write_case(root, ACTIVE)
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-02")
    ok("suspicion", "raise", C, "--grunn", "Nora fortalte om slag.", "--by", "mona.birkeland", "-C", root)
    target = tmp_path / "mote.ics"
    result = stafett("meeting", "ics", C, "mo-neste", "--ics", target, "-C", root)
    assert result.code == 0, "a meeting with staff only may still be sent"
    result = stafett("meeting", "ics", C, "mo-forste", "--ics", tmp_path / "familie.ics", "-C", root)
    assert result.code != 0 and "sending the invitation to the family waits" in result.err
    assert not (tmp_path / "familie.ics").exists()


def test_an_invitation_is_never_named_after_another_case(tmp_path: Path, monkeypatch) -> None:
    root = write_kommune(tmp_path / "testvik")
    write_case(root, ACTIVE)
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-02")
    result = stafett("meeting", "ics", C, "mo-neste", "--ics", tmp_path / "S-20150301-k7q4-mote.ics", "-C", root)
    assert result.code != 0 and "names case S-20150301-k7q4" in result.err
