"""Plain SQL reads for the few hot look-ups of judging one new event.

Judging one child asks the store a few dozen small questions (a family's records, their
relationships, their events). Each is cheap for the database; building it through the ORM costs
about a millisecond of Python apiece, most of the time the rules phase spent reading. These
helpers run fixed SQL and turn the values into what the ORM would have returned: aware UTC
datetimes, dates, decoded JSON and booleans, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection

# SQLite's limit on bound variables is 32,766; a chunk stays well under it.
CHUNK = 2000


def select_in(sql: str, values: Sequence[Any], params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run `sql`, in which `{in}` follows a column to mean "is one of `values`", after `params`.

    PostgreSQL takes the values as one array (`= ANY`); SQLite as parameters, in chunks (so an
    ORDER BY holds within a chunk only: callers sort what they need sorted).
    """
    if not values:
        return []
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.format(**{"in": "= ANY(%s)"}), [*params, list(values)])
            return list(cursor.fetchall())
        for start in range(0, len(values), CHUNK):
            chunk = list(values[start : start + CHUNK])
            marks = "IN (" + ", ".join(["%s"] * len(chunk)) + ")"
            cursor.execute(sql.format(**{"in": marks}), [*params, *chunk])
            found.extend(cursor.fetchall())
    return found


def select(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run `sql` as it stands (with `%s` for `params`)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def moment(value: Any) -> datetime | None:
    """A DateTimeField's value as the ORM gives it (SQLite keeps naive UTC text)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def day(value: Any) -> date | None:
    """A DateField's value as the ORM gives it."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def decoded(value: Any) -> Any:
    """A JSONField's value as the ORM gives it (text on SQLite, and from psycopg as Django sets
    it up)."""
    if isinstance(value, str | bytes):
        # Most events' details and sharing are empty: a new empty value costs a tenth of a
        # parse, and a family's few hundred events are decoded at each evaluation.
        if value == "{}" or value == b"{}":
            return {}
        if value == "[]" or value == b"[]":
            return []
        return json.loads(value)
    return value


def flag(value: Any) -> bool:
    """A BooleanField's value (SQLite keeps 0 and 1)."""
    return bool(value)
