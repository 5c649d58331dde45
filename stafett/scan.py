"""Run one read-only function over many case files: on every core, remembering results per file.

`validate` and `status` both go through here. The function runs in worker processes, so it is named
by module and attribute and takes (path, context, raw bytes or None); it returns (result, span): a JSON-able
result and the day ordinals [lo, hi) on which that result holds (stafett.dateprobe), so a cached result is
reused on another day while its span covers it and is recomputed after. Each worker reads and hashes its
own files: the main process never holds the folder's bytes. A file whose inode is untouched since it was
hashed (the same size, mtime, ctime, inode and device: `signature`) is not read again at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import os
import stat
import time
from pathlib import Path
from typing import Any, Callable, Optional

from stafett.errors import StafettError
from stafett.folder import PEOPLE_FILE, SETTINGS_FILE
from stafett.store import files

PARALLEL_FROM = 48

_WORKER: Optional[tuple[Callable, Any]] = None


@dataclasses.dataclass(frozen=True)
class Job:
    function: str  # "module:attribute", importable in a worker
    context: Any   # picklable; handed to the function with each path
    kind: str      # names the cache file ("validate", "status")
    today: Optional[dt.date] = None  # the day cached results must hold on


def _resolve(name: str) -> Callable:
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)


def _init_worker(function: str, context: Any) -> None:
    global _WORKER
    _WORKER = (_resolve(function), context)


def _run_one(path: str) -> Any:
    fn, context = _WORKER
    return fn(path, context, None)[0]


def _run_cached_one(task: tuple) -> tuple:
    """("hit", signature) when the file's bytes and the day match the cached entry, else ("new", entry, result);
    ("unread", result) for what the job's own reader must report (a link, FIFO, device, missing file)."""
    from stafett.store.cache import digest

    fn, context = _WORKER
    name, seen, lo, hi, day = task
    try:
        # Never through a link, never a FIFO or device, never past the cap.
        raw, st = files.read_with_stat(Path(name))
    except (OSError, StafettError):
        return ("unread", fn(name, context, None)[0])
    d = digest(raw)
    sig = signature(st)
    if d == seen and lo <= day < hi:
        return ("hit", sig)
    result, (lo, hi) = fn(name, context, raw)
    return ("new", [d, lo, hi, result, sig], result)


# A file whose inode changed less than this long before it was read may change again within the same clock
# tick without its ctime moving: its signature is not kept, and it is read again next time (git's racy rule).
RACY_NS = 1_000_000_000


def signature(st: os.stat_result) -> Optional[list]:
    """What stands for a file's bytes while it is not read: size, mtime, ctime, inode and device, as git's
    index keeps them. Size and mtime alone lie (`cp -p`, `rsync -a`, `tar x`, an editor saving twice in a
    second all keep them), but any write, `utime` or rename gives the inode a new ctime, which no program
    can set. None where ctime is no change time (Windows) or the change was too recent to tell apart."""
    if os.name == "nt" or time.time_ns() - st.st_ctime_ns < RACY_NS:
        return None
    return _inode(st)


def _inode(st: os.stat_result) -> list:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _unchanged(name: str, entry: list) -> bool:
    """Whether the file still has the signature its cached entry was made from: an lstat, no read."""
    if len(entry) < 5 or entry[4] is None:
        return False
    try:
        st = os.lstat(name)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and entry[4] == _inode(st)


def shown(p: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(p, cwd)
    except ValueError:  # another drive on Windows
        return str(p)


def case_files(base: Path, cwd: Path, root: Optional[Path] = None) -> list[str]:
    """Every case file under `base`, as shown paths; os.walk with one relpath per folder, because a
    large folder's unchanged re-validation is mostly this listing. A folder named like a case file is
    listed, not entered, so the reader reports it; with `root`, a `base` that leads out of it lists nothing."""
    if root is not None:
        from stafett.folder import escapes

        if escapes(root, base):
            return []
    out: list[str] = []
    for folder, dirs, names in os.walk(base):
        posing = [d for d in dirs if _is_case_name(d)]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in posing)
        prefix = shown(Path(folder), cwd)
        prefix = "" if prefix == "." else prefix + os.sep
        out += [prefix + n for n in sorted(names + posing) if _is_case_name(n)]
    return out


def _is_case_name(name: str) -> bool:
    return name.endswith(".yaml") and not name.startswith(".")


def context_key(root: Path) -> str:
    """What every result depends on besides the file itself and the day: settings and staff, the schemas the
    modelines point at (S010/S011), and the code that decides verdicts (a changed rule re-checks all).
    The day is not here: each result carries the days it holds on (stafett.dateprobe)."""
    from stafett.store.cache import digest

    parts = [_code_version().encode(), _schemas(root)]
    for name in (SETTINGS_FILE, PEOPLE_FILE):
        try:
            parts.append(files.read_regular(root / name, follow=True))
        except (OSError, StafettError):
            parts.append(b"-")
    return digest(b"\0".join(parts))


def _schemas(root: Path) -> bytes:
    folder = root / "schemas"
    try:
        return "\n".join(sorted(f"{p.name}:{p.is_file()}" for p in folder.iterdir())).encode("utf-8")
    except OSError:
        return b"-"


_CODE: list[str] = []


def _code_version() -> str:
    """A hash of stafett's own source: an edited rule or reader (a development checkout, an upgrade that
    kept the version number) never reuses verdicts the old code gave."""
    if not _CODE:
        from stafett.store.cache import digest

        package = Path(__file__).resolve().parent
        sources = sorted(package.rglob("*.py"))
        _CODE.append(digest(b"\0".join(p.read_bytes() for p in sources)))
    return _CODE[0]


def cores() -> int:
    """The CPUs this process may run on (a container or `taskset` gives fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _map(job: Job, worker: Callable, tasks: list, jobs: Optional[int], progress) -> list:
    workers = jobs or cores()
    if len(tasks) < PARALLEL_FROM or workers < 2:
        _init_worker(job.function, job.context)
        out = []
        for task in tasks:
            out.append(worker(task))
            if progress:
                progress(1)
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    chunk = max(8, len(tasks) // (workers * 8))
    out = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                             initializer=_init_worker, initargs=(job.function, job.context)) as pool:
        for result in pool.map(worker, tasks, chunksize=chunk):
            out.append(result)
            if progress:
                progress(1)
    return out


def run(job: Job, names: list[str], jobs: Optional[int] = None, progress=None) -> dict[str, Any]:
    return dict(zip(names, _map(job, _run_one, names, jobs, progress)))


def run_cached(job: Job, root: Path, key: str, names: list[str], jobs: Optional[int] = None,
               progress=None) -> dict[str, Any]:
    """Like `run`, but a file whose bytes are those of the cached entry keeps its result while the entry's
    span holds the day. Entries are named by the path inside the folder, so a run from another directory
    (or of the folder moved) finds them."""
    from stafett.store.cache import FileCache, cache_path

    cache = FileCache(cache_path(root, job.kind), key)
    day = (job.today or dt.date.today()).toordinal()
    keys = _inside_all(root, names)
    tasks, asked = [], []
    out: dict[str, Any] = {}
    for name, k in zip(names, keys):
        entry = cache.entries.get(k)
        ok = isinstance(entry, list) and len(entry) == 5
        if ok and entry[1] <= day < entry[2] and _unchanged(name, entry):
            out[name] = entry[3]  # the same inode, untouched since it was read: its bytes are the digest's
            if progress:
                progress(1)
            continue
        tasks.append((name, entry[0], entry[1], entry[2], day) if ok else (name, None, 0, 0, day))
        asked.append((name, k))
    for (name, k), answer in zip(asked, _map(job, _run_cached_one, tasks, jobs, progress)):
        if answer[0] == "hit":
            entry = cache.entries[k]
            if entry[4] != answer[1]:
                cache.store(k, [*entry[:4], answer[1]])
            out[name] = entry[3]
        elif answer[0] == "new":
            if answer[1][1] < answer[1][2]:
                cache.store(k, answer[1])
            else:  # a result that holds on no day (content a key opened) is not remembered
                cache.forget(k)
            out[name] = answer[2]
        else:
            cache.forget(k)
            out[name] = answer[1]
    cache.save(set(keys))
    return {name: out[name] for name in names}


def _inside(root: Path, name: str) -> str:
    try:
        return Path(os.path.relpath(os.path.abspath(name), root)).as_posix()
    except ValueError:  # another drive on Windows
        return os.path.abspath(name)


def _inside_all(root: Path, names: list[str]) -> list[str]:
    """_inside for a folder's files: a string prefix where the path lies under root (relpath costs as much as
    hashing the file, and an unchanged 10k folder is mostly this)."""
    prefix = os.path.join(os.path.abspath(root), "")
    out = []
    for name in names:
        full = os.path.abspath(name)
        if full.startswith(prefix):  # abspath has resolved any `..`
            out.append(full[len(prefix):].replace(os.sep, "/"))
        else:
            out.append(_inside(root, name))
    return out
