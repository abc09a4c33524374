"""Fast inserts for the ingest's hot path.

Django's bulk_create prepares every value through the field machinery, which costs more than the
database itself at a million rows (measured in docs/performance.md). The ingest writes plain rows
with the driver's executemany instead, adapting each value with the backend's own adapters so the
rows are exactly what the ORM would have written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

import orjson
from django.db import connection, models

Adapter = Callable[[Any], Any]


class FastInsert:
    """Insert rows of one model from objects carrying its field attnames."""

    def __init__(self, model: type[models.Model]) -> None:
        quote = connection.ops.quote_name
        self.table = model._meta.db_table
        # The primary key comes first; ids are reserved before the rows are written, so that
        # nothing has to be read back to learn them.
        self.fields = [
            model._meta.pk,
            *(f for f in model._meta.concrete_fields if not f.primary_key),
        ]
        self.attnames = ["pk", *(f.attname for f in self.fields[1:])]
        self.constant_defaults: dict[str, Any] = {}
        self.default_factories: dict[str, Callable[[], Any]] = {}
        for field in self.fields[1:]:
            if field.has_default() and callable(field.default):
                self.default_factories[field.attname] = field.default
            else:
                self.constant_defaults[field.attname] = field.get_default()
        self.adapters: list[tuple[int, Adapter]] = []
        for index, field in enumerate(self.fields):
            adapter = _adapter_for(field.get_internal_type())
            if adapter is not None:
                self.adapters.append((index, adapter))
        self.get_values = attrgetter(*self.attnames)
        columns = ", ".join(quote(str(f.column)) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        table = quote(model._meta.db_table)
        # Identifiers come from model metadata, values are always parameters.
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        # PostgreSQL takes rows far faster through COPY than through one INSERT per row.
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"

    def new(self, **values: Any) -> SimpleNamespace:
        """A row with the model's defaults, not yet written; `pk` is None until it is."""
        data = {**self.constant_defaults, **values}
        for name, factory in self.default_factories.items():
            if name not in values:
                data[name] = factory()
        return SimpleNamespace(pk=None, **data)

    def reserve_ids(self, count: int) -> list[int]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite lets one writer in at a time and the ingest holds the write lock (the
            # transaction is IMMEDIATE), so the highest id cannot move under us.
            cursor.execute(
                f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(self.table)}"  # noqa: S608
            )
            top = int(cursor.fetchone()[0])
            return list(range(top + 1, top + 1 + count))

    def insert(self, rows: Sequence[Any]) -> None:
        """Write the rows, giving each its `pk`."""
        if not rows:
            return
        for row, pk in zip(rows, self.reserve_ids(len(rows)), strict=True):
            row.pk = pk
        params = []
        for row in rows:
            values = list(self.get_values(row))
            for index, adapt in self.adapters:
                values[index] = adapt(values[index])
            params.append(values)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(self.sql, params)


def _adapter_for(internal_type: str) -> Adapter | None:
    """The same conversions Django's backends make, without the per-value machinery."""
    if internal_type == "JSONField":
        # JSON text: SQLite stores it as is, and PostgreSQL's COPY parses it into jsonb.
        return _json_text
    if connection.vendor == "sqlite":
        if internal_type == "DateTimeField":
            return _sqlite_datetime
        if internal_type == "DateField":
            return _sqlite_date
    return None


_last_datetime: list[Any] = [None, None]


def _sqlite_datetime(value: datetime | None) -> str | None:
    # Django keeps SQLite datetimes as naive UTC text when USE_TZ is on. Rows of one batch share
    # moments (received_at; first_recorded_at is usually recorded_at), so remember the last one.
    if value is None:
        return None
    if value is _last_datetime[0]:
        return _last_datetime[1]
    text = str(value.astimezone(UTC).replace(tzinfo=None))
    _last_datetime[0], _last_datetime[1] = value, text
    return text


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def lookup(
    table: str, columns: Sequence[str], where: dict[str, Any], key: str, values: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """SELECT columns FROM table WHERE (where) AND key IN values, in as few round trips as can be.

    PostgreSQL takes the values as one array (`= ANY`), which it plans once; SQLite takes them as
    parameters, in chunks below its variable limit.
    """
    if not values:
        return []
    quote = connection.ops.quote_name
    conditions = " AND ".join(
        f"{quote(name)} IS NULL" if value is None else f"{quote(name)} = %s"
        for name, value in where.items()
    )
    fixed = [value for value in where.values() if value is not None]
    names = ", ".join(quote(c) for c in columns)
    select = f"SELECT {names} FROM {quote(table)} WHERE "  # noqa: S608 - identifiers only
    if conditions:
        select += conditions + " AND "
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(select + f"{quote(key)} = ANY(%s)", [*fixed, list(values)])
            return list(cursor.fetchall())
        for start in range(0, len(values), 5000):
            chunk = list(values[start : start + 5000])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(select + f"{quote(key)} IN ({marks})", [*fixed, *chunk])
            found.extend(cursor.fetchall())
    return found


def execute_many(sql: str, params: Iterable[Sequence[Any]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(params))
