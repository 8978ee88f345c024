"""botocore's timestamp parsing, made cheap for the epoch seconds SWF sends, with the same
datetimes as a result.

SWF's JSON protocol gives every timestamp (one or more per history event) as epoch seconds,
and botocore turns each into a datetime in the local zone through a new `dateutil` tzlocal
whose pure-Python `fromutc` works out DST for every value: about a third of parsing a
history page. Where the local zone has no DST (UTC on Lambda and in most containers) the
offset is one constant, so the same datetime (same fields, same `tzlocal` zone) comes from
C-level arithmetic instead. Everything else (a zone with DST, strings, values out of range)
goes to botocore's own parser, so no result differs from botocore's.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from botocore.compat import get_tzinfo_options
from botocore.utils import parse_timestamp as botocore_parse_timestamp

_zone: tuple[tuple[int, int, int], Any, datetime.timedelta | None] | None = None
"""The local zone as botocore builds it, keyed by what `time.tzset()` may change, and its
constant offset (None when it has DST)."""


def _local_zone() -> tuple[Any, datetime.timedelta | None]:
    global _zone
    key = (time.timezone, time.altzone, time.daylight)
    zone = _zone
    if zone is None or zone[0] != key:
        tz = get_tzinfo_options()[0]()  # botocore's first choice: dateutil's tzlocal
        fixed = not time.daylight or time.altzone == time.timezone
        zone = _zone = (key, tz, datetime.timedelta(seconds=-time.timezone) if fixed else None)
    return zone[1], zone[2]


def parse_timestamp(value: Any) -> datetime.datetime:
    """What `botocore.utils.parse_timestamp` returns for `value`, faster for numbers."""
    if type(value) is float or type(value) is int:  # not bool, not numeric strings
        tz, offset = _local_zone()
        if offset is not None:
            try:
                utc = datetime.datetime.fromtimestamp(value, datetime.UTC)
                return (utc + offset).replace(tzinfo=tz)
            except (OverflowError, OSError, ValueError):
                pass  # botocore has its own fallbacks for values out of range
    return botocore_parse_timestamp(value)
