"""Fast inserts for the ingest's hot path.

Django's bulk_create prepares every value through the field machinery, which costs more than the
database itself at a million rows (measured in docs/performance.md). The ingest writes plain rows
instead, through the driver's executemany on SQLite and binary COPY on PostgreSQL, adapting each
value with the backend's own adapters so the rows are exactly what the ORM would have written.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import orjson
from django.db import connection, models
from psycopg._copy_base import format_row_binary
from psycopg.adapt import Dumper, Transformer
from psycopg.pq import Format


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
        self.params = _params_function(self.attnames, self.fields)
        self.columns = [str(f.column) for f in self.fields]
        marks = ", ".join(["%s"] * len(self.fields))
        # Identifiers come from model metadata, values are always parameters.
        self.sql = (
            f"INSERT INTO {quote(self.table)} ({', '.join(map(quote, self.columns))})"  # noqa: S608
            f" VALUES ({marks})"
        )
        self._sequence: str | None = None

    def new(self, **values: Any) -> SimpleNamespace:
        """A row with the model's defaults, not yet written; `pk` is None until it is."""
        data = {**self.constant_defaults, **values}
        for name, factory in self.default_factories.items():
            if name not in values:
                data[name] = factory()
        return SimpleNamespace(pk=None, **data)

    def reserve_ids(self, count: int) -> list[int]:
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                if self._sequence is None:
                    # Named once: inside the select below it would be looked up again for every
                    # id, an eighth of the server's work in an ingest (docs/performance.md).
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.table])
                    self._sequence = cursor.fetchone()[0]
                # Taken together, the ids are one run unless another session took some
                # meanwhile: then, and only then, each is sent back.
                cursor.execute(
                    "SELECT min(id), max(id), CASE WHEN max(id) - min(id) + 1 = count(*)"
                    " THEN NULL ELSE array_agg(id) END"
                    " FROM (SELECT nextval(%s::regclass) AS id FROM generate_series(1, %s)) ids",
                    [self._sequence, count],
                )
                first, last, scattered = cursor.fetchone()
                return list(range(first, last + 1)) if scattered is None else list(scattered)
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
        self.write(list(map(self.params, rows)))

    def row_function(self, args: str, values: dict[str, str]) -> Callable[..., tuple[Any, ...]]:
        """One compiled function that makes a row's parameters straight from its arguments,
        with no row object: `values` gives, for each column's attname, a Python expression
        over `args` (and `_storable`-like helpers passed in as arguments). A column not given
        takes its constant default, adapted once here; one whose default is made by a call
        must be given."""
        parts = []
        constants: dict[str, Any] = {}
        for attname, model_field in zip(self.attnames, self.fields, strict=True):
            adapter = _adapter_for(model_field.get_internal_type())
            if attname in values:
                expression = values[attname]
                parts.append(expression if adapter is None else adapter.format(expression))
                continue
            if attname not in self.constant_defaults:
                raise ValueError(f"{self.table}.{attname}: has no constant default")
            name = f"_default_{len(constants)}"
            value = self.constant_defaults[attname]
            if adapter is not None:
                value = eval(adapter.format("_value"), {**_ADAPTERS, "_value": value})  # noqa: S307
            constants[name] = value
            parts.append(name)
        # The expressions are the caller's own code and attnames come from the model's metadata,
        # never from input.
        source = f"lambda {args}: ({', '.join(parts)},)"
        return eval(source, {**_ADAPTERS, **constants})  # type: ignore[no-any-return,unused-ignore]  # noqa: S307

    def ahead(self) -> Callable[[Sequence[Any]], Any]:
        """A function that makes a row's parameters into what `write` sends, before its first
        two columns (its id, and the bigint key after it) are known: they are given as 0 and put
        in later by `lead()`. On PostgreSQL that is the row's binary `COPY` form, so that a row
        made ahead leaves only the sending to its write (with `--jobs`, outside the write lock);
        elsewhere a list. Made once a batch: it holds the connection's adapters."""
        if connection.vendor != "postgresql":
            return list
        oids = _column_types(connection, self.table)
        types = [oids[c] for c in self.columns]
        if types[:2] != [_BIGINT, _BIGINT]:
            raise ValueError(f"{self.table}: its first two columns are not both bigints")
        return _binary_row_function(connection, types)

    @staticmethod
    def lead(row: Any, pk: int, second: int) -> Any:
        """A row made by `ahead()` with its id and the bigint column after it put in."""
        if type(row) is bytearray:
            _put_leading_bigints(row, _FIRST_VALUE_AT, pk, 8, second)
        else:
            row[0], row[1] = pk, second
        return row

    def write(self, params: Sequence[Sequence[Any]]) -> None:
        """Write rows already made into parameters in column order, ids included, or made by
        `ahead()` and `lead()`."""
        if not params:
            return
        if connection.vendor == "postgresql":
            if any(type(row) is bytearray for row in params):
                make = self.ahead()
                copy_binary_rows(
                    self.table,
                    self.columns,
                    [row if type(row) is bytearray else make(row) for row in params],
                )
                return
            copy_rows(self.table, self.columns, params)
            return
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, params)

    def insert_values(self, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Write rows given as tuples of plain values for `names` (no objects to make): each
        takes a reserved id, and every other column its constant default."""
        if not rows:
            return
        by_name = dict(zip(self.attnames, self.fields, strict=True))
        rest = [name for name in self.attnames[1:] if name not in names]
        for name in [*names, *rest]:
            if _adapter_for(by_name[name].get_internal_type()) is not None:
                raise ValueError(f"{self.table}.{name}: needs adapting, use insert()")
            if name in rest and name in self.default_factories:
                raise ValueError(f"{self.table}.{name}: has no constant default")
        tail = tuple(self.constant_defaults[name] for name in rest)
        columns = [str(by_name[n].column) for n in ["pk", *names, *rest]]
        ids = self.reserve_ids(len(rows))
        params = [(pk, *row, *tail) for pk, row in zip(ids, rows, strict=True)]
        if connection.vendor == "postgresql":
            copy_rows(self.table, columns, params)
            return
        quote = connection.ops.quote_name
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {quote(self.table)} ({', '.join(map(quote, columns))})"  # noqa: S608
                f" VALUES ({marks})",
                params,
            )


def copy_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, db: Any = connection
) -> None:
    """Rows into a PostgreSQL table through binary COPY, values in `columns`' order (a JSON
    column's value as JSON text). Binary rows cost the client less than half of text rows' time
    to write, moments above all, and spare the server parsing them (docs/performance.md)."""
    quote = db.ops.quote_name
    oids = _column_types(db, table)
    types = [oids[column] for column in columns]
    sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN (FORMAT BINARY)"
    with db.cursor() as cursor:
        raw = cursor.cursor
        # For this cursor's COPY only (by type oid, after set_types): JSON text goes to jsonb
        # as it is, where psycopg's own dumper would write it as one JSON string.
        raw.adapters.register_dumper(None, _JsonTextBinaryDumper)
        with raw.copy(sql) as copy:
            copy.set_types(types)
            for values in rows:
                copy.write_row(values)


def copy_binary_rows(
    table: str, columns: Sequence[str], rows: Sequence[bytes | bytearray], *, db: Any = connection
) -> None:
    """Rows already in binary `COPY` form (`FastInsert.ahead()`) into a PostgreSQL table, in
    one block."""
    quote = db.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN (FORMAT BINARY)"
    with db.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        # Sent as a view: psycopg sends a large block in pieces, and slicing a view copies
        # nothing.
        copy.write(memoryview(b"".join([_BINARY_SIGNATURE, *rows, _BINARY_TRAILER])))


# Binary COPY's framing (PostgreSQL's "COPY" page): a signature, flags and an empty header
# extension before the rows; -1 as a field count after them. A row is its field count (2
# bytes), then each field's length (4 bytes) and value: a row's first value starts at byte 6,
# and the next field 8 bytes on when the first is a bigint.
_BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\0" + bytes(8)
_BINARY_TRAILER = b"\xff\xff"
_FIRST_VALUE_AT = 6
_BIGINT = 20  # its type oid
# A bigint, the next field's length and a second bigint.
_put_leading_bigints = struct.Struct("!qiq").pack_into


def _binary_row_function(db: Any, types: Sequence[int]) -> Callable[[Sequence[Any]], bytearray]:
    """A function that makes one row's binary COPY form with the same dumpers as `copy_rows`."""
    db.ensure_connection()
    # The transformer keeps the cursor's adapters (with the JSON text dumper, for this cursor
    # alone), not the cursor.
    with db.connection.cursor() as cursor:
        cursor.adapters.register_dumper(None, _JsonTextBinaryDumper)
        transformer = Transformer(cursor)
    transformer.set_dumper_types(types, Format.BINARY)

    def make(values: Sequence[Any]) -> bytearray:
        row = bytearray()
        format_row_binary(values, transformer, row)
        return row

    return make


_column_type_cache: dict[tuple[str, str], dict[str, int]] = {}


def _column_types(db: Any, table: str) -> dict[str, int]:
    """The type oid of each of `table`'s columns, looked up once per database and table."""
    key = (db.settings_dict["NAME"], table)
    if key not in _column_type_cache:
        with db.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [db.ops.quote_name(table)],
            )
            _column_type_cache[key] = {name: int(oid) for name, oid in cursor.fetchall()}
    return _column_type_cache[key]


class _JsonTextBinaryDumper(Dumper):
    """jsonb's binary form is a version byte and the JSON text."""

    format = Format.BINARY
    oid = 3802  # jsonb

    def dump(self, obj: Any) -> bytes:
        return b"\x01" + obj.encode()


def _params_function(attnames: Sequence[str], fields: Sequence[Any]) -> Callable[[Any], tuple]:
    """One function that reads a row's values in column order, adapting each as Django would.

    It is compiled once per model so that a row costs one call, not one call per value: at a
    million rows the per-value calls were a large share of the ingest (docs/performance.md).
    """
    parts = []
    for attname, model_field in zip(attnames, fields, strict=True):
        adapter = _adapter_for(model_field.get_internal_type())
        # attnames are Python identifiers from the model's metadata, never from input.
        parts.append(f"r.{attname}" if adapter is None else adapter.format(f"r.{attname}"))
    source = f"lambda r: ({', '.join(parts)},)"
    return eval(source, dict(_ADAPTERS))  # type: ignore[no-any-return,unused-ignore]  # noqa: S307


def _adapter_for(internal_type: str) -> str | None:
    """The same conversions Django's backends make, without the per-value machinery, as an
    expression around `{}`."""
    if internal_type == "JSONField":
        # JSON text: SQLite stores it as is, and PostgreSQL's COPY parses it into jsonb.
        return "_dumps({}).decode()"
    if connection.vendor == "sqlite":
        if internal_type == "DateTimeField":
            # A moment seen before costs one look-up, without a call.
            return "(_datetime_text.get({0}) or _sqlite_datetime({0}))"
        if internal_type == "DateField":
            return "_sqlite_date({})"
    return None


# Rows share moments (received_at for a whole batch, recorded_at and first_recorded_at, dates
# alone), so each moment's text is kept; equal instants give equal UTC text whatever their zone.
_datetime_text: dict[datetime, str] = {}


def _sqlite_datetime(value: datetime | None) -> str | None:
    # Django keeps SQLite datetimes as naive UTC text when USE_TZ is on.
    if value is None:
        return None
    text = _datetime_text.get(value)
    if text is None:
        if len(_datetime_text) >= 200_000:
            _datetime_text.clear()  # cleared, not rebound: the compiled functions hold it
        # The naive UTC text is the aware UTC text without its "+00:00" (one call fewer).
        text = _datetime_text[value] = value.astimezone(UTC).isoformat(" ")[:-6]
    return text


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


# What the compiled expressions of _adapter_for call.
_ADAPTERS: dict[str, Any] = {
    "_dumps": orjson.dumps,
    "_sqlite_datetime": _sqlite_datetime,
    "_sqlite_date": _sqlite_date,
    "_datetime_text": _datetime_text,
}


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


def fill_nulls(
    table: str, column: str, where: dict[str, Any], key: str, values: dict[str, int]
) -> None:
    """UPDATE table SET column = values[key] WHERE (where) AND column IS NULL AND key IN values.

    PostgreSQL takes it as one statement, the values as one JSON array: a statement for each row
    cost the ingest with `--jobs` a sixth of its writing, where most references arrive late
    (docs/performance.md). SQLite finds the rows, then updates each by its id in one
    `executemany`, which its driver runs without a round trip.
    """
    if not values:
        return
    quote = connection.ops.quote_name
    conditions = " AND ".join(f"t.{quote(name)} = %s" for name in where)
    target = f"{quote(table)} t"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Identifiers come from model metadata, values are always parameters.
            cursor.execute(
                f"UPDATE {target} SET {quote(column)} = v.value"  # noqa: S608
                " FROM (SELECT e ->> 0 AS key, (e ->> 1)::bigint AS value"
                " FROM json_array_elements(%s::json) e) v"
                f" WHERE {conditions} AND t.{quote(column)} IS NULL AND t.{quote(key)} = v.key",
                [orjson.dumps(list(values.items())).decode(), *where.values()],
            )
            return
        found = lookup(table, ["id", key], {**where, column: None}, key, sorted(values))
        cursor.executemany(
            f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
            [(values[ref], pk) for pk, ref in found],
        )


def execute_many(sql: str, params: Iterable[Sequence[Any]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(params))


def insert_pairs(
    table: str, columns: tuple[str, str], first: Any, second: Any, *, db: Any = connection
) -> None:
    """Insert rows of two integer columns from two equal-length numpy arrays: PostgreSQL through
    COPY; SQLite from one JSON array a chunk, unpacked by SQLite itself (binding two parameters
    a row from Python costs twice as much at millions of rows). `db`: the connection to write
    through (another thread's, say)."""
    import numpy as np

    if db.vendor == "postgresql":
        copy_rows(table, columns, zip(first.tolist(), second.tolist(), strict=True), db=db)
        return
    quote = db.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with db.cursor() as cursor:
        rows = np.stack([np.asarray(first, np.int64), np.asarray(second, np.int64)], axis=1)
        sql = (
            f"INSERT INTO {quote(table)} ({names})"  # noqa: S608 - identifiers only
            " SELECT value ->> 0, value ->> 1 FROM json_each(%s)"
        )
        for start in range(0, len(rows), 200_000):
            payload = orjson.dumps(rows[start : start + 200_000], option=orjson.OPT_SERIALIZE_NUMPY)
            cursor.execute(sql, [payload.decode()])


def refresh_statistics(*models_written: type[models.Model], db: Any = connection) -> None:
    """Bring PostgreSQL's planner statistics up to date for tables a bulk load has just filled.

    Until autovacuum gets round to it, the planner still sees the tables as they were before the
    load: at a million events it took the unread-summary look-up (a few thousand rows in id
    order, by their own index) for a few hundred rows and sorted every unread summary to find
    them, half a second a chunk (docs/performance.md). SQLite's planner keeps no such figures
    unless asked to, so it has nothing stale.
    """
    if db.vendor != "postgresql" or not models_written:
        return
    quote = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(m._meta.db_table) for m in models_written)}")


def commit_without_waiting(*, db: Any = connection) -> None:
    """The current transaction's commit does not wait for PostgreSQL to flush it to disk.

    Only for a transaction that a later, waiting commit makes durable, and whose loss in a crash
    before then costs nothing but doing it again (an ingest's batch: the file's own row and audit
    entry commit after it, waiting, and a feed sent again takes what is missing). PostgreSQL
    writes its log in order, so that later flush takes this commit with it. SQLite's commits
    already do not wait (WAL with `synchronous=NORMAL`), so there it does nothing; nor inside
    another caller's transaction (a request's, say), whose commit is not ours to hurry.
    """
    if db.vendor == "postgresql" and len(db.atomic_blocks) == 1:
        with db.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


@contextmanager
def sqlite_pragma(name: str, value: int, *, db: Any = connection) -> Iterator[None]:
    """SQLite's `PRAGMA name` set to `value` while the block runs, and as it was after; on
    another database, nothing. `name` is one of ours, never input."""
    if db.vendor != "sqlite":
        yield
        return
    with db.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA {name}={int(value)}")
    try:
        yield
    finally:
        with db.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}={before}")
