"""One reader: `validate`'s fast loader (yaml-rs behind a screen) and the strict loader every command uses
(ruamel) must never disagree, and whatever a command writes must read back the same.

The property is differential, over generated YAML 1.2 scalars rather than a list of known cases: numbers
in every spelling, times and sexagesimal forms, dates and datetimes possible and impossible, YAML 1.1
booleans, nulls, and all of them quoted. For every document carrying such a scalar, either the screen
sends it the strict way (`load_fast` gives None) or both loaders give the same Python value.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from commands_kit import ACTIVE, ACTIVE_ID, case_file, load, ok, stafett, write_case, write_kommune
from stafett.errors import CaseFileError
from stafett.store import yamlio
from tests.conftest import CASE
from tests.test_fastpath import _same, _strict_or_error as _strict


def assert_one_reader(text: str) -> None:
    fast = yamlio.load_fast(text)
    if fast is None:
        return  # the screen sent it the strict way: nothing to compare
    strict = _strict(text)
    assert strict is not CaseFileError, f"the fast path accepts what every command refuses: {text!r}"
    assert _same(fast, strict), f"fast {fast!r} != strict {strict!r} for {text!r}"


# --- the scalars -----------------------------------------------------------------------------------

def cased(word: str) -> st.SearchStrategy[str]:
    return st.tuples(*[st.sampled_from(sorted({c.lower(), c.upper()})) for c in word]).map("".join)


def digits(alphabet: str = "0123456789", max_size: int = 5) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=max_size)


SIGN = st.sampled_from(["", "", "+", "-"])
UNDERSCORED = st.one_of(digits(), digits(), digits("0123456789_"))
EXPONENT = st.builds("".join, st.tuples(st.sampled_from("eE"), SIGN, digits(max_size=3)))

INTEGERS = st.builds(lambda s, d: s + d, SIGN, UNDERSCORED)
FLOATS = st.one_of(
    st.builds(lambda s, i, f, e: f"{s}{i}.{f}{e}", SIGN, UNDERSCORED, st.one_of(st.just(""), digits()),
              st.one_of(st.just(""), EXPONENT)),                                        # 1.5, 5., 1.e3
    st.builds(lambda s, f, e: f"{s}.{f}{e}", SIGN, UNDERSCORED, st.one_of(st.just(""), EXPONENT)),  # .5, .6e2
    st.builds(lambda s, i, e: f"{s}{i}{e}", SIGN, UNDERSCORED, EXPONENT),                  # 1e3, 1E+3
    st.builds(lambda s, w: f"{s}.{w}", SIGN, st.one_of(cased("inf"), cased("nan"))),
    st.one_of(cased("inf"), cased("nan"), st.just("Infinity")),
)
PREFIXED = st.builds(lambda s, p, d: f"{s}0{p}{d}", SIGN, st.sampled_from("xXoObB"),
                     st.one_of(digits("0123456789abcdefABCDEF_"), st.just("")))
# git commits and SHA-256 sums (the copies sent), and hex that is also a number or close to one.
HEX = st.one_of(st.text("0123456789abcdef", min_size=7, max_size=64),
                st.sampled_from(["1234e56", "0b10101ab", "0o12345ab", "0x12345ab", "00000001", "1e10abc", "608d673e6cab"]))
NUMBERS = st.one_of(INTEGERS, FLOATS, PREFIXED, HEX)

PART = st.one_of(digits(max_size=2), digits(max_size=3))
TIMES = st.one_of(
    st.builds(lambda s, p: s + ":".join(p), SIGN, st.lists(PART, min_size=2, max_size=4)),  # 12:30, 1:2:3, 190:20:30
    st.builds(lambda h, m, s, f: f"{h}:{m}:{s}{f}", PART, PART, PART,
              st.one_of(st.just(""), st.builds(lambda d: "." + d, digits(max_size=9)))),
)

YEAR = st.one_of(st.integers(1, 2100).map(lambda y: f"{y:04d}"), digits(max_size=5))
MONTH_DAY = st.one_of(st.integers(0, 99).map(lambda n: f"{n:02d}"), st.integers(0, 9).map(str))
DATES = st.builds(lambda y, m, d: f"{y}-{m}-{d}", YEAR, MONTH_DAY, MONTH_DAY)
VALID_DATES = st.dates().map(lambda d: d.isoformat()) | st.sampled_from(
    ["2024-02-29", "2026-02-29", "2026-02-28", "2026-04-31", "2026-04-30", "2026-12-31", "2017-13-45"])
CLOCK = st.one_of(
    st.times().map(lambda t: t.isoformat()),
    st.builds(lambda h, m, s: f"{h}:{m}:{s}", PART, PART, PART),
    st.builds(lambda h, m: f"{h}:{m}", PART, PART),                                          # minutes only
)
FRACTION = st.one_of(st.just(""), st.builds(lambda d: "." + d, digits(max_size=9)), st.just("."))
ZONE = st.sampled_from(["", "", "Z", "z", " Z", "+01", "+1", "-01:30", "+0130", " +01:00", "+24:00", "-99", "+05:60"])
SEPARATOR = st.sampled_from(["T", "t", " ", "  ", "\t", "_"])
DATETIMES = st.builds(lambda d, sep, c, f, z: f"{d}{sep}{c}{f}{z}", st.one_of(VALID_DATES, DATES), SEPARATOR, CLOCK,
                      FRACTION, ZONE)
STAMPS = st.one_of(DATES, VALID_DATES, DATETIMES)

BOOLEANS = st.one_of(*[cased(w) for w in ("yes", "no", "on", "off", "y", "n", "true", "false")])
NULLS = st.one_of(st.just("~"), cased("null"), st.just(""))
WORDS = st.sampled_from(["dager", "kl", "Z", "T", "e", "x", "_", "=", "<<"])

BARE = st.one_of(NUMBERS, TIMES, STAMPS, BOOLEANS, NULLS)
PLAIN = st.one_of(BARE, BARE, st.builds(lambda a, b: f"{a} {b}", BARE, st.one_of(BARE, WORDS)),
                  st.builds(lambda a, b: f"{a}{b}", WORDS, BARE))


def _single(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _double(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


SCALARS = st.one_of(PLAIN, PLAIN, PLAIN, PLAIN.map(_single), PLAIN.map(_double))

# Where a scalar can sit in a document: a value, an item, a key, in flow, on its own line, folded with
# the next line, before a comment, before a blank line.
FORMS = [
    "a: {0}\n", "a: {0}", "- {0}\n", "a:\n  - {0}\n", "{0}: 1\n", "a:\n  {0}: 1\n", "- {0}: 1\n", "? {0}\n: 1\n",
    "a: [{0}]\n", "a: [x, {0}, 1]\n", "a: {{b: {0}}}\n", "a: {{{0}: 1}}\n", "a: [x,\n  {0}]\n",
    "a:\n  {0}\n", "a: {0}   # merknad\nb: 1\n", "a: {0}\n\nb: 1\n", "a: {0}\n  {1}\n", "a: 1\n  {0}\n",
    "a:\n  - x\n  - {0}\n  - y\n",
    # block scalars, where a line is text to both readers; emphasis mid-sentence is not an alias
    "a: |\n  {0}\n", "a: >-\n  x\n  {0}\nb: {1}\n", "- |\n  {0}\n", "a: |\n    x\n  {0}\n", "a: |2\n   {0}\n",
    "a: er *kursiv* {0}\n", "a: Per &Kari {0}\n", "a: x\n  *b* {0}\n",
]


@settings(max_examples=3000, deadline=None)
@given(scalar=SCALARS, other=SCALARS, form=st.sampled_from(FORMS))
@example(scalar=".6e2", other="", form="a: {0}\n")
@example(scalar="12:30:00", other="", form="a: {0}\n")
@example(scalar="'12:30:00'", other="", form="a: {0}\n")
@example(scalar="2017-13-45", other="", form="a: {0}\n")
@example(scalar="2026-01-02", other="14:00", form="a: {0}\n  {1}\n")
@example(scalar="0X1F", other="", form="- {0}\n")
@example(scalar="2026-01-02T14:00:00.1234567", other="", form="a: {0}\n")
def test_fast_and_strict_read_every_scalar_alike(scalar, other, form):
    assert_one_reader(form.format(scalar, other))


CASE_SLOTS = [
    ("    tekst: Undring registrert.\n", "    tekst: {0}\n"),
    ("niva: 1   # nivå 1 etter samtale med mor\n", "niva: {0}   # nivå 1 etter samtale med mor\n"),
    ("  fodselsdato: 2021-05-04\n", "  fodselsdato: {0}\n"),
    ("    evalueres: 2026-12-15\n", "    evalueres: {0}\n"),
    ("    omfang: [stafettlogg, barnehage, ppt]\n", "    omfang: [stafettlogg, {0}, ppt]\n"),
    ("  - tid: 2026-11-03 10:00:00\n", "  - tid: {0}\n"),
]


@settings(max_examples=600, deadline=None)
@given(scalar=SCALARS, slot=st.sampled_from(CASE_SLOTS))
@example(scalar=".6e2", slot=CASE_SLOTS[1])
@example(scalar="12:30:00", slot=CASE_SLOTS[0])
def test_a_case_document_reads_alike_whatever_scalar_it_carries(scalar, slot):
    old, new = slot
    assert old in CASE
    assert_one_reader(CASE.replace(old, new.format(scalar)))


# --- through the doors users use ----------------------------------------------------------------------

@pytest.fixture
def kommune(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("STAFETT_TODAY", "2026-11-23")
    monkeypatch.delenv("CI", raising=False)
    root = write_kommune(tmp_path / "testvik")
    write_case(root, ACTIVE)
    return root


def test_a_number_every_command_refuses_is_refused_by_validate_too(kommune: Path) -> None:
    path = case_file(kommune, ACTIVE_ID)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    tidspunkt: 2026-12-15 14:00:00\n",
                                 "    tidspunkt: 2026-12-15 14:00:00\n    varighet_min: .6e2\n"), encoding="utf-8")
    command = stafett("log", ACTIVE_ID, "Ringte mor.", "--by", "mona.birkeland", "-C", kommune)
    assert command.code != 0 and "varighet_min" in command.err
    checked = stafett("validate", kommune)
    assert checked.code == 1, checked.out
    assert "varighet_min" in checked.out


def test_a_log_text_that_looks_like_a_time_is_written_and_read_back(kommune: Path) -> None:
    ok("log", ACTIVE_ID, "12:30:00", "--by", "mona.birkeland", "-C", kommune)
    assert load(kommune, ACTIVE_ID).logg[-1].tekst == "12:30:00"
    assert stafett("validate", kommune).code == 0


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=PLAIN.filter(lambda s: s.strip() and not s.startswith("-") and s == s.strip()))
@example(text="12:30:00")
@example(text=".6e2")
@example(text="2017-13-45")
def test_whatever_log_writes_reads_back_the_same(kommune: Path, text: str) -> None:
    result = stafett("log", ACTIVE_ID, text, "--by", "mona.birkeland", "-C", kommune)
    if result.code != 0:
        # A refusal is fine only when it is about the input, never the read-back check failing.
        assert "reads back the same" not in result.err, result.err
        return
    assert load(kommune, ACTIVE_ID).logg[-1].tekst == text
