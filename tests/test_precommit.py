"""stafett as a pre-commit hook, through the pre-commit tool itself, in a temp case repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


@pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit is in the test extras")
def test_hook_passes_a_clean_repo_and_stops_a_broken_commit(tmp_path):
    repo = tmp_path / "saksmappe"
    shutil.copytree(EXAMPLE, repo)
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")  # the modelines point at ../../schemas
    env = {**os.environ, "STAFETT_TODAY": "2026-12-02", "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)

    def try_repo(*files: str) -> subprocess.CompletedProcess:
        args = ["--files", *files] if files else ["--all-files"]
        return subprocess.run([str(PRE_COMMIT), "try-repo", str(ROOT), "stafett-validate", *args], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=600)

    ok = try_repo()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "stafett validate" in ok.stdout and "Passed" in ok.stdout

    case = next((repo / "saker").glob("*.yaml"))
    case.write_text(case.read_text(encoding="utf-8").replace("hovedperson:", "hovedpersn:", 1), encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    bad = try_repo(f"saker/{case.name}")
    assert bad.returncode == 1
    assert "Failed" in bad.stdout
    assert f"saker/{case.name}:" in bad.stdout and "S002 unknown key 'hovedpersn'" in bad.stdout
