"""Small readings of a child's facts shared by the pattern and information-gap rules.

Each function takes facts already cut to what was known at a moment (`ChildContext.known`), so a
rule stays free of hindsight by passing the right moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kinsight.lib.moments import UK
from kinsight.rules.context import Fact
from kinsight.rules.episodes import Assessment, Enquiry, Plan, plans

ADULT_EXPERIENCERS = {"mother", "father", "partner", "other_adult"}
NEGLECT_FINDINGS = ("neglect_home", "neglect_care", "school_absence")
PLAN_KINDS = ("child_protection", "child_in_need", "early_help", "looked_after")


def open_at(episode: Plan | Assessment | Enquiry, moment: datetime) -> bool:
    """Whether a plan, assessment or enquiry (as known when asked) was open at `moment`."""
    return episode.start.occurred_at <= moment and (
        episode.end is None or episode.end.occurred_at > moment
    )


def all_plans(facts: list[Fact], by: datetime) -> list[Plan]:
    """Plans of every kind known by `by`, oldest first."""
    found = [p for kind in PLAN_KINDS for p in plans(facts, by, kind)]
    return sorted(found, key=lambda p: p.start.occurred_at)


def on_plan_at(facts: list[Fact], moment: datetime, *kinds: str) -> bool:
    """On a plan of these kinds (default: any) at `moment`, as known then."""
    return any(
        open_at(p, moment) and (not kinds or p.kind in kinds) for p in all_plans(facts, moment)
    )


def plan_category(plan: Plan) -> str:
    """The category of a plan, from the plan or the conference that started it."""
    for fact in [plan.start, *plan.also_started_by]:
        if fact.details.get("category"):
            return str(fact.details["category"])
    return ""


def child_findings(fact: Fact, *indicators: str) -> list[str]:
    """Present, current findings of these indicators that are not about an adult."""
    return [
        f.indicator
        for f in fact.findings
        if f.indicator in indicators
        and f.present
        and not f.historical
        and f.experiencer not in ADULT_EXPERIENCERS
    ]


def by_parent(fact: Fact, *indicators: str) -> list[str]:
    """Present, current findings of these indicators that are not about the child."""
    return [
        f.indicator
        for f in fact.findings
        if f.indicator in indicators and f.present and not f.historical and f.experiencer != "child"
    ]


def day(moment: datetime) -> str:
    """A moment as a practitioner reads a date: 08/11/2019."""
    return moment.astimezone(UK).strftime("%d/%m/%Y")


def when(moment: datetime) -> str:
    """A moment as a practitioner reads it: 08/11/2019 18:50."""
    return moment.astimezone(UK).strftime("%d/%m/%Y %H:%M")


@dataclass
class RecordVersionAt:
    """One version of one agency's person record, and from when it applied."""

    record: tuple[str, str]
    recorded_at: datetime | None  # None: known from the start
    nhs_number: str
    address_text: str
    postcode: str


def record_history(records: list[tuple[str, str]]) -> list[RecordVersionAt]:
    """Every version of these person records (current and superseded), oldest first.

    The current version is on the record's row and earlier ones in the version history; a rule
    reads the one that applied at a moment with `record_at`.
    """
    from kinsight.feeds.models import RecordVersion
    from kinsight.people.models import PersonRecord

    wanted = set(records)
    found: list[RecordVersionAt] = []
    rows = PersonRecord.objects.filter(record_id__in={rid for _, rid in wanted}).select_related(
        "agency"
    )
    agency_ids: dict[str, int] = {}
    for row in rows:
        key = (row.agency.code, row.record_id)
        if key not in wanted:
            continue
        agency_ids[row.agency.code] = row.agency_id
        found.append(
            RecordVersionAt(key, row.recorded_at, row.nhs_number, row.address_text, row.postcode)
        )
    history = RecordVersion.objects.filter(
        kind="person", key__in={rid for _, rid in wanted}, agency_id__in=set(agency_ids.values())
    ).select_related("agency")
    for version in history:
        key = (version.agency.code, version.key)
        if key not in wanted:
            continue
        data = version.data
        stamp = data.get("recorded_at")
        found.append(
            RecordVersionAt(
                key,
                _aware(stamp) if stamp else None,
                str(data.get("nhs_number") or ""),
                str(data.get("address_text") or ""),
                str(data.get("postcode") or ""),
            )
        )
    return sorted(found, key=lambda v: (v.recorded_at is not None, v.recorded_at or _EPOCH))


def records_at(
    history: list[RecordVersionAt], moment: datetime
) -> dict[tuple[str, str], RecordVersionAt]:
    """The version of each record that applied at a moment (records not yet known are left out)."""
    current: dict[tuple[str, str], RecordVersionAt] = {}
    for version in history:
        if version.recorded_at is None or version.recorded_at <= moment:
            current[version.record] = version
    return current


def _aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UK)


_EPOCH = datetime(1900, 1, 1, tzinfo=UK)
