from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import about_child, birth_moment
from kinsight.rules.gaps import (
    RecordVersionAt,
    child_record_history,
    never_a_child,
    on_plan_at,
    records_at,
    when,
)
from kinsight.rules.registry import Draft, Rule

PLANS_FOR_CPIS = ("child_protection", "child_in_need", "looked_after")


class MissingConsistentIdentifier(Rule):
    """A child known to two or more agencies has no NHS number on any record, or two of the
    child's records carry different NHS numbers.

    Raised when the second agency records an event about the child while none of the child's
    records carries a valid NHS number (for an unborn child, who has none yet, when the birth is
    recorded); and when a record with an NHS number different from another record's is known.
    A warning for a child on a plan or looked after (the Child Protection Information Sharing
    service cannot flag the child without it), otherwise for information.
    """

    id = "missing_consistent_identifier"
    title = "No consistent identifier across the child's records"
    severity = "info"
    guidance = (
        "Children's Wellbeing and Schools Act 2026, s.16LC (the consistent identifier, the NHS "
        "number until regulations say otherwise); NHS England, Child Protection Information "
        "Sharing (CP-IS)"
    )
    consider = (
        "Consider asking the agencies that know the child to record the child's NHS number, so "
        "that what each holds can be joined."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        if not child.facts or never_a_child(child):
            return  # known to no agency, or only as an adult
        first: dict[str, Fact] = {}
        for fact in child.facts:
            first.setdefault(fact.key[0], fact)
        if len(first) < 2 and len(child.records) < 2:
            return
        history = child_record_history(child)
        second = sorted(first.values(), key=lambda f: f.recorded_at)[1:2]
        moment = self._due(child, second[0].recorded_at) if second else None
        if moment is not None:
            if not self._numbers(history, moment) and child.is_child_at(moment):
                evidence = sorted(first.values(), key=lambda f: f.recorded_at)[:2]
                yield self.draft(
                    raised_at=moment,
                    episode="identifier:missing",
                    evidence=evidence,
                    severity=self._severity(child, history, moment),
                    what=(
                        f"By {when(moment)} the child was known to {evidence[0].key[0]} and "
                        f"{evidence[1].key[0]}, and none of the child's records carried an NHS "
                        "number."
                    ),
                )
        yield from self._conflict(child, history, first)

    def _conflict(
        self, child: ChildContext, history: list[RecordVersionAt], first: dict[str, Fact]
    ) -> Iterable[Draft]:
        for version in history:
            moment = version.recorded_at or child.facts[0].recorded_at
            numbers = self._numbers(history, moment)
            if len(numbers) < 2 or not child.is_child_at(moment):
                continue
            agencies = sorted({record[0] for record in numbers.values()})
            yield self.draft(
                raised_at=max(moment, child.facts[0].recorded_at),
                episode="identifier:conflict",
                evidence=[first[a] for a in agencies if a in first],
                severity=self._severity(child, history, moment, conflict=True),
                what=(
                    f"By {when(moment)} the child's records carried different NHS numbers: "
                    + "; ".join(
                        f"{record[0]} {record[1]}: {number}"
                        for number, record in sorted(numbers.items())
                    )
                    + "."
                ),
            )
            return

    @staticmethod
    def _due(child: ChildContext, moment: datetime) -> datetime | None:
        """When the check is made: an NHS number is given at birth, so not before it."""
        if not child.is_unborn_at(moment):
            return moment
        born = birth_moment(child.facts, child.as_of, child.birth_date)
        return None if born is None else max(moment, born[0])

    @staticmethod
    def _numbers(history: list[RecordVersionAt], moment: datetime) -> dict[str, tuple[str, str]]:
        """Each NHS number on the child's records at a moment, with a record carrying it."""
        found: dict[str, tuple[str, str]] = {}
        for record, version in sorted(records_at(history, moment).items()):
            if version.nhs_number:
                found.setdefault(version.nhs_number, record)
        return found

    def _severity(
        self,
        child: ChildContext,
        history: list[RecordVersionAt],
        moment: datetime,
        conflict: bool = False,
    ) -> str:
        """A warning when the child is on a plan or looked after while the gap lasts."""
        starts = [
            f.recorded_at
            for f in child.facts
            if f.recorded_at >= moment and f.type in ("plan", "child_protection_conference")
        ]
        for at in [moment, *starts]:
            numbers = self._numbers(history, at)
            gap = len(numbers) >= 2 if conflict else not numbers
            own = [f for f in child.facts if about_child(f)]
            if gap and on_plan_at(own, at, *PLANS_FOR_CPIS):
                return "warning"
        return "info"
