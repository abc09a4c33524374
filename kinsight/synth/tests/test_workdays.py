from __future__ import annotations

from datetime import date

from kinsight.synth.workdays import add_months, add_working_days, at, iso_moment


def _day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def test_a_working_day_later_is_the_same_time_on_the_next_working_day() -> None:
    assert iso_moment(add_working_days(at(_day("2019-11-14"), 9, 30), 1)) == "2019-11-15T09:30:00"


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    # Friday 16 September 2022; Monday 19th was the Queen's state funeral.
    assert iso_moment(add_working_days(at(_day("2022-09-16"), 14, 0), 1)) == "2022-09-20T14:00:00"
    # Christmas Eve 2020 was a Thursday; the 25th, the 26th (Saturday) and the 28th are closed.
    assert iso_moment(add_working_days(at(_day("2020-12-24"), 10, 0), 1)) == "2020-12-29T10:00:00"


def test_a_saturday_moment_counts_from_the_next_working_day() -> None:
    assert iso_moment(add_working_days(at(_day("2023-03-04"), 23, 0), 1)) == "2023-03-06T23:00:00"


def test_calendar_months_clamp_to_the_end_of_a_short_month() -> None:
    assert date.fromordinal(add_months(_day("2019-01-31"), 1)) == date(2019, 2, 28)
    assert date.fromordinal(add_months(_day("2020-08-31"), 6)) == date(2021, 2, 28)
