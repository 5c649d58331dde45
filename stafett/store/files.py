"""Atomic, locked writes. The only place that replaces a file on disk."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from stafett.errors import LockTimeout

DEFAULT_TIMEOUT = float(os.environ.get("STAFETT_LOCK_TIMEOUT", "10"))


def lock_path(path: Path) -> Path:
    # Never lock the file itself (filelock's advice); a hidden sibling is gitignored by `stafett init`.
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(path)))
    try:
        lock.acquire(timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
    except Timeout:
        raise LockTimeout(f"{path.name} is being changed by another stafett process",
                          "wait a moment and run the command again") from None
    try:
        yield
    finally:
        lock.release()


def atomic_write(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Temp file in the same folder, fsync, os.replace: a reader sees the old file or the new, never half."""
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644 & ~_umask())
        if exclusive:
            # link() fails if the target exists, so two creators can never overwrite each other.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise
            except OSError:  # filesystems without hard links (some Windows shares)
                if path.exists():
                    raise FileExistsError(str(path)) from None
                os.replace(tmp, path)
        else:
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _fsync_dir(folder)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(str(folder), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
