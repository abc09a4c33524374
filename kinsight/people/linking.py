"""Joining agency records into persons.

Until the probabilistic linkage lands (issue 3), records join only when they share a valid NHS
number; every other record is a person of its own. That errs towards missed links, never false
ones: a false link would put one child's injuries on another child's record.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from kinsight.people.models import Person, PersonRecord

CHUNK = 2000


def link_unlinked_records() -> int:
    """Give every record without a person one; return how many records were linked."""
    linked = 0
    while True:
        with transaction.atomic():
            pending = list(
                PersonRecord.objects.filter(person__isnull=True)
                .order_by("pk")
                .only("pk", "nhs_number")[:CHUNK]
            )
            if not pending:
                return linked
            linked += _link(pending)


def _link(records: list[PersonRecord]) -> int:
    by_nhs: dict[str, list[PersonRecord]] = defaultdict(list)
    alone: list[PersonRecord] = []
    for record in records:
        (by_nhs[record.nhs_number] if record.nhs_number else alone).append(record)
    known = dict(
        PersonRecord.objects.filter(nhs_number__in=list(by_nhs), person__isnull=False)
        .order_by("pk")
        .values_list("nhs_number", "person_id")
    )
    groups: list[tuple[list[PersonRecord], dict[str, str]]] = []
    for nhs, group in by_nhs.items():
        groups.append((group, {"rule": "shared_nhs_number", "nhs_number_last4": nhs[-4:]}))
    for record in alone:
        groups.append(([record], {"rule": "single_record"}))
    new_persons = [Person() for group, _ in groups if not _existing(group, known)]
    Person.objects.bulk_create(new_persons, batch_size=1000)
    fresh = iter(new_persons)
    for group, reason in groups:
        person_id = _existing(group, known)
        if person_id is None:
            person_id = next(fresh).pk
        for record in group:
            record.person_id = person_id
            record.link_reason = reason
    PersonRecord.objects.bulk_update(records, ["person", "link_reason"], batch_size=1000)
    return len(records)


def _existing(group: list[PersonRecord], known: dict[str, int]) -> int | None:
    nhs = group[0].nhs_number
    return known.get(nhs) if nhs else None
