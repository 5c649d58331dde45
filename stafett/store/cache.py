"""A content-hash cache of per-file results, so an unchanged folder re-validates at once.

Like git's index: a file whose size and mtime are unchanged is trusted without reading it, unless it was
written within the last few seconds of the cache itself (a "racy" file); otherwise its content hash
decides. The cache lives inside .git (or .stafett-cache/ outside git), is never committed, and holds
finding codes, positions and messages only: no case text.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any, Optional

from stafett import __version__

FORMAT = 1
RACY_SECONDS = 3.0


def _git_dir(root: Path) -> Optional[Path]:
    for folder in [root, *root.parents]:
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = dot.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                target = Path(text[7:].strip())
                return target if target.is_absolute() else (folder / target).resolve()
    return None


def cache_path(root: Path, kind: str) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    git_dir = _git_dir(root)
    base = git_dir / "stafett-cache" if git_dir else root / ".stafett-cache"
    return base / f"{kind}-{key}.json"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class FileCache:
    """Results per file path, valid for one context (settings, staff, date, stafett version)."""

    def __init__(self, path: Path, context: str) -> None:
        self.path = path
        self.context = f"{FORMAT}:{__version__}:{context}"
        self.entries: dict[str, list] = {}
        self.written_at = 0.0
        self.dirty = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("context") == self.context:
                self.entries = data["files"]
                self.written_at = float(data.get("written_at", 0))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no cache, or a broken one: start afresh

    def lookup(self, name: str, stat: os.stat_result) -> tuple[Optional[Any], Optional[bytes]]:
        """(cached result, None) when the file is known unchanged, else (None or result, bytes read)."""
        entry = self.entries.get(name)
        if entry is not None:
            mtime, size, _, result = entry
            if mtime == stat.st_mtime_ns and size == stat.st_size and stat.st_mtime < self.written_at - RACY_SECONDS:
                return result, None
        raw = Path(name).read_bytes()
        if entry is not None and entry[2] == digest(raw):
            entry[0], entry[1] = stat.st_mtime_ns, stat.st_size
            self.dirty = True
            return entry[3], raw
        return None, raw

    def store(self, name: str, stat: os.stat_result, raw: bytes, result: Any) -> None:
        self.entries[name] = [stat.st_mtime_ns, stat.st_size, digest(raw), result]
        self.dirty = True

    def save(self, keep: set[str]) -> None:
        stale = set(self.entries) - keep
        for name in stale:
            del self.entries[name]
        if not (self.dirty or stale):
            return
        from stafett.store.files import atomic_write

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            payload = {"context": self.context, "written_at": time.time(), "files": self.entries}
            atomic_write(self.path, json.dumps(payload, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass  # a read-only checkout still validates; it just does not remember
