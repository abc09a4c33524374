"""Evaluating the registered rules over what had been recorded by each moment."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.utils import timezone

from kinsight.feeds.models import Agency
from kinsight.lib.moments import format_moment
from kinsight.people.models import PersonRecord
from kinsight.rules.context import child_contexts
from kinsight.rules.episodes import forget_chosen
from kinsight.rules.registry import Draft, configured_rules

# rules.md, "One event, two rules": the more specific rule is raised, the general one is not.
SEVERITY = {"info": 0, "warning": 1, "urgent": 2}
SUPERSEDED_BY = {"strategy_discussion_overdue": "third_party_allegation_no_strategy"}


@dataclass(frozen=True, slots=True)
class Child:
    """What a raised alert keeps of the child it is about: not the whole context, whose facts
    would otherwise stay in memory for every child with an alert until the evaluation ends."""

    person_id: int
    records: tuple[tuple[str, str], ...]


@dataclass
class Raised:
    """One alert as the rules see it: a draft for one child, with the records it names."""

    draft: Draft
    child: Child
    subjects: list[list[str]]

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.draft.rule, self.child.person_id, self.draft.episode)

    @property
    def evidence(self) -> list[list[str]]:
        return [list(fact.key) for fact in self.draft.evidence]

    def withdrawn_at(self) -> datetime | None:
        """When every event the alert rests on had been retracted, if they all have."""
        withdrawn = [fact.retracted_at for fact in self.draft.evidence]
        if not withdrawn or any(moment is None for moment in withdrawn):
            return None
        return max(m for m in withdrawn if m is not None)


def evaluate(
    as_of: datetime, person_ids: Iterable[int] | None = None, *, households_changed: bool = True
) -> list[Raised]:
    """The alerts the rules raise for these children (all when None), judged as of `as_of`.

    A deadline due after `as_of` has not passed; everything else rests only on facts recorded
    by the alert's own `raised_at`, so the result never depends on what came later.
    """
    rules = configured_rules()
    chosen: dict[tuple[str, int, str], tuple[Draft, Child]] = {}
    contexts = child_contexts(as_of, person_ids=person_ids, households_changed=households_changed)
    try:
        for context in contexts:
            child = Child(context.person_id, tuple(context.records))
            for rule in rules:
                for draft in rule.evaluate(context):
                    key = (draft.rule, child.person_id, draft.episode)
                    if key in chosen:
                        draft = _merged(chosen[key][0], draft)
                    chosen[key] = (draft, child)
    finally:
        forget_chosen()
    kept = _drop_superseded(list(chosen.values()))
    records = _adult_records({adult for draft, _ in kept for adult in draft.adults})
    return [
        Raised(
            draft,
            child,
            [list(r) for r in child.records]
            + [list(r) for adult in draft.adults for r in records.get(adult, [])],
        )
        for draft, child in kept
    ]


def replay_alerts(as_of: datetime | None = None) -> list[dict[str, Any]]:
    """Every alert the store raises, as the replay contract lists them.

    `as_of` is the moment up to which deadlines may have passed (default: now).
    """
    alerts = [alert_json(raised) for raised in evaluate(as_of or timezone.now())]
    return sorted(alerts, key=lambda a: (a["raised_at"], a["rule"], a["subjects"]))


def alert_json(raised: Raised) -> dict[str, Any]:
    alert: dict[str, Any] = {
        "rule": raised.draft.rule,
        "severity": raised.draft.severity,
        "raised_at": format_moment(raised.draft.raised_at),
        "subjects": raised.subjects,
        "evidence": raised.evidence,
        "explanation": raised.draft.explanation,
    }
    withdrawn = raised.withdrawn_at()
    if withdrawn is not None:
        alert["withdrawn_at"] = format_moment(withdrawn)
    return alert


def _merged(one: Draft, other: Draft) -> Draft:
    """One alert per rule, child and episode: raised at the earliest moment either could be,
    resting on the evidence of both."""
    first, second = (one, other) if one.raised_at <= other.raised_at else (other, one)
    keys = {fact.key for fact in first.evidence}
    extra = [fact for fact in second.evidence if fact.key not in keys]
    if not extra:
        return first
    evidence = sorted([*first.evidence, *extra], key=lambda f: (f.recorded_at, f.key))
    adults = sorted({*first.adults, *second.adults})
    severity = max(first.severity, second.severity, key=lambda s: SEVERITY.get(s, 0))
    return replace(first, evidence=evidence, adults=adults, severity=severity)


def _drop_superseded(
    found: list[tuple[Draft, Child]],
) -> list[tuple[Draft, Child]]:
    specific: dict[tuple[str, int], set[tuple[str, str]]] = defaultdict(set)
    for draft, child in found:
        if draft.rule in SUPERSEDED_BY.values():
            specific[(draft.rule, child.person_id)].update(f.key for f in draft.evidence)
    return [
        (draft, child)
        for draft, child in found
        if not (
            draft.rule in SUPERSEDED_BY
            and {f.key for f in draft.evidence}
            & specific[(SUPERSEDED_BY[draft.rule], child.person_id)]
        )
    ]


def _adult_records(person_ids: set[int]) -> dict[int, list[tuple[str, str]]]:
    if not person_ids:
        return {}
    codes = dict(Agency.objects.values_list("pk", "code"))
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pid, agency_id, rid in (
        PersonRecord.objects.filter(person_id__in=person_ids, retracted_at__isnull=True)
        .order_by("pk")
        .values_list("person_id", "agency_id", "record_id")
    ):
        found[pid].append((codes[agency_id], rid))
    return {pid: sorted(records) for pid, records in found.items()}
