from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.workdays import add_months, add_working_days
from kinsight.rules.context import ChildContext
from kinsight.rules.deadlines import days, spoken, who, working_days_before
from kinsight.rules.episodes import Plan, birth_moment, follows, known, plans
from kinsight.rules.registry import Draft, Rule


class ReviewConferenceOverdue(Rule):
    """A child on a child protection plan is due a review conference: within 3 months of the
    initial conference, then within 6 months of the previous review; for a plan made before
    birth, within 10 working days of the birth.

    A warning 10 working days before the review is due while none is recorded, urgent once the
    due moment has passed without one. After a birth the window is only 10 working days: the
    alert is raised, urgent, when it has passed.
    """

    id = "review_conference_overdue"
    title = "Review child protection conference due or overdue"
    severity = "urgent"
    guidance = (
        "Working Together to Safeguard Children 2023, chapter 3; Working Together 2018, "
        "chapter 1, 'Child protection review conference' (first review within 3 months, then at "
        "most every 6 months); Tees procedures (an unborn baby's plan reviewed within 10 working "
        "days of the birth)"
    )
    consider = (
        "Consider whether the review has a date, and whether what has happened since the last "
        "conference should bring it forward."
    )
    defaults = {
        "first_review_months": 3,
        "later_review_months": 6,
        "warning_working_days_before": 10,
        "after_birth_working_days": 10,
    }

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for plan in plans(child.facts, child.as_of):
            if not child.is_child_at(plan.start.occurred_at):
                continue
            yield from self._reviews(child, plan)
            yield from self._after_birth(child, plan)

    def _reviews(self, child: ChildContext, plan: Plan) -> Iterable[Draft]:
        before = int(self.setting("warning_working_days_before"))
        anchor = plan.initial_conference or plan.start
        months = int(self.setting("first_review_months"))
        reviews = sorted(
            (r for r in plan.reviews if follows(r, anchor)), key=lambda r: (r.recorded_at, r.key)
        )
        while True:
            due = add_months(anchor.recorded_at, months)
            warn_at = max(working_days_before(due, before), anchor.recorded_at)
            if warn_at > child.as_of or _ended_by(plan, warn_at):
                return
            following = next((r for r in reviews if r.recorded_at > anchor.recorded_at), None)
            if following is None or following.recorded_at > warn_at:
                passed = due <= child.as_of and not (
                    (following is not None and following.recorded_at <= due) or _ended_by(plan, due)
                )
                if anchor.details.get("conference") == "review":
                    last = "review conference"
                elif anchor.type == "child_protection_conference":
                    last = "initial conference"
                else:
                    last = "plan's start"
                yield self.draft(
                    raised_at=warn_at,
                    episode=f"{plan.episode}:review-after:{anchor.key[0]}:{anchor.key[1]}",
                    evidence=[plan.start] if anchor is plan.start else [plan.start, anchor],
                    severity="urgent" if passed else "warning",
                    what=(
                        f"The child is on a child protection plan. {months} months after the "
                        f"{last} recorded by {who(anchor)} on "
                        f"{spoken(anchor.recorded_at)}, a review conference is due by "
                        f"{spoken(due)}; "
                        + (
                            "none had been recorded by then."
                            if passed
                            else f"{days(before, 'working day')} before ({spoken(warn_at)}) "
                            "none was recorded yet."
                        )
                    ),
                )
            if following is None:
                return
            anchor, months = following, int(self.setting("later_review_months"))

    def _after_birth(self, child: ChildContext, plan: Plan) -> Iterable[Draft]:
        if not child.is_unborn_at(plan.start.occurred_at):
            return
        birth = birth_moment(child.facts, child.as_of, child.birth_date)
        if birth is None:
            return
        born_at, birth_fact = birth
        if born_at < plan.start.recorded_at or _ended_by(plan, born_at):
            return
        within = int(self.setting("after_birth_working_days"))
        due = add_working_days(born_at, within)
        if due > child.as_of or _ended_by(plan, due):
            return
        held = [
            f
            for f in known(child.facts, due)
            if f.type == "child_protection_conference"
            and f.occurred_at.date() >= born_at.date()
            and f.recorded_at >= plan.start.recorded_at
        ]
        if held:
            return
        recorded = f"recorded by {who(birth_fact)} on" if birth_fact else "on"
        yield self.draft(
            raised_at=due,
            episode=f"{plan.episode}:after-birth",
            evidence=[plan.start, *([birth_fact] if birth_fact else [])],
            severity="urgent",
            what=(
                f"The child's plan was made before birth ({who(plan.start)}). The birth, "
                f"{recorded} {spoken(born_at)}, calls for a review conference within "
                f"{days(within, 'working day')}, by {spoken(due)}; none had been recorded by then."
            ),
        )


def _ended_by(plan: Plan, moment: datetime) -> bool:
    return plan.end is not None and plan.end.recorded_at <= moment
