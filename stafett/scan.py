"""Run one read-only function over many case files: on every core, remembering results per file.

`validate` and `status` both go through here. The function runs in worker processes, so it is named
by module and attribute and takes (path, context); its results must be JSON-able, because unchanged
files take their result from the content-hash cache (stafett.store.cache) instead of being read again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import os
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


def _resolve(name: str) -> Callable:
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)


def _init_worker(function: str, context: Any) -> None:
    global _WORKER
    _WORKER = (_resolve(function), context)


def _run_one(path: str) -> Any:
    fn, context = _WORKER
    return fn(path, context)


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


def context_key(root: Path, today: dt.date) -> str:
    """What every result depends on besides the file itself: the date, settings and staff, the schemas the
    modelines point at (S010/S011), and the code that decides verdicts (a changed rule re-checks all)."""
    from stafett.store.cache import digest

    parts = [today.isoformat().encode(), _code_version().encode(), _schemas(root)]
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


def run(job: Job, names: list[str], jobs: Optional[int] = None, progress=None) -> dict[str, Any]:
    fn = _resolve(job.function)
    workers = jobs or (os.cpu_count() or 1)
    if len(names) < PARALLEL_FROM or workers < 2:
        out = {}
        for name in names:
            out[name] = fn(name, job.context)
            if progress:
                progress(1)
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    chunk = max(8, len(names) // (workers * 8))
    out = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                             initializer=_init_worker, initargs=(job.function, job.context)) as pool:
        for name, result in zip(names, pool.map(_run_one, names, chunksize=chunk)):
            out[name] = result
            if progress:
                progress(1)
    return out


def run_cached(job: Job, root: Path, key: str, names: list[str], jobs: Optional[int] = None,
               progress=None) -> dict[str, Any]:
    """Like `run`, but files unchanged since the last run with the same `key` keep their results."""
    from stafett.store.cache import FileCache, cache_path

    cache = FileCache(cache_path(root, job.kind), key)
    out: dict[str, Any] = {}
    misses: list[tuple[str, Optional[os.stat_result], bytes]] = []
    for name in names:
        stat, result, raw = _lookup(cache, name)
        if stat is None:
            misses.append((name, None, b""))
            continue
        if result is not None:
            out[name] = result
            if progress:
                progress(1)
        else:
            misses.append((name, stat, raw))
    fresh = run(job, [m[0] for m in misses], jobs, progress)
    for name, stat, raw in misses:
        if stat is not None:
            cache.store(name, stat, raw, fresh[name])
    cache.save(set(names))
    out.update(fresh)
    return {name: out[name] for name in names}


def _lookup(cache, name: str) -> tuple[Optional[os.stat_result], Any, bytes]:
    """(stat, cached result or None, bytes read); stat None for what the job's own reader must report:
    a link, folder, FIFO or device is looked at with lstat only, never opened here."""
    try:
        stat = os.lstat(name)
        if not files.is_regular(stat):
            return None, None, b""
        result, raw = cache.lookup(name, stat)
    except (OSError, StafettError):
        return None, None, b""
    return stat, result, raw
