"""Retention: which closed cases are past `innstillinger.oppbevaring_ar`, and the purge that removes them
from the files *and* the git history, tested on throwaway repositories with a bare "server"."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stafett.retention import anniversary, check_purgeable, past_retention
from stafett.store.purge import FILTER_BRANCH, FILTER_REPO, filter_repo_command
from tests.conftest import CASE, CASE_ID, SETTINGS, write_folder

STAFETT = str(Path(sys.executable).with_name("stafett"))
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_NOSYSTEM": "1"}

# A second, invented case that is closed; its hovedperson's name is distinctive so the test can search
# every object in the repository for it.
OLD_ID = "S-20261102-gamle1"
OLD_NAME = "Torbjørg Purgesen"
OLD_CASE = CASE.replace(CASE_ID, OLD_ID).replace("Ola Testesen", OLD_NAME).replace("Ola er stille", "Barnet er stille")


def closed(text: str, day: str = "2026-11-20") -> str:
    return text.replace("niva: 1   # nivå 1 etter samtale med mor", "status: avsluttet\nniva: 1") + \
        f"avsluttet:\n  dato: {day}\n  grunn: trygt og godt\n"


# --- which cases (pure) ----------------------------------------------------------------------------

def _case(status: str = "avsluttet", day: dt.date | None = dt.date(2016, 3, 1), case_id: str = CASE_ID):
    from stafett.model import Case
    from stafett.store.yamlio import load_strict

    data = load_strict(CASE)
    data["id"] = case_id
    data["status"] = status
    if day is not None:
        data["avsluttet"] = {"dato": day, "grunn": "trygt og godt"}
    return Case.model_validate(data)


def test_anniversary_counts_whole_years_and_handles_29_february():
    assert anniversary(dt.date(2016, 3, 1), 10) == dt.date(2026, 3, 1)
    assert anniversary(dt.date(2016, 2, 29), 10) == dt.date(2026, 2, 28)
    assert anniversary(dt.date(2016, 2, 29), 8) == dt.date(2024, 2, 29)
    assert anniversary(dt.date(2016, 5, 5), 0) == dt.date(2016, 5, 5)


def test_past_retention_from_the_anniversary_on_and_only_closed_cases():
    old = _case(case_id="S-20160101-aaaa")
    young = _case(day=dt.date(2020, 1, 1), case_id="S-20200101-bbbb")
    active = _case(status="aktiv", day=None, case_id="S-20100101-cccc")
    expired, unclear = past_retention([young, active, old], 10, dt.date(2026, 2, 28))
    assert expired == [] and unclear == []
    expired, _ = past_retention([young, active, old], 10, dt.date(2026, 3, 1))
    assert [(e.case_id, e.closed, e.due) for e in expired] == [("S-20160101-aaaa", dt.date(2016, 3, 1), dt.date(2026, 3, 1))]
    expired, _ = past_retention([young, active, old], 5, dt.date(2026, 3, 1))
    assert [e.case_id for e in expired] == ["S-20160101-aaaa", "S-20200101-bbbb"]  # oldest first


def test_closed_without_a_date_is_reported_not_guessed():
    odd = _case(day=None)
    expired, unclear = past_retention([odd], 10, dt.date(2090, 1, 1))
    assert expired == [] and [u.case_id for u in unclear] == [CASE_ID]
    assert check_purgeable(odd, 10, dt.date(2090, 1, 1)) is not None
    assert check_purgeable(_case(status="aktiv", day=None), 0, dt.date(2090, 1, 1)) == "the case is not closed"
    assert "2026-03-01" in check_purgeable(_case(), 10, dt.date(2026, 2, 1))
    assert check_purgeable(_case(), 10, dt.date(2026, 3, 1)) is None


# --- the command -----------------------------------------------------------------------------------

def sh(cwd: Path, *args: str, ok: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, **GIT_ENV, **(env or {})}
    full["PATH"] = str(Path(sys.executable).parent) + os.pathsep + full.get("PATH", "")
    r = subprocess.run(list(args), cwd=cwd, env=full, capture_output=True, text=True)
    if ok and r.returncode != 0:
        raise AssertionError(f"{args} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def st(cwd: Path, *args: str, today: str = "2029-06-01", ok: bool = True) -> subprocess.CompletedProcess:
    return sh(cwd, STAFETT, *args, ok=ok, env={"STAFETT_TODAY": today})


SETTINGS_2Y = SETTINGS + "innstillinger:\n  oppbevaring_ar: 2\n"


@pytest.fixture
def repo(tmp_path: Path):
    """A kommune repo with history: the closed case in several commits, a render named after it, an export
    that mentions its id, a case that stays; pushed to a bare 'server'."""
    server = tmp_path / "server.git"
    sh(tmp_path, "git", "init", "-q", "--bare", "-b", "main", str(server))
    root = tmp_path / "kommune"
    sh(tmp_path, "git", "init", "-q", "-b", "main", str(root))
    write_folder(root, settings=SETTINGS_2Y)
    (root / ".gitignore").write_text(".*.lock\n.*.tmp\n.stafett-cache/\n", encoding="utf-8")
    old = root / "saker" / f"{OLD_ID}.yaml"
    old.write_text(OLD_CASE, encoding="utf-8")
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-q", "-m", "two cases")
    st(root, "log", OLD_ID, "Samtale med foresatte.", "--by", "kari.lund", today="2026-11-10")
    sh(root, "git", "commit", "-q", "-am", "log")
    (root / "utskrift").mkdir()
    (root / "utskrift" / f"{OLD_ID}-stafettlogg.md").write_text(f"# Stafettlogg for {OLD_NAME}\n", encoding="utf-8")
    (root / "eksport.txt").write_text(f"{OLD_ID};2026\n", encoding="utf-8")
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-q", "-m", "render and export")
    old.write_text(closed(old.read_text(encoding="utf-8")), encoding="utf-8")
    sh(root, "git", "commit", "-q", "-am", "close")
    sh(root, "git", "branch", "gammel-gren", "HEAD~1")
    sh(root, "git", "tag", "v1", "HEAD~2")
    sh(root, "git", "branch", "bare-paa-serveren", "HEAD~1")
    sh(root, "git", "remote", "add", "origin", str(server))
    sh(root, "git", "push", "-q", "origin", "main", "gammel-gren", "bare-paa-serveren", "--tags")
    sh(root, "git", "branch", "-D", "bare-paa-serveren")  # only origin/bare-paa-serveren is left here
    assert st(root, "validate").returncode == 0
    return root, server


def objects_text(git_dir_or_repo: Path) -> str:
    """Every object in the repository, decompressed: where a purged name must no longer be."""
    r = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=git_dir_or_repo, capture_output=True)
    assert r.returncode == 0, r.stderr
    return r.stdout.decode("utf-8", "replace")


def test_retention_lists_only_cases_past_the_setting(repo):
    root, _ = repo
    r = st(root, "retention", today="2028-11-19")
    assert r.stdout.startswith("no closed case is past the retention period of 2 year(s)")
    r = st(root, "retention", today="2028-11-20")
    assert OLD_ID in r.stdout and CASE_ID not in r.stdout and "kept until 2028-11-20" in r.stdout
    assert OLD_NAME not in r.stdout + r.stderr
    assert st(root, "retention", "--check", today="2028-11-20", ok=False).returncode == 1
    assert st(root, "retention", "--check", today="2028-11-19").returncode == 0


def test_purge_refuses_what_is_not_past_retention_and_changes_nothing(repo):
    root, _ = repo
    head = sh(root, "git", "rev-parse", "HEAD").stdout
    before = (root / "saker" / f"{OLD_ID}.yaml").read_bytes()
    for args, today, code in [((CASE_ID,), "2040-01-01", 1),          # open case
                              ((OLD_ID,), "2028-11-19", 1),           # one day early
                              (("../../etc/passwd",), "2040-01-01", 2),
                              ((OLD_ID, "S-20990101-nope"), "2040-01-01", 1),
                              ((), "2040-01-01", 2)]:
        r = st(root, "retention", "--purge", *args, "--yes", today=today, ok=False)
        assert r.returncode == code, (args, r.stdout, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert (root / "saker" / f"{OLD_ID}.yaml").read_bytes() == before
    assert sh(root, "git", "rev-parse", "HEAD").stdout == head


def test_purge_without_yes_is_a_dry_run(repo):
    root, _ = repo
    refs = sh(root, "git", "for-each-ref").stdout
    r = st(root, "retention", "--purge", OLD_ID, ok=False)
    assert r.returncode == 1 and "dry run: nothing was deleted" in r.stdout
    assert f"history  saker/{OLD_ID}.yaml" in r.stdout and f"history  utskrift/{OLD_ID}-stafettlogg.md" in r.stdout
    assert "eksport.txt mentions a purged case id" in r.stderr
    assert (root / "saker" / f"{OLD_ID}.yaml").exists() and sh(root, "git", "for-each-ref").stdout == refs


def test_purge_refuses_a_dirty_tree_or_a_stash(repo):
    root, _ = repo
    other = root / "saker" / f"{CASE_ID}.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "# ulagret endring\n", encoding="utf-8")
    r = st(root, "retention", "--purge", OLD_ID, "--yes", ok=False)
    assert r.returncode == 1 and "uncommitted changes" in r.stderr
    assert (root / "saker" / f"{OLD_ID}.yaml").exists() and "ulagret endring" in other.read_text(encoding="utf-8")
    sh(root, "git", "stash", "-q")
    r = st(root, "retention", "--purge", OLD_ID, "--yes", ok=False)
    assert r.returncode == 1 and "stash" in r.stderr
    assert (root / "saker" / f"{OLD_ID}.yaml").exists()


TOOLS = [pytest.param(FILTER_BRANCH, id="filter-branch"),
         pytest.param(FILTER_REPO, id="filter-repo", marks=pytest.mark.skipif(
             filter_repo_command() is None, reason="git-filter-repo is not installed (pip install git-filter-repo)"))]


@pytest.mark.parametrize("tool", TOOLS)
def test_purge_removes_the_case_from_every_commit_and_the_server_after_force_push(repo, tool, tmp_path):
    root, server = repo
    assert OLD_NAME in objects_text(root) and OLD_NAME in objects_text(server)
    kept_history = sh(root, "git", "log", "--all", "--format=%s", "--", f"saker/{CASE_ID}.yaml").stdout
    kept_bytes = (root / "saker" / f"{CASE_ID}.yaml").read_bytes()
    (root / "saker" / f".{OLD_ID}.yaml.abc123.tmp").write_text("rest etter et krasj", encoding="utf-8")

    flag = "filter-repo" if tool == FILTER_REPO else "filter-branch"
    r = st(root, "retention", "--purge", OLD_ID, "--yes", "--history-tool", flag)
    assert f"rewrote the history of this clone with {tool}" in r.stdout
    assert "git push --force --all origin" in r.stdout
    assert "warning: eksport.txt mentions" in r.stderr and "warning: " + "1 commit" not in r.stderr
    assert OLD_NAME not in r.stdout + r.stderr

    # This clone: the files are gone, every commit is rewritten, no object holds the name.
    assert not (root / "saker" / f"{OLD_ID}.yaml").exists()
    assert not (root / "utskrift" / f"{OLD_ID}-stafettlogg.md").exists()
    assert not list((root / "saker").glob(f".{OLD_ID}*"))
    assert sh(root, "git", "log", "--all", "--format=%H", "--", f"saker/{OLD_ID}.yaml").stdout == ""
    assert OLD_ID not in sh(root, "git", "rev-list", "--all", "--objects").stdout
    assert OLD_NAME not in objects_text(root)
    sh(root, "git", "fsck", "--no-progress", "--full")
    # What stays, stays: the other case, its history, the branch, the tag, the remote.
    assert (root / "saker" / f"{CASE_ID}.yaml").read_bytes() == kept_bytes
    assert sh(root, "git", "log", "--all", "--format=%s", "--", f"saker/{CASE_ID}.yaml").stdout == kept_history
    assert sh(root, "git", "branch", "--list", "gammel-gren").stdout.strip()
    assert sh(root, "git", "branch", "--list", "bare-paa-serveren").stdout.strip()  # made local, so --all pushes it
    assert sh(root, "git", "tag").stdout.split() == ["v1"]
    assert sh(root, "git", "remote").stdout.split() == ["origin"]
    assert sh(root, "git", "status", "--porcelain", "--untracked-files=no").stdout == ""
    assert st(root, "validate").returncode == 0

    # The documented procedure: force-push every branch and tag, then garbage-collect on the server.
    assert OLD_NAME in objects_text(server)  # the server still has it until it is pushed and collected
    sh(root, "git", "push", "-q", "--force", "--all", "origin")
    sh(root, "git", "push", "-q", "--force", "--tags", "origin")
    sh(server, "git", "reflog", "expire", "--expire=now", "--all")
    sh(server, "git", "gc", "-q", "--prune=now")
    assert OLD_NAME not in objects_text(server)
    assert sh(server, "git", "branch", "--list", "bare-paa-serveren").stdout.strip()
    fresh = tmp_path / "fresh"
    sh(tmp_path, "git", "clone", "-q", str(server), str(fresh))
    assert OLD_NAME not in objects_text(fresh) and (fresh / "saker" / f"{CASE_ID}.yaml").exists()


def test_purge_outside_git_deletes_the_files(tmp_path):
    root = write_folder(tmp_path / "kommune", settings=SETTINGS_2Y)
    path = root / "saker" / f"{OLD_ID}.yaml"
    path.write_text(closed(OLD_CASE), encoding="utf-8")
    r = st(root, "retention", "--purge", OLD_ID, "--yes")
    assert "not in git" in r.stdout and not path.exists()
    assert (root / "saker" / f"{CASE_ID}.yaml").exists()


def test_purge_of_a_case_never_committed_deletes_it_without_rewriting(repo):
    root, _ = repo
    new_id = "S-20261103-nyfil1"
    path = root / "saker" / f"{new_id}.yaml"
    path.write_text(closed(CASE.replace(CASE_ID, new_id)), encoding="utf-8")
    head = sh(root, "git", "rev-parse", "HEAD").stdout
    r = st(root, "retention", "--purge", new_id, "--yes")
    assert "rewrote" not in r.stdout and not path.exists()
    assert sh(root, "git", "rev-parse", "HEAD").stdout == head


@pytest.mark.parametrize("tool", TOOLS)
def test_a_second_purge_later_works_and_uncommitted_edits_to_the_purged_case_do_not_block(repo, tool):
    root, _ = repo
    flag = "filter-repo" if tool == FILTER_REPO else "filter-branch"
    third = "S-20261104-tredje"
    (root / "saker" / f"{third}.yaml").write_text(closed(OLD_CASE.replace(OLD_ID, third)), encoding="utf-8")
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-q", "-m", "third case")
    old = root / "saker" / f"{OLD_ID}.yaml"
    old.write_text(old.read_text(encoding="utf-8") + "# ulagret\n", encoding="utf-8")  # uncommitted, in the purged file
    st(root, "retention", "--purge", OLD_ID, "--yes", "--history-tool", flag)
    marker = root / ".git" / "filter-repo" / "already_ran"
    if marker.exists():  # a day later, filter-repo would ask on the terminal whether this is a continuation
        os.utime(marker, (time.time() - 3 * 86400, time.time() - 3 * 86400))
    r = st(root, "retention", "--purge", third, "--yes", "--history-tool", flag)
    assert "rewrote the history" in r.stdout
    assert OLD_NAME not in objects_text(root)
    assert sh(root, "git", "log", "--all", "--format=%H", "--", f"saker/{third}.yaml").stdout == ""
    assert (root / "saker" / f"{CASE_ID}.yaml").exists()
