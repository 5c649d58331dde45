"""Where a file's time goes, stage by stage, measured in this process on the files of a bench folder.

bench_table.py prints these beside its table so that a goal it misses comes with the reason, in figures
from the same run: validate and status cannot cost less than the parse plus what they must do after it.
Each stage runs over every file before the next stage starts, with the garbage collector paused (as it
hardly runs in a real worker, which keeps no results), and is given per file and as a multiple of the parse.
"""

from __future__ import annotations

import datetime as dt
import gc
import subprocess
import sys
import time
from pathlib import Path


def _each(label: str, fn, items: list) -> tuple[str, float, list]:
    gc.disable()
    try:
        start = time.perf_counter()
        out = [fn(x) for x in items]
        took = time.perf_counter() - start
    finally:
        gc.enable()
    return label, took / max(1, len(items)), out


def per_file(root: Path, today: dt.date, limit: int = 600) -> list[tuple[str, float]]:
    """(stage, seconds a file) on up to `limit` case files of the folder at `root`."""
    import yaml_rs

    from stafett import dateprobe, textcheck, validate
    from stafett.model import Case
    from stafett.store import crypt, files, yamlio
    from stafett.workflow.status import todos

    paths = sorted((root / "saker").glob("*.yaml"))[:limit]
    ctx, _ = validate.load_context(root, today, str)
    rows = []
    label, t, raws = _each("read the bytes", lambda p: files.read_regular(p), paths)
    rows.append((label, t))
    label, t, texts = _each("decode (UTF-8, BOM, CRLF)", lambda r: yamlio.decode(r).text, raws)
    rows.append((label, t))
    rows.append(_each("screen: both readers read it alike", yamlio.fast_path_safe, texts)[:2])
    rows.append(_each("screen: within the size and depth caps", yamlio._plainly_small, texts)[:2])
    label, t, datas = _each("parse (yaml-rs)", yaml_rs.loads, texts)
    rows.append((label, t))
    rows.append(_each("screen: invisible characters", textcheck.any_invisible, raws)[:2])
    label, t, models = _each("schema (pydantic)", lambda d: Case.model_validate(crypt.clear_part(d)[0]), datas)
    rows.append((label, t))
    rows.append(_each("rules (with the date probe)", lambda m: validate._rules_for(m, ctx), models)[:2])
    rows.append(_each("status duties (with the date probe)",
                      lambda m: todos(m, ctx.settings, dateprobe.watched(today)[0], ctx.people), models)[:2])
    whole = [(str(p), r) for p, r in zip(paths, raws)]
    rows.append(_each("validate's whole check of a file", lambda pr: validate.check_with_span(pr[1], pr[0], Case, ctx),
                      whole)[:2])
    return rows


def import_floor(runs: int = 3) -> tuple[float, float]:
    """(seconds to start Python, seconds to start it and import what `render` cannot do without)."""
    def best(code: str) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return min(times)

    bare = best("pass")
    needed = best("import typer, stafett.model, stafett.store.yamlio, jinja2, markdown_it")
    return bare, needed


def report(rows: list[tuple[str, float]], floor: tuple[float, float] | None) -> list[str]:
    parse = dict(rows)["parse (yaml-rs)"]
    lines = ["per file (in-process, one core, µs; x = multiple of the parse):"]
    width = max(len(label) for label, _ in rows)
    for label, t in rows:
        lines.append(f"  {label.ljust(width)}  {t * 1e6:7.0f}  {t / parse:5.2f}x")
    stage = dict(rows)
    screens = sum(stage[k] for k in stage if k.startswith("screen"))
    must = stage["schema (pydantic)"] + stage["rules (with the date probe)"]
    lines.append("")
    lines.append(f"why validate misses <= 1.5x yaml-rs: past the parse it must check the schema and run the rules "
                 f"({must / parse:.2f}x the parse), more than the 0.5x the goal leaves; the screens that let the fast "
                 f"reader stand in for the strict one add {screens / parse:.2f}x.")
    duties = stage["schema (pydantic)"] + stage["status duties (with the date probe)"]
    lines.append(f"why status misses <= 1.5x the parse: it must type the record and work out its duties "
                 f"({duties / parse:.2f}x the parse), and screen it ({screens / parse:.2f}x).")
    if floor is not None:
        bare, needed = floor
        lines.append(f"why render misses 200 ms: starting Python and importing what a render needs (typer, the "
                     f"pydantic model, the YAML reader, jinja2, markdown-it) takes {needed * 1000:.0f} ms "
                     f"({bare * 1000:.0f} ms of it Python itself), before the case is read.")
    return lines
