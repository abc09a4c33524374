"""Joining agency records into persons.

Until the probabilistic linkage lands (issue 3), records join only when they share a valid NHS
number; every other record is a person of its own. That errs towards missed links, never false
ones: a false link would put one child's injuries on another child's record.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from kinsight.lib.bulk import execute_many
from kinsight.people.models import Person, PersonRecord

CHUNK = 20_000


def link_unlinked_records() -> int:
    """Give every record without a person one; return how many records were linked."""
    linked = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Person ids are handed out here, so two linkers must not run at once.
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE people_person IN SHARE ROW EXCLUSIVE MODE")
        last = 0
        while True:
            pending = list(
                PersonRecord.objects.filter(person__isnull=True, pk__gt=last)
                .order_by("pk")
                .values_list("pk", "nhs_number")[:CHUNK]
            )
            if not pending:
                break
            last = pending[-1][0]
            linked += _link(pending)
        _advance_sequence()
    return linked


def _link(pending: list[tuple[int, str]]) -> int:
    numbers = {nhs for _, nhs in pending if nhs}
    known: dict[str, int] = {}
    for chunk in _chunks(sorted(numbers), 900):
        known.update(
            PersonRecord.objects.filter(nhs_number__in=chunk, person__isnull=False)
            .order_by("-pk")
            .values_list("nhs_number", "person_id")
        )
    next_id = (Person.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    new_people: list[int] = []
    updates: list[tuple[int, str, int]] = []
    ops = connection.ops
    shared = ops.adapt_json_value({"rule": "shared_nhs_number"}, None)
    single = ops.adapt_json_value({"rule": "single_record"}, None)
    for pk, nhs in pending:
        person_id = known.get(nhs) if nhs else None
        if person_id is None:
            person_id = next_id
            next_id += 1
            new_people.append(person_id)
            if nhs:
                known[nhs] = person_id
        updates.append((person_id, shared if nhs else single, pk))
    now = ops.adapt_datetimefield_value(timezone.now())
    execute_many(
        "INSERT INTO people_person (id, created_at) VALUES (%s, %s)",
        [(pk, now) for pk in new_people],
    )
    if connection.vendor == "postgresql":
        # One statement per chunk: a row-by-row UPDATE waits on the server once per record.
        for reason in (shared, single):
            rows = [(person_id, pk) for person_id, r, pk in updates if r is reason]
            if not rows:
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE people_personrecord AS r SET person_id = v.person_id,"
                    " link_reason = %s FROM (SELECT unnest(%s::bigint[]) AS person_id,"
                    " unnest(%s::bigint[]) AS id) AS v WHERE r.id = v.id",
                    [reason, [p for p, _ in rows], [i for _, i in rows]],
                )
    else:
        execute_many(
            "UPDATE people_personrecord SET person_id = %s, link_reason = %s WHERE id = %s",
            updates,
        )
    return len(updates)


def _advance_sequence() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('people_person', 'id'),"
            " GREATEST((SELECT MAX(id) FROM people_person), 1))"
        )


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
