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
from kinsight.rules.episodes import Assessment, Enquiry, Plan, plans

ADULT_EXPERIENCERS = {"mother", "father", "partner", "other_adult"}
NEGLECT_FINDINGS = ("neglect_home", "neglect_care", "school_absence")
# A finding that only names the category ("plans for neglect") is not an observation.
_CATEGORY_ONLY = re.compile(r"^(?:cumulative |chronic |suspected )?neglect(?:ed|ful)?$", re.I)
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
    """Present, current findings of these indicators that are not about an adult and say more
    than the name of a category."""
    return [
        f.indicator
        for f in fact.findings
        if f.indicator in indicators
        and f.present
        and not f.historical
        and f.experiencer not in ADULT_EXPERIENCERS
        and not _CATEGORY_ONLY.match(f.text.strip())
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


# An adult's recorded history of harming a child or of domestic abuse -----------------------

PERPETRATOR_ROLES = {"alleged_perpetrator", "perpetrator", "offender", "suspect"}
_HARM_OFFENCE = re.compile(
    r"\b(domestic|child|children|cruelty|neglect|noxious|poison|infant|baby|controlling|"
    r"coercive|stalking|harassment|non-molestation|restraining order|protection order|DVPO|"
    r"DVPN|sexual harm prevention|SHPO)\b",
    re.IGNORECASE,
)
_ORDER = re.compile(
    r"\b(non-molestation order|domestic (?:violence|abuse) protection (?:order|notice)|DVPO|"
    r"DVPN|restraining order|sexual harm prevention order|SHPO|child arrangements order "
    r"(?:refused|restricting))\b",
    re.IGNORECASE,
)


FOREVER = datetime(9999, 1, 1, tzinfo=UK)


def harm_history(facts: list[Fact], by: datetime = FOREVER) -> list[Fact]:
    """The events known by `by` that record a person (as `facts` give their role) harming a
    child or abusing a partner: named as alleged perpetrator or offender, arrested for or
    convicted of such an offence, or the subject of an order against it."""
    found = []
    for fact in facts:
        if fact.recorded_at > by or (by != FOREVER and not known_at(fact, by)):
            continue
        role = fact.role.lower()
        if role in PERPETRATOR_ROLES:
            found.append(fact)
        elif fact.type in ("arrest", "offence") and role in ("subject", ""):
            text = f"{fact.details.get('offence', '')} {fact.summary}"
            if _HARM_OFFENCE.search(str(text)):
                found.append(fact)
        elif role in ("subject", "respondent") and _ORDER.search(fact.summary):
            found.append(fact)
    return found


def known_at(fact: Fact, moment: datetime) -> bool:
    """Recorded by `moment` and not withdrawn then."""
    return fact.recorded_at <= moment and (fact.retracted_at is None or fact.retracted_at > moment)


def what_history(fact: Fact) -> str:
    """A few words on what a history event records."""
    kind = fact.type.replace("_", " ")
    if fact.role.lower() in PERPETRATOR_ROLES:
        return f"named as {fact.role.replace('_', ' ')} in the {kind} {fact.key[1]}"
    return f"{kind} {fact.key[1]}"
