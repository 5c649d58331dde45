"""Properties, checked with hypothesis on generated input (every person invented):

1. any valid case survives save and load unchanged, on both read paths, and through random changes;
2. random sequences of valid commands keep `stafett validate` green, and a refused command writes nothing;
3. random bytes and mutated YAML never give a traceback or the crash exit code, and a refused `log`
   leaves the file byte-identical.

Examples per test: STAFETT_HYPOTHESIS_EXAMPLES (default keeps each test near 20 s or less).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from stafett.cli import load_commands
from stafett.cli.app import run
from stafett.model import Case
from stafett.model.case import Logg, Tiltak
from stafett.store.cases import dump_model, read_case, render_new, update_case
from tests.conftest import CASE, CASE_ID, write_folder

load_commands()
EXAMPLES = int(os.environ.get("STAFETT_HYPOTHESIS_EXAMPLES", "0")) or None
HEADER = "# yaml-language-server: $schema=../schemas/sak.schema.json\n"
STAFF = ["kari.lund", "per.berg", "siri.dahl", "anne.ek"]
SERVICES = ["barnehage", "skole", "helsestasjon", "ppt", "koordinerende-enhet"]


SHRINK = os.environ.get("STAFETT_HYPOTHESIS_SHRINK") == "1"


def examples(n: int, shrink: bool = True) -> settings:
    """Big generated cases shrink slowly (minutes): those tests report the failing example unshrunk unless
    STAFETT_HYPOTHESIS_SHRINK=1; the focused tests below always shrink to a minimal example."""
    phases = [p for p in Phase if p is not Phase.explain and (shrink or SHRINK or p is not Phase.shrink)]
    return settings(max_examples=EXAMPLES or n, deadline=None, phases=phases,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


# --- strategies ------------------------------------------------------------------------------------

# Text a YAML writer must take care with, next to arbitrary Unicode (surrogates cannot be UTF-8).
TRICKY = ["yes", "no", "No", "off", "null", "~", "true", "2026-01-01", "2026-01-01 10:00", "12:30", "1e3", "0x1F",
          "0o17", "012", "+1", "-", "- x", " ledende mellomrom", "mellomrom etter ", "a: b", "a #b", "# ikke kommentar",
          "'sitat'", '"sitat"', "tab\tinni", "linje\nlinje", "slutt\n", "\nstart", "\n", " ", "æøå ÆØÅ", "barn 🧒",
          "{{ 7*7 }}", "<script>x</script>", "&anker", "*alias", "!tag", "%YAML 1.2", "---", "...", "@x", "`x`", "|",
          ">", ".nan", ".inf", "=", "<<", "[a, b]", "{a: b}", "?", "x\r\ny", "\u2028", "\x85", "\ufeffbom", "\x00nul",
          "\x07", "é" * 120, "a" * 299]
FIRST = ["Ola", "Kari", "Åse", "Nils", "Ingrid", "Tor", "Sunniva", "Håkon", "Maja", "Eirik", "Liv", "Jonas"]
LAST = ["Testesen", "Prøvedal", "Eksempelvik", "Oppdiktet", "Fiktivsen", "Lånebakken"]

# Any character a UTF-8 file can hold. The structure tests leave out U+0085 (NEL): it has its own focused
# test below (test_any_text_survives_save_and_load), so one bug shows as one failure, not three.
CHARS = st.characters(blacklist_categories=("Cs",))
STRUCTURE_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85")
any_text = st.text(STRUCTURE_CHARS, min_size=1, max_size=60)
short_text = st.one_of(st.sampled_from([t for t in TRICKY if "\x85" not in t]), any_text)
long_text = st.one_of(short_text, st.text(STRUCTURE_CHARS, min_size=1, max_size=400))
names = st.builds(lambda a, b: f"{a} {b}", st.sampled_from(FIRST), st.sampled_from(LAST))
staff = st.sampled_from(STAFF)
dates = st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))
item_ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
case_ids = st.from_regex(r"S-20[0-9]{6}-[a-z0-9]{4,12}", fullmatch=True)
times = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2040, 12, 31))
zones = st.sampled_from([None, None, None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=1)), dt.timezone(dt.timedelta(hours=-3, minutes=-30))])


@st.composite
def logs(draw) -> list[dict]:
    count = draw(st.integers(0, 6))
    start = draw(times)
    steps = draw(st.lists(st.integers(0, 10**7), min_size=count, max_size=count))
    zone = draw(zones)
    out, at = [], start
    for step in steps:
        at = at + dt.timedelta(seconds=step)
        entry = {"tid": at.replace(tzinfo=zone), "av": draw(staff),
                 "type": draw(st.sampled_from(["opprettet", "kontakt", "lysglimt", "notat", "retting", "nivå"])),
                 "tekst": draw(long_text)}
        if draw(st.booleans()):
            entry["med"] = draw(st.lists(st.sampled_from(["hovedperson", "foresatte", "kari.lund", "ppt"]), max_size=3))
        if draw(st.booleans()):
            entry["skjermet"] = draw(st.booleans())
        out.append(entry)
    return out


def evaluations():
    return st.fixed_dictionaries(
        {"dato": dates, "av": staff, "utfall": st.sampled_from(["avslutte tiltaket", "effekt men ikke i mål", "andre tiltak",
                                                                "behov for andre tjenester"]), "vurdering": long_text},
        optional={"barnets_syn": long_text, "familiens_syn": long_text, "neste_evaluering": dates})


def tiltak_items():
    return st.fixed_dictionaries(
        {"id": item_ids, "beskrivelse": long_text, "ansvarlig": staff, "start": dates},
        optional={"evalueres": dates, "status": st.sampled_from(["aktiv", "avsluttet"]), "slutt": dates,
                  "mal": st.lists(item_ids, max_size=2), "evalueringer": st.lists(evaluations(), max_size=2)})


def meetings():
    referat = st.fixed_dictionaries(
        {"skrevet": dates, "skrevet_av": staff, "tilstede": st.lists(staff, max_size=3), "barnets_stemme": long_text},
        optional={"beslutninger": st.lists(long_text, max_size=2), "kopi_til": st.lists(staff, max_size=2),
                  "oppgaver": st.lists(st.fixed_dictionaries({"tekst": long_text, "ansvarlig": staff, "frist": dates}), max_size=2),
                  "notater": st.lists(st.fixed_dictionaries({"punkt": short_text, "notat": long_text}), max_size=2),
                  "neste_mote": times})
    return st.fixed_dictionaries(
        {"id": item_ids, "type": st.sampled_from(["samarbeidsmøte", "evalueringsmøte", "ansvarsgruppemøte"]),
         "tidspunkt": times, "sted": short_text, "leder": staff, "referent": staff},
        optional={"nummer": st.integers(1, 99), "varighet_min": st.integers(5, 600), "innkalt": st.lists(staff, max_size=3),
                  "dagsorden": st.lists(short_text, max_size=3), "referat": referat})


@st.composite
def case_data(draw) -> dict:
    born = draw(st.booleans())
    person = {"navn": draw(names), "kategori": draw(st.sampled_from(["barn", "ungdom", "gravid", "familie"]))}
    person["fodselsdato" if born else "termin"] = draw(dates)
    if draw(st.booleans()):
        person["fodselsnummer"] = draw(st.from_regex(r"[0-9]{11}", fullmatch=True))
    data = {
        "id": draw(case_ids), "opprettet": draw(dates), "hovedperson": person,
        "bekymring": draw(st.fixed_dictionaries({"dato": dates, "meldt_av": staff, "beskrivelse": long_text},
                                                optional={"tjeneste": st.sampled_from(SERVICES), "mistanke_om_vold": st.booleans()})),
        "eier": draw(staff),
    }
    extra = draw(st.fixed_dictionaries({}, optional={
        "status": st.sampled_from(["aktiv", "avsluttet"]), "niva": st.integers(0, 3),
        "foresatte": st.lists(st.fixed_dictionaries({"id": item_ids, "navn": names, "relasjon": short_text},
                                                    optional={"foreldreansvar": st.booleans(), "telefon": short_text,
                                                              "epost": short_text}), max_size=2),
        "stafettholder": st.fixed_dictionaries({"person": staff, "fra": dates, "oppnevnt_av": staff},
                                               optional={"familiens_onske": long_text}),
        "samtykker": st.lists(st.fixed_dictionaries(
            {"id": item_ids, "gitt_av": item_ids, "dato": dates, "omfang": st.lists(st.sampled_from(SERVICES + ["stafettlogg"]), min_size=1, max_size=3),
             "form": st.sampled_from(["skriftlig", "muntlig"]), "registrert_av": staff},
            optional={"utloper": dates, "trukket": st.fixed_dictionaries({"dato": dates, "registrert_av": staff},
                                                                         optional={"merknad": long_text})}), max_size=2),
        "mal": st.lists(st.fixed_dictionaries({"id": item_ids, "tekst": long_text}), max_size=2),
        "tiltak": st.lists(tiltak_items(), max_size=2),
        "moter": st.lists(meetings(), max_size=2),
        "logg": logs(),
        "avsluttet": st.fixed_dictionaries({"dato": dates, "grunn": st.sampled_from(["trygt og godt", "flyttet", "annet"])},
                                           optional={"merknad": long_text}),
    }))
    data.update(extra)
    return data


def valid_case(data: dict) -> Case:
    from pydantic import ValidationError

    try:
        return Case.model_validate(data)
    except ValidationError:
        assume(False)
        raise


# --- 1. save and load ------------------------------------------------------------------------------

TEXT_FIELDS = [("bekymring", "beskrivelse"), ("hovedperson", "navn"), ("foresatte", 0, "relasjon"), ("logg", 0, "tekst"),
               ("tiltak", 0, "beskrivelse"), ("logg", 1, "tekst")]


@examples(300)
@given(st.sampled_from(TEXT_FIELDS), st.one_of(st.sampled_from(TRICKY), st.text(CHARS, min_size=1, max_size=40)))
@example(("bekymring", "beskrivelse"), "Kopiert fra PDF:\x85neste linje")  # U+0085 (NEL), e.g. '…' read as Latin-1
def test_any_text_survives_save_and_load(field, text):
    from stafett.store.yamlio import load_strict

    data = load_strict(CASE)
    target = data
    for key in field[:-1]:
        target = target[key]
    target[field[-1]] = text
    case = Case.model_validate(data)
    raw = render_new(case, HEADER)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{CASE_ID}.yaml"
        path.write_bytes(raw)
        assert read_case(path).model == case
        assert read_case(path, for_change=True).model == case


@examples(150, shrink=False)
@given(case_data())
def test_any_valid_case_survives_save_and_load(data):
    case = valid_case(data)
    raw = render_new(case, HEADER)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{case.id}.yaml"
        path.write_bytes(raw)
        fast = read_case(path)
        strict = read_case(path, for_change=True)
    assert dump_model(fast.model) == dump_model(case)
    assert dump_model(strict.model) == dump_model(case)
    assert fast.model == case and strict.model == case


def _append_log(case: Case, text: str, seconds: int) -> Case:
    last = case.logg[-1].tid if case.logg else dt.datetime(2026, 1, 1)
    entry = Logg(tid=last + dt.timedelta(seconds=seconds), av="kari.lund", type="notat", tekst=text)
    return case.model_copy(update={"logg": [*case.logg, entry]})


def _add_tiltak(case: Case, text: str, n: int) -> Case:
    ids = {t.id for t in case.tiltak}
    new_id = next(f"t-ny{n + k}" for k in range(100) if f"t-ny{n + k}" not in ids)
    item = Tiltak(id=new_id, beskrivelse=text, ansvarlig="per.berg", start=dt.date(2026, 11, 1), evalueres=dt.date(2027, 1, 1))
    return case.model_copy(update={"tiltak": [*case.tiltak, item]})


changes = st.lists(st.one_of(
    st.tuples(st.just("log"), long_text, st.integers(0, 10**6)),
    st.tuples(st.just("niva"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("tiltak"), long_text, st.integers(0, 50)),
    st.tuples(st.just("beskrivelse"), long_text, st.just(0)),
), min_size=1, max_size=5)


@examples(60, shrink=False)
@given(case_data(), changes, st.sampled_from(["\n", "\r\n"]))
def test_random_changes_read_back_as_expected(data, steps, newline):
    case = valid_case(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{case.id}.yaml"
        path.write_bytes(render_new(case, HEADER, newline))
        expected = case
        for kind, value, n in steps:
            if kind == "log":
                fn = lambda c, v=value, s=n: _append_log(c, v, s)  # noqa: E731
            elif kind == "niva":
                fn = lambda c, v=value: c.model_copy(update={"niva": v})  # noqa: E731
            elif kind == "tiltak":
                fn = lambda c, v=value, k=n: _add_tiltak(c, v, k)  # noqa: E731
            else:
                fn = lambda c, v=value: c.model_copy(update={"bekymring": c.bekymring.model_copy(update={"beskrivelse": v})})  # noqa: E731
            expected = Case.model_validate(fn(expected).model_dump(mode="python", exclude_unset=True))
            update_case(path, fn)
            back = read_case(path, for_change=True)
            assert dump_model(back.model) == dump_model(expected)
            assert dump_model(read_case(path).model) == dump_model(expected)
            if newline == "\r\n":
                assert b"\n" not in back.raw.replace(b"\r\n", b"")


# --- the CLI, in-process ---------------------------------------------------------------------------

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


@contextlib.contextmanager
def kommune(case: str | None = CASE):
    previous = os.environ.get("STAFETT_TODAY")
    os.environ["STAFETT_TODAY"] = "2026-11-23"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            yield write_folder(Path(tmp) / "kommune", case=case)
    finally:
        if previous is None:
            os.environ.pop("STAFETT_TODAY", None)
        else:
            os.environ["STAFETT_TODAY"] = previous


def no_crash(code: int, out: str, err: str, what) -> None:
    assert code != 3, f"{what}: crash handler ({err.strip()})"
    assert "Traceback" not in out + err, what


# --- 2. valid command sequences keep validate green ------------------------------------------------

cli_text = st.one_of(st.sampled_from([t for t in TRICKY if t.strip() and "\x00" not in t]),
                     st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80).filter(str.strip))
future = st.dates(dt.date(2026, 11, 24), dt.date(2027, 6, 30)).map(dt.date.isoformat)
past = st.dates(dt.date(2026, 11, 4), dt.date(2026, 11, 23)).map(dt.date.isoformat)

commands = st.one_of(
    st.tuples(st.just("log"), cli_text, st.sampled_from(["notat", "lysglimt", "kontakt"]),
              st.sampled_from(["foresatte", "hovedperson", "f-mor", "per.berg", "barnehage"])),
    st.tuples(st.just("tiltak"), cli_text, staff, future),
    st.tuples(st.just("consent"), st.lists(st.sampled_from(SERVICES), min_size=1, max_size=3, unique=True),
              st.sampled_from(["skriftlig", "muntlig"]), past),
    st.tuples(st.just("meeting"), cli_text, st.one_of(past, future), st.lists(st.sampled_from(["kari.lund", "siri.dahl", "f-mor", "hovedperson"]),
                                                            min_size=1, max_size=3, unique=True)),
    st.tuples(st.just("evaluate"), st.integers(0, 5), st.sampled_from(["avslutte", "effekt", "andre-tiltak", "andre-tjenester"]),
              cli_text, future),
    st.tuples(st.just("escalate"), st.integers(1, 3), cli_text),
    st.tuples(st.just("deltaker"), st.sampled_from(["siri.dahl", "anne.ek", "per.berg"])),
    st.tuples(st.just("handover"), st.sampled_from(["anne.ek", "siri.dahl"]), cli_text, st.sampled_from(["accept", "decline", "none"])),
    st.tuples(st.just("referat"), cli_text),
)


def argv_for(cmd: tuple, root: Path) -> list[list[str]]:
    kind = cmd[0]
    by = ["--by", "kari.lund"]
    if kind == "log":
        _, text, typ, med = cmd
        extra = ["--med", med] if typ == "kontakt" else []
        return [["log", "--type", typ, *extra, *by, "--", CASE_ID, text]]
    if kind == "tiltak":
        _, text, who, when = cmd
        return [["tiltak", "add", CASE_ID, "--beskrivelse", text, "--nytt-mal", text, "--ansvarlig", who, "--evalueres", when, *by]]
    if kind == "consent":
        _, scope, form, when = cmd
        return [["consent", "add", CASE_ID, "--gitt-av", "f-mor", *[a for s in scope for a in ("--omfang", s)], "--form", form,
                 "--dato", when, *by]]
    if kind == "meeting":
        _, place, when, invited = cmd
        return [["meeting", "plan", CASE_ID, "--tid", f"{when} 10:00", "--sted", place,
                 *[a for i in invited for a in ("--innkalt", i)], "--dagsorden", "Status", "--no-ics", *by]]
    if kind == "evaluate":
        _, n, outcome, text, when = cmd
        ids = re.findall(r"^  - id: (t-\S+)", (root / "saker" / f"{CASE_ID}.yaml").read_text(encoding="utf-8"), re.MULTILINE)
        tid = ids[n % len(ids)] if ids else "t-1"
        return [["evaluate", CASE_ID, tid, "--utfall", outcome, "--vurdering", text, "--neste", when, "--barnets-syn", text, *by]]
    if kind == "escalate":
        _, level, text = cmd
        return [["escalate", CASE_ID, "--niva", str(level), "--grunn", text, "--by", "per.berg"]]
    if kind == "deltaker":
        return [["assign", CASE_ID, "--deltaker", cmd[1], "--by", "per.berg"]]
    if kind == "handover":
        _, to, text, answer = cmd
        steps = [["handover", "offer", CASE_ID, "--til", to, "--grunn", text, "--onske", text, "--tiltak", text,
                  "--koordineringsbehov", text, *by]]
        if answer != "none":
            steps.append(["handover", answer, CASE_ID, "--by", to])
        return steps
    if kind == "referat":
        ids = re.findall(r"^  - id: (mo-\S+)", (root / "saker" / f"{CASE_ID}.yaml").read_text(encoding="utf-8"), re.MULTILINE)
        if not ids:
            return []
        return [["meeting", "referat", CASE_ID, ids[-1], "--tilstede", "kari.lund", "--barnets-stemme", cmd[1],
                 "--beslutning", cmd[1], *by]]
    raise AssertionError(kind)


@examples(25)
@given(st.lists(commands, min_size=1, max_size=7))
def test_valid_command_sequences_keep_validate_green(sequence):
    with kommune() as root:
        path = root / "saker" / f"{CASE_ID}.yaml"
        accepted = 0
        for cmd in sequence:
            for argv in argv_for(cmd, root):
                before = path.read_bytes()
                code, out, err = stafett(root, *argv)
                no_crash(code, out, err, argv)
                if code != 0:
                    assert path.read_bytes() == before, f"refused {argv[:2]} changed the file"
                    assert len([line for line in err.splitlines() if line.strip()]) == 1, err
                else:
                    accepted += 1
                code, out, err = stafett(root, "validate")
                assert code == 0, f"after {argv}:\n{out}{err}"


# --- 3. random bytes and mutated YAML --------------------------------------------------------------

RICH_CASE = (Path(__file__).resolve().parent.parent / "cases.example" / "saker" / "S-20260212-p3xd9e.yaml").read_text(encoding="utf-8")
SOURCES = [CASE, RICH_CASE.replace("S-20260212-p3xd9e", CASE_ID)]

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10**4)),
    st.tuples(st.just("duplicate"), st.integers(0, 10**4)),
    st.tuples(st.just("swap"), st.integers(0, 10**4), st.integers(0, 10**4)),
    st.tuples(st.just("insert"), st.integers(0, 10**5), st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\t\r\n \x00\x1b\ufeff\u2028") + ["<<: ", "*a", "&a ", "!!python/object:os.system ", "---\n", "æ"])),
    st.tuples(st.just("indent"), st.integers(0, 10**4), st.integers(-4, 4)),
)


def mutate(text: str, steps: list) -> bytes:
    lines = text.split("\n")
    for step in steps:
        kind = step[0]
        if kind == "delete" and lines:
            del lines[step[1] % len(lines)]
        elif kind == "duplicate" and lines:
            i = step[1] % len(lines)
            lines.insert(i, lines[i])
        elif kind == "swap" and lines:
            i, j = step[1] % len(lines), step[2] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            joined = "\n".join(lines)
            at = step[1] % (len(joined) + 1)
            lines = (joined[:at] + step[2] + joined[at:]).split("\n")
        elif kind == "indent" and lines:
            i = step[1] % len(lines)
            lines[i] = (" " * step[2] + lines[i]) if step[2] > 0 else lines[i][-step[2]:] if lines[i][: -step[2]].strip() == "" else lines[i]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory) -> Path:
    return write_folder(tmp_path_factory.mktemp("hostile") / "kommune", case=None)


def check_hostile_bytes(root: Path, raw: bytes) -> None:
    previous = os.environ.get("STAFETT_TODAY")
    os.environ["STAFETT_TODAY"] = "2026-11-23"
    try:
        path = root / "saker" / f"{CASE_ID}.yaml"
        path.write_bytes(raw)
        for args in (["validate"], ["validate", "--format", "json", f"saker/{CASE_ID}.yaml"]):
            code, out, err = stafett(root, *args)
            no_crash(code, out, err, args)
            assert code in (0, 1), (args, code, err)
        code, out, err = stafett(root, "log", CASE_ID, "Ny linje.", "--by", "kari.lund")
        no_crash(code, out, err, "log")
        if code != 0:
            assert path.read_bytes() == raw
            assert len([line for line in err.splitlines() if line.strip()]) == 1, err
        code, out, err = stafett(root, "status")
        no_crash(code, out, err, "status")
    finally:
        if previous is None:
            os.environ.pop("STAFETT_TODAY", None)
        else:
            os.environ["STAFETT_TODAY"] = previous


@examples(35)
@given(st.sampled_from(SOURCES), st.lists(mutation, min_size=1, max_size=6))
def test_mutated_yaml_never_crashes(hostile_root, source, steps):
    check_hostile_bytes(hostile_root, mutate(source, steps))


@examples(50)
@given(st.one_of(st.binary(max_size=600),
                 st.builds(lambda head, tail: head + tail, st.sampled_from([b"id: ", b"\xef\xbb\xbf", b"- ", b"{", b"&a [*a]\n", b"%YAML 1.1\n---\n"]),
                           st.binary(max_size=300))))
def test_random_bytes_never_crash(hostile_root, raw):
    check_hostile_bytes(hostile_root, raw)
