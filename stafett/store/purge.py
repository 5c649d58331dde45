"""Purging cases past retention: delete their files and rewrite git history so no commit holds them.

Deleting the file is not enough: every earlier commit still has it. The purge removes every path in
the history whose file name belongs to a purged case by the grammar in stafett/case_names.py (the
case file, its lock and temp files, and renders or invitations named after it), with
`git filter-repo --invert-paths` (or `git filter-branch` where filter-repo is not installed), then
expires the reflogs and prunes, and finally proves that none of the removed file versions is left.

It removes exactly that and nothing else, in three steps:
- the plan: every path it will touch, each with the case it belongs to; it refuses (changing nothing)
  a path owned by a case not named, a name that also names another case, a path that is another
  case's file now, and any version of a planned YAML file that declares another case's id;
- before the rewrite: a snapshot of every other path's history (each (path, mode, blob) any commit
  gave it, and the tree of every branch and tag), and a bundle of every ref;
- after the rewrite: the same snapshot again. If it differs, every ref is put back from the bundle,
  the work tree is reset to it, and the purge fails.

This only cleans *this* clone. docs/retention.md says what the kommune must do next: force-push,
every other clone re-clones, the git server runs its own garbage collection, backups age out.

Git output that carries paths is read NUL-separated (-z), so paths in any characters work, and
pathspecs are literal (GIT_LITERAL_PATHSPECS), so a `*` or `[` in a name is just a character.

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
from typing import Iterator, Optional

from stafett.case_names import ID, ids_in, owner
from stafett.errors import StafettError, UsageError
from stafett.i18n import _
from stafett.folder import Folder

FILTER_REPO = "git filter-repo"
FILTER_BRANCH = "git filter-branch"
BACKUP_BUNDLE = "stafett-purge-backup.bundle"   # in the git dir, only while a purge runs


@dataclass
class PurgePlan:
    root: Path                         # the case folder
    repo: Optional[Path]               # the git work tree's top level; None outside git
    case_ids: list[str]
    files: list[Path]                  # working-tree files in saker/ that belong to a purged case (case_names)
    history_paths: list[str]           # repo-relative paths in some commit whose file name belongs to a purged case
    mentions: list[str]                # other paths whose content mentions a purged id somewhere in history
    tool: Optional[str]                # FILTER_REPO, FILTER_BRANCH, or None when there is no history to rewrite
    remotes: list[str] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)   # history path -> the case it belongs to
    refusals: list[str] = field(default_factory=list)      # why a planned path must not be purged; empty when all may


@dataclass
class PurgeResult:
    plan: PurgePlan
    deleted: list[Path]
    rewritten: bool
    remaining: list[str]               # what verification still found; empty means clean
    first_changed: list[str]           # first rewritten commits (filter-repo --sensitive-data-removal)


# --- git plumbing ----------------------------------------------------------------------------------

def _git(repo: Path, *args: str, check: bool = True, env: Optional[dict] = None,
         stdin: Optional[bytes] = None) -> subprocess.CompletedProcess:
    # Literal pathspecs: a '*', '?' or '[' in a purged file's name must not widen what git matches.
    full = dict(env if env is not None else os.environ, GIT_LITERAL_PATHSPECS="1")
    try:
        r = subprocess.run(["git", *args], cwd=repo, capture_output=True, env=full, input=stdin, timeout=3600)
    except FileNotFoundError:
        raise StafettError(_("git is not installed"), _("install git (Git for Windows on Windows)")) from None
    if check and r.returncode != 0:
        raise StafettError(_("git {command} failed: {error}").format(command=args[0], error=_last_line(r.stderr)),
                           _("see docs/retention.md; nothing more was changed"))
    return r


def _last_line(raw: bytes) -> str:
    lines = [line for line in raw.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else _("no message")


def _z(raw: bytes) -> list[str]:
    return [part.decode("utf-8", "surrogateescape") for part in raw.split(b"\0") if part]


def _lines(raw: bytes) -> list[str]:
    """For output without paths (ref names, ids): ref names cannot hold a newline (git check-ref-format)."""
    return [line for line in raw.decode("utf-8", "surrogateescape").split("\n") if line]


@dataclass(frozen=True)
class _Change:
    commit: str
    new_mode: str
    old_sha: str
    new_sha: str
    path: str


def _raw_log(repo: Path, *args: str) -> Iterator[_Change]:
    """Every file change `git log --raw -z` shows, one per (commit, parent, path). Parsed by position:
    after a raw header comes exactly one path (--no-renames), whatever characters it holds."""
    r = _git(repo, "-c", "log.showRoot=true", "log", "--no-renames", "--raw", "--no-abbrev", "-z",
             "--format=commit %H", *args)
    parts = r.stdout.split(b"\0")
    commit = ""
    i = 0
    while i < len(parts):
        token = parts[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"commit "):
            commit = token[7:].decode("ascii", "replace")
        elif token.startswith(b":") and i < len(parts):
            fields = token[1:].decode("ascii", "replace").split()
            path = parts[i].decode("utf-8", "surrogateescape")
            i += 1
            if len(fields) >= 4:
                yield _Change(commit, fields[1], fields[2], fields[3], path)


def _null(sha: str) -> bool:
    """git's id for 'no file here' (40 zeros, 64 in a SHA-256 repository)."""
    return set(sha) == {"0"}


def top_level(root: Path) -> Optional[Path]:
    """The git work tree the folder is in; None when it is in none. Without git, a folder that is in a
    repository is an error, not 'no history': deleting only the file would leave the case in every commit."""
    try:
        r = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, timeout=60)
    except (FileNotFoundError, subprocess.SubprocessError):
        if any((folder / ".git").exists() for folder in [root.resolve(), *root.resolve().parents]):
            raise StafettError(_("git is not installed, but the case folder is in a git repository"),
                               _("install git (Git for Windows on Windows); the purge must rewrite the history")) from None
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
    """What a purge of these cases would delete and rewrite, and why it must not. Changes nothing."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        raise UsageError(_("no case to purge"), _("name the cases: stafett retention --purge CASE... --yes"))
    files: list[Path] = []
    for case_id in ids:
        path = folder.case_path(case_id)  # refuses bad ids and links out of saker/; the case must exist
        files.append(path)
        files += sorted(p for p in folder.cases_dir.iterdir()
                        if p != path and owner(p.name) == case_id and (p.is_file() or p.is_symlink()))
    repo = top_level(folder.root)
    history: list[str] = []
    mentions: list[str] = []
    remotes: list[str] = []
    refusals: list[str] = []
    if repo is not None and _has_commits(repo):
        history = _paths_named(repo, ids)
        mentions = [p for p in _paths_mentioning(repo, ids) if p not in history]
        remotes = _git(repo, "remote").stdout.decode("utf-8", "replace").split()
        refusals = _refusals(folder, repo, ids, history)
    chosen = None
    if history:
        chosen = tool or (FILTER_REPO if filter_repo_command() else FILTER_BRANCH)
        if chosen not in (FILTER_REPO, FILTER_BRANCH):
            raise UsageError(_("unknown history tool '{tool}'").format(tool=chosen),
                             _("use '{one}' or '{other}'").format(one=FILTER_REPO, other=FILTER_BRANCH))
    owners = {p: owner(_name(p)) or "" for p in history}
    return PurgePlan(folder.root, repo, ids, files, history, mentions, chosen, remotes, owners, refusals)


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _paths_named(repo: Path, ids: list[str]) -> list[str]:
    """Every path that some commit on some ref added, changed or deleted whose file name belongs to a
    named case: exactly, by case_names.owner, so `S-20150301-k7q4` never takes `S-20150301-k7q4m2.yaml`."""
    r = _git(repo, "log", "--all", "-m", "--no-renames", "--format=", "--name-only", "-z")
    named = set(ids)
    return sorted({p for p in _z(r.stdout) if owner(_name(p)) in named})


def _paths_mentioning(repo: Path, ids: list[str]) -> list[str]:
    """Paths whose content contained a case id in some commit (exports, notes, copies under another name).
    The id must stand alone (git's POSIX regex; ids hold only [A-Za-z0-9-]), not inside a longer id."""
    pattern = "(^|[^A-Za-z0-9])(" + "|".join(ids) + ")([^A-Za-z0-9]|$)"
    r = _git(repo, "log", "--all", "-m", "--no-renames", "--format=", "--name-only", "-z", "--pickaxe-regex",
             f"-S{pattern}", check=False)
    return sorted(set(_z(r.stdout))) if r.returncode == 0 else []


_DECLARED_ID = re.compile(rb"^id:[ \t]*[\"']?(" + ID.encode() + rb")(?![A-Za-z0-9])", re.MULTILINE)


def _refusals(folder: Folder, repo: Path, ids: list[str], history: list[str]) -> list[str]:
    """Every planned path that is not provably a named case's: the check that does not trust the grammar."""
    named = set(ids)
    out: list[str] = []
    for path in history:
        name = _name(path)
        if owner(name) not in named:
            out.append(_("{path} belongs to no case named for the purge").format(path=path))
        for other in sorted(set(ids_in(name)) - named):
            out.append(_("{path} also names case {case}, which is not named for the purge").format(path=path, case=other))
    planned = set(history)
    for path in folder.case_paths():
        if path.stem in named:
            continue
        rel = _relative(path, repo)
        if rel in planned:
            out.append(_("{path} is the file of case {case}, which is not named for the purge").format(path=rel, case=path.stem))
    out += _other_ids_in_versions(repo, [p for p in history if _is_yaml_like(_name(p))])
    return out


def _relative(path: Path, repo: Path) -> Optional[str]:
    try:
        return path.resolve().relative_to(repo).as_posix()
    except ValueError:
        return None


def _is_yaml_like(name: str) -> bool:
    """Names whose versions may be case files: the case file, its temp copies, `ID.yaml.orig` and the like."""
    return ".yaml" in name or name.endswith((".yml", ".tmp"))


def _other_ids_in_versions(repo: Path, paths: list[str]) -> list[str]:
    """Any version of these paths, in any commit, that declares a case id other than its owner's: a file
    renamed, copied or mistyped onto a purged case's name would otherwise take another child's history."""
    if not paths:
        return []
    first: dict[str, tuple[str, str]] = {}  # blob -> (path, commit) where it was seen
    for change in _raw_log(repo, "--all", "-m", "--", *paths):
        if not _null(change.new_sha) and change.new_mode != "160000":
            first.setdefault(change.new_sha, (change.path, change.commit))
    if not first:
        return []
    shas = sorted(first)
    r = _git(repo, "cat-file", "--batch", stdin="".join(s + "\n" for s in shas).encode())
    out: list[str] = []
    pos = 0
    data = r.stdout
    for sha in shas:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        content = data[pos:pos + size]
        pos += size + 1
        path, commit = first[sha]
        declared = {m.decode() for m in _DECLARED_ID.findall(content)}
        for other in sorted(declared - {owner(_name(path))}):
            out.append(_("{path} holds case {case} in commit {commit}, and {case} is not named for the purge").format(
                path=path, case=other, commit=commit[:12]))
    return out


def _blobs(repo: Path, paths: list[str]) -> set[str]:
    """The object ids of every version those paths ever had: what must be gone after the purge."""
    if not paths:
        return set()
    out: set[str] = set()
    for change in _raw_log(repo, "--all", "-m", "--", *paths):
        out |= {change.old_sha, change.new_sha}
    return {sha for sha in out if not _null(sha)}


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
        out.append(_("uncommitted changes in {n} file(s), e.g. {path}: commit them first "
                     "(the purge resets the working tree to the rewritten history)").format(n=len(dirty), path=dirty[0]))
    if _git(repo, "rev-parse", "--verify", "--quiet", "refs/stash", check=False).returncode == 0:
        out.append(_("there are stashed changes (git stash list): apply or drop them first; a stash can hold the case"))
    git_dir = _git_dir(repo)
    if any((git_dir / name).exists() for name in ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "rebase-merge", "rebase-apply")):
        out.append(_("a merge, rebase or cherry-pick is in progress: finish or abort it first"))
    worktrees = [line for line in _git(repo, "worktree", "list", "--porcelain").stdout.decode("utf-8", "replace").splitlines()
                 if line.startswith("worktree ")]
    if len(worktrees) > 1:
        out.append(_("this repository has several worktrees (git worktree list): remove the others first"))
    if (git_dir / "shallow").exists():
        out.append(_("this is a shallow clone: purge in a full clone (git clone without --depth)"))
    if (git_dir / BACKUP_BUNDLE).exists():
        out.append(_("an interrupted purge left its backup {path}: restore or delete it first "
                     "(docs/retention.md)").format(path=git_dir / BACKUP_BUNDLE))
    behind = _behind_origin(repo)
    if behind:
        out.append(_("origin/{branch} has commits that the local branch {branch} lacks: pull first, "
                     "or the force-push after the purge would drop them from the server").format(branch=behind[0]))
    if plan.tool == FILTER_REPO and filter_repo_command() is None:
        out.append(_("git-filter-repo is not installed: pip install git-filter-repo (or let stafett use git filter-branch)"))
    return out


def _behind_origin(repo: Path) -> list[str]:
    """Branches whose origin copy holds commits the local one lacks: the rewrite keeps only the local
    one (origin/X becomes X), so someone else's newer records would be lost on force-push."""
    local = set(_lines(_git(repo, "for-each-ref", "--format=%(refname)", "refs/heads/").stdout))
    out = []
    for ref in _lines(_git(repo, "for-each-ref", "--format=%(refname)", "refs/remotes/origin/").stdout):
        name = ref[len("refs/remotes/origin/"):]
        if name == "HEAD" or f"refs/heads/{name}" not in local:
            continue
        if _git(repo, "merge-base", "--is-ancestor", ref, f"refs/heads/{name}", check=False).returncode != 0:
            out.append(name)
    return out


def problems(plan: PurgePlan) -> list[str]:
    """Everything that stops the purge, refusals first. Empty when it may run."""
    return ([_("refused: {reason}").format(reason=r) for r in plan.refusals]
            + [_("cannot purge now: {reason}").format(reason=b) for b in blockers(plan)])


# --- what must not change --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Snapshot:
    """Every other path's history: each (path, mode, blob) a commit gave it, and each branch's and tag's tree."""

    versions: frozenset
    tips: dict


def _snapshot(repo: Path, purged: set[str]) -> _Snapshot:
    # A commit that only touched purged paths disappears in the rewrite (--prune-empty), but it gave no
    # other path a version, so the set of versions is what the rewrite must keep, blob for blob.
    versions = frozenset((c.path, c.new_mode, c.new_sha) for c in _raw_log(repo, "--all", "-m") if c.path not in purged)
    refs = _lines(_git(repo, "for-each-ref", "--format=%(refname)", "refs/heads/", "refs/tags/", "refs/remotes/").stdout)
    tips: dict[str, frozenset] = {}
    trees: dict[str, frozenset] = {}
    for ref in refs:
        key = _tip_key(ref, refs)
        if key is None:
            continue
        r = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{tree}}", check=False)
        if r.returncode != 0:  # a tag of a blob: no tree to compare
            continue
        tree = r.stdout.decode().strip()
        if tree not in trees:
            entries = _z(_git(repo, "ls-tree", "-r", "-z", "--full-tree", tree).stdout)
            kept = set()
            for entry in entries:
                meta, _tab, path = entry.partition("\t")
                mode, _type, sha = meta.split(" ")
                if path not in purged:
                    kept.add((path, mode, sha))
            trees[tree] = frozenset(kept)
        tips[key] = trees[tree]
    return _Snapshot(versions, tips)


def _tip_key(ref: str, refs: list[str]) -> Optional[str]:
    """origin/X and X are one branch: the rewrite turns origin-only branches into local ones."""
    prefix = "refs/remotes/origin/"
    if ref.startswith(prefix):
        name = ref[len(prefix):]
        if name == "HEAD" or f"refs/heads/{name}" in refs:
            return None
        return _("branch {name}").format(name=name)
    if ref.startswith("refs/heads/"):
        return _("branch {name}").format(name=ref[len("refs/heads/"):])
    if ref.startswith("refs/tags/"):
        return _("tag {name}").format(name=ref[len("refs/tags/"):])
    return ref


def _changed(before: _Snapshot, after: _Snapshot) -> Optional[str]:
    """What the rewrite changed that it must not have, named by path or ref; None when nothing."""
    lost = before.versions - after.versions
    added = after.versions - before.versions
    if lost or added:
        return _("the history of {path}").format(path=sorted(lost | added)[0][0])
    for key, tree in sorted(before.tips.items()):
        if after.tips.get(key, frozenset()) != tree:
            return _("the files of {ref}").format(ref=key)
    return None


# --- backup and restore ----------------------------------------------------------------------------

@dataclass
class _Backup:
    bundle: Path
    refs: dict[str, tuple[str, str]]     # refname -> (object id, symref target or "")
    head: tuple[str, str]                # (object id, symref target or "")
    remotes: dict[str, str]              # name -> url
    files: dict[Path, bytes]             # the purged case's working-tree files, uncommitted edits and all


def _backup(plan: PurgePlan) -> _Backup:
    """Every ref, HEAD and remote, and a bundle that holds every object they reach: what a failed rewrite
    goes back to. A bundle and not refs/...: both tools rewrite every ref, a backup ref included."""
    repo = plan.repo
    bundle = _git_dir(repo) / BACKUP_BUNDLE
    _git(repo, "bundle", "create", "--quiet", str(bundle), "--all")
    refs = {}
    for line in _lines(_git(repo, "for-each-ref", "--format=%(refname)%00%(objectname)%00%(symref)").stdout):
        name, sha, sym = line.split("\0")
        refs[name] = (sha, sym)
    sym = _git(repo, "symbolic-ref", "-q", "HEAD", check=False).stdout.decode("utf-8", "surrogateescape").strip()
    sha = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD", check=False).stdout.decode().strip()
    remotes = {name: _git(repo, "remote", "get-url", name, check=False).stdout.decode("utf-8", "surrogateescape").strip()
               for name in plan.remotes}
    files = {p: p.read_bytes() for p in plan.files if p.is_file() and not p.is_symlink()}
    return _Backup(bundle, refs, (sha, sym), remotes, files)


def _restore(repo: Path, backup: _Backup) -> None:
    """Put every ref, HEAD, remote and the work tree back as they were before the rewrite."""
    _git(repo, "bundle", "unbundle", str(backup.bundle))  # the objects the rewrite's gc may have pruned
    left = set(_git(repo, "remote").stdout.decode("utf-8", "surrogateescape").split())
    for name, url in backup.remotes.items():
        if name not in left and url:
            _git(repo, "remote", "add", name, url)
    for line in _lines(_git(repo, "for-each-ref", "--format=%(refname)").stdout):
        if line not in backup.refs:
            _git(repo, "update-ref", "-d", "--no-deref", line)
    for name, (sha, sym) in backup.refs.items():
        if sym:
            _git(repo, "symbolic-ref", name, sym)
        else:
            _git(repo, "update-ref", "--no-deref", name, sha)
    sha, sym = backup.head
    if sym:
        _git(repo, "symbolic-ref", "HEAD", sym)
    elif sha:
        _git(repo, "update-ref", "--no-deref", "HEAD", sha)
    _git(repo, "reset", "-q", "--hard")  # blockers() made sure nothing else was uncommitted
    for path, data in backup.files.items():
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)


# --- the purge -------------------------------------------------------------------------------------

def purge(plan: PurgePlan) -> PurgeResult:
    """Delete the files, rewrite the history, check that nothing else changed, clean the caches, and
    verify. Raises before changing anything when a planned path is refused or the repository is not in
    a state where history can be rewritten safely; restores the old history when the check fails."""
    found = problems(plan)
    if found:
        message = (_("{problem} (and {n} more; run without --yes to see all)").format(problem=found[0], n=len(found) - 1)
                   if len(found) > 1 else found[0])
        raise StafettError(message, _("fix that and run the purge again; nothing was changed"))
    existed = [p for p in plan.files if p.exists() or p.is_symlink()]
    rewritten = False
    first_changed: list[str] = []
    before: set[str] = set()
    if plan.repo is not None and plan.history_paths:
        before = _blobs(plan.repo, plan.history_paths)
        first_changed = _rewrite_checked(plan)
        rewritten = True
    for path in plan.files:
        if path.exists() or path.is_symlink():  # the rewrite's reset removed the committed ones already
            path.unlink()
    _drop_caches(plan)
    remaining = verify(plan, before)
    return PurgeResult(plan, existed, rewritten, remaining, first_changed)


class _Changed(StafettError):
    """The rewrite touched what it must not: the one failure that is stafett's, not the repository's."""


def _rewrite_checked(plan: PurgePlan) -> list[str]:
    """The rewrite, between a snapshot and a backup before it and the same snapshot after it."""
    repo = plan.repo
    purged = set(plan.history_paths)
    kept = _snapshot(repo, purged)
    backup = _backup(plan)
    try:
        _restore_purged(plan)
        first_changed = _filter_repo(plan) if plan.tool == FILTER_REPO else _filter_branch(plan)
        what = _changed(kept, _snapshot(repo, purged))
        if what is not None:
            raise _Changed(_("the rewrite changed {what}, which is not purged").format(what=what),
                           _("nothing was purged; please report this to stafett's maintainers"))
    except BaseException as e:
        try:
            _restore(repo, backup)
        except BaseException:
            raise StafettError(_("the purge failed and the old history could not be put back; it is in {path}").format(
                path=backup.bundle), _("do not push; restore it as docs/retention.md describes")) from e
        backup.bundle.unlink()
        if isinstance(e, StafettError):
            raise type(e)(_("{message}; the old history was restored").format(message=e.message), e.hint) from None
        raise
    backup.bundle.unlink()  # it holds every purged version
    _cleanup(repo)
    return first_changed


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
        raise StafettError(_("git-filter-repo is not installed"), _("pip install git-filter-repo, or use git filter-branch"))
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
        raise StafettError(_("git filter-repo failed: {error}").format(error=_last_line(r.stderr or r.stdout)),
                           _("read docs/retention.md"))
    # Without --sensitive-data-removal, filter-repo removes 'origin' so nobody pushes by accident; the
    # kommune must push the purge, so put it back.
    left = set(_git(plan.repo, "remote").stdout.decode("utf-8", "replace").split())
    for name, url in urls.items():
        if name not in left and url:
            _git(plan.repo, "remote", "add", name, url)
    marker = _git_dir(plan.repo) / "filter-repo" / "first-changed-commits"
    try:
        return [line.split()[0] for line in marker.read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError:
        return []


def _migrate_origin_branches(repo: Path) -> None:
    """What filter-repo does itself: a branch that only exists as origin/X becomes a local branch X, so that
    `git push --force --all origin` afterwards replaces every branch on the server, not only the local ones."""
    refs = _lines(_git(repo, "for-each-ref", "--format=%(refname) %(objectname)", "refs/remotes/origin/").stdout)
    local = set(_lines(_git(repo, "for-each-ref", "--format=%(refname)", "refs/heads/").stdout))
    for line in refs:
        ref, sha = line.rsplit(" ", 1)
        name = ref[len("refs/remotes/origin/"):]
        if name != "HEAD" and f"refs/heads/{name}" not in local:
            _git(repo, "update-ref", f"refs/heads/{name}", sha)
        _git(repo, "update-ref", "-d", "--no-deref", ref)


def _filter_branch(plan: PurgePlan) -> list[str]:
    repo = plan.repo
    _migrate_origin_branches(repo)
    quoted = " ".join(shlex.quote(p) for p in plan.history_paths)
    env = dict(os.environ, FILTER_BRANCH_SQUELCH_WARNING="1")
    _git(repo, "filter-branch", "--force", "--index-filter", f"git rm -r -q --cached --ignore-unmatch -- {quoted}",
         "--prune-empty", "--tag-name-filter", "cat", "--", "--all", env=env)
    for ref in _lines(_git(repo, "for-each-ref", "--format=%(refname)", "refs/original/").stdout):
        _git(repo, "update-ref", "-d", ref)
    return []


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
    out = [_("{path} still exists").format(path=p) for p in plan.files if p.exists()]
    if plan.repo is None or not plan.history_paths:
        return out
    left = _z(_git(plan.repo, "log", "--all", "-m", "--format=%H", "-z", "--", *plan.history_paths).stdout)
    if left:
        out.append(_("{n} commit(s) still touch the purged paths").format(n=len(left)))
    alive = [sha for sha in sorted(before)
             if _git(plan.repo, "cat-file", "-e", sha, check=False).returncode == 0]
    if alive:
        out.append(_("{n} old version(s) of the purged files are still in the object store "
                     "(an identical file under another name keeps them)").format(n=len(alive)))
    return out
