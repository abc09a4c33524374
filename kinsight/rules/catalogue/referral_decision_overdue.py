from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.moments import format_moment
from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.registry import Draft, Rule

RESPONSES = {"assessment", "strategy_discussion", "case_closed", "decision"}
INJURY_FINDINGS = (
    "bruise", "fracture", "burn", "bite", "head_injury", "injection_mark", "other_injury",
)  # fmt: skip


class ReferralDecisionOverdue(Rule):
    """A referral about a child has had no decision from social care within one working day.

    Social care should decide what a referral needs within one working day of receiving it: an
    assessment, a strategy discussion, a recorded decision, or closing it.
    """

    id = "referral_decision_overdue"
    title = "No decision on a referral within one working day"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023, chapter 2 (decision within 1 working day)"
    )
    consider = "Consider who holds the referral and what is known about the child today."
    defaults = {"within_working_days": 1}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for referral in child.facts:
            if referral.type != "referral" or not child.is_child_at(referral.recorded_at):
                continue
            due = add_working_days(referral.recorded_at, int(self.setting("within_working_days")))
            if due > child.as_of:
                continue
            answered = [
                f
                for f in child.known(child.facts, by=due)
                if f.type in RESPONSES
                and f.agency_sector == "social_care"
                and f.recorded_at >= referral.recorded_at
            ]
            if answered:
                continue
            yield self.draft(
                raised_at=max(due, referral.recorded_at),
                episode=f"event:{referral.key[0]}:{referral.key[1]}",
                evidence=[referral],
                severity="urgent" if self._urgent(child, referral) else "warning",
                what=(
                    f"Referral {referral.key[1]} was recorded on "
                    f"{format_moment(referral.recorded_at)}; one working day later "
                    f"({format_moment(due)}) social care had recorded no assessment, strategy "
                    "discussion, decision or closure for the child."
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
        return bool(referral.found(*INJURY_FINDINGS))
