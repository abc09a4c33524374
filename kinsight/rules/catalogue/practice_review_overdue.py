from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import response, spoken, who
from kinsight.rules.episodes import about_child
from kinsight.rules.registry import Draft, Rule


class PracticeReviewOverdue(Rule):
    """A local child safeguarding practice review was commissioned and not published within
    6 months: shown for information at 4 months, a warning at 6."""

    id = "practice_review_overdue"
    title = "Practice review not published within 6 months"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023, chapter 5 (publication within 6 months of "
        "the review's start, relaxed during COVID); Child Safeguarding Practice Review and "
        "Relevant Agency (England) Regulations 2018, reg. 14 (partners must monitor a review's "
        "progress)"
    )
    consider = "Consider what is holding the review up and whether the Panel has been told."
    defaults = {"info_months": 4, "within_months": 6}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        info_months = int(self.setting("info_months"))
        within = int(self.setting("within_months"))
        for review in child.facts:
            if review.type != "practice_review" or review.details.get("status") != "commissioned":
                continue
            if not about_child(review) or not child.is_child_at(review.occurred_at):
                continue
            info_at = add_months(review.recorded_at, info_months)
            due = add_months(review.recorded_at, within)
            if info_at > child.as_of or response(child.facts, review, info_at, _published):
                continue
            passed = due <= child.as_of and response(child.facts, review, due, _published) is None
            yield self.draft(
                raised_at=info_at,
                episode=f"event:{review.key[0]}:{review.key[1]}",
                evidence=[review],
                severity="warning" if passed else "info",
                what=(
                    f"{who(review)} recorded a practice review commissioned on "
                    f"{spoken(review.recorded_at)}; publication is due within {within} months, "
                    f"by {spoken(due)}. "
                    + (
                        "It had not been recorded as published by then."
                        if passed
                        else f"{info_months} months on ({spoken(info_at)}) it was not yet "
                        "recorded as published."
                    )
                ),
            )


def _published(fact: Fact) -> bool:
    return fact.type == "practice_review" and fact.details.get("status") == "published"
