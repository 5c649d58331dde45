"""What `stafett git-setup` (and `init`) write: .gitattributes and the clone's merge-driver config."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from stafett.folder import CASES_DIR
from stafett.i18n import _
from stafett.store import gitio
from stafett.store.files import atomic_write, read_regular

ATTRIBUTE = f"{CASES_DIR}/*.yaml merge=stafett"
# git diff / git log -p show an encrypted case in clear to its readers (and as it is to anyone else).
DIFF_ATTRIBUTE = f"{CASES_DIR}/*.yaml diff=stafett"


# %X, %S and %Y (git 2.44+) name the sides for the conflict markers; older git passes them through
# unexpanded and the driver falls back to the branch and commit names.
ARGUMENTS = "%O %A %B %P --ours-label %X --base-label %S --theirs-label %Y"


def _stafett() -> str:
    exe = shutil.which("stafett")
    if exe and Path(exe).resolve().parent == Path(sys.executable).resolve().parent:
        return "stafett"
    # Not on PATH (a venv not activated): call this very installation.
    return f'"{Path(sys.executable).as_posix()}" -m stafett'


def driver_command() -> str:
    return f"{_stafett()} merge-driver {ARGUMENTS}"


def install(root: Path) -> list[str]:
    top = gitio.top_level(root)
    rel = root.resolve().relative_to(top.resolve()).as_posix()
    attributes = top / ".gitattributes"
    current = read_regular(attributes).decode("utf-8") if os.path.lexists(attributes) else ""  # never a link or FIFO
    said = []
    for line in (ATTRIBUTE, DIFF_ATTRIBUTE):
        pattern = line if rel in ("", ".") else f"{rel}/{line}"
        if pattern not in current.splitlines():
            current = current + ("" if not current or current.endswith("\n") else "\n") + pattern + "\n"
            atomic_write(attributes, current.encode("utf-8"))
            said.append(_("added '{pattern}' to {file}").format(pattern=pattern, file=attributes))
    gitio.git(top, "config", "merge.stafett.name", "stafett: merge case files on the model")
    gitio.git(top, "config", "merge.stafett.driver", driver_command())
    gitio.git(top, "config", "diff.stafett.textconv", f"{_stafett()} textconv")
    said.append(_("configured the stafett merge driver for this clone"))
    return said + _signers(root, top)


def _signers(root: Path, top: Path) -> list[str]:
    """With staff keys in personer.yaml: git's allowed-signers file from them, so `git log --show-signature` and
    `git verify-commit` name who signed. validate --since builds its own from personer.yaml at the base revision."""
    from stafett.folder import load_folder

    folder = load_folder(root)
    text = folder.people.allowed_signers()
    if not text:
        return []
    git_dir = Path(gitio.git(top, "rev-parse", "--absolute-git-dir").stdout.strip())
    target = git_dir / "stafett-allowed-signers"
    atomic_write(target, text.encode("utf-8"))
    gitio.git(top, "config", "gpg.ssh.allowedSignersFile", str(target))
    said = [_("wrote {file} from the keys in personer.yaml (gpg.ssh.allowedSignersFile)").format(file=target)]
    if folder.settings.innstillinger.signerte_commits:
        said.append(_("this kommune requires signed commits: git config gpg.format ssh; "
                      "git config user.signingkey ~/.ssh/id_ed25519.pub; git config commit.gpgsign true"))
    return said
