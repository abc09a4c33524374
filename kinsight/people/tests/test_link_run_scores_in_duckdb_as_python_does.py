"""`link run` scores a large store in DuckDB; every pair must weigh what Python weighs it."""

import numpy as np
import pytest
from django.db import connection, transaction

from kinsight.people import batch
from kinsight.people.actions import do_relink_all
from kinsight.people.features import Features, as_values, from_values
from kinsight.people.linking import KEY_CAP, Linking, current_model
from kinsight.people.models import LinkKey, LinkTermFrequency, PersonRecord
from kinsight.testing import ingest_people_of_population

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def population(tmp_path):
    ingest_people_of_population(tmp_path, families=60, seed=5)


def _index():
    return (
        sorted(LinkKey.objects.values_list("record_id", "key")),
        sorted(LinkTermFrequency.objects.values_list("column", "value", "frequency")),
    )


def test_duckdb_finds_and_weighs_the_same_pairs_as_python(population, monkeypatch):
    # Several slices of candidates, scored side by side, from records read in two chunks.
    monkeypatch.setattr(batch, "SCORE_SLICE", 50)
    monkeypatch.setattr(batch, "SIDE_BY_SIDE_FROM", 0)
    rows = batch._read_rows()
    model, name = current_model()

    python = Linking(model, name, whole_store=True)
    recs = {row[0]: batch.features(row[:-1]) for row in rows}
    python.tf.values = batch._term_frequencies(recs)
    python.tf.load = lambda wanted: None
    expected = python.score_pairs(recs, batch._keys_and_pairs(recs, KEY_CAP))
    python_index = _index()

    fast = Linking(model, name, whole_store=True)
    _, fast_recs, keys, table = batch._prepare([rows[:100], rows[100:]])
    found = batch._score_in_duckdb(fast, fast_recs, [keys, table], KEY_CAP, lambda step: None)

    assert fast_recs.keys() == recs.keys()
    assert _index() == python_index
    assert fast.tf.values == python.tf.values
    as_tuples = sorted((p.a, p.b, p.weight, list(p.gammas), p.tf, p.nhs) for p in found)
    assert as_tuples == sorted((p.a, p.b, p.weight, p.gammas, p.tf, p.nhs) for p in expected)
    assert len(found) > 100  # so more than two slices of candidates


def test_a_link_run_in_duckdb_makes_the_same_persons_and_reasons(population, monkeypatch):
    def persons():
        rows = PersonRecord.objects.values_list("pk", "person_id", "link_reason")
        groups: dict[int, list[int]] = {}
        for pk, person, _ in rows:
            groups.setdefault(person, []).append(pk)
        # PostgreSQL returns rows in no particular order: compare each person's records as a set.
        return sorted(sorted(g) for g in groups.values()), sorted(
            (pk, reason) for pk, _, reason in rows
        )

    # Both passes start from the same store: the first is rolled back.
    monkeypatch.setattr(batch, "FAST_FROM", 10**9)
    with transaction.atomic():
        python = do_relink_all(acting="test").as_json()
        expected = persons()
        transaction.set_rollback(True)
    monkeypatch.setattr(batch, "FAST_FROM", 0)
    fast = do_relink_all(acting="test").as_json()
    assert fast == python
    assert persons() == expected
    assert any(len(group) > 1 for group in expected[0])


def test_features_come_back_from_a_worker_as_they_left():
    values = (7, 3, "Ann-Marie", "Smith Jones", ["Ann Brown"], "female", "2019-02-03", False,
              None, "", "Flat 2, 12 Mill Lane, Leeds", "ls1 2ab")  # fmt: skip
    f = batch.features(values)
    back = from_values(as_values(f))
    assert [getattr(back, name) for name in Features.__slots__] == [
        getattr(f, name) for name in Features.__slots__
    ]


def test_a_link_run_that_rebuilds_the_record_indexes_links_the_same(population, monkeypatch):
    from django.db import connection

    from kinsight.people import linking

    def indexes():
        with connection.cursor() as cursor:
            return sorted(connection.introspection.get_constraints(cursor, "people_personrecord"))

    def persons():
        return sorted(PersonRecord.objects.values_list("pk", "person_id", "link_reason"))

    before = indexes()
    with transaction.atomic():
        kept = do_relink_all(acting="test").as_json()
        expected = persons()
        transaction.set_rollback(True)
    # Every record changes person here, as in a store's first link run.
    monkeypatch.setattr(linking, "BULK_UPDATE_FROM", 0)
    assert do_relink_all(acting="test").as_json() == kept
    assert persons() == expected
    assert indexes() == before
    assert PersonRecord.objects.filter(person__isnull=True).count() == 0


def _cache_size(db):
    with db.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


def test_the_blocking_index_is_written_through_a_small_page_cache_given_back_after(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("a page cache of SQLite's")
    during = []
    monkeypatch.setattr(
        batch, "insert_pairs", lambda table, columns, a, b, *, db: during.append(_cache_size(db))
    )
    before = _cache_size(connection)

    batch._write_link_keys(connection, np.array([1]), np.array([5]))

    assert during == [-8000]
    assert _cache_size(connection) == before
