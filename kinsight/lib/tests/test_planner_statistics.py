"""After a bulk load, PostgreSQL's planner is told what the tables now hold."""

import pytest
from django.db import connection

from kinsight.feeds.models import Agency
from kinsight.lib.bulk import refresh_statistics

pytestmark = pytest.mark.django_db


def _rows_the_planner_expects() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'feeds_agency'")
        return float(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner only")
def test_the_planner_counts_the_rows_a_load_has_just_written():
    Agency.objects.bulk_create(Agency(code=f"agency-{n}") for n in range(25))
    refresh_statistics(Agency)
    assert _rows_the_planner_expects() == 25


def test_refreshing_statistics_on_sqlite_or_for_no_table_does_nothing():
    refresh_statistics()
    refresh_statistics(Agency)
    assert Agency.objects.count() == 0
