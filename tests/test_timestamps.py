"""Timestamps carry their offset and are Oslo's, whatever the machine's zone (issue 12).

A command writes what it records with Oslo's UTC offset (+01:00, +02:00 in summer) on a machine set to
UTC or New York; a time written with another offset (a clone abroad, a hand-written Z) counts as the same
instant on Oslo's clock, so the log sorts as things happened; an older file's naive times are Oslo time
and stay byte for byte as they were. Every command runs as a real process so TZ takes effect."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from commands_kit import ACTIVE, ACTIVE_ID, case_file, write_case, write_kommune

C = ACTIVE_ID
OSLO = ZoneInfo("Europe/Oslo")
ZONES = ("UTC", "America/New_York")
STAMPED = re.compile(r"^  - tid: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)([-+]\d\d:\d\d)$", re.M)


def run(root: Path, *args: str, tz: str = "UTC", today: str = "2026-11-23", cwd: Path | None = None):
    env = {**os.environ, "TZ": tz, "STAFETT_TODAY": today, "STAFETT_LANG": "en"}
    env.pop("CI", None)
    return subprocess.run([sys.executable, "-m", "stafett", *args], cwd=cwd or root, env=env,
                          capture_output=True, text=True)


def ok(root: Path, *args: str, **kw) -> str:
    done = run(root, *args, **kw)
    assert done.returncode == 0, f"stafett {' '.join(args)} failed ({done.returncode}): {done.stderr}{done.stdout}"
    return done.stdout


def oslo_clock() -> dt.time:
    return dt.datetime.now(OSLO).time().replace(microsecond=0)


def between(start: dt.time, t: dt.time, end: dt.time) -> bool:
    return start <= t <= end if start <= end else (t >= start or t <= end)  # a run across midnight


def added_lines(old: str, new: str) -> list[str]:
    """What a diff of the file shows: the added lines; fails if any old line went away or changed."""
    diff = list(difflib.ndiff(old.splitlines(), new.splitlines()))
    assert not [line for line in diff if line.startswith("- ")], "an existing line changed"
    return [line[2:] for line in diff if line.startswith("+ ")]


@pytest.fixture
def kommune(tmp_path: Path) -> Path:
    root = write_kommune(tmp_path / "testvik")
    write_case(root, ACTIVE)
    return root


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(("today", "offset"), [("2026-11-23", "+01:00"), ("2027-07-01", "+02:00")])
def test_log_writes_oslo_time_with_its_offset_whatever_the_machine_zone(kommune: Path, tz: str, today: str,
                                                                        offset: str) -> None:
    path = case_file(kommune, C)
    old = path.read_text(encoding="utf-8")
    before = oslo_clock()
    ok(kommune, "log", C, "Ringte mor.", "--by", "mona.birkeland", tz=tz, today=today)
    ok(kommune, "log", C, "Ringte far.", "--by", "mona.birkeland", tz=tz, today=today)
    after = oslo_clock()

    text = path.read_text(encoding="utf-8")
    assert len(added_lines(old, text)) == 8  # the older naive times are left exactly as they were
    stamps = STAMPED.findall(text)
    assert len(stamps) == 2 and {o for _, o in stamps} == {offset}
    for written, _ in stamps:
        when = dt.datetime.fromisoformat(written)
        # Oslo's wall clock, not the machine's: on a UTC machine that is an hour or two apart.
        assert when.date().isoformat() == today and between(before, when.time(), after), (written, before, after)
    ok(kommune, "validate", f"saker/{C}.yaml", tz=tz, today=today)


# Four notes one morning, written in file order as they happened: naive (Oslo), 09:30 UTC (10:30 in Oslo),
# 05:00 in New York (11:00 in Oslo), naive again. Read by the wall clock as written, the second would come
# before the first and the third first of all.
ABROAD_LOG = """\
  - tid: 2026-11-05 10:00:00
    av: mona.birkeland
    type: notat
    tekst: Notat en.
  - tid: 2026-11-05T09:30:00Z
    av: mona.birkeland
    type: notat
    tekst: Notat to.
  - tid: 2026-11-05T05:00:00-05:00
    av: mona.birkeland
    type: notat
    tekst: Notat tre.
  - tid: 2026-11-05 11:30:00
    av: mona.birkeland
    type: notat
    tekst: Notat fire.
"""


@pytest.fixture
def abroad(tmp_path: Path) -> Path:
    root = write_kommune(tmp_path / "testvik")
    write_case(root, ACTIVE + ABROAD_LOG)
    return root


@pytest.mark.parametrize("tz", ZONES)
def test_times_written_with_another_offset_sort_as_the_instants_they_are(abroad: Path, tz: str) -> None:
    report = ok(abroad, "validate", f"saker/{C}.yaml", tz=tz)
    assert "L001" not in report  # no entry counts as earlier than the one before it

    page = ok(abroad, "render", C, "--layout", "standard", "--by", "mona.birkeland", tz=tz)
    order = [page.find(f"Notat {n}.") for n in ("en", "to", "tre", "fire")]
    assert -1 not in order and order == sorted(order), page
    rows = {n: next(line for line in page.splitlines() if f"Notat {n}." in line) for n in ("to", "tre")}
    assert "| 5.11.2026 kl. 10.30 |" in rows["to"] and "| 5.11.2026 kl. 11.00 |" in rows["tre"], rows


def test_an_entry_from_abroad_out_of_order_in_oslo_time_is_still_found(tmp_path: Path) -> None:
    root = write_kommune(tmp_path / "testvik")
    # 10:15 UTC is 11:15 in Oslo: after 11:30 in the file, so it is out of order.
    late = ABROAD_LOG + "  - tid: 2026-11-05T10:15:00Z\n    av: mona.birkeland\n    type: notat\n    tekst: Notat fem.\n"
    write_case(root, ACTIVE + late)
    done = run(root, "validate", f"saker/{C}.yaml")
    assert done.returncode != 0 and "L001" in done.stdout + done.stderr


@pytest.mark.parametrize("tz", ZONES)
def test_a_log_command_on_an_older_file_adds_only_its_entry(abroad: Path, tz: str) -> None:
    path = case_file(abroad, C)
    old = path.read_text(encoding="utf-8")
    ok(abroad, "log", C, "Ringte mor.", "--by", "mona.birkeland", tz=tz)

    added = added_lines(old, path.read_text(encoding="utf-8"))
    assert len(added) == 4 and STAMPED.match(added[0]) and added[0].endswith("+01:00"), added
    assert added[1:] == ["    av: mona.birkeland", "    type: notat", "    tekst: Ringte mor."]
    assert run(abroad, "validate", f"saker/{C}.yaml", tz=tz).returncode == 0


def test_a_planned_meeting_is_written_with_its_offset_and_the_invitation_stays_in_oslo(kommune: Path,
                                                                                     tmp_path: Path) -> None:
    path = case_file(kommune, C)
    old = path.read_text(encoding="utf-8")
    out = ok(kommune, "meeting", "plan", C, "--tid", "2027-06-10 14:00", "--sted", "Testvik skole",
             "--innkalt", "mona.birkeland", "--by", "mona.birkeland", "-C", str(kommune), cwd=tmp_path)
    meeting_id = re.search(r"\b(mo-[a-z0-9]{6})\b", out).group(1)
    utc_now = dt.datetime.now(dt.timezone.utc)

    added = added_lines(old, path.read_text(encoding="utf-8"))
    assert "    tidspunkt: 2027-06-10 14:00:00+02:00" in added, added

    event = Calendar.from_ical((tmp_path / f"{C}-{meeting_id}.ics").read_bytes()).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Oslo" and start.strftime("%Y-%m-%d %H:%M") == "2027-06-10 14:00"
    # DTSTAMP is the moment the file was made, in UTC: on a UTC machine it once came out an hour late.
    stamp = event.decoded("dtstamp")
    assert stamp.utcoffset() == dt.timedelta(0) and stamp.date() == dt.date(2026, 11, 23)
    assert between((utc_now - dt.timedelta(minutes=2)).time(), stamp.time(), utc_now.time()), (stamp, utc_now)

    ok(kommune, "meeting", "postpone", C, meeting_id, "--til", "2027-06-11 09:00", "--grunn", "Sykdom.",
       "--by", "mona.birkeland", "-C", str(kommune), cwd=tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "    tidspunkt: 2027-06-11 09:00:00+02:00" in text
    assert "        fra: 2027-06-10 14:00:00+02:00" in text and "        til: 2027-06-11 09:00:00+02:00" in text
    assert run(kommune, "validate", f"saker/{C}.yaml").returncode == 0


def test_entries_merged_from_clones_in_other_zones_go_in_oslo_time_order(tmp_path: Path) -> None:
    from commands_kit import stafett

    root = write_kommune(tmp_path / "testvik")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, capture_output=True)
    end = "    tekst: Mona Birkeland er stafettholder.\n"
    base, ours, theirs = root / "base.yaml", root / "ours.yaml", root / "theirs.yaml"
    base.write_text(ACTIVE, encoding="utf-8")
    # Ours at 11:00 in Oslo; theirs from New York at 06:30 there, 12:30 in Oslo: after ours, though its
    # digits sort first.
    ours.write_text(ACTIVE.replace(end, end + "  - tid: 2026-11-05 11:00:00+01:00\n    av: mona.birkeland\n"
                                   "    type: notat\n    tekst: Vår side.\n"), encoding="utf-8")
    theirs.write_text(ACTIVE.replace(end, end + "  - tid: 2026-11-05 06:30:00-05:00\n    av: erik.vatne\n"
                                     "    type: notat\n    tekst: Deres side.\n"), encoding="utf-8")
    result = stafett("merge-driver", base, ours, theirs, f"saker/{C}.yaml", cwd=root)
    assert result.code == 0, result.err
    text = ours.read_text(encoding="utf-8")
    assert "Vår side." in text and text.index("Vår side.") < text.index("Deres side."), text
    assert "  - tid: 2026-11-05 11:00:00+01:00\n" in text  # ours as it was
