"""Privacy: nothing personal reaches error messages, crash reports, caches or machine output, and the
pseudonymisation (`stafett.anonymize`) leaves no name, fødselsnummer or exact date behind.

The case here belongs to an invented child with a distinctive name and a synthetic fødselsnummer whose
check digits pass (made from an invented date with python-stdnum), so a leak is easy to find.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from stdnum.no import fodselsnummer

from stafett.cli.app import run
from tests.conftest import CASE, CASE_ID, PEOPLE

FIRST, LAST = "Gunnhild", "Hemmeligsen"
NAME = f"{FIRST} {LAST}"
MOTHER = "Ragnfrid Hemmeligsen"
STAFETT = str(Path(sys.executable).with_name("stafett"))


def synthetic_fnr(day: dt.date) -> str:
    """A fødselsnummer for an invented birth date whose check digits pass (individual numbers 500-999 for 2000-2039)."""
    for individual in range(500, 1000):
        base = day.strftime("%d%m%y") + f"{individual:03d}"
        d1 = fodselsnummer.calc_check_digit1(base)
        number = base + d1 + fodselsnummer.calc_check_digit2(base + d1)
        if len(number) == 11 and fodselsnummer.is_valid(number):
            return number
    raise AssertionError("no valid number")


BORN = dt.date(2021, 5, 4)
FNR = synthetic_fnr(BORN)
SECRETS = (FIRST, LAST, FNR, MOTHER.split()[0])

PRIVATE_CASE = (CASE.replace("Ola Testesen", NAME).replace("Eva Testesen", MOTHER).replace("Ola er stille", f"{FIRST} er stille")
                .replace("  fodselsdato: 2021-05-04\n", f"  fodselsdato: 2021-05-04\n  fodselsnummer: '{FNR}'\n"))

# Ways a case file goes wrong, each with the name or the number right where the problem is.
BROKEN = {
    "syntax-on-name-line": PRIVATE_CASE.replace(f"navn: {NAME}", f"navn: {NAME}: [uavsluttet"),
    "tab-on-name-line": PRIVATE_CASE.replace(f"  navn: {NAME}", f"\tnavn: {NAME}"),
    "name-as-key": PRIVATE_CASE.replace("eier: kari.lund", f"eier: kari.lund\n{NAME}: barn"),
    "name-as-category": PRIVATE_CASE.replace("kategori: barn", f"kategori: {FIRST}"),
    "fnr-as-birth-date": PRIVATE_CASE.replace("fodselsdato: 2021-05-04", f"fodselsdato: '{FNR}'"),
    "fnr-bad-check-digits": PRIVATE_CASE.replace(FNR, FNR[:9] + ("00" if FNR[9:] != "00" else "11")),
    "fnr-too-short": PRIVATE_CASE.replace(FNR, FNR[:10]),
    "name-as-participant": PRIVATE_CASE.replace("eier: kari.lund", "eier: kari.lund\nmoter:\n  - id: mo-1\n    type: samarbeidsmøte\n"
                                                "    tidspunkt: 2026-12-01 10:00:00\n    sted: Barnehagen\n    leder: kari.lund\n"
                                                f"    referent: kari.lund\n    innkalt: [{NAME}]"),
    "name-in-tag": PRIVATE_CASE.replace(f"navn: {NAME}", f"navn: !{FIRST} {LAST}"),
    "name-in-anchor": PRIVATE_CASE.replace(f"navn: {NAME}", f"navn: &{FIRST} {LAST}"),
    "non-utf8-name": PRIVATE_CASE.replace(FIRST, FIRST + "\udcff"),
    "nul-in-name": PRIVATE_CASE.replace(f"navn: {NAME}", f"navn: {FIRST}\x00{LAST}"),
    "duplicate-name-key": PRIVATE_CASE.replace(f"  navn: {NAME}", f"  navn: {NAME}\n  navn: {NAME}"),
    "wrong-id": PRIVATE_CASE.replace(f"id: {CASE_ID}", "id: S-20261101-zzzzzz"),
}

COMMANDS = [
    ["log", CASE_ID, "Samtale.", "--by", "kari.lund"],
    ["log", CASE_ID, "Samtale.", "--type", "kontakt", "--med", "f-finnesikke", "--by", "kari.lund"],
    ["tiltak", "add", CASE_ID, "--beskrivelse", "x", "--ansvarlig", "kari.lund", "--evalueres", "2027-01-01", "--mal", "m-x", "--by", "kari.lund"],
    ["evaluate", CASE_ID, "t-finnesikke", "--utfall", "effekt", "--vurdering", "v", "--by", "kari.lund"],
    ["handover", "accept", CASE_ID, "--by", "anne.ek"],
    ["close", CASE_ID, "--grunn", "annet", "--by", "kari.lund"],
    ["consent", "add", CASE_ID, "--gitt-av", "f-mor", "--omfang", "finnesikke", "--by", "kari.lund"],
    ["meeting", "referat", CASE_ID, "mo-finnesikke", "--tilstede", "kari.lund", "--barnets-stemme", "b", "--by", "kari.lund"],
    ["render", CASE_ID, "--format", "html", "--meeting", "mo-finnesikke"],
    ["render", CASE_ID, "--layout", "finnesikke"],
    ["meeting", "ics", CASE_ID, "mo-finnesikke"],
    ["status"],
    ["export", "--anonymize"],
    ["retention"],
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
]


def stafett(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    try:
        os.chdir(root)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run([str(a) for a in args])
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def cache_text(root: Path) -> str:
    found = []
    for base in (root / ".stafett-cache", root / ".git" / "stafett-cache"):
        if base.is_dir():
            found += [p.read_text(encoding="utf-8", errors="replace") for p in base.rglob("*") if p.is_file()]
    return "\n".join(found)


@pytest.fixture
def private(folder: Path) -> Path:
    (folder / "saker" / f"{CASE_ID}.yaml").write_text(PRIVATE_CASE, encoding="utf-8")
    return folder


def test_the_fixture_is_valid_and_its_number_synthetic(private: Path):
    assert fodselsnummer.is_valid(FNR) and fodselsnummer.get_birth_date(FNR) == BORN
    code, out, err = stafett(private, "validate")
    assert code == 0, out + err


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_refused_commands_on_a_valid_case_name_nobody(private: Path, command: list[str]):
    code, out, err = stafett(private, *command)
    assert code != 3, err
    assert not leaks(err), f"stderr of {command[:2]} names the child: {err}"
    if command[0] in ("validate", "status", "retention") or command[:2] == ["export", "--anonymize"]:
        assert not leaks(out), f"output of {command[:2]}: {out[:500]}"


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_broken_case_is_reported_by_id_and_field_only(private: Path, broken: str):
    raw = BROKEN[broken].encode("utf-8", "surrogateescape")
    (private / "saker" / f"{CASE_ID}.yaml").write_bytes(raw)
    problems = []
    for command in COMMANDS:
        code, out, err = stafett(private, *command)
        if code == 3:
            problems.append(f"{' '.join(command[:2])}: crash ({err.strip()})")
        if leaks(err):
            problems.append(f"{' '.join(command[:2])} stderr: {err.strip()[:300]}")
        machine = command[0] in ("validate", "status", "retention") or command[:2] == ["export", "--anonymize"]
        if machine and leaks(out):
            problems.append(f"{' '.join(command[:2])} output: {[line for line in out.splitlines() if leaks(line)][:3]}")
    code, out, err = stafett(private, "validate")  # fills the cache
    assert code in (0, 1)
    if leaks(cache_text(private)):
        problems.append(f"validate cache holds {leaks(cache_text(private))}")
    assert not problems, f"{broken}:\n" + "\n".join(problems)


def test_the_shipped_ci_examples_do_not_print_case_content(private: Path):
    """`stafett init` writes CI examples; a CI log is read by more people than the case folder. The
    validate command each example runs, in a CI environment, must not copy a child's name into the log."""
    from stafett.store import scaffold

    (private / "saker" / f"{CASE_ID}.yaml").write_text(BROKEN["syntax-on-name-line"], encoding="utf-8")
    problems = []
    for name in ("GITHUB_ACTIONS_CI", "GITLAB_CI", "GITHUB_CI", "GITEA_CI"):
        example = getattr(scaffold, name, None)
        if not isinstance(example, str):
            continue
        for line in example.splitlines():
            m = re.search(r"(stafett validate[^\n]*)", line)
            if not m or "--since" in m.group(1):
                continue
            argv = m.group(1).split()[1:]
            r = subprocess.run([STAFETT, *argv], cwd=private, capture_output=True, text=True,
                               env={**os.environ, "CI": "true", "GITLAB_CI": "true", "STAFETT_TODAY": "2026-11-23"})
            if leaks(r.stdout + r.stderr):
                problems.append(f"{name}: '{m.group(1)}' prints {leaks(r.stdout + r.stderr)}")
    assert not problems, "\n".join(problems)


# --- crash reports ---------------------------------------------------------------------------------

BUGGY = r'''
import sys
import stafett.workflow.logbook as logbook

def add_entry(case, ctx, **kw):
    # A bug that puts case data into an exception message, the way real bugs do.
    raise ValueError(f"{case.hovedperson.navn} {case.hovedperson.fodselsnummer} {case.bekymring.beskrivelse}")

logbook.add_entry = add_entry
from stafett.cli import main
sys.argv = ["stafett", *sys.argv[1:]]
main()
'''


def test_a_crash_report_holds_no_case_data(private: Path, tmp_path: Path):
    hook = tmp_path / "buggy.py"
    hook.write_text(BUGGY, encoding="utf-8")
    before = (private / "saker" / f"{CASE_ID}.yaml").read_bytes()
    r = subprocess.run([sys.executable, str(hook), "log", CASE_ID, "Samtale.", "--by", "kari.lund"], cwd=private,
                       capture_output=True, text=True, env={**os.environ, "STAFETT_TODAY": "2026-11-23"})
    assert r.returncode == 3
    assert "Traceback" not in r.stderr and not leaks(r.stdout + r.stderr)
    report = Path(tempfile.gettempdir()) / f"stafett-crash-{_pid_from(r.stderr)}.log"
    text = report.read_text(encoding="utf-8")
    assert "ValueError" in text and not leaks(text), text
    assert (private / "saker" / f"{CASE_ID}.yaml").read_bytes() == before
    report.unlink()


def test_the_crash_on_an_odd_character_reports_no_text(private: Path):
    """U+0085 in a log text makes the store's read-back check fail (see tests/test_properties.py); whatever
    happens, neither the message nor a crash report may quote the text."""
    secret = f"{FIRST} sa:\x85hemmelig"
    r = subprocess.run([STAFETT, "log", CASE_ID, secret, "--by", "kari.lund"], cwd=private, capture_output=True, text=True,
                       env={**os.environ, "STAFETT_TODAY": "2026-11-23"})
    assert not leaks(r.stdout + r.stderr) and "hemmelig" not in r.stderr
    if r.returncode == 3:
        report = Path(tempfile.gettempdir()) / f"stafett-crash-{_pid_from(r.stderr)}.log"
        text = report.read_text(encoding="utf-8")
        assert not leaks(text) and "hemmelig" not in text
        report.unlink()


def _pid_from(stderr: str) -> str:
    m = re.search(r"stafett-crash-(\d+)\.log", stderr)
    assert m, stderr
    return m.group(1)


# --- pseudonymisation ------------------------------------------------------------------------------

PEOPLE_NAMES = ["Kari Lund", "Per Berg", "Siri Dahl", "Anne Ek"]


def _models(extra_text: str = ""):
    from stafett.model import Case, People
    from stafett.store.yamlio import load_strict

    data = load_strict(PRIVATE_CASE)
    data["foresatte"][0]["telefon"] = "400 00 000"
    data["foresatte"][0]["epost"] = "ragnfrid@example.invalid"
    data["logg"].append({"tid": dt.datetime(2026, 11, 14, 9, 30), "av": "kari.lund", "type": "kontakt",
                         "tekst": extra_text or f"Snakket med {MOTHER} og {FIRST}. Kari Lund følger opp.", "med": ["f-mor"]})
    return Case.model_validate(data), People.model_validate(load_strict(PEOPLE))


def _dumped(case, people) -> str:
    return json.dumps([case.model_dump(mode="json"), people.model_dump(mode="json") if people else None], ensure_ascii=False)


def test_anonymize_leaves_no_name_number_contact_or_exact_date():
    from stafett.anonymize import anonymize

    case, people = _models()
    anon_case, anon_people = anonymize(case, people)
    text = _dumped(anon_case, anon_people)
    for secret in (*SECRETS, MOTHER, "400 00 000", "ragnfrid@", "kari.lund", "per.berg", *PEOPLE_NAMES,
                   *[n.split()[1] for n in PEOPLE_NAMES]):
        assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", text), secret  # whole words: 'Berg' is in 'Berge'
    assert anon_case.hovedperson.fodselsnummer is None
    assert anon_case.hovedperson.fodselsdato == dt.date(2021, 5, 1)
    assert all(e.tid.day == 1 and e.tid.hour == 0 for e in anon_case.logg)
    assert "2026-11-14" not in text and "2026-11-03" not in text


def test_anonymize_is_consistent_within_a_run_and_unlinkable_across_runs():
    from stafett.anonymize import Pseudonyms, anonymize

    case, people = _models()
    ps = Pseudonyms()
    first, _ = anonymize(case, people, ps)
    again, _ = anonymize(case, people, ps)
    assert first.hovedperson.navn == again.hovedperson.navn
    assert first.logg[-1].tekst == again.logg[-1].tekst
    assert first.hovedperson.navn.split()[0] in first.logg[-1].tekst  # the name in the text got the same pseudonym
    other, _ = anonymize(case, people, Pseudonyms(key=b"another-key-1234"))
    same_key, _ = anonymize(case, people, Pseudonyms(key=b"another-key-1234"))
    assert other.hovedperson.navn == same_key.hovedperson.navn


def test_anonymize_without_text_drops_every_free_text():
    from stafett.anonymize import anonymize

    case, people = _models()
    anon, _ = anonymize(case, people, keep_text=False)
    assert {e.tekst for e in anon.logg} == {"[fjernet]"}
    assert anon.bekymring.beskrivelse == "[fjernet]"


@pytest.mark.parametrize("text", [
    f"{FIRST}s mor ringte i dag.",             # Norwegian genitive: Gunnhilds
    f"{LAST}s leilighet er liten.",            # Hemmeligsens
    f"Mor ({MOTHER.split()[0].upper()}) kom.",  # capitals
    f"Hilsen fra {FIRST.lower()}.",             # lower case
    f"{FIRST}-{LAST} var der.",                 # hyphenated
    f"{FIRST}\n{LAST} ble med.",                # across a line break
])
def test_anonymize_finds_the_names_in_free_text(text: str):
    from stafett.anonymize import anonymize

    case, people = _models(extra_text=text)
    anon, _ = anonymize(case, people)
    assert not leaks(anon.logg[-1].tekst), anon.logg[-1].tekst


def test_anonymize_keeps_no_exact_date_in_the_case_id():
    """Dates go to the month; the case id carries the exact opening day (S-YYYYMMDD-...)."""
    from stafett.anonymize import anonymize

    case, people = _models()
    anon, _ = anonymize(case, people)
    assert anon.id.startswith(case.opprettet.strftime("S-%Y%m01-")) and anon.id != case.id
    if case.opprettet.day != 1:
        assert case.opprettet.strftime("%Y%m%d") not in _dumped(anon, None)


def test_export_anonymize_names_nobody(private: Path):
    code, out, err = stafett(private, "export", "--anonymize")
    assert code == 0, err
    assert not leaks(out) and "Kari Lund" not in out and FNR not in out
    assert json.loads(out.splitlines()[0])
