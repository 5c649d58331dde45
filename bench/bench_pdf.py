"""Benchmark: `stafett render --format pdf` of a ~100 KB case (PDF/A-2b through WeasyPrint).

Builds the same large case as bench/bench_render.py (cases.example's settings and people, one of its cases
grown with log entries, tiltak with evaluations and meetings with referat) in a temporary case folder, then
runs the real command, one process per run as a worker would, and prints the median wall time, the PDF's
size and page count. Also times the HTML render of the same case in the same way, for comparison.

    python bench/bench_pdf.py [--size-kb 100] [--runs 3] [--layout standard]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _stafett() -> list[str]:
    script = Path(sys.executable).with_name("stafett")
    return [str(script)] if script.exists() else [sys.executable, "-m", "stafett"]


def timed(args: list[str], runs: int) -> list[float]:
    env = {**os.environ, "STAFETT_TODAY": "2026-12-01"}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(args, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            sys.exit(f"stafett failed: {done.stderr.decode(errors='replace').strip().splitlines()[-1]}")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-kb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--layout", default="standard")
    args = parser.parse_args(argv)

    from bench_render import BASE_CASE, EXAMPLE, build_case

    from stafett.errors import StafettError
    from stafett.folder import load_folder
    from stafett.render.pdf import require

    try:
        require()
    except StafettError as e:
        sys.exit(f"no PDF output here: {e}")
    tmp = Path(tempfile.mkdtemp(prefix="stafett-bench-pdf-"))
    try:
        root = tmp / "kommune"
        (root / "saker").mkdir(parents=True)
        for name in ("stafett.yaml", "personer.yaml"):
            shutil.copy(EXAMPLE / name, root / name)
        shutil.copy(EXAMPLE / "saker" / f"{BASE_CASE}.yaml", root / "saker")
        case, raw = build_case(load_folder(root), args.size_kb)
        big = "S-20261120-bench1"
        (root / "saker" / f"{big}.yaml").write_bytes(raw.replace(f"id: {case.id}".encode(), f"id: {big}".encode(), 1))
        size_kb = len(raw) / 1024

        out = tmp / f"{big}.pdf"
        base = [*_stafett(), "render", big, "--layout", args.layout, "-C", str(root)]
        pdf = timed([*base, "-o", str(out)], args.runs)
        html = timed([*base, "-o", str(tmp / f"{big}.html")], args.runs)
        data = out.read_bytes()
        pages = _pages(out)
        print(f"case: {size_kb:.0f} KB ({len(case.logg)} log entries, {len(case.tiltak)} tiltak, "
              f"{len(case.moter)} meetings), layout {args.layout}")
        print(f"PDF/A-2b: median {statistics.median(pdf):.2f} s over {args.runs} runs "
              f"(min {min(pdf):.2f} s, max {max(pdf):.2f} s); {len(data) / 1024:.0f} KB, {pages} pages")
        print(f"HTML, same case, for comparison: median {statistics.median(html):.2f} s")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _pages(path: Path) -> str:
    try:
        import pikepdf
    except ImportError:
        return "?"
    with pikepdf.open(path) as pdf:
        return str(len(pdf.pages))


if __name__ == "__main__":
    raise SystemExit(main())
