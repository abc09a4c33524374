"""Small readings of a child's facts shared by the pattern and information-gap rules.

Each function takes facts already cut to what was known at a moment (`ChildContext.known`), so a
rule stays free of hindsight by passing the right moment.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from kinsight.lib.moments import UK
from kinsight.lib.textscan import may_contain
from kinsight.rules.context import ChildContext, Fact, Member
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


def record_history(
    records: list[tuple[str, str]], person_id: int | None = None
) -> list[RecordVersionAt]:
    """Every version of these person records (current and superseded), oldest first.

    The current version is on the record's row and earlier ones in the version history; a rule
    reads the one that applied at a moment with `records_at`. The history is read only for
    records that have one. With `person_id`, the records are found by their person (the same
    records, by an index).
    """
    from django.db.models import Q

    from kinsight.feeds.models import RecordVersion
    from kinsight.people.models import PersonRecord

    by_agency: dict[str, set[str]] = defaultdict(set)
    for agency, record_id in records:
        by_agency[agency].add(record_id)
    if not by_agency:
        return []
    which = Q(person_id=person_id, retracted_at__isnull=True)
    if person_id is None:
        which = Q()
        for agency, ids in by_agency.items():
            which |= Q(agency__code=agency, record_id__in=sorted(ids))
    found: list[RecordVersionAt] = []
    superseded: dict[int, set[str]] = defaultdict(set)
    codes: dict[int, str] = {}
    fields = ("agency_id", "agency__code", "record_id", "recorded_at", "first_recorded_at",
              "version", "nhs_number", "address_text", "postcode")  # fmt: skip
    for (
        agency_id,
        code,
        record_id,
        recorded,
        first,
        version,
        nhs,
        text,
        postcode,
    ) in PersonRecord.objects.filter(which).values_list(*fields):
        codes[agency_id] = code
        found.append(RecordVersionAt((code, record_id), recorded, nhs, text, postcode))
        if version > 1 or first != recorded:
            superseded[agency_id].add(record_id)
    if superseded:
        earlier = Q()
        for agency_id, ids in superseded.items():
            earlier |= Q(agency_id=agency_id, key__in=sorted(ids))
        for agency_id, key, data in RecordVersion.objects.filter(
            earlier, kind="person"
        ).values_list("agency_id", "key", "data"):
            stamp = data.get("recorded_at")
            found.append(
                RecordVersionAt(
                    (codes[agency_id], key),
                    _aware(stamp) if stamp else None,
                    str(data.get("nhs_number") or ""),
                    str(data.get("address_text") or ""),
                    str(data.get("postcode") or ""),
                )
            )
    return sorted(found, key=lambda v: (v.recorded_at is not None, v.recorded_at or _EPOCH))


def child_record_history(child: ChildContext) -> list[RecordVersionAt]:
    """`record_history` of the child's own records, read once for all the rules that ask, and
    for all the children judged with this one (`RecordHistories`) at the first ask."""

    def read() -> list[RecordVersionAt]:
        together: RecordHistories | None = child.histories
        if together is not None and child.person_id in together.children:
            return together.of(child.person_id)
        return record_history(child.records, child.person_id)

    return child.remember("record history", read)


class RecordHistories:
    """The `record_history` of each of the children judged together, read for all of them in
    two queries the first time a rule asks for one (rather than two queries a child).

    `children` maps each child's person id to its records. The versions come in the order
    `record_history` gives them, ties included.
    """

    def __init__(self, children: dict[int, list[tuple[str, str]]]) -> None:
        self.children = children
        self._found: dict[int, list[RecordVersionAt]] | None = None

    def of(self, person_id: int) -> list[RecordVersionAt]:
        if self._found is None:
            self._found = self._read()
        return self._found.get(person_id, [])

    def _read(self) -> dict[int, list[RecordVersionAt]]:
        from kinsight.lib.rows import decoded, moment, select_in

        wanted = sorted(pid for pid, records in self.children.items() if records)
        current: dict[int, list[RecordVersionAt]] = defaultdict(list)
        # Per person, the records that have earlier versions, by agency in the order met.
        superseded: dict[int, dict[int, set[str]]] = defaultdict(dict)
        codes: dict[int, str] = {}
        rows = select_in(
            "SELECT p.person_id, p.agency_id, a.code, p.record_id, p.recorded_at, "
            "p.first_recorded_at, p.version, p.nhs_number, p.address_text, p.postcode "
            "FROM people_personrecord p JOIN feeds_agency a ON a.id = p.agency_id "
            "WHERE p.person_id {in} AND p.retracted_at IS NULL ORDER BY p.person_id, p.id",
            wanted,
        )
        for pid, agency_id, code, record_id, recorded, first, version, nhs, text, postcode in rows:
            codes[agency_id] = code
            recorded, first = moment(recorded), moment(first)
            current[pid].append(RecordVersionAt((code, record_id), recorded, nhs, text, postcode))
            if version > 1 or first != recorded:
                superseded[pid].setdefault(agency_id, set()).add(record_id)
        keys: dict[int, set[str]] = defaultdict(set)
        for agencies in superseded.values():
            for agency_id, ids in agencies.items():
                keys[agency_id] |= ids
        earlier: dict[tuple[int, str], list[RecordVersionAt]] = defaultdict(list)
        for agency_id, ids in sorted(keys.items()):
            held = select_in(
                "SELECT key, data FROM feeds_recordversion "
                "WHERE kind = %s AND agency_id = %s AND key {in} ORDER BY key, version",
                sorted(ids),
                ["person", agency_id],
            )
            for key, data in held:
                data = decoded(data)
                stamp = data.get("recorded_at")
                earlier[(agency_id, key)].append(
                    RecordVersionAt(
                        (codes[agency_id], key),
                        _aware(stamp) if stamp else None,
                        str(data.get("nhs_number") or ""),
                        str(data.get("address_text") or ""),
                        str(data.get("postcode") or ""),
                    )
                )
        found: dict[int, list[RecordVersionAt]] = {}
        for pid, versions in current.items():
            for agency_id, ids in superseded.get(pid, {}).items():
                for key in sorted(ids):
                    versions.extend(earlier.get((agency_id, key), []))
            found[pid] = sorted(
                versions, key=lambda v: (v.recorded_at is not None, v.recorded_at or _EPOCH)
            )
        return found


def never_a_child(child: ChildContext) -> bool:
    """Already an adult when the first event about the person was recorded (or, with none, now):
    the person was never a child while known to an agency."""
    if child.birth_date is None:
        return False
    moment = child.facts[0].recorded_at if child.facts else child.as_of
    return not child.is_child_at(moment)


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


# Every alternative of _ORDER contains one of these (kinsight.lib.textscan).
_ORDER_WORDS = ("order", "notice", "dvp", "shpo")

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
        elif (
            role in ("subject", "respondent")
            and may_contain(fact.summary, _ORDER_WORDS)
            and _ORDER.search(fact.summary)
        ):
            found.append(fact)
    return found


def member_harm_history(child: ChildContext, member: Member) -> list[Fact]:
    """`harm_history(member.facts)` for a member of the child's household: two rules ask it of
    every member, so it is worked out once per child and member."""
    return list(
        child.remember(("harm history", member.person_id), lambda: harm_history(member.facts))
    )


def known_at(fact: Fact, moment: datetime) -> bool:
    """Recorded by `moment` and not withdrawn then."""
    return fact.recorded_at <= moment and (fact.retracted_at is None or fact.retracted_at > moment)


def what_history(fact: Fact) -> str:
    """A few words on what a history event records."""
    kind = fact.type.replace("_", " ")
    if fact.role.lower() in PERPETRATOR_ROLES:
        return f"named as {fact.role.replace('_', ' ')} in the {kind} {fact.key[1]}"
    return f"{kind} {fact.key[1]}"
