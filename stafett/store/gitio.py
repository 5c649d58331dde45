"""The few git calls stafett makes: reading a file at a revision, listing changed files, config."""

from __future__ import annotations

import subprocess
from pathlib import Path

from stafett.errors import StafettError, UsageError


def git(cwd: Path, *args: str, check: bool = True, text: bool = True) -> subprocess.CompletedProcess:
    try:
        r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=text, timeout=120)
    except FileNotFoundError:
        raise StafettError("git is not installed", "install git (Git for Windows on Windows)") from None
    if check and r.returncode != 0:
        err = r.stderr if text else r.stderr.decode("utf-8", "replace")
        raise StafettError(f"git {' '.join(args[:2])} failed: {err.strip().splitlines()[-1][:200] if err.strip() else r.returncode}",
                           "check that this is a git repository and the revision exists")
    return r


def top_level(path: Path) -> Path:
    r = git(path, "rev-parse", "--show-toplevel", check=False)
    if r.returncode != 0:
        raise UsageError(f"{path} is not inside a git repository", "run 'git init' or 'stafett init'")
    return Path(r.stdout.strip())


def resolve(top: Path, rev: str) -> str:
    r = git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    if r.returncode != 0:
        raise UsageError(f"unknown git revision '{rev}'", "use a branch, tag or commit, e.g. origin/main")
    return r.stdout.strip()


def changed_since(top: Path, rev: str, under: Path) -> list[tuple[str, str]]:
    """(status, path relative to top) for files changed between rev and the working tree."""
    rel = under.resolve().relative_to(top.resolve()).as_posix() or "."
    r = git(top, "diff", "--name-status", "--no-renames", rev, "--", rel)
    out = []
    for line in r.stdout.splitlines():
        status, _, name = line.partition("\t")
        out.append((status[:1], name))
    return out


def show(top: Path, rev: str, path: str) -> bytes | None:
    r = git(top, "show", f"{rev}:{path}", check=False, text=False)
    return r.stdout if r.returncode == 0 else None
