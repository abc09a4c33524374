"""The ingest's fast rows are exactly the rows the ORM would have written."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kinsight.feeds.models import Agency, RecordVersion
from kinsight.lib.bulk import FastInsert

UK = ZoneInfo("Europe/London")


@pytest.mark.django_db
def test_moments_written_fast_are_the_same_instants_the_orm_writes():
    agency = Agency.objects.create(code="csc-lancs")
    moments = [
        datetime(2024, 7, 29, 10, 55, 0, 250000, tzinfo=UK),  # summer time
        datetime(2024, 1, 29, 10, 55, tzinfo=UK),
        datetime(2024, 10, 27, 1, 30, fold=1, tzinfo=UK),  # the hour the clocks go back
        datetime(2024, 7, 29, 9, 55, tzinfo=UTC),
        None,
    ]

    def version(n: int, at: datetime | None) -> RecordVersion:
        return RecordVersion(
            kind="event", agency=agency, key=f"E-{n}", version=1, recorded_at=at,
            received_at=datetime(2024, 7, 29, tzinfo=UTC), superseded_at=datetime.now(UTC),
            digest="d", raw="{}", data={"n": n},
        )  # fmt: skip

    FastInsert(RecordVersion).insert([version(n, at) for n, at in enumerate(moments)])
    RecordVersion.objects.bulk_create([version(n + 10, at) for n, at in enumerate(moments)])

    # As instants: Python holds a moment in a repeated hour unequal to its UTC twin.
    written = {
        key: at and at.timestamp()
        for key, at in RecordVersion.objects.values_list("key", "recorded_at")
    }
    assert [written[f"E-{n}"] for n in range(5)] == [at and at.timestamp() for at in moments]
    assert [written[f"E-{n}"] for n in range(5)] == [written[f"E-{n + 10}"] for n in range(5)]
