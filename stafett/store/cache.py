"""A content-hash cache of per-file results, so an unchanged folder re-validates without parsing.

A file's content hash decides: size and mtime alone are never trusted, because editors saving twice in a
second, `cp -p`, `rsync -a` and `tar x` all keep them while the bytes change, and a CI that trusted them
could pass a broken record. A file is not read again only while its inode is untouched since it was
hashed: the same ctime too, which every write, `utime` and rename moves and no program can set back (git's
index relies on the same, with its rule for a change too recent to tell apart: stafett.scan.signature).
The day is not part of the key: each entry holds the days its result is true on (stafett.dateprobe), so the next day's run reuses what the date cannot change. The
cache lives inside .git (or .stafett-cache/ outside git) and is never committed. Each cache file carries a
MAC under a key only this user has (in the user's own cache folder, made on first use): a .git or
.stafett-cache that came in an archive or a copied folder holds verdicts someone else wrote, perhaps
"no findings" for a broken record, and is read as no cache at all. validate's entries hold
finding codes, positions and message ids with their values (ids, dates, codes): no free text. status's
entries hold its to-do lines, and a task's line quotes the first 60 characters of the task as the referat
wrote it; `stafett retention --purge` drops the whole cache with the case.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any, Optional

from stafett import __version__
from stafett.errors import StafettError
from stafett.store import files

FORMAT = 5
MAX_CACHE = 256 * 1024 * 1024  # ~2,000 bytes a file: far above the largest folder


def _small(path: Path) -> bytes:
    try:
        return files.read_regular(path, limit=64 * 1024, follow=True)
    except (OSError, StafettError):
        return b""


def _git_dir(root: Path) -> Optional[Path]:
    for folder in [root, *root.parents]:
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = _small(dot).decode("utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                target = Path(text[7:].strip())
                return target if target.is_absolute() else (folder / target).resolve()
    return None


def _usable_dir(folder: Path) -> bool:
    """A cache folder that a cloned repository planted as a link is neither read nor written through."""
    try:
        return stat.S_ISDIR(os.lstat(folder).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def cache_path(root: Path, kind: str) -> Path:
    """Named by the folder's place inside its repository, so a moved clone or another working directory
    finds the same file; outside git, by the folder's absolute path."""
    git_dir = _git_dir(root)
    where = str(root.resolve())
    if git_dir is not None:
        top = git_dir.parent.resolve() if git_dir.name == ".git" else None
        if top is not None and (root.resolve() == top or top in root.resolve().parents):
            where = root.resolve().relative_to(top).as_posix()
    key = hashlib.sha256(where.encode("utf-8")).hexdigest()[:16]
    base = git_dir / "stafett-cache" if git_dir else root / ".stafett-cache"
    return base / f"{kind}-{key}.json"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_SECRETS: dict[Path, Optional[bytes]] = {}
SECRET_BYTES = 32


def secret_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "stafett" / "cache.key"


def secret() -> Optional[bytes]:
    """This user's key for the cache's MAC, made on first use; None where it can be neither read nor made
    (a read-only home): then nothing is cached, and every run checks every file."""
    path = secret_path()
    if path not in _SECRETS:
        _SECRETS[path] = _read_or_make(path)
    return _SECRETS[path]


def _read_or_make(path: Path) -> Optional[bytes]:
    for _attempt in range(2):
        try:
            key, st = files.read_with_stat(path, limit=1024)  # never through a link someone planted
            # A key another user owns, or may read, lets them write verdicts this user would trust.
            mine = os.name == "nt" or (st.st_uid == os.getuid() and st.st_mode & 0o077 == 0)
            return key if mine and len(key) == SECRET_BYTES else None
        except FileNotFoundError:
            pass
        except (OSError, StafettError):
            return None
        try:
            files.make_private_dir(path.parent)
            files.atomic_write(path, secrets.token_bytes(SECRET_BYTES), exclusive=True)  # 0600, whole or not at all
        except FileExistsError:
            continue  # another process made it first: read theirs
        except (OSError, StafettError):
            return None
    return None


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).hexdigest().encode("ascii")


class FileCache:
    """Entries per file (named by its path inside the folder): [content digest, first day, end day, result,
    signature (scan.signature: what stands for the bytes while the inode is untouched)],
    valid for one context (settings, staff, schemas, stafett's code). Workers compare the digest."""

    def __init__(self, path: Path, context: str) -> None:
        self.path = path
        self.context = f"{FORMAT}:{__version__}:{context}"
        self.entries: dict[str, list] = {}
        self.dirty = False
        self.key = secret()
        self.usable = self.key is not None and _usable_dir(path.parent)
        if not self.usable:
            return
        try:
            mac, _, payload = files.read_regular(path, limit=MAX_CACHE).partition(b"\n")
            if not hmac.compare_digest(mac, _mac(self.key, payload)):
                return  # written by someone else (or by hand): not ours to trust
            data = json.loads(payload.decode("utf-8"))
            if data.get("context") == self.context and isinstance(data["files"], dict):
                self.entries = data["files"]
        except (OSError, ValueError, KeyError, TypeError, StafettError):
            pass  # no cache, or a broken one (or a link planted in its place): start afresh

    def store(self, name: str, entry: list) -> None:
        self.entries[name] = entry
        self.dirty = True

    def forget(self, name: str) -> None:
        if self.entries.pop(name, None) is not None:
            self.dirty = True

    def save(self, keep: set[str]) -> None:
        stale = set(self.entries) - keep
        for name in stale:
            del self.entries[name]
        if not (self.dirty or stale) or not self.usable:
            return
        try:
            files.make_private_dir(self.path.parent)
            payload = json.dumps({"context": self.context, "files": self.entries}, separators=(",", ":")).encode("utf-8")
            files.atomic_write(self.path, _mac(self.key, payload) + b"\n" + payload)
        except (OSError, StafettError):
            pass  # a read-only checkout (or a full disk) still validates; it just does not remember
