"""CLI start-up stays light: help and status import no templating, Markdown or round-trip YAML."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import EXAMPLE

PROBE = """
import sys, runpy
sys.argv = ["stafett", *{args!r}]
try:
    runpy.run_module("stafett", run_name="__main__")
except SystemExit:
    pass
heavy = sorted({{m.split(".")[0] for m in sys.modules if m.split(".")[0] in ("jinja2", "markdown_it", "ruamel", "rich", "icalendar")}})
sys.stderr.write("HEAVY=" + repr(heavy) + "\\n")
"""


def heavy_modules(*args: str) -> list[str]:
    env = {**os.environ, "STAFETT_TODAY": "2026-11-23"}
    r = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))], cwd=EXAMPLE, env=env,
                       capture_output=True, text=True)
    line = next(x for x in r.stderr.splitlines() if x.startswith("HEAVY="))
    return eval(line[6:])  # noqa: S307 - our own repr of a list of names


def test_help_imports_nothing_heavy():
    assert heavy_modules("--help") == []


def test_status_imports_nothing_heavy():
    assert heavy_modules("status", "--format", "json") == []


def test_validate_of_clean_files_needs_no_round_trip_yaml():
    heavy = heavy_modules("validate", "stafett.yaml")
    assert "ruamel" not in heavy and "jinja2" not in heavy


def test_every_command_has_help_and_docs_cover_every_rule_code():
    r = subprocess.run([sys.executable, "-m", "stafett", "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    from stafett.cli import app

    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help or getattr(command, "short_help", None), f"command {name} has no help"
    from pathlib import Path
    import re

    root = Path(__file__).resolve().parent.parent
    documented = set(re.findall(r"^## ([A-Z]\d{3})", (root / "docs" / "rules.md").read_text(encoding="utf-8"), re.M))
    used = set()
    for path in (root / "stafett").rglob("*.py"):
        used |= set(re.findall(r'(?:Finding\(|code=|_at\([^,]+, [^,]+, |_mark_error\([^,]+, [^,]+, |\bat\()"([A-Z]\d{3})"', path.read_text(encoding="utf-8")))
    assert used, "no codes found"
    assert used <= documented, f"undocumented codes: {sorted(used - documented)}"


def test_no_finding_code_means_two_things():
    """A code the store raises (reading, encryption) is never also a rule's code: two meanings under one code
    once hid the encryption findings behind the koordinator rules (K002-K004) in docs/rules.md."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "stafett"
    produced = re.compile(r'(?:Finding\(\s*|code=|\(\s*)"([A-Z]\d{3})"')

    def codes(paths) -> set[str]:
        return {code for path in paths for code in produced.findall(path.read_text(encoding="utf-8"))}

    rules = codes(root.glob("rules*.py"))
    store = codes((root / "store").glob("*.py"))
    assert rules and store
    assert not rules & store, f"codes with two meanings: {sorted(rules & store)}"
    documented = re.findall(r"^## ([A-Z]\d{3})", (root.parent / "docs" / "rules.md").read_text(encoding="utf-8"), re.M)
    assert len(documented) == len(set(documented)), "a code is documented twice"
