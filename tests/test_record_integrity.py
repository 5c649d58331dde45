"""The record cannot be rewritten unnoticed, and nobody writes in another person's name.

`validate --since REV` proves, with real git: every change of state since REV came with the log entry its
command writes (P005), protected history only grows (P006), each new entry was written by the author of the
commit that added it (P007), and, when the kommune turns signing on, every commit is signed with the
author's own key from personer.yaml (P008-P010). Paths with any characters are checked."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from commands_kit import ACTIVE, ACTIVE_ID, PEOPLE, SETTINGS, case_file, git, load, ok, stafett, write_case, write_kommune

C = ACTIVE_ID
FLAGGED = ACTIVE.replace(
    "stafettholder:\n",
    "voldsmistanke:\n  - tid: 2026-09-10 08:00:00\n    handling: reist\n    av: mona.birkeland\n    grunn: Blåmerker.\n"
    "konsultasjoner:\n  - id: k-forste\n    tid: 2026-09-11 09:00:00\n    dato: 2026-09-11\n    med: barnevern\n"
    "    konsultert: Barnevernsvakten\n    rad: Vent med foreldrene.\n    familiekontakt: vent\n"
    "    registrert_av: mona.birkeland\nstafettholder:\n", 1)


def _repo(root: Path, case: str = ACTIVE, folder: str = "testvik") -> Path:
    kommune = write_kommune(root / folder)
    write_case(kommune, case)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start", who="mona.birkeland")
    return kommune


def _commit(root: Path, who: str, message: str = "endring") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, who=who)


def _since(kommune: Path, rev: str = "HEAD~1"):
    return stafett("validate", kommune, "-j", "1", "--since", rev, "--format", "json")


def _codes(result) -> list[str]:
    return re.findall(r'"code": "(P\d+)"', result.out)


def _edit(kommune: Path, old: str, new: str) -> None:
    path = case_file(kommune, C)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "mona.birkeland@testvik.example")
    return _repo(tmp_path)


# --- 3. state changes need their log entry ------------------------------------------------------

def test_a_hand_edit_of_the_stafettholder_without_a_handover_is_named(repo: Path) -> None:
    _edit(repo, "stafettholder:\n  person: mona.birkeland", "stafettholder:\n  person: erik.vatne")
    _commit(repo.parent, "mona.birkeland")
    result = _since(repo)
    assert result.code == 1 and "P005" in _codes(result)
    assert "stafettholder changed" in result.out


def test_a_handover_through_the_commands_passes_the_proof(repo: Path, monkeypatch) -> None:
    ok("handover", "offer", C, "--til", "erik.vatne", "--grunn", "Ny kontaktlærer.", "--onske", "Mor ønsker Erik.",
       "--tiltak", "Tilrettelegging.", "--koordineringsbehov", "Lite.", "-C", repo)
    _commit(repo.parent, "mona.birkeland")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "erik.vatne@testvik.example")
    ok("handover", "accept", C, "-C", repo)
    _commit(repo.parent, "erik.vatne")
    result = _since(repo, "HEAD~2")
    assert result.code == 0, result.out


@pytest.mark.parametrize("old,new,field", [
    ("niva: 1\n", "niva: 2\n", "niva"),
    ("    status: aktiv\n", "    status: avsluttet\n", "tiltak"),
    ("      - helsestasjon\n    form", "      - helsestasjon\n      - ppt\n    form", "samtykker"),
])
def test_other_state_edits_without_their_entry_are_named(repo: Path, old: str, new: str, field: str) -> None:
    _edit(repo, old, new)
    _commit(repo.parent, "mona.birkeland")
    result = _since(repo)
    assert result.code == 1 and f"{field} changed" in result.out, result.out


def test_a_state_edit_with_an_unrelated_note_is_still_named(repo: Path) -> None:
    ok("log", C, "Et notat.", "-C", repo)
    _edit(repo, "niva: 1\n", "niva: 3\n")
    _commit(repo.parent, "mona.birkeland")
    assert "niva changed" in _since(repo).out


def test_removing_the_flag_a_consultation_or_a_withdrawal_is_named(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "mona.birkeland@testvik.example")
    kommune = _repo(tmp_path, FLAGGED)
    text = case_file(kommune, C).read_text(encoding="utf-8")
    base = text
    # the flag's history
    case_file(kommune, C).write_text(re.sub(r"voldsmistanke:\n(  .*\n|    .*\n)+", "", text), encoding="utf-8")
    _commit(tmp_path, "mona.birkeland")
    out = _since(kommune).out
    assert "P006" in out and "voldsmistanke" in out
    # a consultation
    case_file(kommune, C).write_text(re.sub(r"konsultasjoner:\n(  .*\n|    .*\n)+", "", base), encoding="utf-8")
    _commit(tmp_path, "mona.birkeland")
    out = _since(kommune).out
    assert "konsultasjoner" in out and "P006" in out


def test_undoing_a_consent_withdrawal_is_named(repo: Path) -> None:
    ok("consent", "withdraw", C, "s-logg", "--trukket-av", "f-mor", "--dato", "2026-11-20", "-C", repo)
    _commit(repo.parent, "mona.birkeland")
    path = case_file(repo, C)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"    trukket:\n(      .*\n)+", "", text), encoding="utf-8")
    _commit(repo.parent, "mona.birkeland")
    result = _since(repo)
    assert result.code == 1 and "consent 's-logg' was changed" in result.out, result.out


def test_paths_with_any_characters_are_checked(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    kommune = _repo(tmp_path, folder="bærum saker")
    _edit(kommune, "stafettholder:\n  person: mona.birkeland", "stafettholder:\n  person: erik.vatne")
    _commit(tmp_path, "mona.birkeland")
    result = _since(kommune)
    assert "P005" in _codes(result), "a case under a non-ASCII path is not skipped"


# --- 4. nobody writes in another person's name --------------------------------------------------

def test_by_someone_else_is_refused_and_on_behalf_records_both(repo: Path) -> None:
    before = case_file(repo, C).read_bytes()
    refused = stafett("log", C, "Snakket med Nora.", "--by", "hanne.rossland", "-C", repo)
    assert refused.code != 0 and "you are mona.birkeland" in refused.err and len(refused.err.splitlines()) == 1
    assert case_file(repo, C).read_bytes() == before
    ok("log", C, "Rektor ringte PPT.", "--by", "hanne.rossland", "--on-behalf", "-C", repo)
    entry = load(repo, C).logg[-1]
    assert (entry.av, entry.registrert_av) == ("hanne.rossland", "mona.birkeland")
    for fmt in ("md", "html"):
        text = ok("render", C, "--format", fmt, "--layout", "standard", "-C", repo).out  # Vigilo leaves the log out
        assert "Hanne Røssland (registrert av Mona Birkeland)" in text
    _commit(repo.parent, "mona.birkeland")
    assert _since(repo).code == 0, "an entry registered on someone's behalf is the registrar's to commit"


def test_an_entry_committed_by_someone_else_is_named(repo: Path, monkeypatch) -> None:
    monkeypatch.delenv("GIT_AUTHOR_EMAIL")
    # Without a git identity --by cannot be checked when the command runs; the commit is checked later.
    path = case_file(repo, C)
    path.write_text(path.read_text(encoding="utf-8") + "  - tid: 2026-11-23 10:00:00\n    av: hanne.rossland\n"
                    "    type: notat\n    tekst: Skrevet i rektors navn.\n", encoding="utf-8")
    _commit(repo.parent, "mona.birkeland")
    result = _since(repo)
    assert result.code == 1 and "P007" in _codes(result)
    assert "written as hanne.rossland" in result.out and "mona.birkeland@testvik.example" in result.out


def test_an_uncommitted_entry_is_checked_against_the_next_commits_author(repo: Path, monkeypatch) -> None:
    ok("log", C, "Et notat.", "-C", repo)
    assert _since(repo, "HEAD").code == 0
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "erik.vatne@testvik.example")
    assert "P007" in _codes(_since(repo, "HEAD")), "erik would commit mona's entry"


def test_a_changed_email_in_the_same_range_cannot_vouch_for_itself(repo: Path) -> None:
    people = repo / "personer.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("hanne.rossland@testvik.example",
                                                                "mona.birkeland@testvik.example"), encoding="utf-8")
    path = case_file(repo, C)
    path.write_text(path.read_text(encoding="utf-8") + "  - tid: 2026-11-23 10:00:00\n    av: hanne.rossland\n"
                    "    type: notat\n    tekst: Skrevet i rektors navn.\n", encoding="utf-8")
    _commit(repo.parent, "mona.birkeland")
    codes = _codes(_since(repo))
    assert "P007" in codes and "P011" in codes


# --- signed commits -------------------------------------------------------------------------------

def _key(tmp: Path, name: str) -> tuple[Path, str]:
    key = tmp / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key, (tmp / f"{name}.pub").read_text(encoding="utf-8").strip()


def _signed_commit(root: Path, who: str, key: Path | None, message: str = "signert") -> None:
    email = f"{who}@testvik.example"
    env = {**os.environ, "GIT_AUTHOR_NAME": who, "GIT_COMMITTER_NAME": who, "GIT_AUTHOR_EMAIL": email,
           "GIT_COMMITTER_EMAIL": email}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "commit", "-q", "-S"] if key else ["commit", "-q"]
    subprocess.run(["git", *sign, "-m", message], cwd=root, check=True, env=env, capture_output=True)


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")
def test_signed_commits_are_verified_against_the_staff_keys(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "mona.birkeland@testvik.example")
    keys = tmp_path / "keys"
    keys.mkdir()
    mona_key, mona_pub = _key(keys, "mona")
    erik_key, erik_pub = _key(keys, "erik")
    stranger_key, _ = _key(keys, "stranger")
    people = PEOPLE.replace("    epost: mona.birkeland@testvik.example\n",
                            f"    epost: mona.birkeland@testvik.example\n    ssh_nokler:\n      - {mona_pub}\n")
    people = people.replace("    epost: erik.vatne@testvik.example\n",
                            f"    epost: erik.vatne@testvik.example\n    ssh_nokler:\n      - {erik_pub}\n")
    settings = SETTINGS + "innstillinger:\n  signerte_commits: true\n"
    repo = tmp_path / "repo"
    kommune = write_kommune(repo / "testvik", settings, people)
    write_case(kommune, ACTIVE)
    git(repo, "init", "-q")
    _signed_commit(repo, "mona.birkeland", mona_key, "start")

    ok("log", C, "Signert av Mona.", "-C", kommune)
    _signed_commit(repo, "mona.birkeland", mona_key)
    assert _since(kommune).code == 0, _since(kommune).out
    # git-setup gives git itself the allowed signers, so a coordinator can check a commit by hand.
    assert "stafett-allowed-signers" in ok("git-setup", "-C", kommune).out
    shown = subprocess.run(["git", "log", "-1", "--format=%G?%x09%GS"], cwd=repo, capture_output=True, text=True)
    assert shown.stdout.strip() == "G\tmona.birkeland@testvik.example"

    ok("log", C, "Usignert.", "-C", kommune)
    _signed_commit(repo, "mona.birkeland", None)
    assert "P008" in _codes(_since(kommune))

    ok("log", C, "Ukjent nøkkel.", "-C", kommune)
    _signed_commit(repo, "mona.birkeland", stranger_key)
    assert "P009" in _codes(_since(kommune))

    ok("log", C, "Eriks nøkkel.", "-C", kommune)
    _signed_commit(repo, "mona.birkeland", erik_key)
    assert "P010" in _codes(_since(kommune))

    # A change cannot turn signing off for itself: the setting at REV still holds.
    (kommune / "stafett.yaml").write_text(SETTINGS, encoding="utf-8")
    ok("log", C, "Slår av signering.", "-C", kommune)
    _signed_commit(repo, "mona.birkeland", None)
    assert "P008" in _codes(_since(kommune))
