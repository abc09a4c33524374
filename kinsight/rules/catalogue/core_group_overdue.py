from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import add_weeks, days, spoken, who
from kinsight.rules.episodes import Plan, follows, known, plans
from kinsight.rules.registry import Draft, Rule


class CoreGroupOverdue(Rule):
    """A child protection plan has gone without a core group meeting: none within 10 working
    days of the plan starting, or, later, more than 6 weeks since the last one.

    Each lapse is raised once: the first core group, and each gap after a core group.
    """

    id = "core_group_overdue"
    title = "Core group not meeting on time"
    severity = "warning"
    guidance = (
        "Partnership child protection procedures (first core group within 10 working days of "
        "the initial conference, then at least every 6 weeks: Tees, Liverpool, Wales); Working "
        "Together 2018, chapter 1, 'The child protection plan' (unverified)"
    )
    consider = (
        "Consider whether the core group has a date, whether every agency in the plan knows it, "
        "and what has happened for the child since the last meeting."
    )
    defaults = {"first_within_working_days": 10, "interval_weeks": 6}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        first = int(self.setting("first_within_working_days"))
        weeks = float(self.setting("interval_weeks"))
        for plan in plans(child.facts, child.as_of):
            if not child.is_child_at(plan.start.occurred_at):
                continue
            groups = sorted(
                (
                    f
                    for f in known(child.facts, child.as_of)
                    if f.type == "core_group"
                    and follows(f, plan.start)
                    and (plan.end is None or not follows(f, plan.end))
                ),
                key=lambda f: (f.recorded_at, f.key),
            )
            anchors: list[Fact] = [plan.start, *groups]
            for index, anchor in enumerate(anchors):
                if index == 0:
                    due = add_working_days(anchor.recorded_at, first)
                    basis = (
                        f"No core group was recorded within {days(first, 'working day')} of the "
                        f"plan starting ({who(anchor)}, recorded {spoken(anchor.recorded_at)}): "
                        f"it was due by {spoken(due)}."
                    )
                else:
                    due = add_weeks(anchor.recorded_at, weeks)
                    basis = (
                        f"The last core group ({who(anchor)}) was recorded on "
                        f"{spoken(anchor.recorded_at)}; none followed within {weeks:g} weeks, "
                        f"by {spoken(due)}."
                    )
                if due > child.as_of or _ended_by(plan, due):
                    break
                following = anchors[index + 1] if index + 1 < len(anchors) else None
                if following is not None and following.recorded_at <= due:
                    continue
                yield self.draft(
                    raised_at=due,
                    episode=f"{plan.episode}:after:{anchor.key[0]}:{anchor.key[1]}",
                    evidence=[plan.start] if index == 0 else [plan.start, anchor],
                    what=f"The child is on a child protection plan. {basis}",
                )


def _ended_by(plan: Plan, moment: datetime) -> bool:
    return plan.end is not None and plan.end.recorded_at <= moment
