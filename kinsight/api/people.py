"""The API's reads of people: search, a person, their chronology, who knew what.

The same access checks and audit as the pages (`kinsight.access.checks`): a person the caller
may not see answers 404, exactly as one that is not held.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.security import django_auth

from kinsight.access.checks import audit_read, person_for, visible_among
from kinsight.access.models import User
from kinsight.access.sensitive import screen
from kinsight.chronology.queries import event_json, events_of, family_person_ids
from kinsight.lib.moments import format_moment
from kinsight.people.search import Criteria, find_people
from kinsight.rules.queries import alert_json
from kinsight.web import chronology as chron
from kinsight.web import person as person_pages

router = Router(tags=["people"], auth=django_auth)


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)


class SearchQuery(Schema):
    name: str = ""
    birth_date: date | None = None
    nhs_number: str = ""
    agency_id: str = ""


class FoundOut(Schema):
    person: str
    name: str
    birth_date: str
    sex: str
    postcode_area: str
    agencies: list[str]


@router.get("/people", response=list[FoundOut], summary="Find people the caller may see")
def search(request: HttpRequest, query: Query[SearchQuery]) -> list[FoundOut]:
    criteria = Criteria(query.name[:200], query.birth_date, query.nhs_number[:20],
                        query.agency_id[:200])  # fmt: skip
    if criteria.empty:
        return []
    found = find_people(criteria)
    visible = visible_among(user_of(request), [f.person_id for f in found])
    results = [f for f in found if f.person_id in visible]
    audit_read(
        user_of(request), "search", "person", "",
        {"criteria": criteria.as_audit(), "found": [f.public_id for f in results], "api": True},
    )  # fmt: skip
    return [
        FoundOut(person=f.public_id, name=f.name, birth_date=f.birth_date, sex=f.sex,
                 postcode_area=f.postcode_area, agencies=f.agencies)
        for f in results
    ]  # fmt: skip


class RecordOut(Schema):
    agency: str
    id: str
    name: str
    birth_date: str
    nhs_number: str
    link_reason: dict[str, Any]


class StatusOut(Schema):
    what: str
    since: str
    agency: str
    event: str


class DeadlineOut(Schema):
    what: str
    due: str
    how: str
    met: bool
    overdue: bool
    event: str


class MemberOut(Schema):
    person: str
    name: str
    birth_date: str
    agencies: list[str]
    relationships: list[str]


class PersonOut(Schema):
    person: str
    name: str
    records: list[RecordOut]
    status: list[StatusOut]
    deadlines: list[DeadlineOut]
    alerts: list[dict[str, Any]]
    family: list[MemberOut]


@router.get("/people/{person_id}", response=PersonOut, summary="A person, as on the person page")
def person(request: HttpRequest, person_id: str) -> PersonOut:
    subject = person_for(user_of(request), person_id, read="person")
    records = person_pages.records_of(subject)
    events = screen(user_of(request), person_pages.status_events(subject))
    return PersonOut(
        person=subject.public_id,
        name=person_pages.display_name(records),
        records=[
            RecordOut(agency=r.agency.code, id=r.record_id, name=r.display_name,
                      birth_date=r.birth_date, nhs_number=r.nhs_number,
                      link_reason=r.link_reason)
            for r in records
        ],
        status=[
            StatusOut(what=s.what, since=format_moment(s.since), agency=s.agency,
                      event=s.event_id)
            for s in person_pages.current_status(events)
        ],
        deadlines=[
            DeadlineOut(what=d.what, due=format_moment(d.due), how=d.how, met=d.met,
                        overdue=d.overdue, event=d.event_id)
            for d in person_pages.statutory_clock(events)
        ],
        alerts=[alert_json(a) for a in person_pages.open_alerts([subject.pk])],
        family=[
            MemberOut(person=m.public_id, name=m.name, birth_date=m.birth_date,
                      agencies=m.agencies, relationships=m.relationships)
            for m in person_pages.family_members(subject)
        ],
    )  # fmt: skip


class ChronologyQuery(Schema):
    family: bool = False
    agency: list[str] = []
    type: list[str] = []
    since: date | None = None
    until: date | None = None


class ChronologyOut(Schema):
    person: str
    family: list[str] | None = None
    events: list[dict[str, Any]]


@router.get(
    "/people/{person_id}/chronology",
    response=ChronologyOut,
    summary="A person's or their family's chronology, filtered",
)
def chronology(
    request: HttpRequest, person_id: str, query: Query[ChronologyQuery]
) -> ChronologyOut:
    read = "family_chronology" if query.family else "chronology"
    subject = person_for(user_of(request), person_id, read=read)
    ids = family_person_ids(subject) if query.family else [subject.pk]
    filters = chron.Filters(query.agency, query.type, query.since, query.until)
    events = chron.apply(screen(user_of(request), events_of(ids)), filters)
    return ChronologyOut(
        person=subject.public_id,
        family=[f"p-{pk}" for pk in ids] if query.family else None,
        events=[event_json(e) for e in events],
    )


class PeriodQuery(Schema):
    since: date | None = None
    until: date | None = None


class KnewOut(Schema):
    agency: str
    event: str
    type: str
    occurred_at: str
    knew: dict[str, dict[str, str]]


@router.get(
    "/people/{person_id}/who-knew-what",
    response=list[KnewOut],
    summary="For each significant event, who recorded it and who was told",
)
def who_knew(request: HttpRequest, person_id: str, query: Query[PeriodQuery]) -> list[KnewOut]:
    subject = person_for(user_of(request), person_id, read="who_knew")
    filters = chron.Filters(since=query.since, until=query.until)
    events = screen(user_of(request), events_of(family_person_ids(subject)))
    agencies, rows = chron.who_knew(chron.apply(events, filters))
    return [
        KnewOut(
            agency=row.event.agency.code, event=row.event.event_id, type=row.event.type,
            occurred_at=format_moment(row.event.occurred_at),
            knew={a: {"how": c.kind, "when": c.when}
                  for a, c in zip(agencies, row.cells, strict=True) if c.kind},
        )
        for row in rows
    ]  # fmt: skip
