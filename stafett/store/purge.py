"""Purging cases past retention: delete their files and rewrite git history so no commit holds them.

Deleting the file is not enough: every earlier commit still has it. The purge removes every path in
the history whose file name carries a purged case id (the case file, and renders or invitations
committed next to it), with `git filter-repo --invert-paths` (or `git filter-branch` where
filter-repo is not installed), then expires the reflogs and prunes, and finally proves that none of
the removed file versions is left in the object store.

This only cleans *this* clone. docs/retention.md says what the kommune must do next: force-push,
every other clone re-clones, the git server runs its own garbage collection, backups age out.

Messages name case ids and paths, never what the files hold.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from stafett.errors import StafettError, UsageError
from stafett.folder import Folder

FILTER_REPO = "git filter-repo"
FILTER_BRANCH = "git filter-branch"


@dataclass
class PurgePlan:
    root: Path                         # the case folder
    repo: Optional[Path]               # the git work tree's top level; None outside git
    case_ids: list[str]
    files: list[Path]                  # working-tree files to delete: case files, their locks and temp files
    history_paths: list[str]           # repo-relative paths in some commit whose name carries a purged id
    mentions: list[str]                # other paths whose content mentions a purged id somewhere in history
    tool: Optional[str]                # FILTER_REPO, FILTER_BRANCH, or None when there is no history to rewrite
    remotes: list[str] = field(default_factory=list)


@dataclass
class PurgeResult:
    plan: PurgePlan
    deleted: list[Path]
    rewritten: bool
    remaining: list[str]               # what verification still found; empty means clean
    first_changed: list[str]           # first rewritten commits (filter-repo --sensitive-data-removal)


# --- git plumbing ----------------------------------------------------------------------------------

def _git(repo: Path, *args: str, check: bool = True, env: Optional[dict] = None) -> subprocess.CompletedProcess:
    try:
        r = subprocess.run(["git", *args], cwd=repo, capture_output=True, env=env, timeout=3600)
    except FileNotFoundError:
        raise StafettError("git is not installed", "install git (Git for Windows on Windows)") from None
    if check and r.returncode != 0:
        raise StafettError(f"git {args[0]} failed: {_last_line(r.stderr)}", "see docs/retention.md; nothing more was changed")
    return r


def _last_line(raw: bytes) -> str:
    lines = [line for line in raw.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no message"


def _z(raw: bytes) -> list[str]:
    return [part.decode("utf-8", "surrogateescape") for part in raw.split(b"\0") if part]


def top_level(root: Path) -> Optional[Path]:
    """The git work tree the folder is in; None when it is in none. Without git, a folder that is in a
    repository is an error, not 'no history': deleting only the file would leave the case in every commit."""
    try:
        r = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, timeout=60)
    except (FileNotFoundError, subprocess.SubprocessError):
        if any((folder / ".git").exists() for folder in [root.resolve(), *root.resolve().parents]):
            raise StafettError("git is not installed, but the case folder is in a git repository",
                               "install git (Git for Windows on Windows); the purge must rewrite the history") from None
        return None
    if r.returncode != 0:
        return None
    return Path(r.stdout.decode("utf-8", "surrogateescape").strip()).resolve()


def _has_commits(repo: Path) -> bool:
    return _git(repo, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0 or \
        bool(_git(repo, "for-each-ref", "--count=1", "--format=%(refname)").stdout.strip())


def _git_dir(repo: Path) -> Path:
    out = _git(repo, "rev-parse", "--absolute-git-dir").stdout.decode("utf-8", "surrogateescape").strip()
    return Path(out)


# --- planning --------------------------------------------------------------------------------------

def filter_repo_command() -> Optional[list[str]]:
    """How to run git-filter-repo here: the module in stafett's own Python, else `git filter-repo` on PATH."""
    if importlib.util.find_spec("git_filter_repo") is not None:
        return [sys.executable, "-m", "git_filter_repo"]
    for folder in (Path(sys.executable).parent, None):
        exe = shutil.which("git-filter-repo", path=str(folder) if folder else None)
        if exe:
            return [sys.executable, exe] if exe.endswith(".py") else [exe]
    return None


def plan_purge(folder: Folder, case_ids: list[str], *, tool: Optional[str] = None) -> PurgePlan:
    """What a purge of these cases would delete and rewrite. Changes nothing."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        raise UsageError("no case to purge", "name the cases: stafett retention --purge CASE... --yes")
    files: list[Path] = []
    for case_id in ids:
        path = folder.case_path(case_id)  # refuses bad ids and links out of saker/; the case must exist
        files.append(path)
        files += sorted(p for p in folder.cases_dir.glob(f".{case_id}.yaml*") if p.is_file() or p.is_symlink())
    repo = top_level(folder.root)
    history: list[str] = []
    mentions: list[str] = []
    remotes: list[str] = []
    if repo is not None and _has_commits(repo):
        history = _paths_named(repo, ids)
        mentions = [p for p in _paths_mentioning(repo, ids) if p not in history]
        remotes = _git(repo, "remote").stdout.decode("utf-8", "replace").split()
    chosen = None
    if history:
        chosen = tool or (FILTER_REPO if filter_repo_command() else FILTER_BRANCH)
        if chosen not in (FILTER_REPO, FILTER_BRANCH):
            raise UsageError(f"unknown history tool '{chosen}'", f"use '{FILTER_REPO}' or '{FILTER_BRANCH}'")
    return PurgePlan(folder.root, repo, ids, files, history, mentions, chosen, remotes)


def _paths_named(repo: Path, ids: list[str]) -> list[str]:
    """Every path that some commit on some ref added, changed or deleted whose name carries a case id."""
    r = _git(repo, "log", "--all", "-m", "--no-renames", "--format=", "--name-only", "-z")
    found = {p for p in _z(r.stdout) if any(i in p.rsplit("/", 1)[-1] for i in ids)}
    return sorted(found)


def _paths_mentioning(repo: Path, ids: list[str]) -> list[str]:
    """Paths whose content contained a case id in some commit (exports, notes, copies under another name)."""
    pattern = "|".join(re.escape(i) for i in ids)
    r = _git(repo, "log", "--all", "-m", "--no-renames", "--format=", "--name-only", "-z", "--pickaxe-regex",
             f"-S{pattern}", check=False)
    return sorted(set(_z(r.stdout))) if r.returncode == 0 else []


def _blobs(repo: Path, paths: list[str]) -> set[str]:
    """The object ids of every version those paths ever had: what must be gone after the purge."""
    if not paths:
        return set()
    r = _git(repo, "log", "--all", "-m", "--no-renames", "--format=", "--raw", "--no-abbrev", "-z", "--", *paths)
    out: set[str] = set()
    for part in _z(r.stdout):
        if part.startswith(":"):
            fields = part[1:].split()
            for sha in fields[2:4]:
                if re.fullmatch(r"[0-9a-f]{40,64}", sha) and set(sha) != {"0"}:
                    out.add(sha)
    return out


def blockers(plan: PurgePlan) -> list[str]:
    """Why the history cannot be rewritten safely now (empty when it can)."""
    if plan.repo is None or not plan.history_paths:
        return []
    repo = plan.repo
    out: list[str] = []
    purged = set(plan.history_paths)
    status = _z(_git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=no").stdout)
    dirty = []
    skip = False
    for entry in status:
        if skip:  # the second path of a rename entry
            skip = False
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            skip = True
        if path not in purged:
            dirty.append(path)
    if dirty:
        out.append(f"uncommitted changes in {len(dirty)} file(s), e.g. {dirty[0]}: commit them first "
                   "(the purge resets the working tree to the rewritten history)")
    if _git(repo, "rev-parse", "--verify", "--quiet", "refs/stash", check=False).returncode == 0:
        out.append("there are stashed changes (git stash list): apply or drop them first; a stash can hold the case")
    git_dir = _git_dir(repo)
    if any((git_dir / name).exists() for name in ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "rebase-merge", "rebase-apply")):
        out.append("a merge, rebase or cherry-pick is in progress: finish or abort it first")
    worktrees = [line for line in _git(repo, "worktree", "list", "--porcelain").stdout.decode("utf-8", "replace").splitlines()
                 if line.startswith("worktree ")]
    if len(worktrees) > 1:
        out.append("this repository has several worktrees (git worktree list): remove the others first")
    if (git_dir / "shallow").exists():
        out.append("this is a shallow clone: purge in a full clone (git clone without --depth)")
    if plan.tool == FILTER_REPO and filter_repo_command() is None:
        out.append("git-filter-repo is not installed: pip install git-filter-repo (or let stafett use git filter-branch)")
    return out


# --- the purge -------------------------------------------------------------------------------------

def purge(plan: PurgePlan) -> PurgeResult:
    """Delete the files, rewrite the history, clean the caches, and verify. Raises before changing
    anything when the repository is not in a state where history can be rewritten safely."""
    problems = blockers(plan)
    if problems:
        raise StafettError(f"cannot purge now: {problems[0]}", "fix that and run the purge again; nothing was changed")
    existed = [p for p in plan.files if p.exists() or p.is_symlink()]
    rewritten = False
    first_changed: list[str] = []
    before: set[str] = set()
    if plan.repo is not None and plan.history_paths:
        before = _blobs(plan.repo, plan.history_paths)
        _restore_purged(plan)
        if plan.tool == FILTER_REPO:
            first_changed = _filter_repo(plan)
        else:
            _filter_branch(plan)
        rewritten = True
    for path in plan.files:
        if path.exists() or path.is_symlink():  # the rewrite's reset removed the committed ones already
            path.unlink()
    _drop_caches(plan)
    remaining = verify(plan, before)
    return PurgeResult(plan, existed, rewritten, remaining, first_changed)


def _restore_purged(plan: PurgePlan) -> None:
    """A purged file with uncommitted edits would block the rewrite: unstage and restore it (it is removed next)."""
    repo = plan.repo
    tracked = set(_z(_git(repo, "ls-files", "-z", "--", *plan.history_paths).stdout))
    if tracked:
        _git(repo, "reset", "-q", "--", *tracked, check=False)
        in_head = set(_z(_git(repo, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", *tracked, check=False).stdout))
        if in_head:
            _git(repo, "checkout", "-q", "HEAD", "--", *in_head)


def _filter_repo(plan: PurgePlan) -> list[str]:
    cmd = filter_repo_command()
    if cmd is None:
        raise StafettError("git-filter-repo is not installed", "pip install git-filter-repo, or use git filter-branch")
    helptext = subprocess.run([*cmd, "--help"], cwd=plan.repo, capture_output=True, timeout=120).stdout
    sdr = b"--sensitive-data-removal" in helptext
    args = [*cmd, "--force", "--invert-paths"]
    if sdr:
        # Keeps the remotes, records the first changed commits; --no-fetch: never overwrite local work with the server's.
        args += ["--sensitive-data-removal", "--no-fetch"]
    for path in plan.history_paths:
        args += ["--path", path]
    urls = {name: _git(plan.repo, "remote", "get-url", name, check=False).stdout.decode().strip() for name in plan.remotes}
    # Every purge is a complete rewrite of its own. Left from an earlier purge, this marker makes filter-repo
    # treat the run as a continuation, and after a day ask on the terminal whether it is one.
    with contextlib.suppress(FileNotFoundError):
        (_git_dir(plan.repo) / "filter-repo" / "already_ran").unlink()
    r = subprocess.run(args, cwd=plan.repo, capture_output=True, stdin=subprocess.DEVNULL, timeout=3600)
    if r.returncode != 0:
        raise StafettError(f"git filter-repo failed: {_last_line(r.stderr or r.stdout)}",
                           "read docs/retention.md; the repository may be half-rewritten, so re-clone before trying again")
    # Without --sensitive-data-removal, filter-repo removes 'origin' so nobody pushes by accident; the
    # kommune must push the purge, so put it back.
    left = set(_git(plan.repo, "remote").stdout.decode("utf-8", "replace").split())
    for name, url in urls.items():
        if name not in left and url:
            _git(plan.repo, "remote", "add", name, url)
    # filter-repo expires reflogs and prunes itself; prune once more for objects only ORIG_HEAD-like files held.
    _cleanup(plan.repo)
    marker = _git_dir(plan.repo) / "filter-repo" / "first-changed-commits"
    try:
        return [line.split()[0] for line in marker.read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError:
        return []


def _migrate_origin_branches(repo: Path) -> None:
    """What filter-repo does itself: a branch that only exists as origin/X becomes a local branch X, so that
    `git push --force --all origin` afterwards replaces every branch on the server, not only the local ones."""
    refs = _git(repo, "for-each-ref", "--format=%(refname) %(objectname)", "refs/remotes/origin/").stdout.decode().split("\n")
    local = set(_git(repo, "for-each-ref", "--format=%(refname)", "refs/heads/").stdout.decode().split())
    for line in filter(None, refs):
        ref, sha = line.split()
        name = ref[len("refs/remotes/origin/"):]
        if name != "HEAD" and f"refs/heads/{name}" not in local:
            _git(repo, "update-ref", f"refs/heads/{name}", sha)
        _git(repo, "update-ref", "-d", "--no-deref", ref)


def _filter_branch(plan: PurgePlan) -> None:
    repo = plan.repo
    _migrate_origin_branches(repo)
    quoted = " ".join(shlex.quote(p) for p in plan.history_paths)
    env = dict(os.environ, FILTER_BRANCH_SQUELCH_WARNING="1")
    _git(repo, "filter-branch", "--force", "--index-filter", f"git rm -r -q --cached --ignore-unmatch -- {quoted}",
         "--prune-empty", "--tag-name-filter", "cat", "--", "--all", env=env)
    originals = _git(repo, "for-each-ref", "--format=%(refname)", "refs/original/").stdout.decode("utf-8", "replace").split()
    for ref in originals:
        _git(repo, "update-ref", "-d", ref)
    _cleanup(repo)


def _cleanup(repo: Path) -> None:
    git_dir = _git_dir(repo)
    for name in ("ORIG_HEAD", "FETCH_HEAD"):
        try:
            (git_dir / name).unlink()
        except FileNotFoundError:
            pass
    _git(repo, "reflog", "expire", "--expire=now", "--expire-unreachable=now", "--all")
    _git(repo, "gc", "--prune=now", "--quiet")


def _drop_caches(plan: PurgePlan) -> None:
    """The validate cache keys findings by path; drop it rather than leave a purged case's name in it."""
    from stafett.store.cache import _git_dir as cache_git_dir

    dirs = [plan.root / ".stafett-cache"]
    found = cache_git_dir(plan.root)
    if found is not None:
        dirs.append(found / "stafett-cache")
    for d in dirs:
        if d.is_dir() and not d.is_symlink():
            shutil.rmtree(d, ignore_errors=True)


def verify(plan: PurgePlan, before: set[str]) -> list[str]:
    """What is still there: the files, a commit touching the paths, or any old version of them."""
    out = [f"{p} still exists" for p in plan.files if p.exists()]
    if plan.repo is None or not plan.history_paths:
        return out
    left = _z(_git(plan.repo, "log", "--all", "-m", "--format=%H", "-z", "--", *plan.history_paths).stdout)
    if left:
        out.append(f"{len(left)} commit(s) still touch the purged paths")
    alive = [sha for sha in sorted(before)
             if _git(plan.repo, "cat-file", "-e", sha, check=False).returncode == 0]
    if alive:
        out.append(f"{len(alive)} old version(s) of the purged files are still in the object store "
                   "(an identical file under another name keeps them)")
    return out
