"""Meetings: the .ics invitation a calendar reads back (and that never names the child), and planning or
writing a referat from flags, from a file, or through $EDITOR the way `git commit` works."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from commands_kit import ACTIVE, ACTIVE_ID, case_file, load, new_id, ok, stafett, write_case, write_kommune

C = ACTIVE_ID
PLAN = ("meeting", "plan", C, "--tid", "2026-12-01 14:00", "--sted", "Testvik skole, møterom 2", "--varighet", "90",
        "--innkalt", "foresatte", "--innkalt", "anne.ek", "--dagsorden", "Hvordan har Nora det hjemme?",
        "--dagsorden", "Tiltak", "--by", "mona.birkeland")

FAKE_EDITOR = r'''
import json, os, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
with open(os.environ["FAKE_EDIT_SEEN"], "w", encoding="utf-8") as seen:
    seen.write(text)
plan = json.loads(os.environ["FAKE_EDIT"])
if "exit" in plan:
    sys.exit(plan["exit"])
if "write" in plan:
    text = plan["write"]
for old, new in plan.get("replace", []):
    assert old in text, old
    text = text.replace(old, new)
open(path, "w", encoding="utf-8").write(text)
'''


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    monkeypatch.delenv("VISUAL", raising=False)
    root = write_kommune(tmp_path / "testvik")
    write_case(root, ACTIVE)
    return root


@pytest.fixture
def editor(tmp_path: Path, monkeypatch):
    script = tmp_path / "fake_editor.py"
    script.write_text(FAKE_EDITOR, encoding="utf-8")
    seen = tmp_path / "seen.yaml"
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    monkeypatch.setenv("FAKE_EDIT_SEEN", str(seen))

    def use(**plan) -> Path:
        monkeypatch.setenv("FAKE_EDIT", json.dumps(plan))
        return seen

    return use


def _event(path: Path):
    cal = Calendar.from_ical(path.read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


def test_the_invitation_is_a_calendar_event_that_names_no_family_member(kommune: Path, tmp_path: Path) -> None:
    result = ok(*PLAN, "-C", kommune, cwd=tmp_path)
    meeting_id = new_id(result, "mo")
    path = tmp_path / f"{C}-{meeting_id}.ics"
    assert str(path) in result.out

    cal, event = _event(path)
    assert str(cal["version"]) == "2.0" and str(cal["method"]) == "REQUEST" and "stafett" in str(cal["prodid"])
    assert str(event["uid"]) == f"{meeting_id}.{C}@stafett"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.strftime("%Y-%m-%d %H:%M") == "2026-12-01 14:00" and str(start.tzinfo) == "Europe/Oslo"
    assert (end - start).total_seconds() == 90 * 60
    assert str(event["summary"]) == f"Samarbeidsmøte nr. 3 – sak {C}"
    assert str(event["location"]) == "Testvik skole, møterom 2"
    assert str(event["organizer"]) == "mailto:mona.birkeland@testvik.example"
    attendees = {str(a): a.params.get("CN") for a in event["attendee"]}
    assert attendees == {"mailto:ida@example.com": "Foresatt (mor)", "mailto:anne.ek@testvik.example": "Anne Ek",
                         "mailto:mona.birkeland@testvik.example": "Mona Birkeland"}
    text = path.read_bytes().decode("utf-8")
    for private in ("Nora", "Testdatter", "Ida", "Jon", "hjemme"):
        assert private not in text, f"{private!r} leaked into the invitation"
    assert "Dagsorden: 2 punkt(er)" in str(event["description"])


def test_the_agenda_goes_in_only_when_asked_for(kommune: Path, tmp_path: Path) -> None:
    target = tmp_path / "med-dagsorden.ics"
    ok(*PLAN, "--ics", target, "--ics-dagsorden", "-C", kommune)
    _, event = _event(target)
    assert "1. Hvordan har Nora det hjemme?\n2. Tiltak" in str(event["description"])


def test_a_leader_without_email_publishes_instead_of_inviting(kommune: Path, tmp_path: Path) -> None:
    people = kommune / "personer.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("    epost: erik.vatne@testvik.example\n", ""),
                      encoding="utf-8")
    target = tmp_path / "x.ics"
    ok("meeting", "plan", C, "--tid", "2026-12-02 08:30", "--sted", "Skolen", "--leder", "erik.vatne", "--ics", target,
       "--by", "mona.birkeland", "-C", kommune)
    cal, event = _event(target)
    assert str(cal["method"]) == "PUBLISH" and "organizer" not in event
    assert event.decoded("dtend") - event.decoded("dtstart") == __import__("datetime").timedelta(minutes=60)


def test_the_invitation_can_be_written_again_without_changing_the_case(kommune: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.ics"
    meeting_id = new_id(ok(*PLAN, "--ics", first, "-C", kommune), "mo")
    raw = case_file(kommune, C).read_bytes()
    again = tmp_path / "again.ics"
    ok("meeting", "ics", C, meeting_id, "--ics", again, "-C", kommune)
    assert case_file(kommune, C).read_bytes() == raw
    assert _event(first)[1]["uid"] == _event(again)[1]["uid"]


def test_no_ics_writes_no_invitation(kommune: Path, tmp_path: Path) -> None:
    ok(*PLAN, "--no-ics", "-C", kommune, cwd=tmp_path)
    assert not list(tmp_path.glob("*.ics"))


def test_the_meeting_is_recorded_with_number_invited_and_agenda(kommune: Path, tmp_path: Path) -> None:
    meeting_id = new_id(ok(*PLAN, "--no-ics", "-C", kommune), "mo")
    meeting = load(kommune, C).moter[-1]
    assert (meeting.id, meeting.nummer, meeting.varighet_min) == (meeting_id, 3, 90)
    assert meeting.innkalt == ["f-mor", "f-far", "anne.ek", "mona.birkeland"]
    assert meeting.dagsorden == ["Hvordan har Nora det hjemme?", "Tiltak"]
    assert load(kommune, C).logg[-1].type == "møte"


# --- $EDITOR -------------------------------------------------------------------------------------

def test_plan_through_the_editor(kommune: Path, editor, tmp_path: Path) -> None:
    seen = editor(replace=[["tidspunkt: ''", "tidspunkt: 2026-12-03 09:00"], ["sted: ''", "sted: Helsestasjonen"],
                           ["dagsorden:              # the agenda, one item a line", "dagsorden:\n  - Oppstart"]])
    result = ok("meeting", "plan", C, "--type", "evalueringsmøte", "--no-ics", "--by", "mona.birkeland", "-C", kommune)
    template = seen.read_text(encoding="utf-8")
    assert "type: evalueringsmøte" in template and "leder: mona.birkeland" in template and "  - f-mor" in template
    meeting = load(kommune, C).moter[-1]
    assert new_id(result, "mo") == meeting.id
    assert (meeting.type, meeting.sted, meeting.dagsorden) == ("evalueringsmøte", "Helsestasjonen", ["Oppstart"])
    assert meeting.tidspunkt.strftime("%Y-%m-%d %H:%M") == "2026-12-03 09:00"


def test_referat_through_the_editor_with_a_prefilled_template(kommune: Path, editor) -> None:
    seen = editor(replace=[["    notat: ''\n  - punkt: \"Tiltak\"", "    notat: Bedre.\n  - punkt: \"Tiltak\""],
                           ["barnets_stemme: ''", "barnets_stemme: Nora sier det er greit nå."],
                           ["beslutninger: []", "beslutninger:\n  - Fortsetter som før."]])
    ok("meeting", "referat", C, "mo-forste", "--by", "mona.birkeland", "-C", kommune)
    template = seen.read_text(encoding="utf-8")
    assert "tilstede:\n  - f-mor\n  - mona.birkeland" in template and '- punkt: "Hvordan går det?"' in template
    referat = load(kommune, C).moter[0].referat
    assert referat.tilstede == ["f-mor", "mona.birkeland"] and referat.kopi_til == ["f-mor", "mona.birkeland"]
    assert [(n.punkt, n.notat) for n in referat.notater] == [("Hvordan går det?", "Bedre.")]
    assert referat.beslutninger == ["Fortsetter som før."] and referat.barnets_stemme == "Nora sier det er greit nå."


@pytest.mark.parametrize("plan,fragment", [
    ({}, "empty or unchanged template"),
    ({"write": "# bare kommentarer\n\n"}, "empty or unchanged template"),
    ({"write": ""}, "empty or unchanged template"),
    ({"exit": 1}, "the editor exited with status 1"),
    ({"write": "tilstede: [mona.birkeland\n"}, "YAML syntax error"),
    ({"write": "tilstede: [mona.birkeland]\nsvada: 1\n"}, "unknown key 'svada'"),
    ({"write": "tilstede: [mona.birkeland]\n"}, "the child's voice"),
], ids=["unchanged", "only comments", "empty", "editor failed", "invalid yaml", "unknown key", "incomplete"])
def test_an_aborted_or_broken_edit_writes_nothing(kommune: Path, editor, plan, fragment) -> None:
    editor(**plan)
    path = case_file(kommune, C)
    raw = path.read_bytes()
    result = stafett("meeting", "referat", C, "mo-forste", "--by", "mona.birkeland", "-C", kommune)
    assert result.code != 0 and len(result.err_lines) == 1 and fragment in result.err, result.err
    assert path.read_bytes() == raw


def test_no_content_and_no_editor_is_a_clear_error(kommune: Path, monkeypatch) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    result = stafett("meeting", "referat", C, "mo-forste", "--by", "mona.birkeland", "-C", kommune)
    assert result.code == 2 and result.err_lines == [
        "error: no content given and no editor set (pass the content as flags or --file FILE, or set $EDITOR)"]


def test_referat_from_a_file(kommune: Path, tmp_path: Path) -> None:
    source = tmp_path / "referat.yaml"
    source.write_text(
        "# referat skrevet i møtet\n"
        "tilstede: [mona.birkeland, f-mor]\n"
        "notater:\n  - {punkt: '2', notat: Fortsetter med voksen ute.}\n"
        "oppgaver:\n  - {tekst: Ringe far, ansvarlig: mona.birkeland, frist: 2026-11-30}\n"
        "barnets_stemme_mangler: Nora ville ikke være med i dag.\n"
        "neste_mote: 2027-01-12 14:00\n", encoding="utf-8")
    ok("meeting", "referat", C, "mo-forste", "--file", source, "--kopi-til", "foresatte", "--by", "mona.birkeland", "-C", kommune)
    referat = load(kommune, C).moter[0].referat
    assert referat.notater[0].punkt == "Tiltak" and referat.oppgaver[0].frist.isoformat() == "2026-11-30"
    assert referat.fravaerende == [] and referat.kopi_til == ["f-mor", "f-far"]
    assert referat.barnets_stemme is None and referat.barnets_stemme_mangler == "Nora ville ikke være med i dag."
    assert referat.neste_mote.strftime("%Y-%m-%d %H:%M") == "2027-01-12 14:00" and referat.samtykker == ["s-logg"]
    assert "Barnets stemme mangler" in load(kommune, C).logg[-1].tekst


def test_absent_defaults_to_invited_but_not_present(kommune: Path) -> None:
    ok("meeting", "referat", C, "mo-forste", "--tilstede", "mona.birkeland", "--barnets-stemme", "Bra.",
       "--by", "mona.birkeland", "-C", kommune)
    referat = load(kommune, C).moter[0].referat
    assert referat.tilstede == ["mona.birkeland"] and referat.fravaerende == ["f-mor"]


@pytest.mark.parametrize("target", ["stafett.yaml", "personer.yaml", f"saker/{C}.yaml", "saker/mote.ics", "notat.txt"])
def test_the_invitation_never_overwrites_a_file_of_the_folder(kommune: Path, target: str) -> None:
    files = {p: p.read_bytes() for p in kommune.rglob("*") if p.is_file()}
    result = stafett(*PLAN, "--ics", kommune / target, "-C", kommune)
    assert result.code == 2 and len(result.err_lines) == 1, result.err
    assert {p: p.read_bytes() for p in kommune.rglob("*") if p.is_file() and p.name != f".{C}.yaml.lock"} == files
    refused = stafett("meeting", "ics", C, "mo-forste", "--ics", kommune / target, "-C", kommune)
    assert refused.code == 2 and len(refused.err_lines) == 1


def test_the_invitation_does_not_follow_a_link_onto_a_case_file(kommune: Path) -> None:
    link = kommune / "mote.ics"
    link.symlink_to(case_file(kommune, C))
    raw = case_file(kommune, C).read_bytes()
    result = stafett("meeting", "ics", C, "mo-forste", "--ics", link, "-C", kommune)
    assert result.code == 2 and case_file(kommune, C).read_bytes() == raw


# --- the time zone as calendar clients read it ---------------------------------------------------------
# July is summer time in Norway (UTC+2), January is not (UTC+1). A VTIMEZONE written as one long RDATE
# list put every summer meeting an hour off in Thunderbird (ical.js); each change is a yearly rule now.

SEASONS = [("2027-07-01 14:00", "2027-07-01T12:00:00Z"), ("2027-01-14 14:00", "2027-01-14T13:00:00Z"),
           ("2027-03-28 12:00", "2027-03-28T10:00:00Z"), ("2027-10-31 12:00", "2027-10-31T11:00:00Z")]


def _plan_at(kommune: Path, target: Path, when: str) -> bytes:
    ok("meeting", "plan", C, "--tid", when, "--sted", "Skolen", "--innkalt", "foresatte", "--ics", target,
       "--by", "mona.birkeland", "-C", kommune)
    return target.read_bytes()


def test_the_time_zone_is_one_yearly_rule_per_change(kommune: Path, tmp_path: Path) -> None:
    cal = Calendar.from_ical(_plan_at(kommune, tmp_path / "m.ics", SEASONS[0][0]))
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Oslo"
    parts = {part.name: part for part in zone.subcomponents}
    assert sorted(parts) == ["DAYLIGHT", "STANDARD"] and len(zone.subcomponents) == 2
    for name, month, starts, before, after in (("DAYLIGHT", 3, "02:00", 1, 2), ("STANDARD", 10, "03:00", 2, 1)):
        part = parts[name]
        assert "RDATE" not in part
        assert part["RRULE"].to_ical() == f"FREQ=YEARLY;BYDAY=-1SU;BYMONTH={month}".encode()
        first = part.decoded("dtstart")
        assert (first.month, f"{first:%H:%M}", first.weekday()) == (month, starts, 6)
        assert part.decoded("tzoffsetfrom").total_seconds() == before * 3600
        assert part.decoded("tzoffsetto").total_seconds() == after * 3600


@pytest.mark.parametrize("local,utc", SEASONS)
def test_summer_and_winter_meetings_convert_by_the_files_own_zone(kommune: Path, tmp_path: Path, local, utc) -> None:
    import datetime as dt

    cal = Calendar.from_ical(_plan_at(kommune, tmp_path / "m.ics", local))
    zone = cal.walk("VTIMEZONE")[0].to_tz()  # the file's rules, not this machine's tz database
    wall = cal.walk("VEVENT")[0].decoded("dtstart").replace(tzinfo=None)
    assert f"{wall:%Y-%m-%d %H:%M}" == local
    assert f"{wall.replace(tzinfo=zone).astimezone(dt.timezone.utc):%Y-%m-%dT%H:%M:%SZ}" == utc


def test_the_rules_match_the_tz_database_for_decades(kommune: Path, tmp_path: Path) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    cal = Calendar.from_ical(_plan_at(kommune, tmp_path / "m.ics", SEASONS[0][0]))
    ours, oslo = cal.walk("VTIMEZONE")[0].to_tz(), ZoneInfo("Europe/Oslo")
    hour = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    while hour.year < 2040:  # every change between 2000 and 2040, to the hour
        assert hour.astimezone(ours).utcoffset() == hour.astimezone(oslo).utcoffset(), hour
        hour += dt.timedelta(hours=1 if hour.month in (3, 10) else 24)


def _icaljs_bases() -> list[str]:
    """Folders node could find ical.js from: $STAFETT_ICALJS (set by .ci/run), then npm's global folder."""
    import os
    import shutil
    import subprocess

    bases = [os.environ["STAFETT_ICALJS"]] if os.environ.get("STAFETT_ICALJS") else []
    npm = shutil.which("npm")
    if npm:
        done = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=60)
        if done.returncode == 0 and done.stdout.strip():
            bases.append(str(Path(done.stdout.strip()).parent))
    return bases


ICALJS = r"""
const { createRequire } = require("module");
let ICAL = null;
for (const base of process.argv.slice(2)) {
  try { ICAL = createRequire(base.endsWith("/") ? base : base + "/")("ical.js"); break; } catch (e) {}
}
if (!ICAL) { console.log(JSON.stringify({ missing: true })); process.exit(0); }
const root = new ICAL.Component(ICAL.parse(require("fs").readFileSync(0, "utf8")));
for (const zone of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
const event = new ICAL.Event(root.getFirstSubcomponent("vevent"));
console.log(JSON.stringify({ start: event.startDate.toJSDate().toISOString(), zone: event.startDate.zone.tzid }));
"""


@pytest.mark.parametrize("local,utc", SEASONS)
def test_thunderbirds_parser_places_the_meeting_at_the_right_hour(kommune: Path, tmp_path: Path, local, utc) -> None:
    import json as _json
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = tmp_path / "parse.cjs"
    script.write_text(ICALJS, encoding="utf-8")
    ics = _plan_at(kommune, tmp_path / "m.ics", local)
    done = subprocess.run([node, str(script), *_icaljs_bases()], input=ics, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    seen = _json.loads(done.stdout)
    if seen.get("missing"):
        pytest.skip("ical.js is not installed (npm install ical.js; .ci/run does it)")
    assert seen == {"start": utc.replace("Z", ".000Z"), "zone": "Europe/Oslo"}
