from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.moments import format_moment
from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext
from kinsight.rules.episodes import plans
from kinsight.rules.injuries import Injury, age_words, by_day, injuries, recorded, under_months
from kinsight.rules.registry import Draft, Rule

PLAN_KINDS = ("child_protection", "child_in_need", "looked_after", "early_help")


class RepeatInjury(Rule):
    """A child was injured again within six months of an earlier injury.

    Raised for each further injury (coded, or read in a note) recorded within 6 months of an
    earlier one to the same child, when the child is under 5, on a plan, or within 6 months of a
    plan ending. Injuries in the same event or on the same day count once. It is raised when both
    injuries are known; it is urgent for a child under 2.
    """

    id = "repeat_injury"
    title = "Repeated injury to a child"
    severity = "warning"
    guidance = (
        "NICE CG89 (repeated or patterned injuries as alerting features); Child Safeguarding "
        "Practice Review Panel annual reports (injuries seen one at a time by different "
        "agencies); Child Protection in England (2022)"
    )
    consider = (
        "Consider the child's whole injury history across agencies, a paediatric opinion, and "
        "a multi-agency discussion."
    )
    defaults = {"within_months": 6, "under_months": 60, "urgent_under_months": 24}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        grouped = list(by_day(injuries(child)).items())
        days = [records for _, records in grouped]
        months = int(self.setting("within_months"))
        for index, (day, later) in enumerate(grouped):
            first = later[0]
            earlier = [
                records[0]
                for records in days[:index]
                if add_months(records[0].fact.occurred_at, months) >= first.fact.occurred_at
            ]
            if not earlier:
                continue
            # The pattern is complete when both injuries are known.
            previous = min(earlier, key=lambda i: max(i.fact.recorded_at, first.fact.recorded_at))
            raised = max(previous.fact.recorded_at, first.fact.recorded_at)
            why = self._why(child, first, raised)
            if why is None:
                continue
            urgent = under_months(
                child, first.fact.occurred_at, int(self.setting("urgent_under_months"))
            )
            yield self.draft(
                raised_at=raised,
                episode=f"injury:{day.isoformat()}",
                evidence=[previous.fact, first.fact],
                severity="urgent" if urgent else "warning",
                what=f"{recorded(first.fact)} recorded {first.describe()} on "
                f"{age_words(child, first.fact.occurred_at)} ({why}); "
                f"{recorded(previous.fact)} had recorded {previous.describe()} on "
                f"{format_moment(previous.fact.occurred_at)[:10]}.",
            )

    def _why(self, child: ChildContext, injury: Injury, by: datetime) -> str | None:
        moment = injury.fact.occurred_at
        if under_months(child, moment, int(self.setting("under_months"))):
            return "a child under 5"
        months = int(self.setting("within_months"))
        for kind in PLAN_KINDS:
            for plan in plans(child.facts, by, kind):
                if plan.start.occurred_at > moment:
                    continue
                name = kind.replace("_", " ")
                if plan.end is None or plan.end.occurred_at >= moment:
                    return f"on a {name} plan"
                if add_months(plan.end.occurred_at, months) >= moment:
                    return f"within {months} months of a {name} plan ending"
        return None
