"""Benchmark: what encryption per case costs (issue 14), as whole processes, clear and encrypted side by side.

1. `validate` of a folder of realistic cases (bench/corpus.py: comments, block scalars, quoting, flow lists,
   æøå, CRLF, BOM, hand edits, passed deadlines), cold (no cache), without any key, as CI runs it: the same
   folder clear, and encrypted by `stafett encrypt --write`. Goal: encrypted within 1.2x of clear. The
   encryption of --base distinct cases is the real command (about 0.1 s a case); copies under new ids fill
   the folders up to --n.
2. One command (`log`, and `render --format html`) on a ~100 KB case (bench/bench_edits.py's case, written the
   way people write), clear and encrypted, run by a reader with an age key. Goal: within 1.5x of clear.

Both figures in one run; medians (validate: best) over repeats.

    python bench/bench_crypt.py [--n 10000] [--runs 2] [--edit-runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import bench_edits  # noqa: E402
import corpus  # noqa: E402

TODAY = dt.date.today()


def _env(identity: str, day: str) -> dict:
    return dict(os.environ, STAFETT_TODAY=day, PYTHONPATH=str(ROOT), GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
                STAFETT_IDENTITY=identity, STAFETT_LANG="en")


def _run(args: list[str], cwd: Path, env: dict, ok: tuple[int, ...] = (0, 1)) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "stafett", *args], cwd=cwd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"stafett {' '.join(args)} failed ({done.returncode}): {done.stderr[-1500:]}")
    return took


def _keys(folder: Path, staff: list[str]) -> tuple[dict[str, str], Path, str]:
    """Age keys for the staff (public), one identity file holding them all (a reader of every case), the
    recovery key's public line."""
    import pyrage

    idents = {who: pyrage.x25519.Identity.generate() for who in staff}
    recovery = pyrage.x25519.Identity.generate()
    identity = folder / "identity.txt"
    identity.write_text("".join(f"{i}\n" for i in [*idents.values(), recovery]))
    return {who: str(i.to_public()) for who, i in idents.items()}, identity, str(recovery.to_public())


def _encrypt_folder(root: Path, publics: dict[str, str], recovery: str, identity: Path, day: str) -> float:
    people = (root / "personer.yaml").read_text(encoding="utf-8")
    for who, key in publics.items():
        people = people.replace(f"  - id: {who}\n", f"  - id: {who}\n    age_nokkel: {key}\n")
    (root / "personer.yaml").write_text(people, encoding="utf-8")
    with open(root / "stafett.yaml", "a", encoding="utf-8") as f:
        f.write(f"kryptering:\n  gjenoppretting:\n    - id: arkiv\n      mottaker: {recovery}\n")
    return _run(["encrypt", "--write"], root, _env(str(identity), day), ok=(0,))


def _no_cache(root: Path) -> None:
    for cache in (root / ".stafett-cache", root / ".git" / "stafett-cache"):
        shutil.rmtree(cache, ignore_errors=True)


def _replicate(root: Path, n: int) -> None:
    """Grow the folder to n cases by copying each case under new ids (the same copies in the clear and the
    encrypted folder, so the ratio compares like with like). A sealed value is bound to its path in the case,
    not to the case id, so a copy reads as it is."""
    originals = sorted((root / "saker").glob("*.yaml"))
    count, k = len(originals), 1
    while count < n:
        for path in originals[: n - count]:
            old, new = path.stem, f"{path.stem}r{k}"
            text = path.read_bytes().replace(f"id: {old}".encode(), f"id: {new}".encode(), 1)
            (root / "saker" / f"{new}.yaml").write_bytes(text)
        count, k = min(n, count + len(originals)), k + 1


def bench_validate(tmp: Path, n: int, base: int, runs: int, jobs: int) -> tuple[float, float, float]:
    clear = tmp / "clear"
    corpus.generate(clear, min(n, base), TODAY)
    sealed = tmp / "sealed"
    shutil.copytree(clear, sealed)
    publics, identity, recovery = _keys(tmp, corpus.STAFF)
    took = _encrypt_folder(sealed, publics, recovery, identity, TODAY.isoformat())
    for root in (clear, sealed):
        _replicate(root, n)
    # The clear folder gets the same personer.yaml and stafett.yaml (keys, encryption off): only the cases differ.
    shutil.copy(sealed / "personer.yaml", clear / "personer.yaml")
    (clear / "stafett.yaml").write_text((sealed / "stafett.yaml").read_text().replace("pa: true", "pa: false"))
    env = _env("", TODAY.isoformat())

    def cold(root: Path) -> float:
        _no_cache(root)
        return _run(["validate", ".", "-j", str(jobs), "--no-cache"], root, env)

    t_clear = min(cold(clear) for _ in range(runs))
    t_sealed = min(cold(sealed) for _ in range(runs))
    return t_clear, t_sealed, took


def bench_command(tmp: Path, runs: int) -> list[tuple[str, float, float]]:
    clear = tmp / "edit-clear"
    cases = bench_edits.make_folder(clear, 100)
    staff = sorted({line.split("id: ")[1] for line in (clear / "personer.yaml").read_text().splitlines()
                    if line.strip().startswith("- id: ")})
    sealed = tmp / "edit-sealed"
    shutil.copytree(clear, sealed)
    (tmp / "edit-keys").mkdir()
    publics, identity, recovery = _keys(tmp / "edit-keys", staff)
    _encrypt_folder(sealed, publics, recovery, identity, bench_edits.TODAY)
    sealed_bytes = (sealed / "saker" / f"{bench_edits.BIG_ID}.yaml").read_bytes()
    env = _env(str(identity), bench_edits.TODAY)
    out = tmp / "out"
    out.mkdir()
    rows = []
    for name, cmd in bench_edits.commands(bench_edits.BIG_ID).items():
        if name not in ("log", "tiltak add", "render html"):
            continue
        cmd = [c.replace("OUT", str(out)) for c in cmd]
        times = {}
        for label, root, original in (("clear", clear, cases[bench_edits.BIG_ID]), ("sealed", sealed, sealed_bytes)):
            samples = []
            for _ in range(runs):
                (root / "saker" / f"{bench_edits.BIG_ID}.yaml").write_bytes(original)
                samples.append(_run(cmd, root, env, ok=(0,)))
            times[label] = statistics.median(samples)
        rows.append((name, times["clear"], times["sealed"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="cases in the validate folders")
    ap.add_argument("--base", type=int, default=1_000, help="distinct cases `stafett encrypt` seals; copies fill up to --n")
    ap.add_argument("--runs", type=int, default=2, help="validate repeats; the best is kept")
    ap.add_argument("--edit-runs", type=int, default=7, help="command repeats; the median is kept")
    ap.add_argument("--jobs", type=int, default=0, help="validate -j (default: every core)")
    args = ap.parse_args(argv)
    jobs = args.jobs or len(os.sched_getaffinity(0))
    tmp = Path(tempfile.mkdtemp(prefix="stafett-bench-crypt-"))
    try:
        t_clear, t_sealed, took = bench_validate(tmp, args.n, args.base, args.runs, jobs)
        rows = bench_command(tmp, args.edit_runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    failed = False
    print(f"validate, {args.n} realistic cases ({min(args.n, args.base)} distinct), cold, no key, -j {jobs} "
          f"(best of {args.runs}); `stafett encrypt --write` took {took:.1f} s for {min(args.n, args.base)} cases")
    ratio = t_sealed / t_clear
    failed |= ratio > 1.2
    print(f"  clear {t_clear:.2f} s, encrypted {t_sealed:.2f} s: {ratio:.2f}x (goal <= 1.2x) {'meets' if ratio <= 1.2 else 'MISSES'}")
    print(f"one command on a ~100 KB case, a reader with an age key (median of {args.edit_runs} whole processes)")
    for name, clear, sealed in rows:
        ratio = sealed / clear
        failed |= ratio > 1.5
        print(f"  {name:<12} clear {clear * 1000:6.0f} ms, encrypted {sealed * 1000:6.0f} ms: {ratio:.2f}x "
              f"(goal <= 1.5x) {'meets' if ratio <= 1.5 else 'MISSES'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
