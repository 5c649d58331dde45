"""The line index places every value where the strict reader's nodes place it, or declines: on every file
class of the bench corpus and on the example folder, for every path into the document."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from stafett.findings import locate
from stafett.store import yamlio
from stafett.store.lineindex import LineIndex
from tests.conftest import CASE, EXAMPLE, ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
        yield prefix + ("no_such_key",)
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _paths(v, prefix + (n,))
        yield prefix + (len(value),)


def _agree(text: str) -> int:
    data, root = yamlio.compose_strict(text)
    index = LineIndex(text)
    claimed = 0
    for loc in _paths(data):
        for on_key in (False, True):
            fast = index.locate(loc, on_key)
            if fast is not None:
                claimed += 1
                assert fast == locate(root, loc, on_key), (loc, on_key)
    return claimed


@pytest.mark.parametrize("klass", sorted(corpus.STYLES))
def test_every_corpus_class_is_placed_as_the_strict_reader_places_it(klass):
    rng = random.Random(klass)
    claimed = 0
    for n in range(2):
        _, data = corpus.case(rng, n, dt.date(2026, 11, 23), klass)
        claimed += _agree(yamlio.decode(data).text)
    assert claimed > 500  # the index answers for nearly every path, not just declines


def test_the_example_folder_and_the_test_case():
    files = [EXAMPLE / "stafett.yaml", EXAMPLE / "personer.yaml", *sorted((EXAMPLE / "saker").glob("*.yaml"))]
    for text in [p.read_text(encoding="utf-8") for p in files] + [CASE]:
        _agree(yamlio.decode(text.encode()).text)


LEAVES = st.sampled_from(["x", "'q: x'", '"d # x"', "[a, b]", "{a: 1}", "|\n    body\n    more", ">-\n    folded",
                          "1", "2026-01-02", "x # note", "*kursiv* tekst", ""])
KEYS = st.sampled_from(["a", "b_c", "d-e", "tiltak"])


def _render(value, indent=0) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{k}:")
                out += _render(v, indent + 2)
            else:
                out.append(f"{pad}{k}: {v if isinstance(v, str) else 'x'}".rstrip())
            out += [f"{pad}# mellom", ""] if len(k) == 3 else []
    else:
        for v in value:
            if isinstance(v, dict) and v:
                inner = _render(v, indent + 2)
                out.append(f"{pad}- {inner[0].lstrip()}")
                out += inner[1:]
            elif isinstance(v, list):
                out.append(f"{pad}- x")
            else:
                out.append(f"{pad}- {v if isinstance(v, str) and v else 'y'}")
    return out


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=3), st.dictionaries(KEYS, inner, min_size=1, max_size=3)), max_leaves=8),
    min_size=1, max_size=4))
def test_generated_block_documents(doc):
    text = "\n".join(_render(doc)) + "\n"
    try:
        yamlio.compose_strict(text)
    except Exception:
        return
    _agree(text)
