"""The environment the benches run stafett in: as an installed copy runs, with its bytecode compiled.

`pip install` compiles a package's modules; a development shell often sets PYTHONDONTWRITEBYTECODE (this
project's sandbox does), and then every run compiles stafett's 100 modules afresh, about 60 ms of each
command's time that no coordinator pays. So the benches compile once and let Python use the result.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def env(**extra: str) -> dict:
    out = dict(os.environ, PYTHONPATH=str(ROOT), GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", **extra)
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


def compile_stafett() -> None:
    compileall.compile_dir(str(ROOT / "stafett"), quiet=1)
