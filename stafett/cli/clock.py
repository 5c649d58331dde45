"""Today and now for the CLI. STAFETT_TODAY pins the date for tests and reproducible renders;
workflow and rule code never read the clock, they are given these values.

The clock is Oslo's whatever the machine's zone: a log entry typed at 04.52 in Norway says 04.52 on a
laptop or CI runner set to UTC, and entries from clones in different zones sort as they happened."""

from __future__ import annotations

import datetime as dt
import os

from stafett.errors import UsageError
from stafett.i18n import _


ZONE = "Europe/Oslo"


def _oslo_now() -> dt.datetime:
    try:
        from zoneinfo import ZoneInfo

        return dt.datetime.now(ZoneInfo(ZONE)).replace(tzinfo=None, microsecond=0)
    except Exception:  # noqa: BLE001 - no zone database (tzdata missing): the machine's clock is the best left
        return dt.datetime.now().replace(microsecond=0)


def today() -> dt.date:
    pinned = os.environ.get("STAFETT_TODAY")
    if not pinned:
        return _oslo_now().date()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise UsageError(_("STAFETT_TODAY='{value}' is not a date").format(value=pinned), _("use YYYY-MM-DD")) from None


def now() -> dt.datetime:
    current = _oslo_now()
    pinned = os.environ.get("STAFETT_TODAY")
    return dt.datetime.combine(today(), current.time()) if pinned else current
