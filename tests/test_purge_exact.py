"""A purge removes exactly the cases named, nothing else (issue 9, part 2).

S-20150301-k7q4 is closed and past retention; S-20150301-k7q4m2 is active and its id starts with the
other's. Purging the first must leave every version of the second byte for byte, in a case folder at
the top of the repository or in a sub-folder with a non-ASCII name, with either history tool. The
plan refuses paths that are not provably the named case's, and a rewrite that touches anything else
is undone. Export and render keep ids exact too: a file's name is the case it holds."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from stafett.case_names import ids_in, owner
from tests.commands_kit import stafett as run_in_process
from tests.conftest import CASE, CASE_ID, write_folder
from tests.test_retention import GIT_ENV, OLD_CASE, OLD_ID, OLD_NAME, SETTINGS_2Y, TOOLS, closed, objects_text, sh, st

SHORT = "S-20150301-k7q4"      # closed 2026-11-20, past 2 years' retention on 2029-06-01
LONG = "S-20150301-k7q4m2"     # active; SHORT is a prefix of it
LONG_NAME = "Ola Testesen"     # the active case's child: must survive everywhere
SHORT_RE = re.compile(re.escape(SHORT) + r"(?![a-z0-9])")
SHORT_RENDER = f"{SHORT}-kopi-æøå.html"
LONG_FILES = ["saker/{LONG}.yaml", "utskrift/{LONG}-stafettlogg.md", "utskrift/{LONG}-mo-1.ics"]


def _commit(repo: Path, message: str) -> None:
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "-m", message)


def build(repo: Path, sub: str) -> Path:
    """A repository whose case folder (at `sub`) holds both cases through six commits, two branches and
    a tag, with renders and an invitation of each committed beside them. Returns the case folder."""
    sh(repo.parent, "git", "init", "-q", "-b", "main", str(repo))
    root = repo / sub if sub else repo
    write_folder(root, case=None, settings=SETTINGS_2Y)
    (repo / ".gitignore").write_text(".*.lock\n.*.tmp\n.stafett-cache/\n", encoding="utf-8")
    (root / "saker" / f"{LONG}.yaml").write_text(CASE.replace(CASE_ID, LONG), encoding="utf-8")
    (root / "saker" / f"{SHORT}.yaml").write_text(OLD_CASE.replace(OLD_ID, SHORT), encoding="utf-8")
    _commit(repo, "two cases")
    st(root, "log", LONG, "Samtale med mor.", "--by", "kari.lund", today="2026-11-10")
    _commit(repo, "log long")
    st(root, "log", SHORT, "Samtale med far.", "--by", "kari.lund", today="2026-11-10")
    _commit(repo, "log short")
    out = root / "utskrift"
    out.mkdir()
    (out / SHORT_RENDER).write_text(f"<h1>Stafettlogg for {OLD_NAME}</h1>\n", encoding="utf-8")
    (out / f"{LONG}-stafettlogg.md").write_text(f"# Stafettlogg for {LONG_NAME}\n", encoding="utf-8")
    (out / f"{LONG}-mo-1.ics").write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n", encoding="utf-8")
    _commit(repo, "renders")
    short = root / "saker" / f"{SHORT}.yaml"
    short.write_text(closed(short.read_text(encoding="utf-8")), encoding="utf-8")
    _commit(repo, "close short")
    st(root, "log", LONG, "Ny samtale med mor.", "--by", "kari.lund", today="2026-11-21")
    _commit(repo, "log long again")
    sh(repo, "git", "branch", "gammel", "HEAD~2")
    sh(repo, "git", "tag", "v1", "HEAD~3")
    assert st(root, "validate").returncode == 0
    return root


def history_of(repo: Path, path: str) -> str:
    """Every version a path had on every ref, as blob ids with the commit subjects (not the commit ids,
    which the rewrite changes)."""
    return sh(repo, "git", "log", "--all", "--format=%s", "--raw", "--no-abbrev", "--no-renames", "--", path).stdout


def long_paths(root: Path, repo: Path) -> list[str]:
    rel = root.relative_to(repo).as_posix()
    return [(f"{rel}/" if rel != "." else "") + p.format(LONG=LONG) for p in LONG_FILES]


def work_tree(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(repo).parts}


def refs(repo: Path) -> str:
    return sh(repo, "git", "for-each-ref", "--format=%(refname) %(objectname)").stdout + \
        sh(repo, "git", "symbolic-ref", "HEAD").stdout


@pytest.fixture(params=["", "bærum-saker"], ids=["top", "sub-folder"])
def prefix_repo(tmp_path: Path, request):
    repo = tmp_path / "kommune-repo"
    return build(repo, request.param), repo


# --- the fault: an id that is a prefix of another ---------------------------------------------------

@pytest.mark.parametrize("tool", TOOLS)
def test_purging_an_id_that_prefixes_an_active_case_leaves_the_active_case_byte_for_byte(prefix_repo, tool):
    root, repo = prefix_repo
    saker = root / "saker"
    for name in (f".{SHORT}.yaml.lock", f".{SHORT}.yaml.abc_12x9.tmp", f".{LONG}.yaml.lock", f".{LONG}.yaml.k2j_9zq1.tmp"):
        (saker / name).write_text("rest", encoding="utf-8")
    paths = long_paths(root, repo)
    before = {p: history_of(repo, p) for p in paths}
    assert all(before.values())
    files_before = {p: (repo / p).read_bytes() for p in paths}
    locks_before = {n: (saker / n).read_bytes() for n in (f".{LONG}.yaml.lock", f".{LONG}.yaml.k2j_9zq1.tmp")}
    flag = "filter-repo" if tool == "git filter-repo" else "filter-branch"

    r = st(root, "retention", "--purge", SHORT, "--yes", "--history-tool", flag)
    assert "rewrote the history" in r.stdout and LONG_NAME not in r.stdout + r.stderr

    # The active case: its file, its renders, and every version of each on every ref, unchanged.
    assert {p: (repo / p).read_bytes() for p in paths} == files_before
    assert {p: history_of(repo, p) for p in paths} == before
    assert {n: (saker / n).read_bytes() for n in locks_before} == locks_before
    assert st(root, "validate").returncode == 0
    assert st(root, "log", LONG, "Etter slettingen.", "--by", "kari.lund", today="2029-06-01").returncode == 0
    # The purged case: gone from the files, every commit and the object store.
    assert not (saker / f"{SHORT}.yaml").exists() and not (root / "utskrift" / SHORT_RENDER).exists()
    assert not [p for p in saker.iterdir() if owner(p.name) == SHORT]
    assert not SHORT_RE.search(sh(repo, "git", "-c", "core.quotePath=false", "rev-list", "--all", "--objects").stdout)
    assert OLD_NAME not in objects_text(repo) and LONG_NAME in objects_text(repo)
    assert not list(Path(sh(repo, "git", "rev-parse", "--absolute-git-dir").stdout.strip()).glob("*.bundle"))
    sh(repo, "git", "fsck", "--no-progress", "--full")


def test_the_plan_lists_exactly_the_named_case_paths_unquoted(prefix_repo):
    root, repo = prefix_repo
    saker = root / "saker"
    for name in (f".{SHORT}.yaml.lock", f".{SHORT}.yaml.abc_12x9.tmp", f".{LONG}.yaml.lock", f".{LONG}.yaml.k2j_9zq1.tmp"):
        (saker / name).write_text("rest", encoding="utf-8")
    refs_before = refs(repo)
    dry = st(root, "retention", "--purge", SHORT, ok=False)
    assert dry.returncode == 1 and "dry run" in dry.stdout and dry.stderr == ""
    planned = [line.split()[1] for line in dry.stdout.splitlines() if line.startswith("  history  ")]
    rel = "" if root == repo else f"{root.relative_to(repo).as_posix()}/"
    assert planned == sorted([f"{rel}saker/{SHORT}.yaml", f"{rel}utskrift/{SHORT_RENDER}"])  # exact, and not quoted
    deleted = [line.split()[1] for line in dry.stdout.splitlines() if line.startswith("  delete   ")]
    assert sorted(deleted) == sorted([f"saker/{SHORT}.yaml", f"saker/.{SHORT}.yaml.lock", f"saker/.{SHORT}.yaml.abc_12x9.tmp"])
    assert LONG not in dry.stdout and refs(repo) == refs_before


# --- the plan refuses what is not provably the named case's ------------------------------------------

def test_a_version_of_the_named_file_that_holds_another_case_is_refused_and_nothing_changes(tmp_path):
    repo = tmp_path / "kommune-repo"
    root = build(repo, "")
    short = root / "saker" / f"{SHORT}.yaml"
    kept = short.read_bytes()
    short.write_bytes((root / "saker" / f"{LONG}.yaml").read_bytes())  # a copy onto the wrong name
    _commit(repo, "oops")
    short.write_bytes(kept)
    _commit(repo, "undo oops")
    refs_before, tree_before = refs(repo), work_tree(repo)

    r = st(root, "retention", "--purge", SHORT, "--yes", ok=False)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert f"refused: saker/{SHORT}.yaml holds case {LONG} in commit" in r.stderr
    assert refs(repo) == refs_before and work_tree(repo) == tree_before
    dry = st(root, "retention", "--purge", SHORT, ok=False)
    assert f"holds case {LONG}" in dry.stderr and "dry run" in dry.stdout


def test_a_name_that_names_another_case_too_is_refused(tmp_path):
    repo = tmp_path / "kommune-repo"
    root = build(repo, "")
    (root / "utskrift" / f"{SHORT}-og-{LONG}.ics").write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n", encoding="utf-8")
    _commit(repo, "shared invitation")
    refs_before, tree_before = refs(repo), work_tree(repo)
    r = st(root, "retention", "--purge", SHORT, "--yes", ok=False)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert f"refused: utskrift/{SHORT}-og-{LONG}.ics also names case {LONG}" in r.stderr
    assert refs(repo) == refs_before and work_tree(repo) == tree_before


@pytest.fixture
def in_process(monkeypatch):
    """The CLI in this process, so a test can replace a step of the purge."""
    for key, value in {**GIT_ENV, "STAFETT_TODAY": "2029-06-01"}.items():
        monkeypatch.setenv(key, value)
    return run_in_process


def test_the_plan_refuses_another_case_file_even_when_the_path_selection_is_wrong(tmp_path, monkeypatch, in_process):
    from stafett.store import purge

    repo = tmp_path / "kommune-repo"
    root = build(repo, "bærum-saker")

    def substring_match(repo_, ids):  # the selection as it was: ids matched inside file names
        out = purge._z(purge._git(repo_, "log", "--all", "--format=", "--name-only", "-z").stdout)
        return sorted({p for p in out if any(i in p.rsplit("/", 1)[-1] for i in ids)})

    monkeypatch.setattr(purge, "_paths_named", substring_match)
    refs_before, tree_before = refs(repo), work_tree(repo)
    r = in_process("retention", "--purge", SHORT, "--yes", cwd=root)
    assert r.code == 1 and len(r.err_lines) == 1, r.err
    assert "refused: bærum-saker/" in r.err and LONG in r.err
    assert refs(repo) == refs_before and work_tree(repo) == tree_before


# --- after the rewrite: everything else unchanged, or everything put back -----------------------------

def _widen(original, extra):
    """A history tool that removes one path too many."""
    def run(plan):
        return original(dataclasses.replace(plan, history_paths=[*plan.history_paths, extra]))
    return run


def _move_branch(original, repo):
    """A history tool that also moves a branch back a commit."""
    def run(plan):
        out = original(plan)
        sh(repo, "git", "update-ref", "refs/heads/gammel", "refs/heads/gammel~1")
        return out
    return run


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("tamper", ["drops another path", "moves a branch"])
def test_a_rewrite_that_changes_anything_else_is_undone(tmp_path, monkeypatch, in_process, tool, tamper):
    from stafett.store import purge

    repo = tmp_path / "kommune-repo"
    root = build(repo, "bærum-saker")
    sh(repo, "git", "remote", "add", "origin", str(tmp_path / "server.git"))
    name = "_filter_repo" if tool == "git filter-repo" else "_filter_branch"
    original = getattr(purge, name)
    fake = _widen(original, f"bærum-saker/saker/{LONG}.yaml") if tamper == "drops another path" else _move_branch(original, repo)
    monkeypatch.setattr(purge, name, fake)
    short = root / "saker" / f"{SHORT}.yaml"
    short.write_text(short.read_text(encoding="utf-8") + "# ulagret\n", encoding="utf-8")  # survives the restore too
    refs_before, tree_before = refs(repo), work_tree(repo)
    config_before = (repo / ".git" / "config").read_text(encoding="utf-8")

    flag = "filter-repo" if tool == "git filter-repo" else "filter-branch"
    r = in_process("retention", "--purge", SHORT, "--yes", "--history-tool", flag, cwd=root)
    assert r.code == 1 and len(r.err_lines) == 1, r.err
    what = f"the history of bærum-saker/saker/{LONG}.yaml" if tamper == "drops another path" else "the files of branch gammel"
    assert f"the rewrite changed {what}, which is not purged; the old history was restored" in r.err

    assert refs(repo) == refs_before and work_tree(repo) == tree_before
    assert (repo / ".git" / "config").read_text(encoding="utf-8") == config_before
    assert OLD_NAME in objects_text(repo) and LONG_NAME in objects_text(repo)
    assert sh(repo, "git", "-c", "core.quotePath=false", "status", "--porcelain", "--untracked-files=no").stdout == \
        f" M bærum-saker/saker/{SHORT}.yaml\n"  # the uncommitted edit to the purged case is back too
    assert not (repo / ".git" / "stafett-purge-backup.bundle").exists()
    sh(repo, "git", "fsck", "--no-progress", "--full")
    # and the real purge still works afterwards
    monkeypatch.setattr(purge, name, original)
    r = in_process("retention", "--purge", SHORT, "--yes", "--history-tool", flag, cwd=root)
    assert r.code == 0, r.err
    assert OLD_NAME not in objects_text(repo) and LONG_NAME in objects_text(repo)


def test_an_interrupted_purge_backup_blocks_the_next_one(tmp_path):
    repo = tmp_path / "kommune-repo"
    root = build(repo, "")
    (repo / ".git" / "stafett-purge-backup.bundle").write_bytes(b"left behind")
    r = st(root, "retention", "--purge", SHORT, "--yes", ok=False)
    assert r.returncode == 1 and "interrupted purge left its backup" in r.stderr
    assert (root / "saker" / f"{SHORT}.yaml").exists()


def test_a_branch_behind_its_origin_copy_blocks_the_purge(tmp_path):
    repo = tmp_path / "kommune-repo"
    root = build(repo, "")
    server = tmp_path / "server.git"
    sh(tmp_path, "git", "init", "-q", "--bare", "-b", "main", str(server))
    sh(repo, "git", "remote", "add", "origin", str(server))
    sh(repo, "git", "push", "-q", "origin", "main")
    sh(repo, "git", "update-ref", "refs/heads/main", "HEAD~1")  # someone else's newest commit is only on origin
    sh(repo, "git", "reset", "-q", "--hard")
    r = st(root, "retention", "--purge", SHORT, "--yes", ok=False)
    assert r.returncode == 1 and "origin/main has commits that the local branch main lacks" in r.stderr


# --- the grammar, and the other places ids meet file names ------------------------------------------

def test_the_grammar_gives_every_name_at_most_one_owner_and_never_a_prefix():
    assert owner(f"{SHORT}.yaml") == SHORT and owner(f"{LONG}.yaml") == LONG
    assert owner(f".{SHORT}.yaml.lock") == SHORT and owner(f".{LONG}.yaml.lock") == LONG
    assert owner(f".{SHORT}.yaml.a_b9x2k1.tmp") == SHORT and owner(f".{LONG}.yaml.a_b9x2k1.tmp") == LONG
    assert owner(SHORT_RENDER) == SHORT and owner(f"{SHORT}") == SHORT and owner(f"{SHORT} kopi.md") == SHORT
    assert owner(f"{SHORT}æ.html") == SHORT and owner(f"{SHORT}M2.html") is None
    for name in (f"kopi-{SHORT}.html", f".{SHORT}.yamlx.lock", f".{SHORT}.yaml.lock.bak", f".{SHORT}.yaml..tmp",
                 f".{SHORT}.yaml.ABC.tmp", "S-20150301-abcdefghijklm.yaml", "S-2015031-k7q4.yaml", "notater.yaml"):
        assert owner(name) is None, name
    assert ids_in(f"{SHORT}-og-{LONG}.ics") == [SHORT, LONG] and ids_in(f"x{SHORT}.md") == []


def test_the_grammar_takes_the_same_ids_as_the_folder():
    from stafett.folder import CASE_ID

    for case_id in (SHORT, LONG, "S-20261101-abcdefghijkl", "S-20261101-abc", "S-20261101-abcdefghijklm",
                    "S-2026110-abcd", "s-20261101-abcd", "S-20261101-ABCD"):
        assert (owner(f"{case_id}.yaml") == case_id) == bool(CASE_ID.fullmatch(case_id)), case_id


def test_render_refuses_an_output_name_that_names_another_case(cli, folder):
    other = f"{CASE_ID}x"
    for name in (f"{other}-stafettlogg.md", f"utskrift-{other}.md"):
        result = cli("render", CASE_ID, "-o", name)
        assert result.exit_code == 2 and f"names case {other}" in result.output
        assert not (folder / name).exists()
    assert cli("render", CASE_ID, "-o", f"{CASE_ID}-stafettlogg.md").exit_code == 0
    assert (folder / f"{CASE_ID}-stafettlogg.md").exists()


def test_export_refuses_a_case_file_whose_name_is_not_its_id(folder):
    copy = folder / "saker" / f"{CASE_ID}-kopi.yaml"
    copy.write_bytes((folder / "saker" / f"{CASE_ID}.yaml").read_bytes())
    r = run_in_process("export", cwd=folder)
    assert r.code == 1 and r.out == "" and len(r.err_lines) == 1
    assert f"F002 case id '{CASE_ID}' does not match the file name '{CASE_ID}-kopi.yaml'" in r.err
    out = folder.parent / "eksport.db"
    r = run_in_process("export", "--format", "sqlite", "-o", str(out), cwd=folder)
    assert r.code == 1 and not out.exists()
    copy.unlink()
    r = run_in_process("export", cwd=folder)
    assert r.code == 0 and r.out.count('"tabell": "saker"') == 1
