"""Many coordinators, one repository: real git, a bare remote, two clones, the merge driver."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import contextvars

import pytest

from tests.conftest import CASE, CASE_ID, write_folder

STAFETT = str(Path(sys.executable).with_name("stafett"))
ENV = {**os.environ, "STAFETT_TODAY": "2026-11-23", "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.invalid",
       "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.invalid", "PATH": os.environ.get("PATH", "")}
ENV["PATH"] = str(Path(sys.executable).parent) + os.pathsep + ENV["PATH"]


def sh(cwd: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run(list(args), cwd=cwd, env=ENV_NOW.get() or ENV, capture_output=True, text=True)
    if ok and r.returncode != 0:
        raise AssertionError(f"{args} failed:\n{r.stdout}\n{r.stderr}")
    return r


ENV_NOW: contextvars.ContextVar = contextvars.ContextVar("env", default=None)


def as_kari():
    """Kari writes and commits her own entries: validate --since checks the writer against the commit's author."""
    email = "kari.lund@testvik.example"
    return ENV_NOW.set({**ENV, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_EMAIL": email, "GIT_AUTHOR_NAME": "Kari Lund"})


def st(cwd: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    return sh(cwd, STAFETT, *args, ok=ok)


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path, Path]:
    remote = tmp_path / "remote.git"
    sh(tmp_path, "git", "init", "-q", "--bare", "-b", "main", str(remote))
    seed = tmp_path / "seed"
    sh(tmp_path, "git", "init", "-q", "-b", "main", str(seed))
    write_folder(seed)
    (seed / ".gitignore").write_text(".*.lock\n", encoding="utf-8")
    st(seed, "git-setup")
    sh(seed, "git", "add", "-A")
    sh(seed, "git", "commit", "-qm", "seed")
    sh(seed, "git", "push", "-q", str(remote), "main")
    a, b = tmp_path / "a", tmp_path / "b"
    for clone in (a, b):
        sh(tmp_path, "git", "clone", "-q", str(remote), str(clone))
        st(clone, "git-setup")  # the driver does not travel with a clone
    return remote, a, b


def commit(clone: Path, message: str) -> None:
    sh(clone, "git", "add", "-A")
    sh(clone, "git", "commit", "-qm", message)


def case_text(clone: Path) -> str:
    return (clone / "saker" / f"{CASE_ID}.yaml").read_text(encoding="utf-8")


def test_parallel_log_entries_and_tiltak_merge_without_conflict(clones):
    _, a, b = clones
    st(a, "log", CASE_ID, "Mor ringte, Ola sover bedre.", "--med", "foresatte", "--by", "kari.lund")
    st(a, "tiltak", "add", CASE_ID, "--beskrivelse", "Språkgruppe to ganger i uka", "--ansvarlig", "kari.lund",
       "--evalueres", "2027-01-15", "--nytt-mal", "Ola leker med andre", "--by", "kari.lund")
    commit(a, "a: logg og tiltak")
    sh(a, "git", "push", "-q")
    st(b, "log", CASE_ID, "PPT observerte i frileken.", "--by", "per.berg")
    st(b, "log", CASE_ID, "Lysglimt: Ola tok initiativ til lek.", "--type", "lysglimt", "--by", "kari.lund")
    commit(b, "b: logg")
    r = sh(b, "git", "pull", "-q", "--no-rebase", "--no-edit", ok=False)
    assert r.returncode == 0, r.stdout + r.stderr
    text = case_text(b)
    for needle in ("Mor ringte, Ola sover bedre.", "Språkgruppe to ganger i uka", "PPT observerte i frileken.",
                   "Lysglimt: Ola tok initiativ til lek.", "# slutt på loggen", "# nivå 1 etter samtale med mor"):
        assert needle in text, needle
    assert "<<<<<<<" not in text
    assert st(b, "validate").returncode == 0
    sh(b, "git", "push", "-q")
    sh(a, "git", "pull", "-q", "--no-rebase", "--no-edit")
    assert case_text(a) == case_text(b)


def test_two_different_handovers_are_a_true_conflict_naming_the_field(clones):
    _, a, b = clones
    common = ["--grunn", "Mer helse", "--onske", "Mor ønsker det", "--tiltak", "Få", "--koordineringsbehov", "Lite"]
    st(a, "handover", "offer", CASE_ID, "--til", "per.berg", *common, "--by", "kari.lund")
    commit(a, "a: overlevering til anne")
    sh(a, "git", "push", "-q")
    st(b, "handover", "offer", CASE_ID, "--til", "siri.dahl", *common, "--by", "kari.lund")
    commit(b, "b: overlevering til siri")
    r = sh(b, "git", "pull", "--no-rebase", "--no-edit", ok=False)
    assert r.returncode != 0
    assert "stafett merge: conflict in saker/" in r.stderr + r.stdout
    assert "overlevering.til was changed two different ways" in r.stderr + r.stdout
    text = case_text(b)
    # The sides carry the names git knows them by, never a bare "ours"/"theirs".
    assert "<<<<<<< main\n" in text and ">>>>>>> origin/main\n" in text
    assert "<<<<<<< ours" not in text and ">>>>>>> theirs" not in text
    r = st(b, "validate", ok=False)
    assert r.returncode == 1 and f"saker/{CASE_ID}.yaml:" in r.stdout and " G001 " in r.stdout
    assert "Y001" not in r.stdout


def test_merge_driver_keeps_local_comments(clones):
    _, a, b = clones
    path_b = b / "saker" / f"{CASE_ID}.yaml"
    path_b.write_text(case_text(b).replace("eier: kari.lund\n", "eier: kari.lund   # lokal kommentar\n"), encoding="utf-8")
    commit(b, "b: kommentar")
    st(a, "log", CASE_ID, "Notat fra a.", "--by", "kari.lund")
    commit(a, "a: logg")
    sh(a, "git", "push", "-q")
    sh(b, "git", "pull", "-q", "--no-rebase", "--no-edit")
    text = case_text(b)
    assert "eier: kari.lund   # lokal kommentar" in text and "Notat fra a." in text


def test_gitattributes_never_uses_union(clones):
    _, a, _ = clones
    attributes = (a / ".gitattributes").read_text(encoding="utf-8")
    assert "saker/*.yaml merge=stafett" in attributes
    assert "union" not in attributes
    driver = sh(a, "git", "config", "merge.stafett.driver").stdout
    assert "merge-driver %O %A %B %P" in driver
    assert "--ours-label %X --base-label %S --theirs-label %Y" in driver  # git's names for the sides


def test_append_only_proof_names_each_violation(clones):
    _, a, _ = clones
    as_kari()
    st(a, "log", CASE_ID, "Nytt notat.", "--by", "kari.lund")
    assert st(a, "validate", "--since", "origin/main").returncode == 0  # appending is fine
    commit(a, "logg")
    path = a / "saker" / f"{CASE_ID}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("tekst: Undring registrert.", "tekst: Omskrevet."),
                    encoding="utf-8")
    r = st(a, "validate", "--since", "origin/main", ok=False)
    assert r.returncode == 1
    line = next(n for n, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "- tid: 2026-11-01" in l)
    assert f"saker/{CASE_ID}.yaml:{line}:5: P002 log entry 1 (2026-11-01 09:00) was changed since origin/main" in r.stdout


def test_append_only_proof_catches_a_removed_entry_and_unknown_rev(clones):
    _, a, _ = clones
    path = a / "saker" / f"{CASE_ID}.yaml"
    text = path.read_text(encoding="utf-8")
    cut = text.index("  - tid: 2026-11-03 10:00:00")
    path.write_text(text[:cut] + "# slutt på loggen\n", encoding="utf-8")
    r = st(a, "validate", "--since", "origin/main", ok=False)
    assert "P002 log entry 2 of origin/main was removed" in r.stdout
    r = st(a, "validate", "--since", "no-such-rev", ok=False)
    assert r.returncode == 2 and r.stderr.startswith("error: unknown git revision 'no-such-rev'")


def test_a_side_that_cannot_be_merged_on_the_model_leaves_both_sides_in_the_file(clones):
    """Their copy is damaged (a NUL byte): git's line merge refuses binary files, so the driver itself
    writes both sides between conflict markers instead of leaving only ours."""
    _, a, b = clones
    path_a = a / "saker" / f"{CASE_ID}.yaml"
    path_a.write_bytes(path_a.read_bytes().replace(b"tekst: Undring registrert.", b"tekst: Skadet\x00 fil fra a."))
    commit(a, "a: skadet")
    sh(a, "git", "push", "-q")
    st(b, "log", CASE_ID, "Notat fra b.", "--by", "kari.lund")
    commit(b, "b: logg")
    r = sh(b, "git", "pull", "--no-rebase", "--no-edit", ok=False)
    assert r.returncode != 0 and "stafett merge: conflict in saker/" in r.stderr + r.stdout
    raw = (b / "saker" / f"{CASE_ID}.yaml").read_bytes()
    assert b"Notat fra b." in raw and b"Skadet\x00 fil fra a." in raw  # both sides, not ours alone
    assert raw.startswith(b"<<<<<<< main\n") and b"\n=======\n" in raw and raw.endswith(b">>>>>>> origin/main\n")


def _three_versions(tmp_path: Path) -> tuple[Path, Path, Path]:
    base, ours, theirs = tmp_path / "base.yaml", tmp_path / "ours.yaml", tmp_path / "theirs.yaml"
    base.write_text(CASE, encoding="utf-8")
    ours.write_text(CASE.replace("# slutt på loggen\n", "  - tid: 2026-11-05 10:00:00\n    av: kari.lund\n"
                                 "    type: notat\n    tekst: Vår side.\n# slutt på loggen\n"), encoding="utf-8")
    theirs.write_text(CASE.replace("# slutt på loggen\n", "  - tid: 2026-11-06 10:00:00\n    av: per.berg\n"
                                   "    type: notat\n    tekst: Deres side.\n# slutt på loggen\n"), encoding="utf-8")
    return base, ours, theirs


def test_a_merged_file_that_cannot_be_written_leaves_both_sides(tmp_path, monkeypatch):
    from commands_kit import stafett
    from stafett.errors import StafettError
    from stafett.store import mergefile

    def refuse(*args, **kwargs):
        raise StafettError("could not write the file: no space left on device", "free some space")

    base, ours, theirs = _three_versions(tmp_path)
    sh(tmp_path, "git", "init", "-q", "-b", "main")
    monkeypatch.setattr(mergefile, "patched_bytes", refuse)
    r = stafett("merge-driver", base, ours, theirs, "saker/x.yaml", "--ours-label", "HEAD", "--base-label", "abc1234",
                "--theirs-label", "feature/ny-logg", cwd=tmp_path)
    assert r.code == 1 and "could not be written" in r.err
    text = ours.read_text(encoding="utf-8")
    assert "Vår side." in text and "Deres side." in text
    assert "<<<<<<< HEAD\n" in text and ">>>>>>> feature/ny-logg\n" in text


def test_labels_fall_back_to_branch_names_when_git_passes_placeholders(tmp_path):
    """git before 2.44 hands %X and %Y over unexpanded; the driver then asks git for the branch."""
    from commands_kit import stafett

    base, ours, theirs = _three_versions(tmp_path)
    theirs.write_text(ours.read_text(encoding="utf-8").replace("niva: 1", "niva: 2"), encoding="utf-8")
    ours.write_text(ours.read_text(encoding="utf-8").replace("niva: 1", "niva: 3"), encoding="utf-8")
    sh(tmp_path, "git", "init", "-q", "-b", "fjordvik-a")
    sh(tmp_path, "git", "commit", "-q", "--allow-empty", "-m", "start")
    r = stafett("merge-driver", base, ours, theirs, "saker/x.yaml", "--ours-label", "%X", "--base-label", "%S",
                "--theirs-label", "%Y", cwd=tmp_path)
    assert r.code == 1 and "niva was changed two different ways" in r.err
    text = ours.read_text(encoding="utf-8")
    assert "<<<<<<< fjordvik-a\n" in text and "%X" not in text and "%Y" not in text
    assert "niva: 3" in text and "niva: 2" in text
