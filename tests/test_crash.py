"""Crash safety: `stafett log` is killed with SIGKILL at random moments, hundreds of times, many of them
inside the write. After every kill the case file is the complete old version or the complete new one
(the old entries plus exactly this one), and `stafett validate` stays green with the temp files a kill
leaves behind.

Three ways to pick the moment, in turn:
- random: the real `stafett` executable, killed after a random delay anywhere in its run;
- in-write: killed a random fraction of a millisecond after the store starts its atomic write;
- stopped: the process stops itself at an exact step of the write (before fsync, before os.replace,
  right after os.replace) and is killed there.
The last two run `stafett` through a tiny wrapper that only reports (and for `stopped`, pauses at) the
steps of `stafett.store.files.atomic_write`; the code that writes is the real one.

STAFETT_CRASH_RUNS sets the number of kills (default 200, the issue's bar). The full soak:

    STAFETT_CRASH_RUNS=1000 python -m pytest tests/test_crash.py -s
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import CASE_ID, write_folder

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and SIGSTOP are POSIX signals")

RUNS = int(os.environ.get("STAFETT_CRASH_RUNS", "200"))
WORKERS = max(2, min(4, os.cpu_count() or 2))
STAFETT = str(Path(sys.executable).with_name("stafett"))
STOP_POINTS = ("before-fsync", "before-replace", "after-replace")

# Reports each step of the real atomic_write on the fd in STAFETT_TRACE_FD:
#   w = atomic_write entered, f = about to fsync the temp file, r = about to os.replace, R = replaced.
# With STAFETT_TRACE_STOP it also writes 'p' and stops itself (SIGSTOP) at that step.
HOOK = r'''
import os, signal, sys
fd = int(os.environ["STAFETT_TRACE_FD"])
stop = os.environ.get("STAFETT_TRACE_STOP", "")
import stafett.store.files as files

def mark(b, point=None):
    os.write(fd, b)
    if point and point == stop:
        os.write(fd, b"p")
        os.kill(os.getpid(), signal.SIGSTOP)

real_write, real_replace, real_fsync = files.atomic_write, os.replace, os.fsync
state = {"in_write": False, "fsyncs": 0}

def atomic_write(path, data, **kw):
    state["in_write"] = True
    mark(b"w")
    try:
        return real_write(path, data, **kw)
    finally:
        state["in_write"] = False

def fsync(fileno):
    if state["in_write"] and state["fsyncs"] == 0:
        state["fsyncs"] += 1
        mark(b"f", "before-fsync")
    return real_fsync(fileno)

def replace(a, b):
    if state["in_write"]:
        mark(b"r", "before-replace")
    real_replace(a, b)
    if state["in_write"]:
        mark(b"R", "after-replace")

files.atomic_write, os.replace, os.fsync = atomic_write, replace, fsync
from stafett.cli import main
sys.argv = ["stafett", *sys.argv[1:]]
main()
'''


class Worker:
    """One case folder, killed again and again; knows which log texts must be in the file."""

    def __init__(self, root: Path, hook: Path, seed: int) -> None:
        self.root = root
        self.hook = hook
        self.path = root / "saker" / f"{CASE_ID}.yaml"
        self.rng = random.Random(seed)
        self.expected = self._texts()
        self.stats: Counter = Counter()
        self.failures: list[str] = []
        self.end = 0.6   # seconds to a finished run; calibrated
        self.write_ms = 2.0

    def _texts(self) -> list[str]:
        from stafett.store.cases import read_case

        return [e.tekst for e in read_case(self.path).model.logg]

    def env(self, trace_fd: int | None = None, stop: str = "") -> dict:
        env = {**os.environ, "STAFETT_TODAY": "2026-11-23"}
        if trace_fd is not None:
            env["STAFETT_TRACE_FD"] = str(trace_fd)
            env["STAFETT_TRACE_STOP"] = stop
        return env

    def run_once(self, n: int, mode: str) -> None:
        text = f"tekst {n}"
        before = self.path.read_bytes()
        r, w = os.pipe()
        if mode == "random":
            argv = [STAFETT, "log", CASE_ID, text, "--by", "kari.lund"]
            env = self.env()
        else:
            argv = [sys.executable, str(self.hook), "log", CASE_ID, text, "--by", "kari.lund"]
            env = self.env(w, mode.split(":", 1)[1] if mode.startswith("stop:") else "")
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=self.root, env=env, pass_fds=(w,), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(w)
        trace = b""
        try:
            if mode == "random":
                time.sleep(self.rng.uniform(0, self.end * 1.1))
            elif mode == "in-write":
                trace = _read_until(r, b"w", trace)
                time.sleep(self.rng.uniform(0, self.write_ms / 1000))
            else:
                trace = _read_until(r, b"p", trace)
            finished = proc.poll() is not None
            if not finished:
                proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            trace = _read_until(r, None, trace)
        finally:
            os.close(r)
            err = proc.stderr.read().decode("utf-8", "replace")
            proc.stderr.close()
        if mode == "calibrate":
            self.end = time.perf_counter() - started
        self._check(n, mode, text, before, trace, proc.returncode, err)

    def _check(self, n: int, mode: str, text: str, before: bytes, trace: bytes, code: int, err: str) -> None:
        from stafett.store.cases import read_case

        after = self.path.read_bytes()
        killed = code == -signal.SIGKILL
        if not killed and code != 0:
            self.failures.append(f"run {n} ({mode}) exited {code}: {err.strip()[:300]}")
            return
        if mode == "random":
            where = "completed" if not killed else ("before the write" if after == before else "after the write")
        elif b"w" not in trace:
            where = "before the write"
        elif b"R" in trace:
            where = "completed" if not killed else "after os.replace"
        else:
            where = "inside the write"
        counted = mode != "calibrate"
        if counted:
            self.stats[where] += 1
            self.stats[f"mode {mode.split(':')[0]}"] += 1
        if b"w" in trace and b"r" not in trace and after != before:
            self.failures.append(f"run {n}: the file changed before os.replace")
        if b"R" in trace and after == before:
            self.failures.append(f"run {n}: os.replace finished but the file is the old one")
        if after != before:
            try:
                texts = [e.tekst for e in read_case(self.path).model.logg]
            except Exception as e:  # noqa: BLE001 - any failure to read is the finding
                self.failures.append(f"run {n} ({where}): the new file does not read: {type(e).__name__}: {e}")
                self.path.write_bytes(before)
                return
            if texts != self.expected + [text]:
                self.failures.append(f"run {n} ({where}): the log is not the old one plus '{text}'")
            self.expected = texts
            self.stats["new version"] += counted
        else:
            self.stats["old version"] += counted
        visible = sorted(p.name for p in self.path.parent.iterdir() if not p.name.startswith("."))
        if visible != [self.path.name]:
            self.failures.append(f"run {n}: unexpected files in saker/: {visible}")

    def validate(self) -> None:
        r = subprocess.run([STAFETT, "validate"], cwd=self.root, env=self.env(), capture_output=True, text=True)
        if r.returncode != 0:
            self.failures.append(f"validate exited {r.returncode}: {(r.stdout + r.stderr)[:500]}")


def _read_until(fd: int, wanted: bytes | None, trace: bytes, timeout: float = 30.0) -> bytes:
    """Read the trace pipe until `wanted` arrives, or until EOF (the process is gone) when wanted is None."""
    deadline = time.monotonic() + timeout
    while wanted is None or wanted not in trace:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        trace += chunk
    return trace


def _modes(count: int, rng: random.Random) -> list[str]:
    # Two in five anywhere in the run, two in five just after the write starts, one in five at an exact step.
    cycle = ["random", "in-write", "random", "in-write"] + [f"stop:{p}" for p in STOP_POINTS]
    out = []
    while len(out) < count:
        block = cycle[:4] + [rng.choice(cycle[4:])]
        out += block
    return out[:count]


def test_sigkill_during_log_leaves_old_or_new_never_half(tmp_path: Path, capsys):
    hook = tmp_path / "stafett_traced.py"
    hook.write_text(HOOK, encoding="utf-8")
    workers = [Worker(write_folder(tmp_path / f"kommune{i}"), hook, seed=1000 + i) for i in range(WORKERS)]
    for wk in workers:  # calibrate: one untouched run each, through the wrapper (it must write the entry)
        wk.run_once(0, "calibrate")
    per = [RUNS // WORKERS + (1 if i < RUNS % WORKERS else 0) for i in range(WORKERS)]
    started = time.perf_counter()

    def drive(wk: Worker, count: int, offset: int) -> None:
        try:
            for k, mode in enumerate(_modes(count, wk.rng)):
                wk.run_once(offset + k + 1, mode)
                if (k + 1) % 50 == 0:
                    wk.validate()
            wk.validate()
        except Exception as e:  # noqa: BLE001 - report it with the others
            wk.failures.append(f"worker stopped: {type(e).__name__}: {e}")

    threads = [threading.Thread(target=drive, args=(wk, per[i], 10_000 * (i + 1))) for i, wk in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started

    stats = sum((wk.stats for wk in workers), Counter())
    leftovers = sum(len(list((wk.root / "saker").glob(".*.tmp"))) for wk in workers)
    kills = sum(v for k, v in stats.items() if k in ("before the write", "inside the write", "after os.replace", "after the write"))
    with capsys.disabled():
        print(f"\ncrash: {sum(per)} runs in {elapsed:.1f}s on {WORKERS} workers, {kills} SIGKILLs: "
              + ", ".join(f"{k} {v}" for k, v in sorted(stats.items()))
              + f"; {leftovers} temp file(s) left behind; every file old or new: "
              + ("yes" if not any(wk.failures for wk in workers) else "NO"))
    failures = [f for wk in workers for f in wk.failures]
    assert not failures, "\n".join(failures[:20])
    assert stats["old version"] + stats["new version"] == sum(per)
    if RUNS >= 50:
        assert stats["inside the write"] >= RUNS // 10, stats
        assert stats["after os.replace"] + stats["after the write"] >= RUNS // 20, stats
        assert leftovers > 0  # kills before os.replace leave a temp file, and validate ignored it
