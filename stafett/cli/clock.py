"""Today and now for the CLI. STAFETT_TODAY pins the date for tests and reproducible renders;
workflow and rule code never read the clock, they are given these values."""

from __future__ import annotations

import datetime as dt
import os

from stafett.errors import UsageError


def today() -> dt.date:
    pinned = os.environ.get("STAFETT_TODAY")
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise UsageError(f"STAFETT_TODAY='{pinned}' is not a date", "use YYYY-MM-DD") from None


def now() -> dt.datetime:
    current = dt.datetime.now().replace(microsecond=0)
    pinned = os.environ.get("STAFETT_TODAY")
    return dt.datetime.combine(today(), current.time()) if pinned else current
