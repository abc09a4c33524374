from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import (
    Plan,
    about_child,
    injury_kinds,
    looked_after,
    open_assessments,
    plans,
)
from kinsight.rules.patterns import (
    DOMESTIC_ABUSE,
    SUBSTANCE_MISUSE,
    TRIO_WORDS,
    Difficulty,
    case_facts,
    day,
    trio_at,
    trio_evidence,
)
from kinsight.rules.registry import Draft, Rule

# Ends that say nothing about whether the risk has gone.
NOT_A_STEP_DOWN = {"looked_after", "moved_area", "turned_18", "died"}


class PlanEndedRiskPersists(Rule):
    """A child protection plan ends while there are signs that the risk has not gone.

    Raised when the plan ends (a `plan` ended, or a review conference deciding it ends), other
    than because the child became looked after, moved away, turned 18 or died, and any of these
    holds: the plan ends at or before its first review conference; substance misuse, domestic
    abuse or an injury to the child was recorded in the 12 weeks before; an assessment is still
    open; the child is under 1; the toxic trio holds. The alert lists which hold.
    """

    id = "plan_ended_risk_persists"
    title = "Child protection plan ended while risk persists"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023 (a plan ends when the child is no longer "
        "at risk of significant harm); local child protection procedures (not at the first "
        "review save in exceptional circumstances; not with assessments outstanding); the "
        "Lancashire practice review (a plan ended ten weeks after a baby's birth with drug use "
        "ongoing)"
    )
    consider = (
        "Consider whether the change in the family is substantial and sustained, what each "
        "agency, including adult services, knows today, and what support continues after the "
        "plan."
    )
    defaults = {"recent_weeks": 12, "under_months": 12, "trio_months": 12}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for plan in plans(case_facts(child), child.as_of):
            if plan.end is None or not child.is_child_at(plan.end.occurred_at):
                continue
            moment = plan.end.recorded_at
            if self._not_a_step_down(child, plan, moment):
                continue
            holds, evidence = self._holds(child, plan, moment)
            if not holds:
                continue
            yield self.draft(
                raised_at=moment,
                episode=plan.episode,
                evidence=[plan.end, *evidence],
                what=(
                    f"The child protection plan that started on {day(plan.start.occurred_at)} "
                    f"ended on {day(plan.end.occurred_at)} ({plan.end.key[0]}), while: "
                    + "; ".join(holds)
                    + "."
                ),
            )

    @staticmethod
    def _not_a_step_down(child: ChildContext, plan: Plan, moment: datetime) -> bool:
        assert plan.end is not None
        ending_day = plan.end.occurred_at.date()
        for fact in child.known(child.facts, by=moment):
            if (
                fact.type == "plan"
                and fact.details.get("plan") == "child_protection"
                and fact.details.get("status") == "ended"
                and fact.occurred_at.date() == ending_day
                and fact.details.get("reason") in NOT_A_STEP_DOWN
            ):
                return True
        return looked_after(case_facts(child), moment)

    def _holds(
        self, child: ChildContext, plan: Plan, moment: datetime
    ) -> tuple[list[str], list[Fact]]:
        assert plan.end is not None
        holds: list[str] = []
        evidence: list[Fact] = []
        if plan.ended_at_or_before_first_review:
            weeks = (plan.end.occurred_at.date() - plan.start.occurred_at.date()).days // 7
            holds.append(f"it ended at or before its first review conference, {weeks} weeks in")
        since = moment - timedelta(weeks=int(self.setting("recent_weeks")))
        trio = trio_evidence(child)
        recent = _recent(trio, since, moment)
        for element, facts in recent.items():
            holds.append(
                f"{TRIO_WORDS[element]} was recorded in the 12 weeks before ({_by(facts)})"
            )
            evidence += facts
        injuries = [
            f for f in child.known(child.facts, by=moment)
            if f.recorded_at >= since and about_child(f) and injury_kinds(f)
        ]  # fmt: skip
        if injuries:
            holds.append(
                f"an injury to the child was recorded in the 12 weeks before ({_by(injuries)})"
            )
            evidence += injuries
        still_open = open_assessments(case_facts(child), moment)
        if still_open:
            kinds = ", ".join(a.kind.replace("_", " ") for a in still_open)
            holds.append(f"an assessment is still open ({kinds})")
            evidence += [a.start for a in still_open]
        ended = plan.end.occurred_at
        if child.is_unborn_at(ended):
            holds.append("the child is unborn")
        elif child.birth_date is not None and _under(
            child, ended, int(self.setting("under_months"))
        ):
            holds.append("the child is under 1")
        found = trio_at(trio, moment, add_months(moment, -int(self.setting("trio_months"))))
        if len(found) >= 2:
            holds.append(
                "the toxic trio holds ("
                + ", ".join(TRIO_WORDS[e] for e in found)
                + " within 12 months)"
            )
        unique = {f.key: f for f in evidence if f.key != plan.end.key}
        return holds, sorted(unique.values(), key=lambda f: (f.recorded_at, f.key))


def _by(facts: list[Fact]) -> str:
    return ", ".join(f"{f.key[0]} on {day(f.recorded_at)}" for f in facts)


def _under(child: ChildContext, moment: datetime, months: int) -> bool:
    from kinsight.lib.moments import UK

    assert child.birth_date is not None
    born = datetime.combine(child.birth_date, datetime.min.time(), tzinfo=UK)
    return moment < add_months(born, months)


def _recent(trio: list[Difficulty], since: datetime, moment: datetime) -> dict[str, list[Fact]]:
    """Substance misuse and domestic abuse recorded between `since` and `moment`."""
    found: dict[str, list[Fact]] = {}
    for d in trio:
        s = d.sighting
        if d.element not in (SUBSTANCE_MISUSE, DOMESTIC_ABUSE):
            continue
        if s.fact.recorded_at < since or s.known_at > moment or s.retracted_by(moment):
            continue
        found.setdefault(d.element, [])
        if s.fact.key not in {f.key for f in found[d.element]}:
            found[d.element].append(s.fact)
    return {e: found[e] for e in (SUBSTANCE_MISUSE, DOMESTIC_ABUSE) if e in found}
