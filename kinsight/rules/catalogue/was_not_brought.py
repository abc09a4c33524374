from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.moments import format_moment
from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import about_child, known, open_plan
from kinsight.rules.injuries import age_words, recorded, under_months
from kinsight.rules.registry import Draft, Rule


class WasNotBrought(Rule):
    """A child was not brought to health appointments.

    Raised on one missed health appointment (`appointment_missed` with `was_not_brought`) of a
    child on a child protection plan; or on the second within 6 months of a child under 5 or on a
    child in need plan, and on each one after it. It is raised when the missed appointment that
    completes it is recorded.
    """

    id = "was_not_brought"
    title = "Child not brought to health appointments"
    severity = "warning"
    guidance = (
        "RCGP Safeguarding toolkit, 'Was not brought' (on a plan for neglect, one missed "
        "appointment should raise concern); Pan-Sussex procedures 5.3, children not brought to "
        "appointments"
    )
    consider = (
        "Consider asking the service what the appointment was for, whether the child's health "
        "needs are being met, and telling the lead professional."
    )
    defaults = {"within_months": 6, "count": 2, "under_months": 60}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        missed = [f for f in child.facts if self._not_brought(f)]
        for fact in missed:
            by = fact.recorded_at
            if not child.is_child_at(fact.occurred_at) or child.is_unborn_at(fact.occurred_at):
                continue
            plan = open_plan(child.facts, by)
            if plan is not None:
                yield self._draft(child, fact, [fact], f"on a child protection plan "
                                  f"({plan.start.key[1]})")  # fmt: skip
                continue
            months = int(self.setting("within_months"))
            earlier = [
                f
                for f in known(missed, by)
                if f.key != fact.key
                and f.occurred_at <= fact.occurred_at
                and add_months(f.occurred_at, months) >= fact.occurred_at
            ]
            if len(earlier) + 1 < int(self.setting("count")):
                continue
            if under_months(child, fact.occurred_at, int(self.setting("under_months"))):
                why = "under 5"
            elif open_plan(child.facts, by, "child_in_need") is not None:
                why = "on a child in need plan"
            else:
                continue
            dates = ", ".join(format_moment(f.occurred_at)[:10] for f in earlier)
            yield self._draft(child, fact, [*earlier, fact], f"{why}, also not brought on {dates}")

    def _draft(self, child: ChildContext, fact: Fact, evidence: list[Fact], why: str) -> Draft:
        service = fact.details.get("service")
        to = f" to {service}" if service else ""
        return self.draft(
            raised_at=max(f.recorded_at for f in evidence),
            episode=f"event:{fact.key[0]}:{fact.key[1]}",
            evidence=evidence,
            what=f"{recorded(fact)} recorded that {age_words(child, fact.occurred_at)} was not "
            f"brought{to} on {format_moment(fact.occurred_at)[:10]}: the child is {why}.",
        )

    @staticmethod
    def _not_brought(fact: Fact) -> bool:
        return (
            fact.type == "appointment_missed"
            and fact.details.get("was_not_brought") is True
            and about_child(fact)
        )
