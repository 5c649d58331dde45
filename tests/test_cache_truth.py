"""The validate cache never lies: an edit that keeps a file's size and mtime (an editor saving twice in a
second, `cp -p`, `rsync -a`, `tar x`), a file swapped for a link to the same bytes, or removed schemas all
give the same findings as an uncached run. Through the CLI, on real files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from commands_kit import ACTIVE, ACTIVE_ID, case_file, stafett, write_case, write_kommune

# Same-length edits a hand (or a tool that restores mtimes) can make; each changes the verdict or not.
EDITS = [
    ("niva: 1\n", "niva: 7\n"),
    ("    evalueres: 2026-12-15\n", "    evalueres: 2026-10-15\n"),
    ("  meldt_av: mona.birkeland\n", "  meldt_av: mona.birkelanX\n"),
    ("status: aktiv\n", "status: aktix\n"),
    ("tekst: Bekymring registrert.", "tekst: Bekymring registrerT."),
]


@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    monkeypatch.delenv("CI", raising=False)
    root = write_kommune(tmp_path / "testvik")
    write_case(root, ACTIVE)
    an_hour_ago = case_file(root, ACTIVE_ID).stat().st_mtime - 3600  # not "racy": a cache may trust it
    os.utime(case_file(root, ACTIVE_ID), (an_hour_ago, an_hour_ago))
    return root


def _findings(root: Path, *extra: str) -> list:
    result = stafett("validate", root, "--format", "json", "-j", "1", *extra)
    return sorted((f["path"], f["line"], f["code"]) for f in json.loads(result.out)["findings"]) + [result.code]


def _edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns


def test_an_edit_that_keeps_size_and_mtime_is_seen(kommune: Path) -> None:
    assert _findings(kommune)[-1] == 0  # warm the cache
    _edit_keeping_size_and_mtime(case_file(kommune, ACTIVE_ID), "niva: 1\n", "niva: 7\n")
    cached = _findings(kommune)
    assert cached[-1] == 1 and cached == _findings(kommune, "--no-cache")


def test_a_file_swapped_for_a_link_to_the_same_bytes_is_seen(kommune: Path, tmp_path: Path) -> None:
    _findings(kommune)
    path = case_file(kommune, ACTIVE_ID)
    elsewhere = tmp_path / "copy.yaml"
    shutil.copy2(path, elsewhere)
    path.unlink()
    path.symlink_to(elsewhere)
    cached = _findings(kommune)
    assert any(code == "Y008" for _, _, code in cached[:-1]) and cached == _findings(kommune, "--no-cache")


def test_removing_the_schemas_is_seen(kommune: Path) -> None:
    assert not any(code == "S011" for _, _, code in _findings(kommune)[:-1])
    shutil.rmtree(kommune / "schemas")
    cached = _findings(kommune)
    assert any(code == "S011" for _, _, code in cached[:-1]) and cached == _findings(kommune, "--no-cache")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(EDITS), min_size=1, max_size=4, unique=True))
def test_cached_and_uncached_runs_always_agree(kommune: Path, edits) -> None:
    path = case_file(kommune, ACTIVE_ID)
    original = path.read_bytes()
    try:
        for old, new in edits:
            _findings(kommune)  # the cache holds the verdict on the bytes before this edit
            _edit_keeping_size_and_mtime(path, old, new)
            assert _findings(kommune) == _findings(kommune, "--no-cache"), (old, new)
    finally:
        stat = path.stat()
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _forge_no_findings(root: Path, key: bytes | None) -> None:
    """What an archive's sender can do: write 'no findings' for every file into the cache it ships, with a
    MAC under their own key (or none)."""
    import hashlib
    import hmac

    (cache,) = (root / ".stafett-cache").glob("validate-*.json")
    mac, _, payload = cache.read_bytes().partition(b"\n")
    data = json.loads(payload)
    for entry in data["files"].values():
        entry[3] = []
    forged = json.dumps(data, separators=(",", ":")).encode()
    mac = hmac.new(key, forged, hashlib.sha256).hexdigest().encode() if key else mac
    cache.write_bytes(mac + b"\n" + forged)


def test_a_cache_someone_else_wrote_cannot_pass_a_broken_record(kommune: Path, tmp_path: Path, monkeypatch) -> None:
    from stafett.store.cache import secret_path

    _edit_keeping_size_and_mtime(case_file(kommune, ACTIVE_ID), "niva: 1\n", "niva: 7\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "sender"))
    assert _findings(kommune)[-1] == 1
    _forge_no_findings(kommune, secret_path().read_bytes())
    assert _findings(kommune)[-1] == 0  # the forgery is well made: its maker's own stafett trusts it
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "receiver"))
    received = _findings(kommune)
    assert received[-1] == 1 and received == _findings(kommune, "--no-cache")


def test_a_cache_edited_by_hand_is_not_trusted(kommune: Path) -> None:
    _edit_keeping_size_and_mtime(case_file(kommune, ACTIVE_ID), "niva: 1\n", "niva: 7\n")
    assert _findings(kommune)[-1] == 1
    _forge_no_findings(kommune, None)
    assert _findings(kommune)[-1] == 1


def test_the_cache_key_is_private_and_never_read_through_a_link(tmp_path: Path, monkeypatch) -> None:
    from stafett.store import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    key = cache.secret()
    path = cache.secret_path()
    assert key is not None and path.read_bytes() == key and (path.stat().st_mode & 0o077) == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "linked"))
    (tmp_path / "linked" / "stafett").mkdir(parents=True)
    (tmp_path / "linked" / "stafett" / "cache.key").symlink_to(path)
    assert cache.secret() is None  # no cache at all rather than a key someone pointed us at
    # A key others may read is a key others may sign with.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "shared"))
    (tmp_path / "shared" / "stafett").mkdir(parents=True)
    shared = tmp_path / "shared" / "stafett" / "cache.key"
    shared.write_bytes(bytes(range(32)))
    shared.chmod(0o644)
    assert cache.secret() is None
    shared.chmod(0o600)
    cache._SECRETS.clear()
    assert cache.secret() == bytes(range(32))


def _reads_of_the_case(monkeypatch) -> list:
    """Every time a scan worker reads the case file (the runs here are in-process: -j 1)."""
    from stafett.store import files

    seen: list = []
    real = files.read_with_stat

    def counting(path, **kw):
        if Path(path).name == f"{ACTIVE_ID}.yaml":
            seen.append(path)
        return real(path, **kw)

    monkeypatch.setattr(files, "read_with_stat", counting)
    return seen


def test_an_untouched_file_is_not_read_again_and_every_touch_is_seen(kommune: Path, monkeypatch, tmp_path: Path) -> None:
    """A file unchanged since it was hashed is known by its inode's signature (ctime included) without a read;
    every way of changing it that keeps size and mtime moves its ctime, so it is read again."""
    import time

    reads = _reads_of_the_case(monkeypatch)
    path = case_file(kommune, ACTIVE_ID)
    original = path.read_bytes()
    for old, new in EDITS:
        time.sleep(1.1)  # older than a clock tick: the signature is kept
        first = _findings(kommune)
        reads.clear()
        assert _findings(kommune) == first and reads == []  # known without reading it
        _edit_keeping_size_and_mtime(path, old, new)
        cached = _findings(kommune)
        assert len(reads) == 1 and cached == _findings(kommune, "--no-cache"), (old, new)
        path.write_bytes(original)
    # `cp -p` of another version over it, after the signature was kept: new bytes, the old mtime.
    other = tmp_path / "other.yaml"
    other.write_bytes(original.replace(b"niva: 1\n", b"niva: 7\n"))
    os.utime(other, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    time.sleep(1.1)
    _findings(kommune)
    shutil.copy2(other, path)
    assert _findings(kommune)[-1] == 1 == _findings(kommune, "--no-cache")[-1]
    # And a link to the same bytes is a link, whatever the cache knew of the file.
    path.write_bytes(original)
    time.sleep(1.1)
    _findings(kommune)
    path.unlink()
    path.symlink_to(other)
    linked = _findings(kommune)
    assert any(code == "Y008" for _, _, code in linked[:-1]) and linked == _findings(kommune, "--no-cache")
