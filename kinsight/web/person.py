"""What the person page shows: identity, current status, the statutory clock, alerts, family.

Each function reads a bounded number of queries whatever the length of the person's history.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from kinsight.access.models import Allocation, BreakGlass, User
from kinsight.chronology.models import Event, EventSubject
from kinsight.chronology.queries import family_person_ids
from kinsight.lib.workdays import add_months, add_working_days
from kinsight.people.models import Person, PersonRecord, Relationship
from kinsight.rules.models import Alert, AlertStatus

STATUS_TYPES = (
    "referral", "assessment", "strategy_discussion", "plan", "care_proceedings",
    "child_protection_conference", "case_closed", "decision",
)  # fmt: skip


def records_of(person: Person) -> list[PersonRecord]:
    return list(
        PersonRecord.objects.filter(person=person)
        .select_related("agency")
        .order_by("agency__code", "record_id")
    )


def display_name(records: Iterable[PersonRecord]) -> str:
    names = [r.display_name for r in records if r.given_name or r.family_name]
    return max(set(names), key=names.count) if names else "(no name)"


def link_reason_text(reason: dict[str, Any]) -> str:
    """A link's reason in words: `{"rule": "nhs_number", ...}` -> "rule: nhs number"."""
    if not reason:
        return "The first record of this person"
    parts = []
    for key, value in sorted(reason.items()):
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key.replace('_', ' ')}: {shown.replace('_', ' ')}")
    return "; ".join(parts)


def open_alerts(person_ids: list[int]) -> list[Alert]:
    """Alerts not closed or withdrawn, urgent first, newest first within a severity."""
    return list(
        Alert.objects.filter(
            child_id__in=person_ids, withdrawn_at__isnull=True, raised_at__lte=timezone.now()
        )
        .exclude(status=AlertStatus.CLOSED)
        .select_related("child")
        .order_by(severity_order(), "-raised_at", "pk")
    )


def severity_order() -> Case:
    return Case(
        When(severity="urgent", then=Value(0)),
        When(severity="warning", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


@dataclass
class Member:
    person_id: int
    name: str
    birth_date: str
    agencies: list[str]
    relationships: list[str]
    visible: bool = False

    @property
    def public_id(self) -> str:
        return f"p-{self.person_id}"


def family_members(person: Person) -> list[Member]:
    """The person's family (two recorded relationships away), each with how they are related."""
    return family(person)[0]


def family(person: Person) -> tuple[list[Member], set[tuple[int, int]]]:
    """The family's members and the pairs of them joined by a recorded relationship."""
    ids = family_person_ids(person)
    records = (
        PersonRecord.objects.filter(person_id__in=ids)
        .select_related("agency")
        .order_by("person_id", "agency__code", "record_id")
    )
    by_person: dict[int, list[PersonRecord]] = {}
    for record in records:
        assert record.person_id is not None
        by_person.setdefault(record.person_id, []).append(record)
    names = {pid: display_name(recs) for pid, recs in by_person.items()}
    members = {
        pid: Member(
            person_id=pid,
            name=names.get(pid, "(no name)"),
            birth_date=max((r.birth_date for r in recs), key=len, default=""),
            agencies=sorted({r.agency.code for r in recs}),
            relationships=[],
        )
        for pid, recs in by_person.items()
    }
    rows = Relationship.objects.filter(
        person_record__person_id__in=ids, relative_record__person_id__in=ids
    ).values_list("person_record__person_id", "relative_record__person_id", "type", "agency__code")
    said: dict[tuple[int, str], set[str]] = {}
    pairs: set[tuple[int, int]] = set()
    for child, relative, kind, agency in rows:
        if relative in members and child in members:
            pairs.add((min(child, relative), max(child, relative)))
            text = f"{kind.replace('_', ' ')} of {names.get(child, '(no name)')}"
            said.setdefault((relative, text), set()).add(agency)
    for (relative, text), agencies in said.items():
        members[relative].relationships.append(f"{text} ({', '.join(sorted(agencies))})")
    ordered = [members[pid] for pid in ids if pid in members and pid != person.pk]
    for member in ordered:
        member.relationships = sorted(set(member.relationships))
    return ordered, pairs


@dataclass
class Node:
    x: float
    y: float
    name: str
    centre: bool


@dataclass
class Diagram:
    width: int
    height: int
    nodes: list[Node]
    lines: list[tuple[float, float, float, float]]


def family_diagram(
    person: Person, name: str, birth: str, members: list[Member], pairs: set[tuple[int, int]]
) -> Diagram | None:
    """Two rows: the adults above, the person with the other children below, a line for each
    recorded relationship. Adults are those born 14 or more years before the person, or, with
    no birth date, recorded as someone's parent, carer or partner."""
    if not members:
        return None

    def is_adult(member: Member) -> bool:
        if member.birth_date[:4].isdigit() and birth[:4].isdigit():
            return int(member.birth_date[:4]) <= int(birth[:4]) - 14
        return any(
            word in text
            for text in member.relationships
            for word in ("mother", "father", "parent", "carer", "partner", "grandparent")
        )

    top = [m for m in members if is_adult(m)]
    bottom = [m for m in members if not is_adult(m)]
    # The person sits in the middle of the lower row.
    lower: list[tuple[int, str, bool]] = [(m.person_id, m.name, False) for m in bottom]
    lower.insert(len(lower) // 2, (person.pk, name, True))
    upper = [(m.person_id, m.name, False) for m in top]
    columns = max(len(upper), len(lower))
    width = max(300, 150 * columns)
    at: dict[int, Node] = {}
    for y, row in ((40.0, upper), (140.0 if upper else 40.0, lower)):
        step = width / (len(row) or 1)
        for i, (pid, label, centre) in enumerate(row):
            at[pid] = Node(round(step * i + step / 2, 1), y, label, centre)
    lines = [(at[a].x, at[a].y, at[b].x, at[b].y) for a, b in sorted(pairs) if a in at and b in at]
    return Diagram(width, 180 if upper else 80, list(at.values()), lines)


@dataclass
class Status:
    what: str
    since: datetime
    agency: str
    event_id: str


@dataclass
class Deadline:
    what: str
    due: datetime
    how: str
    met: bool
    event_id: str

    @property
    def overdue(self) -> bool:
        return not self.met and self.due < timezone.now()


def status_events(person: Person) -> list[Event]:
    """The events that open or close a plan, an assessment, an enquiry or proceedings."""
    subject_of = EventSubject.objects.filter(record__person_id=person.pk).values("event_id")
    return list(
        Event.objects.filter(pk__in=subject_of, type__in=STATUS_TYPES, retracted_at__isnull=True)
        .select_related("agency")
        .order_by("occurred_at", "recorded_at", "pk")
    )


def current_status(events: list[Event]) -> list[Status]:
    """Plans, assessments and enquiries started and not yet ended, and proceedings under way."""
    open_: dict[tuple[str, str], Status] = {}
    for e in events:
        d = e.details or {}
        if e.type == "plan" and d.get("plan"):
            key = ("plan", str(d["plan"]))
            if d.get("status") == "ended":
                open_.pop(key, None)
            else:
                label = str(d["plan"]).replace("_", " ").capitalize() + " plan"
                if d["plan"] == "looked_after":
                    label = "Looked after"
                open_[key] = Status(label, e.occurred_at, e.agency.code, e.event_id)
        elif e.type == "assessment" and d.get("assessment"):
            key = ("assessment", f"{e.agency.code}:{d['assessment']}")
            if d.get("status") == "completed":
                open_.pop(key, None)
                if d["assessment"] == "section_47":
                    open_.pop(("enquiry", "section_47"), None)
            else:
                kind = str(d["assessment"]).replace("_", " ")
                what = (
                    "Section 47 enquiry"
                    if d["assessment"] == "section_47"
                    else (f"Assessment ({kind})")
                )
                open_[key] = Status(what, e.occurred_at, e.agency.code, e.event_id)
        elif e.type == "strategy_discussion" and d.get("outcome") == "section_47":
            if not any(k[0] == "assessment" and k[1].endswith("section_47") for k in open_):
                open_[("enquiry", "section_47")] = Status(
                    "Section 47 enquiry agreed", e.occurred_at, e.agency.code, e.event_id
                )
        elif e.type == "care_proceedings":
            if d.get("stage") in ("final_order", "withdrawn"):
                open_.pop(("proceedings", ""), None)
            else:
                stage = str(d.get("stage", "under way")).replace("_", " ")
                open_[("proceedings", "")] = Status(
                    f"Care proceedings ({stage})", e.occurred_at, e.agency.code, e.event_id
                )
        elif e.type == "case_closed":
            open_ = {k: v for k, v in open_.items() if k[0] != "assessment"}
    return sorted(open_.values(), key=lambda s: s.since)


ANSWERS = {"assessment", "strategy_discussion", "case_closed", "decision"}


def statutory_clock(events: list[Event]) -> list[Deadline]:
    """Each statutory deadline the person's events start, when it falls due and whether it was met.

    Working Together to Safeguard Children 2023: a decision on a referral within one working day;
    an assessment completed within 45 working days; an initial child protection conference within
    15 working days of the strategy discussion that began a section 47 enquiry; the first review
    conference within three months of a plan starting.
    """

    def moments(keep: Callable[[Event], bool], at: Callable[[Event], datetime]) -> list[datetime]:
        return sorted(at(f) for f in events if keep(f))

    def any_between(moments: list[datetime], start: datetime, end: datetime) -> bool:
        i = bisect_left(moments, start)
        return i < len(moments) and moments[i] <= end

    answers = moments(
        lambda f: f.type in ANSWERS and f.agency.sector == "social_care", lambda f: f.recorded_at
    )
    completed: dict[str, list[datetime]] = {}
    for f in events:
        d = f.details or {}
        if f.type == "assessment" and d.get("status") == "completed":
            completed.setdefault(str(d.get("assessment")), []).append(f.occurred_at)
    for times in completed.values():
        times.sort()
    initial = moments(
        lambda f: (
            f.type == "child_protection_conference"
            and (f.details or {}).get("conference") in ("initial", "pre_birth")
        ),
        lambda f: f.occurred_at,
    )
    review = moments(
        lambda f: (
            f.type == "child_protection_conference"
            and (f.details or {}).get("conference") == "review"
        ),
        lambda f: f.occurred_at,
    )
    deadlines: list[Deadline] = []
    for e in events:
        d = e.details or {}
        if e.type == "referral":
            due = add_working_days(e.recorded_at, 1)
            deadlines.append(Deadline(
                "Decision on the referral", due,
                "1 working day after the referral was recorded",
                any_between(answers, e.recorded_at, due), e.event_id,
            ))  # fmt: skip
        elif e.type == "assessment" and d.get("status") == "started":
            due = add_working_days(e.occurred_at, 45)
            kind = str(d.get("assessment"))
            deadlines.append(Deadline(
                f"Assessment ({kind.replace('_', ' ')}) completed", due,
                "45 working days after it started",
                any_between(completed.get(kind, []), e.occurred_at, due), e.event_id,
            ))  # fmt: skip
        elif e.type == "strategy_discussion" and d.get("outcome") == "section_47":
            due = add_working_days(e.occurred_at, 15)
            deadlines.append(Deadline(
                "Initial child protection conference", due,
                "15 working days after the strategy discussion",
                any_between(initial, e.occurred_at, due), e.event_id,
            ))  # fmt: skip
        elif e.type == "plan" and d.get("plan") == "child_protection" and d.get("status") in (
            "started", None,
        ):  # fmt: skip
            due = add_months(e.occurred_at, 3)
            deadlines.append(Deadline(
                "First review child protection conference", due,
                "3 calendar months after the plan started",
                any_between(review, e.occurred_at, due), e.event_id,
            ))  # fmt: skip
    return deadlines


# How far back the lead professional is shown that the record was opened by break-glass.
BREAK_GLASS_SHOWN_DAYS = 90


def opened_by_break_glass(user: User, person: Person) -> list[BreakGlass]:
    """When the user is the person's lead professional: who opened the record by break-glass
    lately, when and why. Nobody else is shown (auditors have their own list)."""
    if not Allocation.objects.filter(child=person, lead=user, ended_at__isnull=True).exists():
        return []
    since = timezone.now() - timedelta(days=BREAK_GLASS_SHOWN_DAYS)
    return list(
        BreakGlass.objects.filter(person=person, granted_at__gte=since)
        .select_related("user")
        .order_by("-granted_at")
    )
