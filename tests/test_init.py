"""`stafett init`: a ready case folder in a git repository."""

from __future__ import annotations

import subprocess

from tests.conftest import PEOPLE


def test_init_creates_a_valid_folder_in_git(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("init", "fjordvik", "--kommune", "Fjordvik", "--malform", "nn")
    assert result.exit_code == 0, result.output
    root = tmp_path / "fjordvik"
    for name in ("stafett.yaml", "personer.yaml", "README.md", ".gitignore", "schemas/sak.schema.json", "saker"):
        assert (root / name).exists(), name
    assert (root / ".git").is_dir()
    assert "malform: nn" in (root / "stafett.yaml").read_text(encoding="utf-8")
    assert "Saksmappe for BTI i Fjordvik kommune" in (root / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(root)
    assert cli("validate").exit_code == 0
    assert cli("schema", "--check").exit_code == 0


def test_init_inside_an_existing_repo_does_not_nest_git(tmp_path, cli, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    assert cli("init", "kommune/saksmappe", "--kommune", "Testvik").exit_code == 0
    assert not (tmp_path / "kommune" / "saksmappe" / ".git").exists()


def test_init_refuses_an_existing_folder_and_changes_nothing(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("init", "k", "--kommune", "Testvik").exit_code == 0
    (tmp_path / "k" / "personer.yaml").write_text(PEOPLE, encoding="utf-8")
    before = {p: p.read_bytes() for p in (tmp_path / "k").rglob("*") if p.is_file() and ".git" not in p.parts}
    result = cli("init", "k", "--kommune", "Annen")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "already a case folder" in result.stderr
    after = {p: p.read_bytes() for p in (tmp_path / "k").rglob("*") if p.is_file() and ".git" not in p.parts}
    assert before == after


def test_init_rejects_unknown_malform(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("init", "k", "--kommune", "Testvik", "--malform", "se")
    assert result.exit_code == 2
    assert not (tmp_path / "k").exists()


def test_kommune_name_that_looks_like_yaml_is_quoted(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("init", "k", "--kommune", "no").exit_code == 0
    monkeypatch.chdir(tmp_path / "k")
    assert cli("validate").exit_code == 0


def _modeline_schema(path) -> str:
    import re

    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert m, f"{path} has no schema modeline: {first!r}"
    assert (path.parent / m.group(1)).is_file(), f"{path}: {m.group(1)} does not exist"
    return m.group(1).rsplit("/", 1)[-1]


def test_every_file_an_editor_opens_names_its_schema(tmp_path, cli, monkeypatch):
    """init's files and the example folder's alike, so VS Code completes stafett.yaml and personer.yaml too."""
    from tests.conftest import EXAMPLE

    monkeypatch.chdir(tmp_path)
    assert cli("init", "k", "--kommune", "Testvik").exit_code == 0
    for folder in (tmp_path / "k", EXAMPLE):
        assert _modeline_schema(folder / "stafett.yaml") == "stafett.schema.json"
        assert _modeline_schema(folder / "personer.yaml") == "personer.schema.json"
    for case in sorted((EXAMPLE / "saker").glob("*.yaml")):
        assert _modeline_schema(case) == "sak.schema.json"
