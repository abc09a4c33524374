"""Plain SQL reads give back what the ORM would: the rules compare them with ORM values."""

from datetime import UTC, date, datetime

import pytest

from kinsight.chronology.models import Event
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.lib.rows import day, decoded, flag, moment, select_in
from kinsight.testing import event, person, write_feed


def test_a_sqlite_moment_is_an_aware_utc_datetime():
    assert moment("2024-07-29 10:55:00.250000") == datetime(2024, 7, 29, 10, 55, 0, 250000, UTC)
    assert moment(None) is None


def test_an_aware_moment_is_kept_as_the_same_instant_in_utc():
    given = datetime(2024, 7, 29, 11, 55, tzinfo=UTC).astimezone()
    assert moment(given) == datetime(2024, 7, 29, 11, 55, tzinfo=UTC)
    assert moment(given).tzinfo is UTC


def test_dates_json_and_flags_come_back_as_the_orm_gives_them():
    assert day("2025-02-10") == date(2025, 2, 10)
    assert day(date(2025, 2, 10)) == date(2025, 2, 10)
    assert decoded('{"concerns": ["other"]}') == {"concerns": ["other"]}
    assert decoded({"a": 1}) == {"a": 1}
    assert flag(1) is True and flag(0) is False


def test_no_values_is_no_query():
    assert select_in("SELECT id FROM chronology_event WHERE id {in}", []) == []


@pytest.mark.django_db
def test_an_event_read_by_plain_sql_equals_the_orm_read(tmp_path):
    lines = [
        person("csc-lancs", "C-1", given_name="Ada"),
        event("csc-lancs", "E-1", "referral", "2019-01-01T10:30:00", ("C-1", "child"),
              summary="Referral.", details={"concerns": ["neglect"]}),
    ]  # fmt: skip
    do_ingest_feeds([write_feed(tmp_path / "f.jsonl", lines)], acting="test")
    fields = ("id", "occurred_at", "recorded_at", "retracted_at", "details", "shared_with")
    orm = Event.objects.values_list(*fields).get()

    (pk, occurred, recorded, retracted, details, shared), *_ = select_in(
        "SELECT id, occurred_at, recorded_at, retracted_at, details, shared_with "
        "FROM chronology_event WHERE id {in}",
        [orm[0]],
    )

    assert (pk, moment(occurred), moment(recorded), moment(retracted), decoded(details),
            decoded(shared)) == orm  # fmt: skip
