"""What `stafett git-setup` (and `init`) write: .gitattributes and the clone's merge-driver config."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from stafett.folder import CASES_DIR
from stafett.store import gitio
from stafett.store.files import atomic_write

ATTRIBUTE = f"{CASES_DIR}/*.yaml merge=stafett"


def driver_command() -> str:
    exe = shutil.which("stafett")
    if exe and Path(exe).resolve().parent == Path(sys.executable).resolve().parent:
        return "stafett merge-driver %O %A %B %P"
    # Not on PATH (a venv not activated): call this very installation.
    python = Path(sys.executable).as_posix()
    return f'"{python}" -m stafett merge-driver %O %A %B %P'


def install(root: Path) -> list[str]:
    top = gitio.top_level(root)
    rel = root.resolve().relative_to(top.resolve()).as_posix()
    pattern = ATTRIBUTE if rel in ("", ".") else f"{rel}/{ATTRIBUTE}"
    attributes = top / ".gitattributes"
    current = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    said = []
    if pattern not in current.splitlines():
        text = current + ("" if not current or current.endswith("\n") else "\n") + pattern + "\n"
        atomic_write(attributes, text.encode("utf-8"))
        said.append(f"added '{pattern}' to {attributes}")
    gitio.git(top, "config", "merge.stafett.name", "stafett: merge case files on the model")
    gitio.git(top, "config", "merge.stafett.driver", driver_command())
    said.append("configured the stafett merge driver for this clone")
    return said
