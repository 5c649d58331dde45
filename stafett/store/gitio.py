"""The few git calls stafett makes: reading a file at a revision, listing changed files, config."""

from __future__ import annotations

import subprocess
from pathlib import Path

from stafett.errors import StafettError, UsageError
from stafett.i18n import _


def git(cwd: Path, *args: str, check: bool = True, text: bool = True) -> subprocess.CompletedProcess:
    try:
        r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=text, timeout=120)
    except FileNotFoundError:
        raise StafettError(_("git is not installed"), _("install git (Git for Windows on Windows)")) from None
    if check and r.returncode != 0:
        err = r.stderr if text else r.stderr.decode("utf-8", "replace")
        reason = err.strip().splitlines()[-1][:200] if err.strip() else r.returncode
        raise StafettError(_("git {command} failed: {reason}").format(command=" ".join(args[:2]), reason=reason),
                           _("check that this is a git repository and the revision exists"))
    return r


def top_level(path: Path) -> Path:
    r = git(path, "rev-parse", "--show-toplevel", check=False)
    if r.returncode != 0:
        raise UsageError(_("{path} is not inside a git repository").format(path=path), _("run `git init` or `stafett init`"))
    return Path(r.stdout.strip())


def resolve(top: Path, rev: str) -> str:
    r = git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    if r.returncode != 0:
        raise UsageError(_("unknown git revision '{revision}'").format(revision=rev),
                         _("use a branch, tag or commit, e.g. origin/main"))
    return r.stdout.strip()


def _relative(top: Path, under: Path) -> str:
    return under.resolve().relative_to(top.resolve()).as_posix() or "."


def _name_status(raw: bytes) -> list[tuple[str, str]]:
    """git's -z --name-status output: status NUL path NUL ...; names verbatim, whatever characters they hold."""
    parts = raw.split(b"\0")
    out = []
    for status, name in zip(parts[0::2], parts[1::2]):
        if status:
            out.append((status[:1].decode("ascii"), name.decode("utf-8", "surrogateescape")))
    return out


def changed_since(top: Path, rev: str, under: Path) -> list[tuple[str, str]]:
    """(status, path relative to top) for files changed between rev and the working tree."""
    r = git(top, "diff", "-z", "--name-status", "--no-renames", rev, "--", _relative(top, under), text=False)
    return _name_status(r.stdout)


def changed_in(top: Path, parent: str, commit: str, under: Path) -> list[tuple[str, str]]:
    """(status, path) for files one commit changed against one of its parents."""
    r = git(top, "diff-tree", "-r", "-z", "--no-commit-id", "--name-status", "--no-renames", parent, commit, "--",
            _relative(top, under), text=False)
    return _name_status(r.stdout)


def commits_since(top: Path, rev: str) -> list[tuple[str, list[str], str]]:
    """(commit, parents, author e-mail) for every commit in rev..HEAD, oldest first."""
    r = git(top, "log", "--reverse", "--format=%H %P%x09%ae", f"{rev}..HEAD")
    out = []
    for line in r.stdout.splitlines():
        shas, _, email = line.partition("\t")
        commit, *parents = shas.split()
        out.append((commit, parents, email.strip()))
    return out


def signatures_since(top: Path, rev: str, allowed_signers: Path) -> dict[str, tuple[str, str]]:
    """commit -> (git's %G? verdict, the principal that signed) with SSH signatures checked against the file."""
    r = git(top, "-c", f"gpg.ssh.allowedSignersFile={allowed_signers}", "log", "--format=%H%x09%G?%x09%GS",
            f"{rev}..HEAD")
    out = {}
    for line in r.stdout.splitlines():
        commit, verdict, signer = (line.split("\t") + ["", ""])[:3]
        out[commit] = (verdict, signer.strip())
    return out


def author_email(top: Path) -> str:
    """The e-mail git will write as the author of the next commit (config or GIT_AUTHOR_EMAIL); '' if none."""
    r = git(top, "var", "GIT_AUTHOR_IDENT", check=False)
    if r.returncode != 0:
        return ""
    start, end = r.stdout.find("<"), r.stdout.find(">")
    return r.stdout[start + 1:end].strip() if 0 <= start < end else ""


def show(top: Path, rev: str, path: str) -> bytes | None:
    r = git(top, "show", f"{rev}:{path}", check=False, text=False)
    return r.stdout if r.returncode == 0 else None


def commit_files(root: Path, names: list[str], message: str) -> bool:
    """Commit exactly these files (paths relative to root) as one commit; False outside a git repository."""
    if git(root, "rev-parse", "--show-toplevel", check=False).returncode != 0:
        return False
    git(root, "add", "--", *names)
    git(root, "commit", "-q", "-m", message, "--only", "--", *names)
    return True
