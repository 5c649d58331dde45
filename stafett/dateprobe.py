"""How long a date-dependent result stays true: `today` as a probe that records what the code asked of it.

Rules and status duties compare dates with today (`t.evalueres < today`), count days
(`(today - dato).days > limit`), or print today in a message. Run with a probe in place of today, the
code leaves a Horizon: the days on which every comparison it made comes out the same, so its result is
the same on each of them. Any other use of the date (its year, a format, arithmetic we do not follow)
narrows the horizon to today alone. Nothing is declared by the rules themselves, so a new rule cannot
make a cached verdict outlive its truth by forgetting to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

_FOREVER = 1 << 40

# For `t OP x` over day ordinals t: the offsets from x of the first day with the other outcome. `t < x` is true
# up to x - 1 and false from x; `t <= x` turns at x + 1; `t == x` holds on x alone.
_TURNS = {"lt": (0,), "ge": (0,), "le": (1,), "gt": (1,), "eq": (0, 1), "ne": (0, 1)}
# `-t + c OP k` is `t OP' c - k`: a count of days *until* a date runs the other way.
_FLIPPED = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}


class Horizon:
    """The day ordinals [lo, hi) on which the observed code behaves as it did today."""

    def __init__(self, day: dt.date) -> None:
        self.day = dt.date.toordinal(day)
        self.lo, self.hi = -_FOREVER, _FOREVER

    def breakpoint(self, first: int) -> None:
        """An outcome may differ between day `first - 1` and day `first`."""
        if first <= self.day:
            self.lo = max(self.lo, first)
        else:
            self.hi = min(self.hi, first)

    def threshold(self, at: int, op: str) -> None:
        """`today OP at` (day ordinals) was asked: its outcome turns where the operator says, and only there."""
        for first in _TURNS[op]:
            self.breakpoint(at + first)

    def exact(self) -> None:
        self.lo, self.hi = self.day, self.day + 1

    def span(self) -> tuple[int, int]:
        return self.lo, self.hi


def holds(span: Optional[list], day: dt.date) -> bool:
    return bool(span) and span[0] <= dt.date.toordinal(day) < span[1]


def _horizon(obj: Any) -> Horizon:
    return object.__getattribute__(obj, "_p_h")


def _exact_then(base: type, name: str):
    impl = getattr(base, name)

    def method(self, *args, **kwargs):
        _horizon(self).exact()
        return impl(self, *args, **kwargs)

    method.__name__ = name
    return method


def _observed(base: type):
    """Every attribute read is a use we do not follow, except our own and the ones a subclass defines."""
    def __getattribute__(self, name: str):
        if not name.startswith("_p_") and name != "__class__" and name not in type(self).__dict__:
            _horizon(self).exact()
        return base.__getattribute__(self, name)
    return __getattribute__


_COMPARISONS = ("__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__")


class Today(dt.date):
    """Today, watched. Comparisons with a plain date become breakpoints; subtraction of a date gives Days."""

    def __new__(cls, day: dt.date, horizon: Horizon) -> "Today":
        self = dt.date.__new__(cls, day.year, day.month, day.day)
        self.__dict__["_p_h"] = horizon
        return self

    # The comparisons call the module's functions, not methods: a method is looked up through the watching
    # __getattribute__ below, and rules compare dates thousands of times a folder.
    def __lt__(self, other): return _compare_today(self, other, dt.date.__lt__, "lt")
    def __le__(self, other): return _compare_today(self, other, dt.date.__le__, "le")
    def __gt__(self, other): return _compare_today(self, other, dt.date.__gt__, "gt")
    def __ge__(self, other): return _compare_today(self, other, dt.date.__ge__, "ge")
    def __eq__(self, other): return _compare_today(self, other, dt.date.__eq__, "eq")
    def __ne__(self, other): return _compare_today(self, other, dt.date.__ne__, "ne")

    def __sub__(self, other):
        if type(other) is dt.date:  # days since `other`: today - c
            return Days(dt.date.toordinal(self) - dt.date.toordinal(other), _horizon(self), 1, -dt.date.toordinal(other))
        _horizon(self).exact()
        return dt.date.__sub__(self, other)

    def __rsub__(self, other):
        if type(other) is dt.date:  # days until `other`: c - today
            return Days(dt.date.toordinal(other) - dt.date.toordinal(self), _horizon(self), -1, dt.date.toordinal(other))
        _horizon(self).exact()
        return NotImplemented


class Days(dt.timedelta):
    """A whole number of days that moves with today: a*t + c for day ordinal t. Only `.days` is followed."""

    def __new__(cls, days: int, horizon: Horizon, a: int, c: int) -> "Days":
        self = dt.timedelta.__new__(cls, days=days)
        self.__dict__.update(_p_h=horizon, _p_a=a, _p_c=c)
        return self

    @property
    def days(self) -> "DayCount":
        d = self.__dict__
        return DayCount(dt.timedelta.days.__get__(self), d["_p_h"], d["_p_a"], d["_p_c"])


class DayCount(int):
    """An int that is a*t + c: comparing it with a plain int is a breakpoint, anything else pins today."""

    def __new__(cls, value: int, horizon: Horizon, a: int, c: int) -> "DayCount":
        self = int.__new__(cls, value)
        self.__dict__.update(_p_h=horizon, _p_a=a, _p_c=c)
        return self

    def __lt__(self, other): return _compare_count(self, other, int.__lt__, "lt")
    def __le__(self, other): return _compare_count(self, other, int.__le__, "le")
    def __gt__(self, other): return _compare_count(self, other, int.__gt__, "gt")
    def __ge__(self, other): return _compare_count(self, other, int.__ge__, "ge")
    def __eq__(self, other): return _compare_count(self, other, int.__eq__, "eq")
    def __ne__(self, other): return _compare_count(self, other, int.__ne__, "ne")


def _compare_today(today: Today, other: Any, op, name: str):
    # `date < today` arrives here too, as today.__gt__(date): Python asks the subclass's reflection first.
    h = _horizon(today)
    if type(other) is dt.date:
        h.threshold(dt.date.toordinal(other), name)
    else:
        h.exact()  # a datetime, another probe, something else: not followed
    return op(today, other)


def _compare_count(count: DayCount, other: Any, op, name: str):
    d = object.__getattribute__(count, "__dict__")
    if type(other) is int:
        if d["_p_a"] == 1:
            d["_p_h"].threshold(other - d["_p_c"], name)
        else:
            d["_p_h"].threshold(d["_p_c"] - other, _FLIPPED[name])
    else:
        d["_p_h"].exact()
    return op(count, other)


_DATE_USES = ("__add__", "__radd__", "__hash__", "__format__", "__str__", "__repr__", "__reduce__", "__reduce_ex__",
              "toordinal", "weekday", "isoweekday", "isocalendar", "isoformat", "strftime", "timetuple", "ctime", "replace")
_DELTA_USES = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__floordiv__",
               "__mod__", "__divmod__", "__neg__", "__pos__", "__abs__", "__bool__", "__hash__", "__str__", "__repr__",
               "__format__", "__reduce__", "__reduce_ex__", "total_seconds", *_COMPARISONS)
_INT_USES = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
             "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__divmod__", "__rdivmod__", "__pow__", "__rpow__",
             "__neg__", "__pos__", "__abs__", "__invert__", "__and__", "__rand__", "__or__", "__ror__", "__xor__",
             "__rxor__", "__lshift__", "__rlshift__", "__rshift__", "__rrshift__", "__bool__", "__hash__", "__str__",
             "__repr__", "__format__", "__index__", "__int__", "__float__", "__round__", "__trunc__", "__floor__",
             "__ceil__", "__reduce__", "__reduce_ex__", "__getnewargs__")

for _cls, _base, _names in ((Today, dt.date, _DATE_USES), (Days, dt.timedelta, _DELTA_USES), (DayCount, int, _INT_USES)):
    for _name in _names:
        # __hash__ too: defining __eq__ above set it to None
        if (_name not in _cls.__dict__ or _cls.__dict__[_name] is None) and hasattr(_base, _name):
            setattr(_cls, _name, _exact_then(_base, _name))
    _cls.__getattribute__ = _observed(_base)


def _field(name: str) -> property:
    def get(self):
        _horizon(self).exact()
        return _GETSET.__get__(self)
    _GETSET = dt.date.__dict__[name]
    return property(get)


for _name in ("year", "month", "day"):
    setattr(Today, _name, _field(_name))


def watched(day: dt.date) -> tuple[Today, Horizon]:
    horizon = Horizon(day)
    return Today(day, horizon), horizon


def _birthday(born: dt.date, year: int) -> dt.date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February in a common year: the age turns on 1 March
        return dt.date(year, 3, 1)


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years from `born` to `day`. With a watched today the age is a step function of the day that
    steps on birthdays, so the horizon is the last birthday up to the next (not today alone)."""
    if not isinstance(day, Today):
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    plain = dt.date.fromordinal(dt.date.toordinal(day))
    age = plain.year - born.year - ((plain.month, plain.day) < (born.month, born.day))
    h = _horizon(day)
    for year in (born.year + age, born.year + age + 1):
        if dt.MINYEAR <= year <= dt.MAXYEAR:
            h.breakpoint(dt.date.toordinal(_birthday(born, year)))
    return age
