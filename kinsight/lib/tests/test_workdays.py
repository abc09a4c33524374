from datetime import UTC, date, datetime

from kinsight.lib.moments import UK, format_moment
from kinsight.lib.workdays import add_months, add_working_days, gestation_week, is_working_day


def moment(text):
    return datetime.fromisoformat(text).replace(tzinfo=UK)


def test_one_working_day_after_a_friday_evening_is_monday_at_the_same_time():
    assert format_moment(add_working_days(moment("2019-11-08T18:50:00"), 1)) == (
        "2019-11-11T18:50:00"
    )


def test_bank_holidays_are_not_working_days():
    # Christmas Day and Boxing Day 2019 fell on Wednesday and Thursday.
    assert format_moment(add_working_days(moment("2019-12-24T10:00:00"), 1)) == (
        "2019-12-27T10:00:00"
    )


def test_one_off_bank_holidays_count():
    assert not is_working_day(date(2023, 5, 8))  # the coronation of King Charles III
    assert not is_working_day(date(2022, 9, 19))  # the state funeral of Queen Elizabeth II


def test_the_same_time_of_day_holds_across_a_clock_change():
    # British Summer Time ended on Sunday 27 October 2019.
    assert format_moment(add_working_days(moment("2019-10-25T09:00:00"), 1)) == (
        "2019-10-28T09:00:00"
    )


def test_forty_five_working_days():
    assert format_moment(add_working_days(moment("2019-01-07T09:00:00"), 45)) == (
        "2019-03-11T09:00:00"
    )


def test_calendar_months_clamp_to_the_end_of_a_short_month():
    assert format_moment(add_months(moment("2019-01-31T09:00:00"), 1)) == "2019-02-28T09:00:00"
    assert format_moment(add_months(moment("2019-11-15T09:00:00"), 3)) == "2020-02-15T09:00:00"


def test_gestation_week_counts_back_from_the_expected_date():
    assert format_moment(gestation_week(date(2017, 9, 14), 26)) == "2017-06-08T00:00:00"
    assert format_moment(gestation_week(date(2017, 9, 14), 30)) == "2017-07-06T00:00:00"


def test_a_moment_stored_in_utc_counts_from_its_uk_date():
    # 23:30 UTC on Sunday 2 June 2019 is 00:30 on Monday 3 June in London (BST).
    moment = datetime(2019, 6, 2, 23, 30, tzinfo=UTC)
    assert format_moment(add_working_days(moment, 1)) == "2019-06-04T00:30:00"
