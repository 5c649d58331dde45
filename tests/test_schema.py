"""JSON Schemas: generated from the models, committed, draft-07 only, and useful outside stafett."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT


def test_committed_schemas_are_up_to_date(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli("schema", "--check")
    assert result.exit_code == 0, result.output


def test_check_detects_drift(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("schema").exit_code == 0
    stale = tmp_path / "schemas" / "sak.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace("BTI-nivå", "nivå"), encoding="utf-8")
    result = cli("schema", "--check")
    assert result.exit_code == 1
    assert "sak.schema.json" in result.stderr


def test_only_draft7_keywords():
    for path in (ROOT / "schemas").glob("*.json"):
        text = path.read_text(encoding="utf-8")
        schema = json.loads(text)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        for word in ("prefixItems", "unevaluatedProperties", "$dynamicRef", "$defs", "dependentSchemas"):
            assert f'"{word}"' not in text, (path.name, word)
        assert schema["additionalProperties"] is False


def test_descriptions_are_norwegian():
    schema = json.loads((ROOT / "schemas" / "sak.schema.json").read_text(encoding="utf-8"))
    assert "BTI-nivå" in schema["properties"]["niva"]["description"]


def _example_files():
    files = [(EXAMPLE / "stafett.yaml", "stafett.schema.json"), (EXAMPLE / "personer.yaml", "personer.schema.json")]
    files += [(p, "sak.schema.json") for p in sorted((EXAMPLE / "saker").glob("*.yaml"))]
    return files


def test_example_validates_against_committed_schemas_with_jsonschema():
    import jsonschema
    from ruamel.yaml import YAML

    def jsonable(v):
        if isinstance(v, dict):
            return {str(k): jsonable(x) for k, x in v.items()}
        if isinstance(v, list):
            return [jsonable(x) for x in v]
        if hasattr(v, "isoformat"):
            return v.isoformat()
        return v

    checked = 0
    for path, name in _example_files():
        schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
        validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
        errors = list(validator.iter_errors(jsonable(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))))
        assert not errors, (path.name, errors[0].message)
        checked += 1
    assert checked >= 11


def test_schema_rejects_a_typo_outside_stafett():
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "sak.schema.json").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError, match="stafetholder"):
        jsonschema.validate({"stafetholder": {}}, schema, cls=jsonschema.Draft7Validator)


def test_check_jsonschema_cli_accepts_the_example():
    exe = Path(sys.executable).with_name("check-jsonschema")
    if not exe.exists():
        pytest.skip("check-jsonschema not installed")
    cases = [str(p) for p, name in _example_files() if name == "sak.schema.json"]
    r = subprocess.run([str(exe), "--schemafile", str(ROOT / "schemas" / "sak.schema.json"), *cases],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_case_modeline_resolves_from_where_the_file_lies():
    for path, name in _example_files():
        if name != "sak.schema.json":
            continue
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("# yaml-language-server: $schema=")
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target == (ROOT / "schemas" / "sak.schema.json").resolve()
