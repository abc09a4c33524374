"""The statutory clock of feed-format.md's Semantics: working days, calendar months, gestation.

"N working days after" a moment is the same time of day on the Nth working day after the
moment's date; Saturdays, Sundays and England and Wales bank holidays (the `holidays` package's
GB/ENG list, which includes one-off days such as a coronation) are not working days.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from kinsight.lib.moments import UK


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(moment: datetime, count: int) -> datetime:
    """The same time of day on the `count`-th working day after the moment's date.

    >>> add_working_days(datetime(2019, 11, 8, 18, 50, tzinfo=UK), 1).isoformat()
    '2019-11-11T18:50:00+00:00'
    """
    local = moment.astimezone(UK)
    day = local.date()
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=UK)


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months: 31 January plus one month is the last day of February."""
    local = moment.astimezone(UK)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def gestation_week(expected_birth_date: date, week: float) -> datetime:
    """Gestation week W is the expected birth date minus (40 - W) weeks, at 00:00."""
    day = expected_birth_date - timedelta(weeks=40 - week)
    return datetime.combine(day, time(0, 0), tzinfo=UK)
