"""Serialising work that two processes must not do at once, across the store's processes."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def serialised(name: str) -> Iterator[None]:
    """Hold a store-wide lock named `name` while the block runs.

    On PostgreSQL a session advisory lock; SQLite already lets one writer in at a time (every
    transaction begins IMMEDIATE), so there it is a no-op.
    """
    if connection.vendor != "postgresql":
        yield
        return
    key = zlib.crc32(f"kinsight:{name}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
