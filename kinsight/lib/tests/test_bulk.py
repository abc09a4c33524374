"""The ingest's fast rows are exactly the rows the ORM would have written."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from kinsight.chronology.models import Event
from kinsight.feeds.models import Agency, RecordVersion
from kinsight.lib.bulk import FastInsert, commit_without_waiting, sqlite_pragma
from kinsight.people.models import PersonRecord

UK = ZoneInfo("Europe/London")


def _version(agency: Agency, n: int, at: datetime | None, data: object) -> RecordVersion:
    return RecordVersion(
        kind="event", agency=agency, key=f"E-{n}", version=1, recorded_at=at,
        received_at=datetime(2024, 7, 29, tzinfo=UTC), superseded_at=datetime.now(UTC),
        digest="d", raw="{}", data=data,
    )  # fmt: skip


def _setting(sql: str) -> str:
    """A database setting as text (`PRAGMA name`, `SHOW name`)."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return str(cursor.fetchone()[0])


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

    FastInsert(RecordVersion).insert([_version(agency, n, at, {}) for n, at in enumerate(moments)])
    RecordVersion.objects.bulk_create(
        [_version(agency, n + 10, at, {}) for n, at in enumerate(moments)]
    )

    # As instants: Python holds a moment in a repeated hour unequal to its UTC twin.
    written = {
        key: at and at.timestamp()
        for key, at in RecordVersion.objects.values_list("key", "recorded_at")
    }
    assert [written[f"E-{n}"] for n in range(5)] == [at and at.timestamp() for at in moments]
    assert [written[f"E-{n}"] for n in range(5)] == [written[f"E-{n + 10}"] for n in range(5)]


@pytest.mark.django_db
def test_json_written_fast_reads_back_as_the_same_values_the_orm_reads():
    agency = Agency.objects.create(code="csc-lancs")
    values = [
        {"role": "mother", "note": 'quotes " and \\ backslashes, tabs\tand a newline\n'},
        ["a", 1, None, True, {"nested": ["é", "日本"]}],
        {},
        [],
        "just text",
        7,
    ]

    FastInsert(RecordVersion).insert([_version(agency, n, None, v) for n, v in enumerate(values)])

    written = dict(RecordVersion.objects.values_list("key", "data"))
    assert [written[f"E-{n}"] for n in range(len(values))] == values
    # Stored as JSON values, not as JSON strings holding them: queries can look inside.
    assert RecordVersion.objects.filter(data__role="mother").count() == 1


@pytest.mark.django_db
def test_every_kind_of_column_written_fast_reads_back_as_it_was_given():
    agency = Agency.objects.create(code="gp-lancs")
    given = {
        "record_id": "P-1",
        "given_name": "Zoë",
        "family_name": "O'Neill",
        "other_names": ["Zoe"],
        "unborn": True,
        "birth_date_estimated": False,
        "expected_birth_date": date(2025, 3, 1),
        "nhs_number": "",
        "recorded_at": datetime(2024, 7, 29, 10, 55, tzinfo=UK),
        "first_recorded_at": None,
        "received_at": datetime(2024, 7, 30, tzinfo=UTC),
        "digest": "d",
        "raw": "{}",
        "warnings": ["a warning"],
    }
    inserter = FastInsert(PersonRecord)
    inserter.insert([inserter.new(agency_id=agency.pk, **given)])

    record = PersonRecord.objects.get()
    assert {name: getattr(record, name) for name in given} == given
    assert record.version == PersonRecord._meta.get_field("version").get_default()


@pytest.mark.django_db
def test_reserved_ids_are_new_and_in_order_whether_or_not_the_sequence_runs_unbroken():
    inserter = FastInsert(Agency)
    Agency.objects.create(code="csc-lancs")

    unbroken = inserter.reserve_ids(5)
    if connection.vendor == "postgresql":
        # As when another session takes ids meanwhile: the ids come back one by one.
        with connection.cursor() as cursor:
            cursor.execute("ALTER SEQUENCE feeds_agency_id_seq INCREMENT BY 3")
    broken = inserter.reserve_ids(4)

    assert inserter.reserve_ids(0) == []
    assert unbroken == list(range(unbroken[0], unbroken[0] + 5))
    assert unbroken[0] > Agency.objects.get().pk
    assert broken == sorted(broken) and len(set(broken)) == 4
    if connection.vendor == "postgresql":
        assert broken == list(range(broken[0], broken[0] + 12, 3))


@pytest.mark.django_db
def test_a_pragma_set_for_a_block_is_as_it_was_after_even_when_the_block_fails():
    if connection.vendor != "sqlite":
        pytest.skip("a setting of SQLite's")

    before = _setting("PRAGMA cache_size")
    with pytest.raises(RuntimeError), sqlite_pragma("cache_size", -1234):
        assert _setting("PRAGMA cache_size") == "-1234"
        raise RuntimeError

    assert _setting("PRAGMA cache_size") == before


@pytest.mark.django_db(transaction=True)
def test_a_commit_is_hurried_only_in_the_outermost_transaction_and_only_until_it_ends():
    if connection.vendor != "postgresql":
        pytest.skip("a setting of PostgreSQL's")

    with transaction.atomic():
        with transaction.atomic():
            commit_without_waiting()
            assert _setting("SHOW synchronous_commit") == "on"
        commit_without_waiting()
        assert _setting("SHOW synchronous_commit") == "off"

    assert _setting("SHOW synchronous_commit") == "on"


@pytest.mark.django_db
def test_rows_made_ahead_and_given_their_ids_as_they_are_written_read_back_as_rows_made_then():
    agency = Agency.objects.create(code="csc-lancs")
    inserter = FastInsert(Event)

    def params(n: int, pk: int, agency_pk: int) -> tuple:
        row = inserter.new(
            agency_id=agency_pk, event_id=f"E-{n}", type="home_visit",
            occurred_at=datetime(2024, 7, 29, 10, 55, tzinfo=UK),
            recorded_at=datetime(2024, 7, 29, tzinfo=UK),
            first_recorded_at=datetime(2024, 1, 29, 10, 55, tzinfo=UK),
            summary="Zoë's visit:\ttabs, \\ and a newline\n", details={"a": [1, "日本", None]},
            shared_with=["police-lancs"], subjects=[{"ref": "P-1", "role": "child"}],
            received_at=datetime(2024, 7, 30, tzinfo=UTC), digest="d", raw="{}", warnings=["w"],
        )  # fmt: skip
        row.pk = pk
        return inserter.params(row)

    ids = inserter.reserve_ids(3)
    make = inserter.ahead()
    inserter.write(
        [
            inserter.lead(make(params(0, 0, 0)), ids[0], agency.pk),
            params(1, ids[1], agency.pk),  # a row made as it is written, among them
            inserter.lead(make(params(2, 0, 0)), ids[2], agency.pk),
        ]
    )

    names = [f.attname for f in Event._meta.concrete_fields if f.attname not in ("id", "event_id")]
    written = list(Event.objects.order_by("pk").values("pk", "event_id", *names))
    assert [(row["pk"], row["event_id"]) for row in written] == [
        (ids[0], "E-0"), (ids[1], "E-1"), (ids[2], "E-2")
    ]  # fmt: skip
    assert written[0]["agency_id"] == agency.pk
    assert [{n: row[n] for n in names} for row in written] == [
        {n: written[1][n] for n in names}
    ] * 3
