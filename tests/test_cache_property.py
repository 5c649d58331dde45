"""Cached and uncached runs of `validate` and `status` always say the same, through the CLI, on real files,
whatever happens between two runs: edits that keep size and mtime, `cp -p`, a file swapped for a link to
the same bytes, schemas/ removed, personer.yaml changed, the next day, six weeks later, a run from
another directory."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from commands_kit import ACTIVE, ACTIVE_ID, case_file, stafett, write_case, write_kommune

DAY = "2026-11-23"
SAME_SIZE_EDITS = [
    ("niva: 1\n", "niva: 7\n"),
    ("    evalueres: 2026-12-15\n", "    evalueres: 2026-10-15\n"),
    ("  meldt_av: mona.birkeland\n", "  meldt_av: mona.birkelanX\n"),
    ("status: aktiv\n", "status: aktix\n"),
]


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.delenv("CI", raising=False)
    root = write_kommune(tmp_path / "testvik")
    write_case(root, ACTIVE)
    an_hour_ago = case_file(root, ACTIVE_ID).stat().st_mtime - 3600
    os.utime(case_file(root, ACTIVE_ID), (an_hour_ago, an_hour_ago))
    return root


def _run(root: Path, day: str, *extra: str, where: Path | None = None) -> list:
    os.environ["STAFETT_TODAY"] = day
    target = os.path.relpath(root, where) if where else root
    v = stafett("validate", target, "--format", "json", "-j", "1", *extra, cwd=where) if where else \
        stafett("validate", target, "--format", "json", "-j", "1", *extra)
    findings = sorted((Path(f["path"]).name, f["line"], f["col"], f["code"], f["message"]) for f in json.loads(v.out)["findings"])
    return [findings, v.code]


def _status(root: Path, day: str) -> list:
    os.environ["STAFETT_TODAY"] = day
    s = stafett("status", "--format", "json", "-C", root)
    return [json.loads(s.out)["items"] if s.code == 0 else s.err, s.code]


def _same_size(path: Path, old: str, new: str) -> None:
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    if old not in text:
        return
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _cp_p(path: Path, tmp: Path) -> None:
    """`cp -p` of an older version over the file: the old mtime comes back with other bytes."""
    other = tmp / "other.yaml"
    other.write_text(path.read_text(encoding="utf-8").replace("niva: 1\n", "niva: 2\n"), encoding="utf-8")
    os.utime(other, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    shutil.copy2(other, path)


def _link(path: Path, tmp: Path) -> None:
    if path.is_symlink():
        return
    target = tmp / "linked.yaml"
    shutil.copy2(path, target)
    path.unlink()
    path.symlink_to(target)


def _unlink(path: Path) -> None:
    if path.is_symlink():
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)


def _people(root: Path) -> None:
    people = root / "personer.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("mona.birkeland", "mona.birkelund", 1) if "mona.birkeland" in text
                      else text.replace("mona.birkelund", "mona.birkeland", 1), encoding="utf-8")


ACTIONS = st.sampled_from(["edit", "cp-p", "link", "unlink", "schemas", "people", "next-day", "six-weeks", "elsewhere"])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=1, max_size=5), edit=st.sampled_from(SAME_SIZE_EDITS))
def test_cached_equals_uncached_whatever_happens(kommune: Path, tmp_path_factory, actions, edit) -> None:
    tmp = tmp_path_factory.mktemp("elsewhere")
    root = tmp / "testvik"
    shutil.copytree(kommune, root, symlinks=True)
    path = case_file(root, ACTIVE_ID)
    day = DAY
    try:
        _run(root, day)  # the cache holds today's verdicts
        _status(root, day)
        for action in actions:
            where = None
            if action == "edit":
                _same_size(path, *edit)
            elif action == "cp-p":
                _cp_p(path, tmp)
            elif action == "link":
                _link(path, tmp)
            elif action == "unlink":
                _unlink(path)
            elif action == "schemas" and (root / "schemas").exists():
                shutil.rmtree(root / "schemas")
            elif action == "people":
                _people(root)
            elif action == "next-day":
                day = "2026-11-24" if day == DAY else "2027-01-05"
            elif action == "six-weeks":
                day = "2027-01-04"
            elif action == "elsewhere":
                where = tmp
            cached = _run(root, day, where=where)
            assert cached == _run(root, day, "--no-cache", where=where), actions
            assert _status(root, day) == _status_uncached(root, day, tmp), actions
    finally:
        os.environ["STAFETT_TODAY"] = DAY


def _status_uncached(root: Path, day: str, tmp: Path) -> list:
    """status has no --no-cache: the same folder copied afresh (no cache beside it) is the uncached run."""
    fresh = tmp / f"fresh-{len(list(tmp.iterdir()))}"
    shutil.copytree(root, fresh, symlinks=True, ignore=shutil.ignore_patterns(".stafett-cache", ".git"))
    return _status(fresh, day)


def test_the_next_day_reuses_what_the_date_cannot_change(kommune: Path) -> None:
    first = _run(kommune, DAY)
    cache = next((kommune / ".stafett-cache").glob("validate-*.json"))
    entry = next(iter(json.loads(cache.read_bytes().partition(b"\n")[2])["files"].values()))
    assert entry[1] < entry[2] - 1  # the verdict holds on more days than today
    assert _run(kommune, "2026-11-24") == _run(kommune, "2026-11-24", "--no-cache")
    assert first[1] == 0
    late = _run(kommune, "2027-03-01")
    assert late == _run(kommune, "2027-03-01", "--no-cache") and any(f[3] == "T002" for f in late[0])
