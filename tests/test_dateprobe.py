"""The days a date-dependent verdict holds on (stafett.dateprobe) are never too many: on every day inside the
span the code gives today's answer. And never needlessly few for one comparison: the span ends where the
answer turns, so tomorrow's run does not check a file again for a date two days away."""

from __future__ import annotations

import datetime as dt
import operator
import random
import sys
from pathlib import Path

from hypothesis import given, settings, strategies as st

from stafett import dateprobe

DAY = dt.date(2026, 11, 23)
OPS = [operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne]
FORMS = ["today OP d", "d OP today", "(today - d).days OP k", "(d - today).days OP k", "k OP (today - d).days"]


def _ask(form: str, op, today: dt.date, d: dt.date, k: int) -> bool:
    if form == "today OP d":
        return op(today, d)
    if form == "d OP today":
        return op(d, today)
    if form == "(today - d).days OP k":
        return op((today - d).days, k)
    if form == "(d - today).days OP k":
        return op((d - today).days, k)
    return op(k, (today - d).days)


@settings(max_examples=400, deadline=None)
@given(form=st.sampled_from(FORMS), op=st.sampled_from(OPS), offset=st.integers(-12, 12), k=st.integers(-8, 8))
def test_one_comparison_holds_exactly_until_its_answer_turns(form, op, offset, k):
    d = DAY + dt.timedelta(days=offset)
    today, horizon = dateprobe.watched(DAY)
    answer = _ask(form, op, today, d, k)
    lo, hi = horizon.span()
    assert answer == _ask(form, op, DAY, d, k)
    window = [DAY + dt.timedelta(days=n) for n in range(-40, 41)]
    for day in window:
        inside = lo <= day.toordinal() < hi
        if inside:
            assert _ask(form, op, day, d, k) == answer, (day, lo, hi)
    if lo > -(1 << 39):
        assert _ask(form, op, dt.date.fromordinal(lo - 1), d, k) != answer  # the span starts where it turned
    if hi < (1 << 39):
        assert _ask(form, op, dt.date.fromordinal(hi), d, k) != answer  # and ends where it turns


def test_the_rules_and_status_say_the_same_on_every_day_of_their_span():
    """The real rules and to-dos on the bench corpus (deadlines passed, near and far): inside the span the
    cache would reuse, the uncached answer is today's, day by day."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import corpus

    from stafett import rules
    from stafett.model import Case, Settings
    from stafett.store import crypt, yamlio
    from stafett.workflow.status import todos

    settings_ = Settings.model_validate({"versjon": 2, "kommune": "Testvik", "malform": "nb", "tjenester": []})
    rng = random.Random(23)
    checked = 0
    for klass in ("overdue", "plain", "hand", "warnings"):
        for n in range(6):
            _, raw = corpus.case(rng, n, DAY, klass)
            case = Case.model_validate(crypt.clear_part(yamlio.load_fast(yamlio.decode(raw).text))[0])
            for ask in (lambda day: [(f.code, f.loc) for f in rules.run_rules(case, settings_, None, day)],
                        lambda day: [t.as_dict() for t in todos(case, settings_, day)]):
                today, horizon = dateprobe.watched(DAY)
                answer = ask(today)
                lo, hi = horizon.span()
                assert answer == ask(DAY)
                for n_days in range(-45, 46):
                    day = DAY + dt.timedelta(days=n_days)
                    if lo <= day.toordinal() < hi:
                        checked += 1
                        assert ask(day) == answer, (klass, n, day)
    assert checked > 200  # spans of more than a day or two: the cache is worth something
