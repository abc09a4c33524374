"""Small readings of a child's facts shared by the pattern and information-gap rules.

Each function takes facts already cut to what was known at a moment (`ChildContext.known`), so a
rule stays free of hindsight by passing the right moment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from kinsight.lib.moments import UK
from kinsight.rules.context import Fact

ADULT_EXPERIENCERS = {"mother", "father", "partner", "other_adult"}
NEGLECT_FINDINGS = ("neglect_home", "neglect_care", "school_absence")
_SEEN = re.compile(r"\b(seen|saw|spoke (?:to|with)|spoken to)\b", re.IGNORECASE)
_NOT_SEEN = re.compile(
    r"\b(not|n't|never|unable to|without|no)\b[^.;]{0,30}\b(seen|see|saw)\b|\bunseen\b",
    re.IGNORECASE,
)
_CHILD_WORDS = re.compile(
    r"\b(child|children|baby|babies|twins?|infant|toddler|boy|girl|son|daughter|siblings?|"
    r"young person|all (?:two|three|four|five|\w+) (?:children|kids)|both)\b",
    re.IGNORECASE,
)


@dataclass
class Span:
    """A plan, an assessment or an enquiry: from the fact that opened it to the one ending it."""

    kind: str  # "plan:child_protection", "assessment:pre_birth", "enquiry", ...
    start: Fact
    end: Fact | None
    category: str = ""

    @property
    def episode(self) -> str:
        return f"{self.kind}:{self.start.key[0]}:{self.start.key[1]}"

    def open_at(self, moment: datetime) -> bool:
        return self.start.occurred_at <= moment and (
            self.end is None or self.end.occurred_at > moment
        )

    def ended_within(self, moment: datetime, since: datetime) -> bool:
        return self.end is not None and since <= self.end.occurred_at <= moment


def plans(facts: list[Fact]) -> list[Span]:
    """Plans of every kind; a child protection plan also opens and closes at conferences."""
    spans: list[Span] = []
    for fact in sorted(facts, key=lambda f: (f.occurred_at, f.recorded_at)):
        kind, status = _plan_change(fact)
        if not kind:
            continue
        current = [s for s in spans if s.kind == kind and s.end is None]
        if status == "started" and not current:
            category = str(fact.details.get("category") or "")
            spans.append(Span(kind, fact, None, category))
        elif status == "started" and not current[-1].category:
            current[-1].category = str(fact.details.get("category") or "")
        elif status == "ended" and current:
            current[-1].end = fact
    return spans


def _plan_change(fact: Fact) -> tuple[str, str]:
    details = fact.details
    if fact.type == "plan" and details.get("status") in ("started", "ended"):
        return f"plan:{details.get('plan') or 'other'}", str(details["status"])
    if fact.type == "child_protection_conference":
        conference, outcome = details.get("conference"), details.get("outcome")
        if conference in ("initial", "pre_birth") and outcome == "plan":
            return "plan:child_protection", "started"
        if outcome == "plan_ends":
            return "plan:child_protection", "ended"
    return "", ""


def assessments(facts: list[Fact]) -> list[Span]:
    """Assessments, each from `started` to the `completed` of the same kind."""
    spans: list[Span] = []
    for fact in sorted(facts, key=lambda f: (f.occurred_at, f.recorded_at)):
        if fact.type != "assessment":
            continue
        kind = f"assessment:{fact.details.get('assessment') or 'other'}"
        status = fact.details.get("status")
        current = [s for s in spans if s.kind == kind and s.end is None]
        if status == "started" and not current:
            spans.append(Span(kind, fact, None))
        elif status == "completed" and current:
            current[-1].end = fact
    return spans


def enquiries(facts: list[Fact]) -> list[Span]:
    """Section 47 enquiries: from a strategy discussion deciding one (or a section 47 assessment
    started) until that assessment is completed or a conference is held."""
    spans: list[Span] = []
    for fact in sorted(facts, key=lambda f: (f.occurred_at, f.recorded_at)):
        current = [s for s in spans if s.end is None]
        opens = (
            fact.type == "strategy_discussion" and fact.details.get("outcome") == "section_47"
        ) or (
            fact.type == "assessment"
            and fact.details.get("assessment") == "section_47"
            and fact.details.get("status") == "started"
        )
        closes = fact.type == "child_protection_conference" or (
            fact.type == "assessment"
            and fact.details.get("assessment") == "section_47"
            and fact.details.get("status") == "completed"
        )
        if opens and not current:
            spans.append(Span("enquiry", fact, None))
        elif closes and current:
            current[-1].end = fact
    return spans


def on_plan_at(facts: list[Fact], moment: datetime, *kinds: str) -> bool:
    wanted = {f"plan:{k}" for k in kinds}
    return any(s.open_at(moment) and (not kinds or s.kind in wanted) for s in plans(facts))


def records_child_seen(fact: Fact) -> bool:
    """A `home_visit` with `child_seen`, or a summary that records a child was seen."""
    if fact.type == "home_visit" and fact.details.get("child_seen") is True:
        return True
    if fact.type == "home_visit" and fact.details.get("child_seen") is False:
        return False
    for sentence in re.split(r"[.;!?]\s*", fact.summary):
        if _SEEN.search(sentence) and _CHILD_WORDS.search(sentence):
            if not _NOT_SEEN.search(sentence):
                return True
    return False


def about_child(fact: Fact, *indicators: str) -> list[str]:
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
