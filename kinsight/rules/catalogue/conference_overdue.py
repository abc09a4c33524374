from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import response, spoken, who
from kinsight.rules.episodes import enquiries
from kinsight.rules.registry import Draft, Rule

INITIAL = {"initial", "pre_birth"}
# Outcomes of a section 47 assessment that call for a conference; any other outcome concludes
# the enquiry without one.
TO_CONFERENCE = {"conference", "icpc", "initial_conference", "child_protection_conference"}


class ConferenceOverdue(Rule):
    """A section 47 enquiry began at a strategy discussion and no initial child protection
    conference followed within 15 working days.

    A warning at 10 working days, urgent at 15. The clock runs from the strategy discussion at
    which the enquiry began, even when later discussions were held; an enquiry concluded without
    a conference (a completed section 47 assessment with another outcome, a decision, a closure)
    stops it.
    """

    id = "conference_overdue"
    title = "No initial child protection conference within 15 working days"
    severity = "urgent"
    guidance = (
        "Working Together to Safeguard Children 2023, chapter 3; Working Together 2018, "
        "chapter 1, 'Initial child protection conferences' (within 15 working days of the "
        "strategy discussion, or of the one at which section 47 enquiries were initiated)"
    )
    consider = (
        "Consider whether the conference has a date, who has been invited, and what the agencies "
        "know about the child in the meantime."
    )
    defaults = {"warning_working_days": 10, "within_working_days": 15}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        warn_after = int(self.setting("warning_working_days"))
        within = int(self.setting("within_working_days"))
        for enquiry in enquiries(child.facts, child.as_of):
            discussion = next(
                (
                    f
                    for f in [enquiry.start, *enquiry.discussions]
                    if f.type == "strategy_discussion"
                ),
                None,
            )
            if discussion is None or not child.is_child_at(discussion.occurred_at):
                continue
            warn_at = add_working_days(discussion.recorded_at, warn_after)
            due = add_working_days(discussion.recorded_at, within)
            if warn_at > child.as_of or self._concluded(child, discussion, warn_at):
                continue
            passed = due <= child.as_of and not self._concluded(child, discussion, due)
            yield self.draft(
                raised_at=warn_at,
                episode=enquiry.episode,
                evidence=[discussion],
                severity="urgent" if passed else "warning",
                what=(
                    f"{who(discussion)} recorded a strategy discussion with the outcome of "
                    f"section 47 enquiries on {spoken(discussion.recorded_at)}. The initial "
                    f"conference is due within {within} working days, by {spoken(due)}; "
                    + (
                        "none had been recorded by then."
                        if passed
                        else f"{warn_after} working days on ({spoken(warn_at)}) none was "
                        "recorded yet."
                    )
                ),
            )

    @staticmethod
    def _concluded(child: ChildContext, discussion: Fact, by: datetime) -> bool:
        return response(child.facts, discussion, by, _conference_or_conclusion) is not None


def _conference_or_conclusion(fact: Fact) -> bool:
    if fact.type == "child_protection_conference":
        return fact.details.get("conference") in INITIAL
    if fact.type == "case_closed":
        return True
    if fact.type == "decision":
        # A recorded decision not to hold a conference, or to end the enquiry.
        decided = str(fact.details.get("decision", "")).lower()
        return any(word in decided for word in ("conference", "no_further", "step_down"))
    if fact.type == "assessment" and fact.details.get("assessment") == "section_47":
        outcome = fact.details.get("outcome")
        return (
            fact.details.get("status") == "completed"
            and bool(outcome)
            and str(outcome).lower() not in TO_CONFERENCE
        )
    return False
