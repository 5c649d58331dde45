"""A cloned repository cannot hurt the person who uses it: files and paths.

Only regular files inside the case folder are read or written. A case that is a link to /dev/zero, a
FIFO or a folder named like a case, a `saker/` that leads out of the folder, a link or folder at a lock
path: each is one finding in `validate` and one error line from a command, never a hang, a memory hog
or an internal error. What stafett writes is private to the user whatever the umask; a read-only case,
a full disk or a file size limit is a clear message with the old file intact; an editor's save during
a write is never lost; a command that writes two files writes both or neither.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.commands_kit import stafett
from tests.conftest import CASE, CASE_ID

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices and rlimits are POSIX")
POSING = "S-20260101-abcd12"  # a case file name that is not a case file
CASE_COMMANDS = [["validate"], ["status"], ["export"], ["retention"]]


def case_path(root: Path, case_id: str = CASE_ID) -> Path:
    return root / "saker" / f"{case_id}.yaml"


def one_line(result, codes=(1, 2)) -> str:
    assert result.code in codes, f"exit {result.code}: {result.err}{result.out[:300]}"
    assert "Traceback" not in result.out + result.err and "internal error" not in result.err
    assert len(result.err_lines) == 1, result.err
    return result.err_lines[0]


def in_subprocess(root: Path, *args: str, memory: int | None = None, fsize: int | None = None,
                  timeout: float = 60) -> subprocess.CompletedProcess:
    """`stafett ARGS` as its own process, with limits, so a hang or a runaway read fails the test, not the machine."""
    import resource

    def limits() -> None:
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = {**os.environ, "STAFETT_TODAY": "2026-11-23", "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        return subprocess.run([sys.executable, "-m", "stafett", *args], cwd=root, capture_output=True, text=True,
                              env=env, preexec_fn=limits, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"stafett {' '.join(args)} hung for {timeout} s")


# --- only regular files are read -------------------------------------------------------------------

@posix_only
@pytest.mark.parametrize("command", CASE_COMMANDS, ids=lambda c: c[0])
def test_a_case_linked_to_dev_zero_is_refused_before_it_is_read(folder: Path, command: list[str]):
    case_path(folder, POSING).symlink_to("/dev/zero")
    r = in_subprocess(folder, *command, memory=1536 * 1024 * 1024)
    assert r.returncode in (0, 1), f"exit {r.returncode}: {r.stderr}"
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    assert POSING in r.stdout + r.stderr, "the link should be named"


@posix_only
@pytest.mark.parametrize("command", CASE_COMMANDS, ids=lambda c: c[0])
def test_a_fifo_named_like_a_case_never_hangs(folder: Path, command: list[str]):
    os.mkfifo(case_path(folder, POSING))
    r = in_subprocess(folder, *command, timeout=30)
    assert r.returncode in (0, 1), f"exit {r.returncode}: {r.stderr}"
    assert "internal error" not in r.stderr and POSING in r.stdout + r.stderr


@posix_only
@pytest.mark.parametrize("name", ["personer.yaml", "stafett.yaml"])
def test_a_fifo_as_a_folder_file_never_hangs(folder: Path, name: str):
    (folder / name).unlink()
    os.mkfifo(folder / name)
    for command in (["validate"], ["status"], ["log", CASE_ID, "Samtale.", "--by", "kari.lund"]):
        r = in_subprocess(folder, *command, timeout=30)
        assert r.returncode != 3 and "Traceback" not in r.stderr, (command, r.stderr)


@posix_only
def test_validate_gives_a_fifo_one_finding(folder: Path):
    os.mkfifo(case_path(folder, POSING))
    r = in_subprocess(folder, "validate", timeout=30)
    assert r.returncode == 1 and f"saker/{POSING}.yaml:1:1: F003 " in r.stdout, r.stdout + r.stderr


def test_validate_gives_a_folder_named_like_a_case_one_finding(folder: Path):
    case_path(folder, POSING).mkdir()
    for args in (["validate"], ["validate", "--no-cache"], ["validate", "--format", "json"]):
        r = stafett(*args, cwd=folder)
        assert r.code == 1 and "F003" in r.out and POSING in r.out, r.out


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "sqlite", "-o", "ut.db"]], ids=["jsonl", "sqlite"])
def test_export_refuses_a_folder_named_like_a_case_in_one_line(folder: Path, command: list[str]):
    case_path(folder, POSING).mkdir()
    line = one_line(stafett(*command, cwd=folder))
    assert "F003" in line and POSING in line
    assert not (folder / "ut.db").exists()


def test_retention_lists_a_folder_named_like_a_case_as_unreadable(folder: Path):
    case_path(folder, POSING).mkdir()
    r = stafett("retention", cwd=folder)
    assert r.code == 1 and "Traceback" not in r.err and "internal error" not in r.err
    assert f"{POSING}.yaml cannot be read" in r.err


def test_status_shows_a_folder_named_like_a_case_as_a_row(folder: Path):
    case_path(folder, POSING).mkdir()
    r = stafett("status", cwd=folder)
    assert r.code == 0, r.err
    assert POSING in r.out and "F003" in r.out


def test_the_store_reader_refuses_links_and_fifos_without_o_nofollow(folder: Path, monkeypatch):
    """Windows has no O_NOFOLLOW: the reader looks first and checks that it opened what it looked at."""
    from stafett.errors import CaseFileError
    from stafett.store import files

    monkeypatch.setattr(files, "_NOFOLLOW", 0)
    link = case_path(folder, POSING)
    link.symlink_to(case_path(folder))
    with pytest.raises(CaseFileError) as e:
        files.read_regular(link)
    assert e.value.code == "Y008"
    link.unlink()
    link.mkdir()
    with pytest.raises(CaseFileError) as e:
        files.read_regular(link)
    assert e.value.code == "F003"
    assert files.read_regular(case_path(folder)) == CASE.encode("utf-8")


@posix_only
@pytest.mark.parametrize("command", [["schema"], ["schema", "--check"], ["git-setup"]], ids=lambda c: " ".join(c))
def test_a_committed_link_to_dev_zero_beside_the_cases_is_not_read(folder: Path, command: list[str]):
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    (folder / "schemas" / "sak.schema.json").unlink()
    (folder / "schemas" / "sak.schema.json").symlink_to("/dev/zero")
    (folder / ".gitattributes").symlink_to("/dev/zero")
    r = in_subprocess(folder, *command, memory=1536 * 1024 * 1024)
    assert r.returncode in (1, 2), f"exit {r.returncode}: {r.stderr}"
    assert "internal error" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert (folder / "schemas" / "sak.schema.json").is_symlink() and (folder / ".gitattributes").is_symlink()


# --- only inside the case folder -------------------------------------------------------------------

@pytest.fixture
def saker_outside(folder: Path, tmp_path: Path) -> Path:
    outside = tmp_path / "utenfor"
    (folder / "saker").rename(outside)
    (folder / "saker").symlink_to(outside, target_is_directory=True)
    return outside


def test_commands_refuse_a_saker_folder_that_leads_outside(folder: Path, saker_outside: Path):
    before = {p.name: p.read_bytes() for p in saker_outside.iterdir()}
    for command in (["open", "--navn", "Lise Testesen", "--beskrivelse", "Stille.", "--fodselsdato", "2020-05-04", "--by", "kari.lund"],
                    ["log", CASE_ID, "Samtale.", "--by", "kari.lund"], ["status"], ["export"]):
        line = one_line(stafett(*command, cwd=folder))
        assert "saker is a link out of the case folder" in line, line
    assert {p.name: p.read_bytes() for p in saker_outside.iterdir()} == before


def test_validate_reports_a_saker_folder_that_leads_outside(folder: Path, saker_outside: Path):
    (saker_outside / f"{CASE_ID}.yaml").write_text("id: [broken\nsecret: Hemmelig Person\n", encoding="utf-8")
    r = stafett("validate", cwd=folder)
    assert r.code == 1
    assert "saker:1:1: F004 " in r.out, r.out
    assert "Hemmelig" not in r.out + r.err, "validate read a file outside the folder"


@pytest.mark.parametrize("name", ["personer.yaml", "stafett.yaml"])
def test_a_folder_file_linked_outside_is_refused(folder: Path, tmp_path: Path, name: str):
    outside = tmp_path / f"utenfor-{name}"
    outside.write_bytes((folder / name).read_bytes())
    (folder / name).unlink()
    (folder / name).symlink_to(outside)
    r = stafett("validate", cwd=folder)
    assert r.code == 1 and f"{name}:1:1: F004 " in r.out, r.out
    line = one_line(stafett("log", CASE_ID, "Samtale.", "--by", "kari.lund", cwd=folder))
    assert f"{name} is a link out of the case folder" in line


def test_a_link_that_stays_inside_the_folder_is_fine(folder: Path):
    (folder / "data").mkdir()
    (folder / "saker").rename(folder / "data" / "saker")
    (folder / "saker").symlink_to(Path("data") / "saker", target_is_directory=True)
    assert stafett("validate", cwd=folder).code == 0
    r = stafett("log", CASE_ID, "Samtale.", "--by", "kari.lund", cwd=folder)
    assert r.code == 0, r.err


@pytest.mark.parametrize("kind", ["symlink", "directory", "fifo"])
def test_a_planted_lock_path_is_one_clear_line(folder: Path, tmp_path: Path, kind: str):
    lock = folder / "saker" / f".{CASE_ID}.yaml.lock"
    victim = tmp_path / "offer.txt"
    victim.write_text("uendret\n", encoding="utf-8")
    if kind == "symlink":
        lock.symlink_to(victim)
    elif kind == "directory":
        lock.mkdir()
    elif os.name == "posix":
        os.mkfifo(lock)
    else:
        pytest.skip("no FIFOs here")
    before = case_path(folder).read_bytes()
    line = one_line(stafett("log", CASE_ID, "Samtale.", "--by", "kari.lund", cwd=folder))
    assert f".{CASE_ID}.yaml.lock" in line and "not stafett's lock file" in line
    assert case_path(folder).read_bytes() == before and victim.read_text(encoding="utf-8") == "uendret\n"


def test_a_planted_cache_folder_is_not_written_through(folder: Path, tmp_path: Path):
    elsewhere = tmp_path / "andre-steder"
    elsewhere.mkdir()
    (folder / ".stafett-cache").symlink_to(elsewhere, target_is_directory=True)
    assert stafett("validate", cwd=folder).code == 0
    assert stafett("status", cwd=folder).code == 0
    assert list(elsewhere.iterdir()) == []


# --- private files, read-only files, full disks ----------------------------------------------------

@pytest.fixture
def open_umask():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_what_stafett_writes_is_private_whatever_the_umask(folder: Path, open_umask):
    r = stafett("open", "--navn", "Lise Testesen", "--beskrivelse", "Stille.", "--fodselsdato", "2020-05-04", "--by", "kari.lund", cwd=folder)
    assert r.code == 0, r.err
    new_case = case_path(folder, re.match(r"(S-\S+):", r.out).group(1))
    assert mode(new_case) == 0o600
    assert stafett("render", CASE_ID, "--format", "html", "-o", "logg.html", cwd=folder).code == 0
    assert stafett("export", "-o", "ut.jsonl", cwd=folder).code == 0
    assert stafett("export", "--format", "sqlite", "-o", "ut.db", cwd=folder).code == 0
    r = stafett("meeting", "plan", CASE_ID, "--tid", "2026-12-01 10:00", "--sted", "Rom 1", "--ics", "mote.ics",
                "--by", "kari.lund", cwd=folder)
    assert r.code == 0, r.err
    assert stafett("validate", cwd=folder).code == 0
    for name in ("logg.html", "ut.jsonl", "ut.db", "mote.ics"):
        assert mode(folder / name) == 0o600, name
    caches = list((folder / ".stafett-cache").iterdir())
    assert caches and all(mode(p) == 0o600 for p in caches)
    assert mode(folder / ".stafett-cache") == 0o700


def test_a_new_saker_folder_is_private(folder: Path, open_umask):
    (folder / "saker" / f"{CASE_ID}.yaml").unlink()
    (folder / "saker").rmdir()
    r = stafett("open", "--navn", "Lise Testesen", "--beskrivelse", "Stille.", "--fodselsdato", "2020-05-04", "--by", "kari.lund", cwd=folder)
    assert r.code == 0, r.err
    if os.name == "posix":
        assert mode(folder / "saker") == 0o700


def test_a_replaced_file_keeps_its_mode(folder: Path):
    os.chmod(case_path(folder), 0o640)
    assert stafett("log", CASE_ID, "Samtale.", "--by", "kari.lund", cwd=folder).code == 0
    if os.name == "posix":
        assert mode(case_path(folder)) == 0o640


def test_a_read_only_case_is_refused_not_replaced(folder: Path):
    path = case_path(folder)
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        line = one_line(stafett("log", CASE_ID, "Samtale.", "--by", "kari.lund", cwd=folder))
        assert "read-only" in line and CASE_ID in line
        assert path.read_bytes() == before and mode(path) == 0o444
    finally:
        os.chmod(path, 0o644)
    assert sorted(p.name for p in path.parent.iterdir()) == [f".{CASE_ID}.yaml.lock", f"{CASE_ID}.yaml"]


@posix_only
@pytest.mark.parametrize("command", [
    ["log", CASE_ID, "Samtale om en lang dag.", "--by", "kari.lund"],
    ["export", "--format", "sqlite", "-o", "ut.db"],
    ["render", CASE_ID, "--format", "html", "-o", "logg.html"],
], ids=["log", "export", "render"])
def test_a_file_size_limit_is_a_clear_message_and_the_old_file_stays(folder: Path, command: list[str]):
    for name in ("ut.db", "logg.html"):
        (folder / name).write_bytes(b"old\n")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    r = in_subprocess(folder, *command, fsize=len(CASE) + 16)
    assert r.returncode == 1, f"exit {r.returncode}: {r.stderr}"
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "internal error" not in r.stderr, r.stderr
    assert "file size limit" in lines[0] or "disk" in lines[0], lines[0]
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".lock")}
    assert after == {p: b for p, b in before.items() if not p.name.endswith(".lock")}


def test_a_full_disk_is_a_clear_message_and_the_old_file_stays(folder: Path, monkeypatch):
    real_fsync = os.fsync

    def full(fd):
        real_fsync(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    before = case_path(folder).read_bytes()
    monkeypatch.setattr(os, "fsync", full)
    line = one_line(stafett("log", CASE_ID, "Samtale.", "--by", "kari.lund", cwd=folder))
    assert "the disk is full" in line and "nothing was written" in line
    monkeypatch.undo()
    assert case_path(folder).read_bytes() == before
    assert sorted(p.name for p in (folder / "saker").iterdir()) == [f".{CASE_ID}.yaml.lock", f"{CASE_ID}.yaml"]


# --- crash reports ---------------------------------------------------------------------------------

def _crash_status(monkeypatch, folder: Path):
    from stafett import status_scan

    def bug(*args, **kwargs):
        raise RuntimeError("Ola Testesen")

    monkeypatch.setattr(status_scan, "todos", bug)
    r = stafett("status", cwd=folder)
    assert r.code == 3, r.err
    return Path(re.search(r"a report is in (\S+?)\. ", r.err).group(1))


@posix_only
def test_a_crash_report_is_private(folder: Path, monkeypatch, open_umask):
    report = _crash_status(monkeypatch, folder)
    try:
        assert mode(report) == 0o600
        assert "Ola Testesen" not in report.read_text(encoding="utf-8")
    finally:
        report.unlink()


def test_a_crash_report_is_never_written_through_a_planted_link(folder: Path, monkeypatch, tmp_path: Path):
    planted = Path(tempfile.gettempdir()) / f"stafett-crash-{os.getpid()}.log"
    if os.path.lexists(planted):
        planted.unlink()
    victim = tmp_path / "offer.txt"
    victim.write_text("uendret\n", encoding="utf-8")
    planted.symlink_to(victim)
    try:
        report = _crash_status(monkeypatch, folder)
        assert victim.read_text(encoding="utf-8") == "uendret\n"
        assert not report.is_symlink() and report.is_file()
        report.unlink()
    finally:
        if os.path.lexists(planted):
            planted.unlink()


# --- an editor's save is never lost ----------------------------------------------------------------

EDITOR_SAVE = b"# lagret i editoren mens stafett skrev\n"


def _editor_saves_during(monkeypatch, path: Path, call: int = 1) -> None:
    """The editor saves `path` right after stafett's `call`-th fsync: after the read, before the replace."""
    real_fsync = os.fsync
    calls = [0]

    def fsync(fd):
        real_fsync(fd)
        calls[0] += 1
        if calls[0] == call:
            with open(path, "ab") as f:
                f.write(EDITOR_SAVE)

    monkeypatch.setattr(os, "fsync", fsync)


def test_an_editor_save_between_read_and_replace_is_never_lost(folder: Path, monkeypatch):
    path = case_path(folder)
    _editor_saves_during(monkeypatch, path)
    r = stafett("log", CASE_ID, "Samtale.", "--by", "kari.lund", cwd=folder)
    monkeypatch.undo()
    line = one_line(r)
    assert "changed on disk" in line
    assert path.read_bytes() == CASE.encode("utf-8") + EDITOR_SAVE


# --- two files: all or none ------------------------------------------------------------------------

@pytest.fixture
def known_meeting_id(monkeypatch) -> str:
    import stafett.workflow.common as common

    real = common.new_item_id
    monkeypatch.setattr(common, "new_item_id", lambda prefix: "mo-fast01" if prefix == "mo" else real(prefix))
    return "mo-fast01"


def test_meeting_plan_writes_nothing_when_its_invitation_cannot_be_written(folder: Path, known_meeting_id: str):
    (folder / f"{CASE_ID}-{known_meeting_id}.ics").mkdir()  # the default invitation path is taken by a folder
    before = case_path(folder).read_bytes()
    r = stafett("meeting", "plan", CASE_ID, "--tid", "2026-12-01 10:00", "--sted", "Rom 1", "--by", "kari.lund", cwd=folder)
    one_line(r)
    assert case_path(folder).read_bytes() == before


def test_meeting_plan_writes_no_invitation_when_the_case_cannot_be_written(folder: Path, monkeypatch, known_meeting_id: str):
    path = case_path(folder)
    _editor_saves_during(monkeypatch, path, call=2)  # the case is staged after the invitation
    r = stafett("meeting", "plan", CASE_ID, "--tid", "2026-12-01 10:00", "--sted", "Rom 1", "--ics", "mote.ics",
                "--by", "kari.lund", cwd=folder)
    monkeypatch.undo()
    assert "changed on disk" in one_line(r)
    assert path.read_bytes() == CASE.encode("utf-8") + EDITOR_SAVE
    assert not (folder / "mote.ics").exists()


def test_meeting_plan_puts_back_an_old_invitation_when_the_case_cannot_be_written(folder: Path, monkeypatch,
                                                                                   known_meeting_id: str):
    (folder / "mote.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    _editor_saves_during(monkeypatch, case_path(folder), call=2)
    r = stafett("meeting", "plan", CASE_ID, "--tid", "2026-12-01 10:00", "--sted", "Rom 1", "--ics", "mote.ics",
                "--by", "kari.lund", cwd=folder)
    monkeypatch.undo()
    one_line(r)
    assert (folder / "mote.ics").read_bytes() == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
