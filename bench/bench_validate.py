"""Time `stafett validate` (cold: the CLI as a user runs it, cache off) against bare parses of the same files.

Prints files/s for each and the ratios the foundation issue asks for, all measured in this one run:
validate vs the fastest bare parse installed (yaml-rs), vs libyaml (PyYAML CSafeLoader), and ruamel's
round-trip loader on a sample. Usage: python bench/bench_validate.py [N ...]  (default: 1000 10000)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_cases import generate  # noqa: E402


def bare(files: list[Path], load) -> float:
    start = time.perf_counter()
    for f in files:
        load(f.read_bytes().decode("utf-8"))
    return time.perf_counter() - start


def cold_validate(root: Path, *args: str) -> float:
    exe = shutil.which("stafett") or str(Path(sys.executable).with_name("stafett"))
    env = {**os.environ, "STAFETT_TODAY": __import__("datetime").date.today().isoformat()}
    start = time.perf_counter()
    r = subprocess.run([exe, "validate", "--no-cache", *args], cwd=root, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if r.returncode != 0:
        raise SystemExit(f"validate failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return took


def main(counts: list[int]) -> None:
    import yaml
    import yaml_rs
    from ruamel.yaml import YAML

    libyaml = getattr(yaml, "CSafeLoader", None)
    rt = YAML(typ="rt")
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    for n in counts:
        with tempfile.TemporaryDirectory() as tmp:
            root = generate(Path(tmp) / "folder", n)
            files = sorted((root / "saker").glob("*.yaml"))
            size = sum(f.stat().st_size for f in files) / len(files) / 1024
            cold_validate(root)  # warm the OS file cache, as a second CI step would find it
            t_val = min(cold_validate(root) for _ in range(3))
            t_one = cold_validate(root, "--jobs", "1")
            t_rs = min(bare(files, yaml_rs.loads) for _ in range(2))
            sample = files[: max(1, min(len(files), 200))]
            t_lib = bare(sample, lambda s: yaml.load(s, Loader=libyaml)) * len(files) / len(sample) if libyaml else float("nan")
            rt_sample = files[:50]
            t_rt = bare(rt_sample, rt.load) * len(files) / len(rt_sample)
            print(f"\n{n} cases, {size:.1f} KB average")
            print(f"  stafett validate (cold, all cores) {t_val:7.2f} s  {n / t_val:7.0f} files/s")
            print(f"  stafett validate (cold, --jobs 1)  {t_one:7.2f} s  {n / t_one:7.0f} files/s")
            print(f"  bare parse yaml-rs                 {t_rs:7.2f} s  {n / t_rs:7.0f} files/s")
            print(f"  bare parse libyaml (CSafeLoader)   {t_lib:7.2f} s  {n / t_lib:7.0f} files/s (sampled)")
            print(f"  bare parse ruamel round-trip       {t_rt:7.2f} s  {n / t_rt:7.0f} files/s (sampled)")
            print(f"  ratio validate / yaml-rs parse:  {t_val / t_rs:5.2f}x  (goal <= 1.5x)")
            print(f"  ratio validate / libyaml parse:  {t_val / t_lib:5.2f}x  (goal <= 1.0x)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
