from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.moments import UK
from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import add_weeks, days, spoken, who
from kinsight.rules.episodes import Plan, birth_moment, follows, health_contact, known, plans, seen
from kinsight.rules.registry import Draft, Rule


class ChildNotSeen(Rule):
    """A child on a child protection plan has not been seen on a home visit for more than 10
    working days, or two home visits in a row did not see the child.

    Urgent when no agency at all has seen the child for 6 weeks (a home visit, a health contact,
    or any note that records the child was seen).
    """

    id = "child_not_seen"
    title = "Child on a plan not seen"
    severity = "warning"
    guidance = (
        "Visiting frequency set in the child protection plan; partnership minimums of 10 working "
        "days (Liverpool, Central Bedfordshire, Camden); Southwark escalates when no agency has "
        "seen the child for 6 weeks"
    )
    consider = (
        "Consider when and by whom the child was last seen, whether they were seen alone, and "
        "which agency could see them soonest."
    )
    defaults = {"visit_within_working_days": 10, "any_agency_weeks": 6, "unseen_visits_in_a_row": 2}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for plan in plans(child.facts, child.as_of):
            if not child.is_child_at(plan.start.occurred_at):
                continue
            start = self._start(child, plan)
            if start is None:
                continue  # an unborn child's plan: the visits count from the birth
            born = child.birth_date or start[0].astimezone(UK).date()
            during = [
                f
                for f in known(child.facts, child.as_of)
                if follows(f, plan.start)
                # Before the birth, a visit to the mother cannot see the child.
                and (start[2] is plan.start or f.occurred_at.astimezone(UK).date() >= born)
                and (plan.end is None or not follows(f, plan.end))
            ]
            yield from self._not_visited(child, plan, start, during)
            yield from self._unseen_visits(plan, during)

    @staticmethod
    def _start(child: ChildContext, plan: Plan) -> tuple[datetime, str, Fact | None] | None:
        """When the child could first be seen on the plan: its start, or the birth."""
        if not child.is_unborn_at(plan.start.occurred_at):
            text = (
                f"the plan started ({who(plan.start)}, recorded {spoken(plan.start.recorded_at)})"
            )
            return plan.start.recorded_at, text, plan.start
        birth = birth_moment(child.facts, child.as_of, child.birth_date)
        if birth is None:
            return None
        moment, fact = birth
        recorded = f" ({who(fact)})" if fact is not None else ""
        return max(moment, plan.start.recorded_at), f"the birth{recorded}, {spoken(moment)}", fact

    def _not_visited(
        self,
        child: ChildContext,
        plan: Plan,
        start: tuple[datetime, str, Fact | None],
        during: list[Fact],
    ) -> Iterable[Draft]:
        within = int(self.setting("visit_within_working_days"))
        by_visit = sorted(
            (f for f in during if f.type == "home_visit" and seen(f)),
            key=lambda f: (f.recorded_at, f.key),
        )
        anchors: list[tuple[datetime, str, Fact | None]] = [
            start,
            *(
                (
                    v.recorded_at,
                    f"the home visit recorded by {who(v)} on {spoken(v.recorded_at)}",
                    v,
                )
                for v in by_visit
            ),
        ]
        for index, (moment, last, fact) in enumerate(anchors):
            due = add_working_days(moment, within)
            if due > child.as_of or _ended_by(plan, due):
                return
            following = anchors[index + 1][0] if index + 1 < len(anchors) else None
            if following is not None and following <= due:
                continue
            until = min(
                m
                for m in (child.as_of, following, plan.end.recorded_at if plan.end else None)
                if m is not None
            )
            unseen_since = self._unseen_by_any_agency(moment, during, until)
            what = (
                f"The child is on a child protection plan and was not seen on a home visit for "
                f"{days(within, 'working day')} after {last}: a visit was due by {spoken(due)}."
            )
            if unseen_since is not None:
                weeks = float(self.setting("any_agency_weeks"))
                what += (
                    f" No agency recorded seeing the child for {weeks:g} weeks after "
                    f"{spoken(unseen_since)}."
                )
            key = fact.key if fact is not None else ("birth", "")
            yield self.draft(
                raised_at=due,
                episode=f"{plan.episode}:seen-after:{key[0]}:{key[1]}",
                evidence=[plan.start, *([fact] if fact not in (None, plan.start) else [])],
                severity="warning" if unseen_since is None else "urgent",
                what=what,
            )

    def _unseen_by_any_agency(
        self, since: datetime, during: list[Fact], until: datetime
    ) -> datetime | None:
        """The moment from which no agency saw the child for the set weeks, before `until`."""
        weeks = float(self.setting("any_agency_weeks"))
        sightings = sorted(
            f.recorded_at
            for f in during
            if (seen(f) or health_contact(f)) and since < f.recorded_at <= until
        )
        last = since
        for moment in [*sightings, until]:
            if add_weeks(last, weeks) <= moment:
                return last
            last = moment
        return None

    def _unseen_visits(self, plan: Plan, during: list[Fact]) -> Iterable[Draft]:
        needed = int(self.setting("unseen_visits_in_a_row"))
        run: list[Fact] = []
        for visit in (f for f in during if f.type == "home_visit"):
            if seen(visit):
                run = []
                continue
            run.append(visit)
            if len(run) == needed:
                yield self.draft(
                    raised_at=max(v.recorded_at for v in run),
                    episode=f"{plan.episode}:unseen-from:{run[0].key[0]}:{run[0].key[1]}",
                    evidence=[plan.start, *run],
                    what=(
                        f"The child is on a child protection plan and {needed} home visits in a "
                        "row did not see the child: "
                        + "; ".join(
                            f"{who(v)} on {spoken(v.occurred_at)}"
                            + (" (no access)" if v.details.get("no_access") else "")
                            for v in run
                        )
                        + "."
                    ),
                )


def _ended_by(plan: Plan, moment: datetime) -> bool:
    return plan.end is not None and plan.end.recorded_at <= moment
