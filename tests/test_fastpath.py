"""The fast loader (yaml-rs) may only be used where it reads exactly what the strict loader reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from stafett.errors import CaseFileError
from stafett.store import yamlio
from tests.conftest import CASE, EXAMPLE, ROOT

SCALARS = [
    "no", "yes", "on", "off", "y", "n", "true", "True", "TRUE", "false", "null", "Null", "~", "", "123", "-1", "+1",
    "0o17", "0x1f", "0b101", "010", "1_000", "1.5", "1e3", ".inf", "-.Inf", ".nan", "2026-01-02", "2026-1-2",
    "2026-01-02T14:00", "2026-01-02T14:00:00", "2026-01-02 14:00:00", "2026-01-02t14:00:00Z",
    "2026-01-02T14:00:00.5+01:00", "12:30", "1:20:30", "0.", ".5", "+.5", "0777", "=", "<<", "æøå",
    "2026-13-45", "20260102", "0", "-0", "1,5", "3.", "+12", "Nei!", "Hei, du", "Per & Kari", "a*b", "5 * 3",
    "#ikke kommentar", "kl. 14.00", "50 %", "@navn", "`kode`", "'", '"', "_0", "_1_", "_1.5", "1e_3", "0_8",
]


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(_same(ka, kb) and _same(va, vb) for (ka, va), (kb, vb) in zip(a.items(), b.items()))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _strict_or_error(text: str):
    try:
        return yamlio.load_strict(text)
    except CaseFileError:
        return CaseFileError


def _fixture_texts() -> list[tuple[str, str]]:
    files = [p for p in [EXAMPLE / "stafett.yaml", EXAMPLE / "personer.yaml", *sorted((EXAMPLE / "saker").glob("*.yaml"))] if p.exists()]
    return [(p.name, p.read_text(encoding="utf-8")) for p in files] + [("conftest CASE", CASE)]


@pytest.mark.parametrize("name,text", _fixture_texts())
def test_fast_and_strict_agree_on_every_fixture(name, text):
    fast = yamlio.load_fast(text)
    strict = yamlio.load_strict(text)
    if fast is not None:
        assert _same(fast, strict), name


def test_the_real_fixtures_do_take_the_fast_path():
    taken = [name for name, text in _fixture_texts() if yamlio.load_fast(text) is not None]
    assert len(taken) >= len(_fixture_texts()) - 1


@pytest.mark.parametrize("value", SCALARS)
@pytest.mark.parametrize("form", ["a: {}\n", "a: '{}'\n", 'a: "{}"\n', "a: [{}]\n", "a:\n  - {}\n", "{}: 1\n"])
def test_tricky_scalars(value, form):
    text = form.format(value.replace("'", "''") if form.startswith("a: '") else value.replace('"', '\\"') if '"' in form else value)
    fast = yamlio.load_fast(text)
    strict = _strict_or_error(text)
    if fast is not None:
        assert strict is not CaseFileError, f"fast path accepted what strict refuses: {text!r}"
        assert _same(fast, strict), text


@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system ['x']\n", "a: !foo 1\n", "a: &x 1\nb: *x\n", "a: 1\na: 2\n",
    "a: [1\n", "%YAML 1.1\n---\na: no\n", "a: 1\n---\nb: 2\n", "<<: {a: 1}\n", "a: " + "[" * 60 + "]" * 60 + "\n",
])
def test_fast_path_never_accepts_what_the_store_rejects(text):
    strict = _strict_or_error(text)
    fast = yamlio.load_fast(text)
    if strict is CaseFileError:
        # Either the fast loader declines, or validate's second, strict read reports the file (depth).
        if fast is not None:
            from stafett.validate import check_document
            from stafett.model import Case

            findings, _ = check_document(text.encode(), "x.yaml", Case, None)
            assert findings and findings[0].code.startswith("Y")
    else:
        assert fast is None or _same(fast, strict)


@settings(max_examples=300, deadline=None)
@given(st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=20),
              st.dates(min_value=__import__("datetime").date(1900, 1, 1))),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)),
    max_leaves=20))
def test_dumped_values_read_back_the_same_either_way(value):
    from stafett.store.patch import Style, dump

    text = dump({"v": value}, Style(2))
    strict = yamlio.load_strict(text)
    fast = yamlio.load_fast(text)
    if fast is not None:
        assert _same(fast, strict), text


def _corpus_texts(per_class: int = 3) -> list[tuple[str, str]]:
    import datetime as dt
    import random
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import corpus

    rng = random.Random(15)
    out = []
    for klass in sorted(corpus.STYLES):
        for n in range(per_class):
            _, data = corpus.case(rng, n, dt.date(2026, 11, 23), klass)
            out.append((f"{klass}-{n}", yamlio.decode(data).text))
    return out


@pytest.mark.parametrize("name,text", _corpus_texts())
def test_every_corpus_class_takes_the_fast_path_and_reads_alike(name, text):
    """What people write (comments, block scalars, quoting, flow lists, *kursiv*, 29 February, CRLF, BOM)
    is read by the fast path, and exactly as the strict reader reads it."""
    fast = yamlio.load_fast(text)
    assert fast is not None, name
    assert _same(fast, yamlio.load_strict(text)), name


def test_a_thousand_corpus_cases_all_take_the_fast_path():
    """The screen's cost is paid on every file; a file it refuses costs the strict reader (~100 ms). One in
    a thousand refused (*kursiv* opening a line of a `>` text) was enough to double a folder's time."""
    refused = [name for name, text in _corpus_texts(100) if not yamlio.fast_path_safe(text)]
    assert refused == []


def test_markdown_emphasis_opening_a_line_of_block_text_is_text():
    text = ("beskrivelse: >-\n  Mor sa at det gikk bra\n  *kursiv* og **fet** tekst, &amp; !viktig\n"
            "notat: |\n  *start* på linja\n  - ikke en liste\n")
    fast = yamlio.load_fast(text)
    assert fast is not None and _same(fast, yamlio.load_strict(text))
    # Outside a block text the same line is an alias, and the strict reader decides.
    assert yamlio.load_fast("a: 1\nb:\n  *kursiv* ro\n") is None
