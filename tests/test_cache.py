"""The content-hash cache: an unchanged folder re-validates from it; any change is checked again."""

from __future__ import annotations

import json
import os
import subprocess
import time

from tests.conftest import CASE, CASE_ID


def _cache_files(folder):
    return list((folder / ".stafett-cache").glob("validate-*.json"))


def test_second_run_uses_the_cache_and_says_the_same(folder, cli):
    path = folder / "saker" / f"{CASE_ID}.yaml"
    path.write_text(CASE.replace("evalueres: 2026-12-15", "evalueres: 2026-11-20"), encoding="utf-8")
    old = time.time() - 60
    os.utime(path, (old, old))
    first = cli("validate")
    assert _cache_files(folder)
    cached = json.loads(_cache_files(folder)[0].read_bytes().partition(b"\n")[2])  # after the MAC line
    assert list(cached["files"]) == [f"saker/{CASE_ID}.yaml"]
    # The cache holds codes and positions, never the case's text.
    assert "Ola" not in _cache_files(folder)[0].read_text(encoding="utf-8")
    second = cli("validate")
    assert second.stdout == first.stdout and second.exit_code == first.exit_code == 0
    assert "T002" in second.stdout


def test_a_changed_file_is_checked_again(folder, cli):
    path = folder / "saker" / f"{CASE_ID}.yaml"
    assert cli("validate").exit_code == 0
    path.write_text(CASE.replace("meldt_av: kari.lund", "meldt_av: nobody"), encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1 and "R001" in result.stdout


def test_same_size_and_mtime_within_the_racy_window_is_not_trusted(folder, cli):
    path = folder / "saker" / f"{CASE_ID}.yaml"
    assert cli("validate").exit_code == 0
    stat = path.stat()
    path.write_text(CASE.replace("kari.lund\n  beskrivelse", "nils.lund\n  beskrivelse"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # an edit the clock could not tell apart
    assert path.stat().st_size == stat.st_size
    result = cli("validate")
    assert result.exit_code == 1 and "unknown person 'nils.lund'" in result.stdout


def test_a_change_of_staff_or_settings_invalidates_everything(folder, cli):
    assert cli("validate").exit_code == 0
    people = (folder / "personer.yaml").read_text(encoding="utf-8").replace("  - id: per.berg", "  - id: per.berk")
    (folder / "personer.yaml").write_text(people, encoding="utf-8")
    result = cli("validate")
    assert "unknown person 'per.berg'" in result.stdout


def test_no_cache_flag_and_cache_inside_git(folder, cli):
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    assert cli("validate").exit_code == 0
    assert list((folder / ".git" / "stafett-cache").glob("validate-*.json"))
    assert not _cache_files(folder)
    assert cli("validate", "--no-cache").exit_code == 0


def test_a_broken_cache_file_is_ignored(folder, cli):
    assert cli("validate").exit_code == 0
    _cache_files(folder)[0].write_text("{not json", encoding="utf-8")
    assert cli("validate").exit_code == 0


def test_cache_keys_name_a_file_by_its_place_in_the_folder_whatever_the_way_it_was_given(tmp_path, monkeypatch):
    from stafett.scan import _inside, _inside_all

    root = tmp_path / "kommune"
    (root / "saker").mkdir(parents=True)
    monkeypatch.chdir(root)
    names = ["saker/a.yaml", "./saker/b.yaml", str(root / "saker" / "c.yaml"), "../kommune/saker/d.yaml",
             str(tmp_path / "elsewhere.yaml"), "saker/../saker/e.yaml"]
    keys = _inside_all(root, names)
    assert keys == [_inside(root, n) for n in names]
    assert keys[:4] == ["saker/a.yaml", "saker/b.yaml", "saker/c.yaml", "saker/d.yaml"] and keys[5] == "saker/e.yaml"
