"""Moments: UK local time on the way in and out, aware datetimes inside.

Feeds write moments without an offset in UK local time (`2019-11-15T09:30:00`), or a date alone
for 00:00 of that day; an explicit offset or `Z` is honoured.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def parse_moment(value: object) -> datetime:
    """Parse a feed moment into an aware datetime; raise ValueError("not a date") otherwise."""
    if not isinstance(value, str):
        raise ValueError("not a date")
    return parse_moment_text(value)


@lru_cache(maxsize=65536)
def parse_moment_text(value: str) -> datetime:
    """parse_moment for a value known to be a string (the ingest's fast path)."""
    # Feeds repeat moments (dates alone, and events recorded at the same time) very often;
    # datetimes are immutable, so a parsed one can be shared.
    if not _MOMENT.match(value):
        raise ValueError("not a date")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("not a date") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UK)
    return parsed


def parse_date(value: object) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("not a date")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("not a date") from None


def check_partial_date(value: object) -> str:
    """A birth date may be `YYYY`, `YYYY-MM` or a full date; return it when it is a real one."""
    if not isinstance(value, str) or not _PARTIAL_DATE.match(value):
        raise ValueError("not a date")
    if len(value) == 10:
        parse_date(value)
    elif len(value) == 7 and not 1 <= int(value[5:7]) <= 12:
        raise ValueError("not a date")
    return value


def partial_date_start(value: str) -> date | None:
    """A partial birth date stands for its first day (`2018-03` is 1 March 2018)."""
    if not value:
        return None
    if len(value) == 4:
        return date(int(value), 1, 1)
    if len(value) == 7:
        return date(int(value[:4]), int(value[5:7]), 1)
    return date.fromisoformat(value)


def format_moment(value: datetime) -> str:
    """UK local time, `YYYY-MM-DDTHH:MM:SS`, no offset: the form of the replay contract."""
    return value.astimezone(UK).strftime("%Y-%m-%dT%H:%M:%S")
