"""`stafett validate` through the CLI: output format, exit codes, every class of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CASE, CASE_ID, dedent


def line_of(needle: str, text: str = CASE) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def case_path(folder: Path) -> Path:
    return folder / "saker" / f"{CASE_ID}.yaml"


def test_clean_folder_exits_zero(folder, cli):
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_unknown_key_suggests_the_nearest(folder, cli):
    case_path(folder).write_text(CASE.replace("stafettholder:", "stafetholder:"), encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    n = line_of("stafettholder:")
    assert first == f"saker/{CASE_ID}.yaml:{n}:1: S002 unknown key 'stafetholder'"
    assert "did you mean 'stafettholder'?" in result.stdout
    # the source line with a caret under the key
    assert f" {n} | stafetholder:" in result.stdout
    assert "    | ^" in result.stdout


def test_finding_points_at_the_value(folder, cli):
    case_path(folder).write_text(CASE.replace("kategori: barn", "kategori: barnn"), encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    assert f"saker/{CASE_ID}.yaml:{line_of('kategori')}:13: S001 hovedperson.kategori:" in result.stdout


@pytest.mark.parametrize("content,code,line", [
    (b"id: [1\n", "Y001", 2),
    (b"a: 1\nb: 2\na: 3\n", "Y002", 3),
    (b"- 1\n- 2\n", "Y003", 1),
    (b"", "Y003", 1),
    (b"a: \xff\xfe\n", "Y004", 1),
    (b"a: 1\n\x00\n", "Y004", 2),
    (b"a: !!python/object/apply:os.system ['echo hi']\n", "Y006", 1),
    (b"a: !custom 1\n", "Y006", 1),
    (b"a: &x [1, 2]\nb: *x\n", "Y006", 1),
    (b"a: " + b"[" * 40 + b"]" * 40 + b"\n", "Y005", 1),
    (b"a: 1\n---\nb: 2\n", "Y003", 2),
    (b"a: 2026-13-45\n", "Y001", 1),
    (b"a: 1\nb: +_\n", "Y001", 2),  # ruamel itself crashes on this one (IndexError)
    (b"a: 1\n<<<<<<< main\nb: 2\n=======\nb: 3\n>>>>>>> origin/main\n", "G001", 2),
])
def test_bad_files_are_findings_not_tracebacks(folder, cli, content, code, line):
    bad = folder / "saker" / "S-20261102-bbbbbb.yaml"
    bad.write_bytes(content)
    result = cli("validate")
    assert result.exit_code == 1
    lines = [x for x in result.stdout.splitlines() if x.startswith("saker/S-20261102-bbbbbb.yaml:")]
    assert lines, result.stdout
    assert lines[0].startswith(f"saker/S-20261102-bbbbbb.yaml:{line}:"), lines[0]
    assert f" {code} " in lines[0]
    assert bad.read_bytes() == content  # validate never writes


def test_alias_bomb_is_refused_fast(folder, cli):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20))
    (folder / "saker" / "S-20261102-bbbbbb.yaml").write_text(bomb, encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    assert "Y006" in result.stdout


def test_huge_file_is_refused(folder, cli):
    big = folder / "saker" / "S-20261102-bbbbbb.yaml"
    big.write_bytes(b"a: " + b"x" * (3 * 1024 * 1024) + b"\n")
    result = cli("validate")
    assert result.exit_code == 1
    assert "Y005" in result.stdout
    assert len(result.stdout) < 5000  # the source line is cut, never a 3 MiB echo


def test_every_broken_file_is_reported_and_the_rest_checked(folder, cli):
    (folder / "saker" / "S-20261102-bbbbbb.yaml").write_bytes(b"id: [\n")
    (folder / "saker" / "S-20261103-cccccc.yaml").write_bytes(b"\x00")
    case_path(folder).write_text(CASE.replace("meldt_av: kari.lund", "meldt_av: nobody"), encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    paths = {line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("saker/")}
    assert paths == {f"saker/{CASE_ID}.yaml", "saker/S-20261102-bbbbbb.yaml", "saker/S-20261103-cccccc.yaml"}
    assert "R001 unknown person 'nobody'" in result.stdout


def test_json_output(folder, cli):
    case_path(folder).write_text(CASE.replace("evalueres: 2026-12-15", "evalueres: 2026-11-20"), encoding="utf-8")
    result = cli("validate", "--format", "json")
    assert result.exit_code == 0  # a warning alone does not fail
    data = json.loads(result.stdout)
    assert data["errors"] == 0 and data["warnings"] == 1
    f = data["findings"][0]
    assert (f["code"], f["severity"], f["path"]) == ("T002", "warning", f"saker/{CASE_ID}.yaml")
    assert f["line"] == line_of("evalueres:") and f["col"] == 16


def test_strict_fails_on_warnings(folder, cli):
    case_path(folder).write_text(CASE.replace("evalueres: 2026-12-15", "evalueres: 2026-11-20"), encoding="utf-8")
    assert cli("validate").exit_code == 0
    assert cli("validate", "--strict").exit_code == 1


def test_github_annotations(folder, cli):
    case_path(folder).write_text(CASE.replace("meldt_av: kari.lund", "meldt_av: nobody"), encoding="utf-8")
    result = cli("validate", "--format", "github")
    assert result.exit_code == 1
    assert f"::error file=saker/{CASE_ID}.yaml,line={line_of('meldt_av')},col=13,title=R001::unknown person 'nobody'" in result.stdout


def test_stdin_reads_one_case(folder, cli):
    result = cli("validate", "-", input=CASE.replace("kategori: barn", "kategori: voksen"))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"-:{line_of('kategori')}:13: S001")
    assert cli("validate", "-", input=CASE).exit_code == 0


def test_usage_errors_exit_two(folder, cli):
    result = cli("validate", "--format", "xml")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: unknown format")
    result = cli("validate", "no/such/file.yaml")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_single_file_and_subfolder(folder, cli):
    assert cli("validate", f"saker/{CASE_ID}.yaml").exit_code == 0
    assert cli("validate", "saker").exit_code == 0
    assert cli("validate", "stafett.yaml").exit_code == 0


def test_broken_settings_are_reported_and_cases_still_checked(folder, cli):
    (folder / "stafett.yaml").write_text("kommune: Testvik\nmalform: se\ntjenester: []\n", encoding="utf-8")
    case_path(folder).write_text(CASE.replace("meldt_av: kari.lund", "meldt_av: nobody"), encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    assert "stafett.yaml:2:10: S001 malform" in result.stdout
    assert "R001 unknown person 'nobody'" in result.stdout


def test_people_file_rules(folder, cli):
    people = (folder / "personer.yaml").read_text(encoding="utf-8").replace("leder: per.berg\n    epost", "leder: per.borg\n    epost")
    (folder / "personer.yaml").write_text(people, encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    assert "personer.yaml:7:12: R001 unknown leader 'per.borg'" in result.stdout


def test_case_id_must_match_file_name(folder, cli):
    case_path(folder).rename(folder / "saker" / "S-20261101-zzzzzz.yaml")
    result = cli("validate")
    assert "F002" in result.stdout and result.exit_code == 1


def test_missing_modeline_is_a_warning(folder, cli):
    case_path(folder).write_text(CASE.split("\n", 1)[1], encoding="utf-8")
    result = cli("validate", "--format", "json")
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert codes == ["S010"] and result.exit_code == 0
    case_path(folder).write_text(CASE.replace("../schemas/", "../nowhere/"), encoding="utf-8")
    codes = [f["code"] for f in json.loads(cli("validate", "--format", "json").stdout)["findings"]]
    assert codes == ["S011"]


def test_norway_problem_no_stays_a_string(folder, cli):
    # `no` is a string in YAML 1.2; a YAML 1.1 reader would make it False and the name check would fail.
    case_path(folder).write_text(CASE.replace("navn: Ola Testesen", "navn: no"), encoding="utf-8")
    assert cli("validate").exit_code == 0


def test_crlf_file_validates_with_the_same_positions(folder, cli):
    case_path(folder).write_bytes(CASE.replace("meldt_av: kari.lund", "meldt_av: nobody").replace("\n", "\r\n").encode())
    result = cli("validate")
    assert f"saker/{CASE_ID}.yaml:{line_of('meldt_av')}:13: R001" in result.stdout


def test_ci_hides_source_excerpts(folder, cli, monkeypatch):
    case_path(folder).write_text(CASE.replace("meldt_av: kari.lund", "meldt_av: nobody"), encoding="utf-8")
    monkeypatch.setenv("CI", "true")
    result = cli("validate")
    assert "R001" in result.stdout and " | " not in result.stdout and "Ola" not in result.stdout
    assert " | " in cli("validate", "--excerpt").stdout


def test_symlinked_case_file_is_not_followed(folder, cli, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("TOKEN: hemmelig-verdi\n", encoding="utf-8")
    (folder / "saker" / "S-20261102-lenke1.yaml").symlink_to(secret)
    result = cli("validate")
    assert result.exit_code == 1 and "Y008" in result.stdout
    assert "hemmelig" not in result.stdout + result.stderr


def test_an_impossible_date_is_reported_at_its_line_and_column(folder, cli):
    case_path(folder).write_text(CASE.replace("evalueres: 2026-12-15", "evalueres: 2017-13-45"), encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"saker/{CASE_ID}.yaml:{line_of('evalueres:')}:16: Y001 "), result.stdout
    assert "month must be in 1..12" in result.stdout


def test_leftover_conflict_markers_are_named_at_their_line(folder, cli):
    text = CASE.replace("  beskrivelse: \"Ola er stille i samlingsstund og leker mest alene.\"\n",
                        "<<<<<<< main\n  beskrivelse: Ola er stille.\n=======\n  beskrivelse: Ola leker alene.\n"
                        ">>>>>>> origin/main\n")
    case_path(folder).write_text(text, encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    marker = line_of("<<<<<<< main", text)
    assert result.stdout.startswith(f"saker/{CASE_ID}.yaml:{marker}:1: G001 a merge conflict was left unresolved")
    assert "YAML syntax error" not in result.stdout
    # Every command says the same, not a syntax error somewhere near.
    from commands_kit import stafett

    refused = stafett("log", CASE_ID, "Notat.", "--by", "kari.lund", "-C", folder)
    assert refused.code != 0 and "merge conflict" in refused.err


NAME, FNR = "Kari Nordmann", "24049631520"


@pytest.mark.parametrize("how", [("--format", "github"), ("--format", "json"), ("CI",)])
def test_ci_output_quotes_no_values_from_the_file(folder, cli, monkeypatch, how):
    # A name and a fødselsnummer typed as a key twice, and a fødselsnummer typed where a staff id goes.
    case_path(folder).write_text(CASE.replace("niva: 1", f"niva: 1\n{NAME} {FNR}: ja\n{NAME} {FNR}: nei", 1),
                                 encoding="utf-8")
    other = folder / "saker" / "S-20261102-bbbbbb.yaml"
    other.write_text(CASE.replace(CASE_ID, "S-20261102-bbbbbb").replace("meldt_av: kari.lund", f"meldt_av: '{FNR}'"),
                     encoding="utf-8")
    if how == ("CI",):
        monkeypatch.setenv("CI", "true")
        args = ()
    else:
        args = how
    result = cli("validate", *args)
    assert result.exit_code == 1
    assert "Y002" in result.stdout and "R001" in result.stdout
    for secret in (FNR, "Nordmann", "Kari N"):
        assert secret not in result.stdout + result.stderr, (secret, result.stdout)


def test_a_local_run_still_names_the_duplicate_key(folder, cli):
    case_path(folder).write_text(CASE.replace("  kategori: barn\n", "  kategori: barn\n  kategori: barn\n"),
                                 encoding="utf-8")
    result = cli("validate")
    assert f"Y002 duplicate key 'kategori'" in result.stdout


def test_github_annotations_escape_the_file_property(folder, cli):
    name = "S-2026,line=1:x%41.yaml"
    (folder / "saker" / name).write_text("id: [1\n", encoding="utf-8")
    result = cli("validate", "--format", "github")
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if "Y001" in x)
    assert line.startswith("::error file=saker/S-2026%2Cline=1%3Ax%2541.yaml,line=2,col=1,title=Y001::"), line


def test_a_broken_modeline_in_stafett_yaml_and_personer_yaml_is_reported(folder, cli):
    for name, schema in (("stafett.yaml", "stafett"), ("personer.yaml", "personer")):
        path = folder / name
        path.write_text(f"# yaml-language-server: $schema=./nowhere/{schema}.schema.json\n"
                        + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("validate", "--format", "json")
    found = sorted((f["path"], f["code"], f["line"]) for f in json.loads(result.stdout)["findings"])
    assert found == [("personer.yaml", "S011", 1), ("stafett.yaml", "S011", 1)]
