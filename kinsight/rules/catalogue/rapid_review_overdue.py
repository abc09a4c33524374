from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import days, response, spoken, who
from kinsight.rules.episodes import about_child
from kinsight.rules.registry import Draft, Rule


class RapidReviewOverdue(Rule):
    """A serious incident was notified and no rapid review was submitted within 15 working days
    of the notification."""

    id = "rapid_review_overdue"
    title = "Rapid review not submitted within 15 working days"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023, chapter 5; Child Safeguarding Practice "
        "Review Panel guidance (a rapid review within 15 working days, sent to the Panel); "
        "Cambridgeshire counts from the notification"
    )
    consider = (
        "Consider whether the safeguarding partners have the information they need for the "
        "rapid review, and when it will go to the Panel."
    )
    defaults = {"within_working_days": 15}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        within = int(self.setting("within_working_days"))
        for notification in child.facts:
            if notification.type != "serious_incident_notification" or not about_child(
                notification
            ):
                continue
            if not child.is_child_at(notification.occurred_at):
                continue
            due = add_working_days(notification.recorded_at, within)
            if due > child.as_of:
                continue
            if response(child.facts, notification, due, _submitted) is not None:
                continue
            yield self.draft(
                raised_at=due,
                episode=f"event:{notification.key[0]}:{notification.key[1]}",
                evidence=[notification],
                what=(
                    f"{who(notification)} recorded a serious incident notification on "
                    f"{spoken(notification.recorded_at)}. No rapid review was recorded as "
                    f"submitted within {days(within, 'working day')}, by {spoken(due)}."
                ),
            )


def _submitted(fact: Fact) -> bool:
    return fact.type == "rapid_review" and fact.details.get("status") == "submitted"
