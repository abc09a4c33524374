from datetime import date

import pytest

from kinsight.lib.moments import (
    check_partial_date,
    format_moment,
    parse_moment,
    partial_date_start,
)


def test_a_moment_without_offset_is_uk_local_time():
    summer = parse_moment("2019-07-01T09:30:00")
    assert summer.utcoffset().total_seconds() == 3600
    assert format_moment(summer) == "2019-07-01T09:30:00"


def test_a_date_alone_means_midnight_of_that_day():
    assert format_moment(parse_moment("2019-11-15")) == "2019-11-15T00:00:00"


def test_an_explicit_offset_is_honoured_and_written_back_in_uk_time():
    assert format_moment(parse_moment("2019-07-01T08:30:00Z")) == "2019-07-01T09:30:00"


@pytest.mark.parametrize("value", ["2018-13-45", "yesterday", "2019-02-29", 20190101, None])
def test_impossible_or_malformed_moments_are_not_dates(value):
    with pytest.raises(ValueError, match="not a date"):
        parse_moment(value)


def test_partial_birth_dates_stand_for_their_first_day():
    assert partial_date_start("2018-03") == date(2018, 3, 1)
    assert partial_date_start("2018") == date(2018, 1, 1)
    assert partial_date_start("2018-03-02") == date(2018, 3, 2)


@pytest.mark.parametrize("value", ["2018-02-30", "2018-13", "18-03-02", "2018-3"])
def test_impossible_partial_dates_are_refused(value):
    with pytest.raises(ValueError):
        check_partial_date(value)
