from __future__ import annotations

import re
from collections.abc import Iterable

from kinsight.lib.textscan import may_contain
from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import days, response, spoken, who
from kinsight.rules.episodes import about_child
from kinsight.rules.registry import Draft, Rule

# A child's death or serious harm, and abuse or neglect suspected, as a note says them.
SERIOUS = re.compile(
    r"\b(?:died|death|deceased|fatal(?:ly)?|life[- ]threatening|critical condition|"
    r"intensive care|PICU|serious(?:ly)?\s+(?:harm(?:ed)?|injur\w*|ill))\b",
    re.IGNORECASE,
)
# Every match of SERIOUS contains one of these (kinsight.lib.textscan).
_SERIOUS_WORDS = (
    "died", "death", "deceased", "fatal", "life", "critical condition", "intensive care", "picu",
    "serious",
)  # fmt: skip
SUSPECTED = re.compile(
    r"\b(?:abuse[ds]?|non[- ]accidental|NAI|neglect(?:ed|ful)?|inflicted|shaken|assault(?:ed)?)\b",
    re.IGNORECASE,
)
NOT_SUSPECTED = re.compile(
    r"\b(?:no|not|nothing|without)\s+(?:\w+\s+){0,3}(?:abuse|neglect|non[- ]accidental|suspicio)",
    re.IGNORECASE,
)


class SeriousIncidentNotificationOverdue(Rule):
    """A child died or was seriously harmed with abuse or neglect suspected, and no serious
    incident notification followed within 5 working days.

    Raised on a `serious_harm` event with `abuse_suspected`, or a note recording a child's death
    or serious harm together with suspected abuse or neglect.
    """

    id = "serious_incident_notification_overdue"
    title = "Serious incident not notified within 5 working days"
    severity = "urgent"
    guidance = (
        "Children Act 2004, s.16C(1): the local authority must notify the Child Safeguarding "
        "Practice Review Panel within 5 working days of becoming aware; Working Together 2023, "
        "chapter 5"
    )
    consider = (
        "Consider whether the local authority knows of the incident, and who holds the "
        "notification to the Panel and to the safeguarding partners."
    )
    defaults = {"within_working_days": 5}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        within = int(self.setting("within_working_days"))
        for fact in child.facts:
            if not about_child(fact) or not self._serious(fact):
                continue
            if not child.is_child_at(fact.occurred_at):
                continue
            due = add_working_days(fact.recorded_at, within)
            if due > child.as_of:
                continue
            if response(child.facts, fact, due, _notification) is not None:
                continue
            harm = str(fact.details.get("harm", "serious harm")).replace("_", " ")
            yield self.draft(
                raised_at=due,
                # Every record of one incident is the one episode: the day it happened.
                episode=f"incident:{fact.occurred_at.date().isoformat()}",
                evidence=[fact],
                what=(
                    f"{who(fact)} recorded the child's {harm} with abuse or neglect suspected on "
                    f"{spoken(fact.recorded_at)}. No serious incident notification was recorded "
                    f"within {days(within, 'working day')}, by {spoken(due)}."
                ),
            )

    @staticmethod
    def _serious(fact: Fact) -> bool:
        if fact.type == "serious_harm" and "abuse_suspected" in fact.details:
            return fact.details["abuse_suspected"] is True
        if fact.type in ("serious_incident_notification", "rapid_review", "practice_review"):
            return False
        text = fact.summary
        if not may_contain(text, _SERIOUS_WORDS):
            return False
        return bool(SERIOUS.search(text) and SUSPECTED.search(text)) and not NOT_SUSPECTED.search(
            text
        )


def _notification(fact: Fact) -> bool:
    return fact.type == "serious_incident_notification"
