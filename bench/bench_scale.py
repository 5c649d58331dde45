"""Figures for the scale issue, all measured in one run on one generated folder:

- `stafett validate` cold on N cases (all cores) and again on the unchanged folder (the cache);
- `stafett status` cold and warm;
- the bare parses of the same files (yaml-rs, the fastest installed; libyaml) as the yardstick;
- `stafett --help` against `--help` of a minimal one-command typer app.

Usage: python bench/bench_scale.py [N]   (default 10000)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_cases import generate  # noqa: E402

MINIMAL_APP = '''
import typer
app = typer.Typer()
@app.command()
def hello(name: str = "verden"):
    """Say hello."""
    print(name)
app()
'''


def timed(args: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    r = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if r.returncode not in (0,):
        raise SystemExit(f"{args} failed: {r.stderr[-1000:]}")
    return took


def main(n: int) -> None:
    import yaml
    import yaml_rs

    exe = str(Path(sys.executable).with_name("stafett"))
    env = {**os.environ, "STAFETT_TODAY": __import__("datetime").date.today().isoformat()}
    env.pop("CI", None)
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "folder", n)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        files = sorted((root / "saker").glob("*.yaml"))
        for f in files:  # the OS file cache, as a second CI step finds it
            f.read_bytes()
        start = time.perf_counter()
        for f in files:
            yaml_rs.loads(f.read_bytes().decode("utf-8"))
        t_rs = time.perf_counter() - start
        sample = files[:300]
        start = time.perf_counter()
        for f in sample:
            yaml.load(f.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
        t_lib = (time.perf_counter() - start) * len(files) / len(sample)

        t_val_cold = timed([exe, "validate", "--no-cache"], root, env)
        t_val_fill = timed([exe, "validate"], root, env)
        time.sleep(3.5)  # past the cache's racy window, as between two real runs
        t_val_warm = min(timed([exe, "validate"], root, env) for _ in range(3))
        t_status_cold = timed([exe, "status", "--format", "json"], root, env)
        time.sleep(3.5)
        t_status_warm = min(timed([exe, "status", "--format", "json"], root, env) for _ in range(3))

        app = Path(tmp) / "minimal.py"
        app.write_text(MINIMAL_APP, encoding="utf-8")
        t_help, t_min = [], []
        for _ in range(7):
            t_help.append(timed([exe, "--help"], root, env))
            t_min.append(timed([sys.executable, str(app), "--help"], root, env))
        help_s, min_s = statistics.median(t_help), statistics.median(t_min)

    print(f"{n} cases, cores: {os.cpu_count()}")
    print(f"  bare parse yaml-rs (1 core)          {t_rs:6.2f} s")
    print(f"  bare parse libyaml (1 core, sampled) {t_lib:6.2f} s")
    print(f"  validate cold, all cores             {t_val_cold:6.2f} s   {t_val_cold / t_rs:4.2f}x yaml-rs, {t_val_cold / t_lib:4.2f}x libyaml")
    print(f"  validate unchanged folder (cache)    {t_val_warm:6.2f} s   (goal <= 0.5 s; filling the cache took {t_val_fill:.2f} s)")
    print(f"  status cold                          {t_status_cold:6.2f} s")
    print(f"  status unchanged folder (cache)      {t_status_warm:6.2f} s   (goal <= 2 s)")
    print(f"  stafett --help                       {help_s * 1000:6.0f} ms  {help_s / min_s:4.2f}x minimal typer app "
          f"({min_s * 1000:.0f} ms; goal <= 1.25x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
