"""Today and now for the CLI. STAFETT_TODAY pins the date for tests and reproducible renders;
workflow and rule code never read the clock, they are given these values.

The clock is Oslo's whatever the machine's zone: a log entry typed at 04.52 in Norway says 04.52 on a
laptop or CI runner set to UTC, and entries from clones in different zones sort as they happened. `now()`
is an OsloTime, so what a command records from it is written with its offset (+01:00, +02:00 in summer)."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from stafett.errors import UsageError
from stafett.i18n import _

if TYPE_CHECKING:  # the model costs a tenth of a second to import; `stafett --help` needs none of it
    from stafett.model.common import OsloTime


def _oslo_now() -> OsloTime:
    from stafett.model.common import OsloTime

    # The instant, not the machine's wall clock: OsloTime.of puts it on Oslo's clock (with or without tzdata).
    return OsloTime.of(dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)


def today() -> dt.date:
    pinned = os.environ.get("STAFETT_TODAY")
    if not pinned:
        return _oslo_now().date()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise UsageError(_("STAFETT_TODAY='{value}' is not a date").format(value=pinned), _("use YYYY-MM-DD")) from None


def now() -> OsloTime:
    from stafett.model.common import OsloTime

    current = _oslo_now()
    pinned = os.environ.get("STAFETT_TODAY")
    return OsloTime.combine(today(), current.time()) if pinned else current
