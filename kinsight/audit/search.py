"""Searching the audit trail for auditors: "who looked at this child?"."""

from __future__ import annotations

from django.db.models import Q

from kinsight.audit.models import AuditEntry
from kinsight.people.models import Person, PersonRecord
from kinsight.rules.models import Alert

LIMIT = 1000


def person_named(text: str) -> Person | None:
    """The person a record reference names: `AGENCY:ID` or a public id `p-12`, followed to the
    person it was merged into. An auditor looks people up without the need-to-know check: they
    read the trail, which names people anyway, and never the records themselves."""
    text = text.strip()
    person: Person | None = None
    if text.startswith("p-") and text[2:].isdigit():
        person = Person.objects.filter(pk=int(text[2:])).first()
    else:
        agency, sep, record_id = text.partition(":")
        if sep and agency and record_id:
            record = (
                PersonRecord.objects.select_related("person")
                .filter(agency__code=agency.strip(), record_id=record_id.strip())
                .first()
            )
            person = record.person if record is not None else None
    hops = 0
    while person is not None and person.merged_into_id is not None and hops < 10:
        person = Person.objects.filter(pk=person.merged_into_id).first()
        hops += 1
    return person


def who_looked(person: Person, limit: int = LIMIT) -> list[AuditEntry]:
    """Every audit entry about the person (or a person merged into them) and their alerts, reads
    and writes alike, refused ones included, newest first."""
    people = [person, *person.merged_from.all()]
    # A refused read is audited with the id as asked: a page asks by number, the API by p-12.
    public_ids = [i for p in people for i in (p.public_id, str(p.pk))]
    alert_ids = [str(pk) for pk in Alert.objects.filter(child=person).values_list("pk", flat=True)]
    about = Q(object_type="person", object_id__in=public_ids)
    if alert_ids:
        about |= Q(object_type="alert", object_id__in=alert_ids)
    return list(AuditEntry.objects.filter(about).order_by("-at", "-pk")[:limit])
