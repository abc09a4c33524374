"""The child-protection Flag of a child, in the shape CP-IS consumers expect.

CP-IS shares, against the NHS number only, that a child is on a child protection plan or looked
after, since when, and which local authority holds the plan. Kinsight answers the same question
from the plan events of every agency record linked to the person holding that NHS number.
"""

from __future__ import annotations

from typing import Any

from kinsight.chronology.models import Event, EventSubject
from kinsight.connect.fhir import NHS_NUMBER
from kinsight.lib.moments import UK
from kinsight.people.models import PersonRecord

FLAG_PROFILE = "https://fhir.nhs.uk/England/StructureDefinition/ProgrammeFlag"
FLAG_CATEGORY = "https://fhir.nhs.uk/England/CodeSystem/PatientFlagCategory"
PLAN_CODES = "https://kinsight.example/fhir/CodeSystem/plan-type"
# CP-IS covers children on a child protection plan and looked-after children.
PLANS = {"child_protection": ("CPP", "Child Protection Plan"),
         "looked_after": ("LAC", "Looked After Child")}  # fmt: skip


def active_plans(person_ids: set[int], record_ids: set[int] | None = None) -> list[Event]:
    """The CP-IS plans (child protection, looked after) these persons are on now: for each kind,
    the latest plan event of any record linked to them, when it started a plan."""
    record_ids = set(record_ids or ())
    if person_ids:
        record_ids |= set(
            PersonRecord.objects.filter(person_id__in=person_ids).values_list("pk", flat=True)
        )
    event_ids = EventSubject.objects.filter(record_id__in=record_ids).values_list("event_id")
    plans = (
        Event.objects.filter(pk__in=event_ids, type="plan", retracted_at__isnull=True)
        .select_related("agency")
        .order_by("occurred_at", "recorded_at", "pk")
    )
    latest: dict[str, Event] = {}
    for plan in plans:
        kind = plan.details.get("plan")
        if kind in PLANS:
            latest[kind] = plan
    return [p for _, p in sorted(latest.items()) if p.details.get("status") == "started"]


def child_protection_flags(nhs_number: str) -> list[dict[str, Any]]:
    """One active Flag for each CP-IS plan the child is on now (none when not on a plan)."""
    records = PersonRecord.objects.filter(nhs_number=nhs_number, retracted_at__isnull=True)
    persons = {r.person_id for r in records if r.person_id is not None}
    record_ids = set(records.values_list("pk", flat=True))
    flags = []
    for plan in active_plans(persons, record_ids):
        code, display = PLANS[plan.details["plan"]]
        flags.append({
            "resourceType": "Flag",
            "id": f"{plan.agency.code}.{plan.event_id}".replace("/", "-")[:64],
            "meta": {"profile": [FLAG_PROFILE]},
            "status": "active",
            "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "CP-IS",
                                      "display": "Child Protection - Information Sharing Flag"}]}],
            "code": {"coding": [{"system": PLAN_CODES, "code": code, "display": display}],
                     "text": display},
            "subject": {"identifier": {"system": NHS_NUMBER, "value": nhs_number}},
            "period": {"start": plan.occurred_at.astimezone(UK).isoformat(timespec="seconds")},
            "author": {"display": plan.agency.name or plan.agency.code},
        })  # fmt: skip
    return flags
