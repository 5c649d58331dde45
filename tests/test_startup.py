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


def test_the_command_table_names_what_each_module_registers():
    """`stafett NAME` imports only COMMANDS[NAME]: a command missing from the table, or put under another
    module, would be 'no such command' on the command line while the tests (which load all) pass."""
    import typer.main

    from stafett.cli import COMMANDS

    probe = ("import importlib, json, sys\nimport typer.main\nfrom stafett.cli.app import app\nimportlib.import_module(sys.argv[1])\n"
             "print(json.dumps([c.name or typer.main.get_command_name(c.callback.__name__) for c in app.registered_commands]"
             " + [g.name for g in app.registered_groups]))")
    for module in dict.fromkeys(COMMANDS.values()):
        r = subprocess.run([sys.executable, "-c", probe, module], capture_output=True, text=True, check=True)
        registered = set(json.loads(r.stdout))  # a module may import another, and register its commands too
        assert {n for n, m in COMMANDS.items() if m == module} <= registered, module
    from stafett.cli import app, load_commands

    load_commands()
    every = [c.name or typer.main.get_command_name(c.callback.__name__) for c in app.registered_commands]
    assert sorted(every + [g.name for g in app.registered_groups]) == sorted(COMMANDS)


def test_a_command_alone_in_its_run_still_takes_its_arguments(tmp_path):
    """With one command registered, typer would run it without its name and read 'validate' as a path."""
    env = {**os.environ, "STAFETT_TODAY": "2026-11-23"}
    for argv, code in ((["validate", "stafett.yaml"], 0), (["validate", "nowhere.yaml"], 2), (["status", "--help"], 0),
                       (["no-such-command"], 2), (["--lang", "nn", "validate", "stafett.yaml"], 0)):
        r = subprocess.run([sys.executable, "-m", "stafett", *argv], cwd=EXAMPLE, env=env, capture_output=True, text=True)
        assert r.returncode == code, (argv, r.stderr)
        assert "Traceback" not in r.stderr
