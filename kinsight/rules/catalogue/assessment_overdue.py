from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import days, response, spoken, who
from kinsight.rules.episodes import Assessment, about_child, assessments, known
from kinsight.rules.registry import Draft, Rule


class AssessmentOverdue(Rule):
    """A child and family assessment has not been completed within 45 working days.

    The clock starts at the referral that led to the assessment (the last referral recorded
    before it started, since any earlier assessment or closure), or at the assessment's start
    when there was none. Closing the case stops the clock.
    """

    id = "assessment_overdue"
    title = "Child and family assessment not completed within 45 working days"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023, chapter 3; Working Together 2018, "
        "chapter 1, 'Timeliness' (at most 45 working days from the point of referral; the "
        "reasons for going beyond it recorded)"
    )
    consider = (
        "Consider what is holding the assessment up, whether the reasons are recorded, and "
        "what the child needs while it is finished."
    )
    defaults = {"within_working_days": 45}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        within = int(self.setting("within_working_days"))
        for assessment in assessments(child.facts, child.as_of, "child_and_family"):
            if not child.is_child_at(assessment.start.occurred_at):
                continue
            referral = _referral(child, assessment)
            anchor = referral or assessment.start
            due = add_working_days(anchor.recorded_at, within)
            raised_at = max(due, assessment.start.recorded_at)
            if raised_at > child.as_of:
                continue
            if assessment.end is not None and assessment.end.recorded_at <= due:
                continue
            if response(child.facts, assessment.start, due, _closed) is not None:
                continue
            basis = (
                f"referral {who(referral)} recorded on {spoken(referral.recorded_at)}"
                if referral is not None
                else f"the assessment's start recorded on {spoken(assessment.start.recorded_at)}"
            )
            yield self.draft(
                raised_at=raised_at,
                episode=assessment.episode,
                evidence=[f for f in (assessment.start, referral) if f is not None],
                what=(
                    f"The child and family assessment started by {who(assessment.start)} was "
                    f"not recorded as completed by {spoken(due)}: {days(within, 'working day')} "
                    f"after {basis}."
                ),
            )


def _referral(child: ChildContext, assessment: Assessment) -> Fact | None:
    """The referral that led to the assessment: the last one recorded before it started, since
    any earlier assessment started or case closed."""
    found = None
    for fact in known(child.facts, assessment.start.recorded_at):
        if fact.key == assessment.start.key:
            continue
        if fact.type == "referral" and about_child(fact):
            found = fact
        elif fact.type == "case_closed" or (
            fact.type == "assessment"
            and fact.details.get("assessment") == "child_and_family"
            and fact.details.get("status") == "started"
        ):
            found = None
    return found


def _closed(fact: Fact) -> bool:
    return fact.type == "case_closed"
