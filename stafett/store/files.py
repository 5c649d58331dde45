"""Every read and every replace of a file in a case folder, so one set of rules holds for all of them.

A cloned repository may be hostile: reads open without following links and without blocking (a FIFO
named like a case never hangs a command), then require a regular file below a size cap before a byte
is read. Writes are atomic (temp file, fsync, os.replace), private to the user (0600) whatever the
umask, locked against a second writer, never onto a link, folder, device or read-only file, and
refused when the file changed since it was read. A failed write leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterator, Optional

from stafett.errors import CaseFileError, LockTimeout, StafettError
from stafett.i18n import N_, _

DEFAULT_TIMEOUT = float(os.environ.get("STAFETT_LOCK_TIMEOUT", "10"))
MAX_READ = 2 * 1024 * 1024  # yamlio.MAX_BYTES: the cap is checked on the open file, before reading it
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows: there the entry is looked at first (see open_regular)
_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_LINK_ERRNOS = {errno.ELOOP, errno.EMLINK}  # what O_NOFOLLOW gives on a link: Linux/macOS, FreeBSD
_MAX_KEEP = 256 * 1024 * 1024  # an old file kept in memory to compare or restore


class WriteError(StafettError):
    """A file could not be written; the file that was there is unchanged."""


# --- reading ---------------------------------------------------------------------------------------

def read_regular(path: Path, *, limit: int = MAX_READ, follow: bool = False) -> bytes:
    """The bytes of a regular file. CaseFileError for a link (Y008), a folder, FIFO or device (F003),
    a file above `limit` (Y005) or one that cannot be opened (Y007); FileNotFoundError when it is missing.
    `follow` is for the folder's own stafett.yaml and personer.yaml, whose links are checked by the caller."""
    return read_with_stat(path, limit=limit, follow=follow)[0]


def read_with_stat(path: Path, *, limit: int = MAX_READ, follow: bool = False) -> tuple[bytes, os.stat_result]:
    fd, st = open_regular(path, follow=follow)
    try:
        if st.st_size > limit:
            raise _too_large(path, st.st_size, limit)
        raw = _read_up_to(fd, st.st_size, limit)
    finally:
        os.close(fd)
    if len(raw) > limit:  # it grew after fstat
        raise _too_large(path, len(raw), limit)
    return raw, st


def _read_up_to(fd: int, size: int, limit: int) -> bytes:
    """At most limit + 1 bytes. One read(size + 1) for a file that does not change, as Path.read_bytes
    does; a short read of a regular file is its end."""
    parts = [os.read(fd, size + 1)]
    if len(parts[0]) <= size:
        return parts[0]
    total = len(parts[0])
    while total <= limit:
        chunk = os.read(fd, min(1 << 16, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def open_regular(path: Path, *, follow: bool = False) -> tuple[int, os.stat_result]:
    """A read-only descriptor of a regular file and its fstat; O_NONBLOCK so opening a FIFO returns at once."""
    name = os.fspath(path)
    seen = None
    if not _NOFOLLOW and not follow:
        try:
            seen = os.lstat(name)
        except FileNotFoundError:
            raise
        except OSError as e:
            raise _unreadable(path, e) from None
        _require_regular(path, seen)
    try:
        fd = os.open(name, _READ | (0 if follow else _NOFOLLOW))
    except FileNotFoundError:
        raise
    except OSError as e:
        if e.errno in _LINK_ERRNOS and not follow:
            raise _link(path) from None
        if e.errno == errno.ENXIO:  # a socket
            raise _not_regular(path) from None
        raise _unreadable(path, e) from None
    try:
        st = os.fstat(fd)
        _require_regular(path, st)
        if seen is not None and (st.st_dev, st.st_ino) != (seen.st_dev, seen.st_ino):
            raise _not_regular(path)  # swapped between the look and the open
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def is_regular(st: os.stat_result) -> bool:
    return stat.S_ISREG(st.st_mode)


def _require_regular(path: Path, st: os.stat_result) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise _link(path)
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(path)


def _file_error(path: Path, message: str, hint: str, *, code: str) -> CaseFileError:
    return CaseFileError(message, hint, path=os.fspath(path), line=1, col=1, code=code)


def _link(path: Path) -> CaseFileError:
    return _file_error(path, _("file is a symbolic link; stafett does not follow links"),
                       _("replace the link with the file itself"), code="Y008")


def _not_regular(path: Path) -> CaseFileError:
    return _file_error(path, _("not a regular file (a folder, FIFO, socket or device has this name)"),
                       _("remove it or give it another name; a case is one plain file"), code="F003")


def _unreadable(path: Path, e: OSError) -> CaseFileError:
    return _file_error(path, _("cannot read file: {reason}").format(reason=e.strerror or type(e).__name__),
                       _("check the path and permissions"),
                       code="Y007")


def _too_large(path: Path, size: int, limit: int) -> CaseFileError:
    return _file_error(path, _("file is {size} KiB, more than the {limit} MiB a case may be").format(
                           size=size // 1024, limit=limit // 1024 // 1024),
                       _("split old material out or check that this is a case file"), code="Y005")


# --- locking ---------------------------------------------------------------------------------------

def lock_path(path: Path) -> Path:
    # Never lock the file itself (filelock's advice); a hidden sibling is gitignored by `stafett init`.
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    from filelock import FileLock, Timeout

    target = lock_path(path)
    _require_lockable(target)
    lock = FileLock(str(target))
    try:
        lock.acquire(timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
    except Timeout:
        raise LockTimeout(_("{file} is being changed by another stafett process").format(file=path.name),
                          _("wait a moment and run the command again")) from None
    except OSError as e:
        raise WriteError(_("cannot lock {file}: {reason}").format(file=path.name, reason=_reason(e)), _hint(e)) from None
    try:
        yield
    finally:
        lock.release()


def _require_lockable(target: Path) -> None:
    """A lock path that is a link or folder (committed by someone) is named, not tripped over."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as e:
        raise WriteError(_("cannot lock through {file}: {reason}").format(file=target.name, reason=_reason(e)),
                         _hint(e)) from None
    if not stat.S_ISREG(st.st_mode):
        raise StafettError(_("{file} is a link, folder or special file, not stafett's lock file").format(file=target.name),
                           _("delete {path} (stafett makes a new one) and run the command again").format(path=target))


# --- writing ---------------------------------------------------------------------------------------

def atomic_write(path: Path, data: bytes, *, exclusive: bool = False, expect: Optional[bytes] = None) -> None:
    """Temp file in the same folder, fsync, os.replace: a reader sees the old file or the new, never half.

    `exclusive` refuses to replace an existing file (FileExistsError). `expect` is what the caller read:
    if the file holds anything else just before the replace (an editor saved meanwhile), nothing is written."""
    tmp = _stage(path, data)
    try:
        _commit(path, tmp, exclusive=exclusive, expect=expect)
    finally:
        _discard(tmp)
    _fsync_dir(path.parent)


def write_all(items: list[tuple[Path, bytes, Optional[bytes]]]) -> None:
    """Several files, all or none: (path, data, expect) each, replaced in the order given.

    Every temp file is written first, where a full disk or a size limit shows. If a replace then fails,
    the files already replaced get their old content back (or are removed if they were new)."""
    staged: list[str] = []
    try:
        for path, data, _ in items:
            staged.append(_stage(path, data))
        done: list[tuple[Path, Optional[bytes]]] = []
        try:
            for n, ((path, _, expect), tmp) in enumerate(zip(items, staged)):
                old = _current(path) if n < len(items) - 1 else None  # nothing is rolled back after the last
                _commit(path, tmp, exclusive=False, expect=expect)
                done.append((path, old))
        except BaseException:
            for path, old in reversed(done):
                _restore(path, old)
            raise
    finally:
        for tmp in staged:
            _discard(tmp)
    for folder in dict.fromkeys(path.parent for path, _, _ in items):
        _fsync_dir(folder)


def replace_with(tmp: str, path: Path) -> None:
    """Put a finished temp file (e.g. a SQLite database) in place, with the checks every write gets."""
    try:
        os.chmod(tmp, _mode_for(path))
    except OSError as e:
        raise _write_error(path, e) from None
    _commit(path, tmp, exclusive=False, expect=None)
    _fsync_dir(path.parent)


def make_private_dir(folder: Path) -> None:
    """A folder stafett creates for its own files (0700; an existing one is left as it is)."""
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)


def _stage(path: Path, data: bytes) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600, O_EXCL
    except OSError as e:
        raise _write_error(path, e) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(path))
    except BaseException as e:
        _discard(tmp)
        if isinstance(e, OSError):
            raise _write_error(path, e) from None
        raise
    return tmp


def _mode_for(path: Path) -> int:
    """A replaced file keeps its mode; a new one is private to the user."""
    try:
        st = os.lstat(path)
    except OSError:
        return PRIVATE_FILE
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else PRIVATE_FILE


def _commit(path: Path, tmp: str, *, exclusive: bool, expect: Optional[bytes]) -> None:
    _check_target(path, expect)
    try:
        if exclusive:
            _link_new(tmp, path)
        else:
            os.replace(tmp, path)
    except FileExistsError:
        raise
    except OSError as e:
        raise _write_error(path, e) from None


def _check_target(path: Path, expect: Optional[bytes]) -> None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise _write_error(path, e) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise WriteError(_("{path} is a link, folder or special file; stafett writes only plain files").format(path=path),
                         _("choose another file name; nothing was written"))
    if st is not None and not st.st_mode & stat.S_IWUSR:
        raise WriteError(_("{file} is read-only; stafett does not replace it").format(file=path.name),
                         _("make it writable (chmod u+w) if it should change; nothing was written"))
    if expect is not None and _current(path) != expect:
        raise StafettError(_("{file} changed on disk while stafett worked; nothing was written").format(file=path.name),
                           _("run the command again (the other change is kept)"))


def _current(path: Path) -> Optional[bytes]:
    try:
        return read_regular(path, limit=_MAX_KEEP)
    except FileNotFoundError:
        return None
    except CaseFileError as e:
        raise WriteError(f"{path}: {e.message}", _("nothing was written")) from None


def _link_new(tmp: str, path: Path) -> None:
    # link() fails if the target exists, so two creators can never overwrite each other.
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # filesystems without hard links (some Windows shares)
        if os.path.lexists(path):
            raise FileExistsError(str(path)) from None
        os.replace(tmp, path)


def _restore(path: Path, old: Optional[bytes]) -> None:
    with contextlib.suppress(OSError, StafettError):
        if old is None:
            os.unlink(path)
        else:
            atomic_write(path, old)


def _discard(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    # The data is in place already; a filesystem that cannot fsync a folder is no reason to fail.
    with contextlib.suppress(OSError):
        fd = os.open(str(folder), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_REASONS = {
    errno.ENOSPC: N_("the disk is full"),
    getattr(errno, "EDQUOT", -1): N_("the disk quota is used up"),
    errno.EFBIG: N_("the file would be larger than this system allows (a file size limit)"),
    errno.EROFS: N_("the file system is read-only"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
}


def _reason(e: OSError) -> str:
    known = _REASONS.get(e.errno)
    return _(known) if known else (e.strerror or type(e).__name__)


def _hint(e: OSError) -> str:
    if e.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return _("free some disk space and run the command again; nothing was written")
    if e.errno == errno.EFBIG:
        return _("raise the file size limit (ulimit -f) and run the command again; nothing was written")
    return _("check the folder and its permissions; nothing was written")


def _write_error(path: Path, e: OSError) -> WriteError:
    return WriteError(_("could not write {file}: {reason}").format(file=path.name, reason=_reason(e)), _hint(e))
