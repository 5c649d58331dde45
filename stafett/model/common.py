"""Building blocks shared by every file kind: the strict base model and id/date types."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WrapSerializer, WrapValidator

# Ids are made from a random part so two offline clones can never mint the same one.
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"

PersonId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$"),
    Field(description="Id til en ansatt i personer.yaml (små bokstaver, tall, punktum, bindestrek)."),
]
ItemId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$"),
    Field(description="Id innenfor saken (for eksempel t-4kq2m9). Lages av stafett."),
]
CaseId = Annotated[
    str,
    StringConstraints(pattern=r"^S-[0-9]{8}-[a-z0-9]{4,12}$"),
    Field(description="Sakens id, for eksempel S-20260301-k7q4m2. Den er også filnavnet i saker/."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]


ZONE = "Europe/Oslo"


@functools.lru_cache(maxsize=1)
def oslo_zone() -> Any:
    """Europe/Oslo from the zone database (the tzdata package where the system has none)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(ZONE)


class OsloTime(dt.datetime):
    """A time on Oslo's clock that stafett writes with its UTC offset (`2026-12-01 14:00:00+01:00`).

    It is naive on purpose: every time in a case compares with every other (naive against aware raises
    TypeError), and a time read without an offset from an older file stays a plain datetime, so it is
    written back exactly as it was and a command's diff is only what it added. The class is the mark:
    arithmetic and replace() keep it, so a time made from the clock or a --tid option stays stamped."""

    __slots__ = ()

    @classmethod
    def of(cls, value: dt.datetime) -> "OsloTime":
        """An aware time as the same instant on Oslo's clock; a naive one taken as Oslo's wall time."""
        if value.tzinfo is not None:
            value = value.astimezone(oslo_zone())
        return cls(value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond,
                   fold=value.fold)

    def offset(self) -> dt.timedelta:
        return dt.datetime.replace(self, tzinfo=oslo_zone()).utcoffset() or dt.timedelta(0)

    def stamped(self) -> dt.datetime:
        """The aware value written to the file, with a fixed offset (never a zone name YAML cannot hold)."""
        return dt.datetime(self.year, self.month, self.day, self.hour, self.minute, self.second, self.microsecond,
                           tzinfo=dt.timezone(self.offset()))

    def replace(self, *args: Any, **kwargs: Any) -> dt.datetime:
        value = super().replace(*args, **kwargs)
        if value.tzinfo is None:
            return value
        # Given a zone it is an aware time, no longer Oslo's naive clock: a plain datetime says so.
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                           value.microsecond, tzinfo=value.tzinfo, fold=value.fold)

    def astimezone(self, tz: Any = None) -> dt.datetime:
        # The wall time is Oslo's, not the machine's: a UTC laptop must not shift it by an hour.
        return self.stamped().astimezone(tz)

    def timestamp(self) -> float:
        return self.stamped().timestamp()


def _read_time(value: Any, handler: Any) -> dt.datetime:
    if isinstance(value, OsloTime):
        return value
    parsed = handler(value)
    # Written with an offset (a clone in another zone, a hand-written Z): the same instant on Oslo's clock,
    # so times from everywhere compare and sort as they happened.
    return OsloTime.of(parsed) if parsed.tzinfo is not None else parsed


def _write_time(value: dt.datetime, handler: Any) -> Any:
    return handler(value.stamped() if isinstance(value, OsloTime) else value)


OsloDateTime = Annotated[dt.datetime, WrapValidator(_read_time), WrapSerializer(_write_time)]


def new_token(length: int = 6) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_item_id(prefix: str) -> str:
    return f"{prefix}-{new_token()}"


def new_case_id(today: dt.date) -> str:
    return f"S-{today:%Y%m%d}-{new_token()}"


class Record(BaseModel):
    """Every stafett model: unknown keys are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, frozen=False)
