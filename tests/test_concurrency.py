"""Concurrency: many `stafett` processes write the same case at once. Every entry lands exactly once, the
file stays valid and the log chronological; a writer that cannot get the lock in time says so in one
line and writes nothing.

STAFETT_CONCURRENCY sets the number of processes (default 24). A heavier run:

    STAFETT_CONCURRENCY=100 python -m pytest tests/test_concurrency.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from stafett.store import files
from stafett.store.cases import read_case
from tests.conftest import CASE_ID, write_folder

PROCESSES = int(os.environ.get("STAFETT_CONCURRENCY", "24"))
STAFETT = str(Path(sys.executable).with_name("stafett"))


def env(**extra: str) -> dict:
    return {**os.environ, "STAFETT_TODAY": "2026-11-23", **extra}


def start_together(root: Path, argvs: list[list[str]], **extra: str) -> list[subprocess.CompletedProcess]:
    """Start every process before any is waited for; collect their results."""
    procs = [subprocess.Popen([STAFETT, *argv], cwd=root, env=env(**extra), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for argv in argvs]
    out = []
    for argv, p in zip(argvs, procs):
        stdout, stderr = p.communicate(timeout=600)
        out.append(subprocess.CompletedProcess(argv, p.returncode, stdout, stderr))
    return out


def test_many_writers_at_once_every_entry_exactly_once(tmp_path: Path, capsys):
    root = write_folder(tmp_path / "kommune")
    path = root / "saker" / f"{CASE_ID}.yaml"
    before = read_case(path).model
    texts = [f"Samtidig notat nummer {n}." for n in range(PROCESSES)]
    # A generous lock timeout: on a slow runner the last of N writers waits for N-1 others.
    started = time.perf_counter()
    results = start_together(root, [["log", CASE_ID, t, "--by", "kari.lund"] for t in texts],
                             STAFETT_LOCK_TIMEOUT=str(max(60, PROCESSES * 5)))
    elapsed = time.perf_counter() - started
    failed = [f"{r.args[2]!r} exited {r.returncode}: {r.stderr.strip()}" for r in results if r.returncode != 0]
    after = read_case(path, for_change=True).model  # strict read: the file is valid YAML and a valid case
    logged = [e.tekst for e in after.logg]
    with capsys.disabled():
        print(f"\nconcurrency: {PROCESSES} processes in {elapsed:.1f}s, {PROCESSES - len(failed)} succeeded, "
              f"{sum(logged.count(t) for t in texts)} of {PROCESSES} entries present")
    assert not failed, "\n".join(failed)
    assert logged[:len(before.logg)] == [e.tekst for e in before.logg]
    for t in texts:
        assert logged.count(t) == 1, t
    assert len(logged) == len(before.logg) + PROCESSES
    times = [e.tid for e in after.logg]
    assert times == sorted(times), "the log is not chronological"
    r = subprocess.run([STAFETT, "validate"], cwd=root, env=env(), capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_writers_to_different_cases_do_not_wait_for_each_other(tmp_path: Path):
    root = write_folder(tmp_path / "kommune")
    case = (root / "saker" / f"{CASE_ID}.yaml").read_text(encoding="utf-8")
    ids = [f"S-20261101-par{n:03d}" for n in range(8)]
    for case_id in ids:
        (root / "saker" / f"{case_id}.yaml").write_text(case.replace(CASE_ID, case_id), encoding="utf-8")
    holder = threading.Event()
    release = threading.Event()

    def hold() -> None:  # the first case stays locked the whole time
        with files.locked(root / "saker" / f"{CASE_ID}.yaml"):
            holder.set()
            release.wait(120)

    t = threading.Thread(target=hold)
    t.start()
    holder.wait(10)
    try:
        results = start_together(root, [["log", i, "Parallelt.", "--by", "kari.lund"] for i in ids], STAFETT_LOCK_TIMEOUT="60")
    finally:
        release.set()
        t.join()
    assert [r.returncode for r in results] == [0] * len(ids), [r.stderr for r in results]
    for case_id in ids:
        assert read_case(root / "saker" / f"{case_id}.yaml").model.logg[-1].tekst == "Parallelt."


def test_a_writer_that_cannot_get_the_lock_fails_in_one_line_and_writes_nothing(tmp_path: Path):
    root = write_folder(tmp_path / "kommune")
    path = root / "saker" / f"{CASE_ID}.yaml"
    before = path.read_bytes()
    with files.locked(path):
        started = time.perf_counter()
        r = subprocess.run([STAFETT, "log", CASE_ID, "Venter på låsen.", "--by", "kari.lund"], cwd=root,
                           env=env(STAFETT_LOCK_TIMEOUT="0.5"), capture_output=True, text=True, timeout=60)
        waited = time.perf_counter() - started
    assert r.returncode not in (0, 3), r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert "another stafett process" in lines[0] and "Traceback" not in r.stderr
    assert r.stdout == ""
    assert path.read_bytes() == before
    assert waited < 30
    assert [p.name for p in path.parent.iterdir() if not p.name.startswith(".")] == [path.name]
    assert not list(path.parent.glob(".*.tmp"))


@pytest.mark.parametrize("command", [
    ["tiltak", "add", CASE_ID, "--beskrivelse", "Samtaler.", "--ansvarlig", "kari.lund", "--evalueres", "2027-01-15"],
    ["escalate", CASE_ID, "--niva", "2", "--grunn", "Behov for flere tjenester."],
    ["consent", "add", CASE_ID, "--gitt-av", "f-mor", "--omfang", "helsestasjon"],
])
def test_every_changing_command_respects_the_lock(tmp_path: Path, command: list[str]):
    root = write_folder(tmp_path / "kommune")
    path = root / "saker" / f"{CASE_ID}.yaml"
    before = path.read_bytes()
    with files.locked(path):
        r = subprocess.run([STAFETT, *command, "--by", "kari.lund"], cwd=root, env=env(STAFETT_LOCK_TIMEOUT="0.3"),
                           capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "another stafett process" in r.stderr, r.stderr
    assert path.read_bytes() == before
