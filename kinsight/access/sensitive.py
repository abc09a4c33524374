"""Sensitive categories: which events only some roles may read, in one rule table.

A category is configured by the sector of the agency that recorded an event (everything a
`mental_health` agency records), by the event's type (feed-format.md), and for allegations by
whom it is about (an adult named as the alleged perpetrator). Each category names the roles that
read it; everyone else sees, where the event would be, a line saying that an entry of a
restricted category exists and whom to ask, without its summary, subjects or details, so that
nothing looks silently missing.

Two exceptions, both because the reader already holds the entry: the agency that recorded an
event always reads it in full, and the table never widens who sees a person (that is
`checks.visible_among`); it only narrows what a visible person's chronology shows.

Administrators and auditors read no records at all (`checks`), so their rows in the table are
empty; reviewers read every category, because a practice review is about what was known, and
what was known includes these entries. The review pack (`kinsight review-pack`) is made for the
commissioned reviewer and is therefore not screened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from kinsight.access.models import Role, User
from kinsight.chronology.models import Event, EventSubject, Indicator

# An event of type `allegation` is "against an adult" when a subject in one of these roles is
# 18 or over when it happened, or of unknown age (a perpetrator's age is often not recorded).
ACCUSED_ROLES = frozenset({"alleged_perpetrator", "perpetrator", "accused"})
ADULT_AGE = 18


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    # Everything recorded by an agency of one of these sectors.
    sectors: frozenset[str]
    # Events of these types, whoever recorded them.
    types: frozenset[str]
    # Only when the event accuses an adult (the types above must then match too).
    against_adult: bool
    # The roles that read the entry in full.
    roles: frozenset[str]


CATEGORIES: tuple[Category, ...] = (
    Category(
        id="mental_health",
        label="mental health",
        sectors=frozenset({"mental_health"}),
        types=frozenset({"mental_health_service"}),
        against_adult=False,
        roles=frozenset({Role.HEALTH, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.REVIEWER}),
    ),
    Category(
        id="sexual_health",
        label="sexual health",
        sectors=frozenset(),
        # Not in feed-format.md's table: agencies send them as types of their own, which are
        # accepted and kept.
        types=frozenset({"sexual_health", "sexual_health_service"}),
        against_adult=False,
        roles=frozenset({Role.HEALTH, Role.REVIEWER}),
    ),
    Category(
        id="allegation_against_adult",
        label="an unproven allegation against an adult",
        sectors=frozenset(),
        types=frozenset({"allegation"}),
        against_adult=True,
        roles=frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.POLICE, Role.REVIEWER}),
    ),
)
BY_ID = {c.id: c for c in CATEGORIES}


def category_of(event: Event) -> Category | None:
    """The first category the event falls in, or None. Reads prefetched subjects only."""
    for category in CATEGORIES:
        if event.agency.sector in category.sectors:
            return category
        if event.type in category.types and (
            not category.against_adult or _accuses_an_adult(event)
        ):
            return category
    return None


def may_read(user: User, event: Event, category: Category | None) -> bool:
    if category is None or user.role in category.roles:
        return True
    return bool(user.agency_code) and event.agency.code == user.agency_code


def screen(user: User, events: Iterable[Event]) -> list[Event]:
    """The events as the user may read them: a restricted one is replaced by a notice.

    The notice keeps the agency, the id and the two moments (so that it can be asked about) and
    says whom to ask; it has no summary, subjects, details, indicators or sharing. One query for
    the contacts of the agencies withheld, none when nothing is.
    """
    events = list(events)
    withheld: dict[int, Category] = {}
    for i, event in enumerate(events):
        category = category_of(event)
        if not may_read(user, event, category):
            assert category is not None
            withheld[i] = category
    if not withheld:
        return events
    contacts = _contacts({events[i].agency.code for i in withheld})
    shown = list(events)
    for i, category in withheld.items():
        shown[i] = _notice(events[i], category, contacts.get(events[i].agency.code, ""))
    return shown


def ask_text(agency_name: str, email: str) -> str:
    who = f"{agency_name}'s designated safeguarding contact"
    return f"{who} ({email})" if email else who


def _notice(event: Event, category: Category, email: str) -> Event:
    agency = event.agency
    notice = Event(
        pk=event.pk,
        agency=agency,
        event_id=event.event_id,
        type="restricted",
        occurred_at=event.occurred_at,
        recorded_at=event.recorded_at,
        first_recorded_at=event.first_recorded_at,
        received_at=event.received_at,
        summary=(
            f"An entry of a restricted category ({category.label}) is held by {agency.name}. "
            f"Your role does not read it; if you need it, ask {ask_text(agency.name, email)}."
        ),
        details={},
        shared_with=[],
        subjects=[],
    )
    notice.restricted = category.id  # type: ignore[attr-defined]
    notice.ask = ask_text(agency.name, email)  # type: ignore[attr-defined]
    # As if prefetched, and empty: nothing of the entry can be read through its relations.
    empty_subjects: QuerySet[EventSubject] = EventSubject.objects.none()
    empty_indicators: QuerySet[Indicator] = Indicator.objects.none()
    notice._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "subject_rows": empty_subjects,
        "indicators": empty_indicators,
    }
    return notice


def _contacts(agency_codes: set[str]) -> dict[str, str]:
    from kinsight.connect.models import SafeguardingContact

    rows = SafeguardingContact.objects.filter(agency_code__in=agency_codes)
    return {c.agency_code: c.email for c in rows}


def _accuses_an_adult(event: Event) -> bool:
    rows = {row.ref: row for row in event.subject_rows.all()}
    for subject in event.subjects:
        if str(subject.get("role", "")).lower() not in ACCUSED_ROLES:
            continue
        row = rows.get(str(subject.get("ref", "")))
        record = row.record if row is not None else None
        if record is None or _adult_at(record.birth_date, event.occurred_at) is not False:
            return True
    return False


def _adult_at(birth_date: str, when: datetime) -> bool | None:
    """Whether someone born on `birth_date` (YYYY, YYYY-MM or YYYY-MM-DD) was an adult `when`.

    None when the birth date says too little; a year alone counts as the year's last day, so
    that nobody is taken for an adult before they can have been one.
    """
    parts = (birth_date or "").split("-")
    if not parts[0].isdigit():
        return None
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 12
    day = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 31
    on = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    age = on.year - year - ((on.month, on.day) < (month, day))
    return age >= ADULT_AGE
