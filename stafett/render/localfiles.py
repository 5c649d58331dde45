"""Reading a case folder's `templates/` as if it were hostile: it came with a clone.

Only regular files inside the folder are read. A symbolic link anywhere under `templates/` (or
`templates/` itself being one), a FIFO, a device or a socket is refused with one line, because a
link could point at any file on the machine (a committed `templates/md/root -> /` plus an include
printed /etc/hostname) and a FIFO would block the render. Files are opened without following links
and without blocking, and a template larger than a template could sensibly be is refused too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterator

from stafett.errors import StafettError
from stafett.i18n import N_, _

MAX_TEMPLATE_BYTES = 1_000_000
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_HINT = N_("replace it with a regular file inside the case folder's templates/, or remove it")


class TemplateFileError(StafettError):
    """A file under the case folder's templates/ that stafett will not read."""


def _kind(mode: int) -> str | None:
    """What is wrong with a file of this mode (said after the file's name, translated), or None for a
    regular file or a folder."""
    if stat.S_ISLNK(mode):
        # TRANSLATORS: follows a file name: "templates/md/x.j2 is a symbolic link; ..."
        return _("is a symbolic link; stafett does not follow links in templates/")
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    # TRANSLATORS: follows a file name: "templates/md/x.j2 is not a regular file ..."
    return _("is not a regular file (a FIFO, device or socket); stafett reads only regular files")


def refusals(base: Path) -> Iterator[tuple[Path, str]]:
    """Every entry under `base` (and `base` itself) that stafett refuses, with why; links never followed."""
    try:
        problem = _kind(os.lstat(base).st_mode)
    except FileNotFoundError:
        return
    if problem:
        yield base, problem
        return
    for folder, dirs, files in os.walk(base, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            try:
                problem = _kind(os.lstat(path).st_mode)
            except OSError:
                continue
            if problem:
                yield path, problem


def check_tree(base: Path, shown: str = "templates") -> None:
    """Raise for the first refused entry under `base` (one line that names it)."""
    for path, problem in refusals(base):
        rel = path.relative_to(base.parent).as_posix() if path != base else shown
        raise TemplateFileError(f"{rel} {problem}", _(_HINT))


def _shown(base: Path, path: Path) -> str:
    return path.relative_to(base.parent).as_posix()


def read_inside(base: Path, parts: list[str] | tuple[str, ...]) -> bytes | None:
    """The bytes of base/parts..., or None when there is no such file. Every component below `base`
    is checked with lstat, so neither a link nor '..' can lead outside; the file is opened without
    following a link (O_NOFOLLOW) and without blocking (O_NONBLOCK), then checked again by its handle."""
    path = base
    for n, part in enumerate(parts):
        if part in ("", ".", "..") or "/" in part or "\\" in part or "\0" in part:
            return None
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None
        problem = _kind(mode)
        if problem:
            raise TemplateFileError(f"{_shown(base, path)} {problem}", _(_HINT))
        if n < len(parts) - 1 and not stat.S_ISDIR(mode):
            return None
    if stat.S_ISDIR(os.lstat(path).st_mode):
        return None
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            problem = _kind(st.st_mode)
            if problem:
                raise TemplateFileError(f"{_shown(base, path)} {problem}", _(_HINT))
            raise TemplateFileError(_("{path} is not a regular file").format(path=_shown(base, path)), _(_HINT))
        if st.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateFileError(
                _("{path} is larger than {limit} MB; stafett does not read templates that large").format(
                    path=_shown(base, path), limit=MAX_TEMPLATE_BYTES // 1_000_000),
                _("make the template smaller"))
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_TEMPLATE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateFileError(_("{path} is larger than stafett reads for a template").format(path=_shown(base, path)),
                                _("make the template smaller"))
    return data
