from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import days, response, spoken, who
from kinsight.rules.episodes import about_child, injury_kinds
from kinsight.rules.registry import Draft, Rule

RESPONSES = {"assessment", "strategy_discussion", "case_closed", "decision"}


class ReferralDecisionOverdue(Rule):
    """A referral about a child has had no decision from social care within one working day.

    Social care should decide what a referral needs within one working day of receiving it: an
    assessment, a strategy discussion, a recorded decision, or closing it. Urgent for a baby
    under one or an unborn child, and for a referral about physical or sexual abuse or whose text
    records an injury.
    """

    id = "referral_decision_overdue"
    title = "No decision on a referral within one working day"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023, chapter 3 (decision within 1 working day "
        "of receiving a referral); Working Together 2018, chapter 1, 'Referral'"
    )
    consider = "Consider who holds the referral and what is known about the child today."
    defaults = {"within_working_days": 1}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        within = int(self.setting("within_working_days"))
        for referral in child.facts:
            if referral.type != "referral" or not about_child(referral):
                continue
            if not child.is_child_at(referral.recorded_at):
                continue
            due = add_working_days(referral.recorded_at, within)
            if due > child.as_of:
                continue
            if response(child.facts, referral, due, _social_care_response) is not None:
                continue
            yield self.draft(
                raised_at=due,
                episode=f"event:{referral.key[0]}:{referral.key[1]}",
                evidence=[referral],
                severity="urgent" if self._urgent(child, referral) else "warning",
                what=(
                    f"Referral {who(referral)} was recorded on {spoken(referral.recorded_at)}; "
                    f"{days(within, 'working day')} later is {spoken(due)}, and by then social "
                    "care had recorded no assessment, strategy discussion, decision or closure "
                    "for the child."
                ),
            )

    @staticmethod
    def _urgent(child: ChildContext, referral: Fact) -> bool:
        age = child.age_in_days(referral.recorded_at)
        if child.is_unborn_at(referral.recorded_at) or (age is not None and age < 365):
            return True
        concerns = referral.details.get("concerns") or []
        if "physical" in concerns or "sexual" in concerns:
            return True
        return bool(injury_kinds(referral))


def _social_care_response(fact: Fact) -> bool:
    return fact.type in RESPONSES and fact.agency_sector == "social_care"
