"""Days, moments and working days, as `feed-format.md` defines them.

Inside the generator a *day* is a proleptic Gregorian ordinal (``date.toordinal()``) and a
*moment* is ``day * 1440 + minute of the day``: plain integers are cheap to add and compare, and a
million events are formatted from two small caches instead of a million ``datetime`` objects.
Moments carry no offset because the feed format writes UK local time without one.
"""

from __future__ import annotations

import bisect
from datetime import date

import holidays

MINUTES_PER_DAY = 1440

START = date(2015, 1, 1).toordinal()
END = date(2024, 12, 31).toordinal()

# Wide enough for every clock the generator runs: adults are born in the 1960s, and a deadline
# near the end of 2024 may fall due early in 2025.
_CALENDAR_FIRST_YEAR = 2010
_CALENDAR_LAST_YEAR = 2027


def _bank_holidays() -> frozenset[int]:
    # England and Wales share one list; the library's ENG subdivision is that list, including
    # the one-off days (jubilees, a state funeral, a coronation) and the "observed" substitutes.
    calendar = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(_CALENDAR_FIRST_YEAR, _CALENDAR_LAST_YEAR + 1)
    )
    return frozenset(day.toordinal() for day in calendar)


BANK_HOLIDAYS = _bank_holidays()


def is_working_day(day: int) -> bool:
    # Ordinal 1 (1 January of year 1) was a Monday.
    return (day - 1) % 7 < 5 and day not in BANK_HOLIDAYS


_WORKING_DAYS = [
    day
    for day in range(
        date(_CALENDAR_FIRST_YEAR, 1, 1).toordinal(),
        date(_CALENDAR_LAST_YEAR, 12, 31).toordinal() + 1,
    )
    if is_working_day(day)
]


def add_working_days(moment: int, count: int) -> int:
    """The same time of day on the ``count``-th working day after the moment's date."""
    day, minute = divmod(moment, MINUTES_PER_DAY)
    index = bisect.bisect_right(_WORKING_DAYS, day) + count - 1
    return _WORKING_DAYS[index] * MINUTES_PER_DAY + minute


def working_day_on_or_after(day: int) -> int:
    return _WORKING_DAYS[bisect.bisect_left(_WORKING_DAYS, day)]


def weekday_on_or_after(day: int) -> int:
    """Skips weekends only: schools and surgeries keep their own calendars of closures."""
    while (day - 1) % 7 >= 5:
        day += 1
    return day


def at(day: int, hour: int, minute: int = 0) -> int:
    return day * MINUTES_PER_DAY + hour * 60 + minute


def day_of(moment: int) -> int:
    return moment // MINUTES_PER_DAY


def add_months(day: int, months: int) -> int:
    """Calendar months, clamping the day of the month (31 January + 1 month = 28/29 February)."""
    value = date.fromordinal(day)
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(value.day, last)).toordinal()
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has at least 28 days")


def add_years(day: int, years: int) -> int:
    return add_months(day, 12 * years)


def age_in_years(birth: int, day: int) -> int:
    born, then = date.fromordinal(birth), date.fromordinal(day)
    return then.year - born.year - ((then.month, then.day) < (born.month, born.day))


_DATE_TEXT: dict[int, str] = {}
_TIME_TEXT = [f"T{minute // 60:02d}:{minute % 60:02d}:00" for minute in range(MINUTES_PER_DAY)]


def iso_date(day: int) -> str:
    text = _DATE_TEXT.get(day)
    if text is None:
        text = _DATE_TEXT[day] = date.fromordinal(day).isoformat()
    return text


def iso_month(day: int) -> str:
    return iso_date(day)[:7]


def iso_moment(moment: int) -> str:
    day, minute = divmod(moment, MINUTES_PER_DAY)
    return iso_date(day) + _TIME_TEXT[minute]


def year_of(day: int) -> int:
    return int(iso_date(day)[:4])
