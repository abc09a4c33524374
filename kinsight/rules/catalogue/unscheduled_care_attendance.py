from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kinsight.lib.moments import UK, format_moment
from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import about_child, known, plans
from kinsight.rules.injuries import age_words, recorded
from kinsight.rules.registry import Draft, Rule

SCOPE = ("child_protection", "looked_after")


class UnscheduledCareAttendance(Rule):
    """A child on a plan or looked after attended unscheduled care.

    Raised (for information) on a `hospital_attendance` (emergency department, urgent care,
    minor injuries, out-of-hours GP) by a child who is on a child protection plan or looked after,
    or whose plan ended in the last 12 months, as the NHS Child Protection Information Sharing
    service would flag it. A second attendance within 30 days makes it a warning.
    """

    id = "unscheduled_care_attendance"
    title = "Unscheduled care attendance by a child on a plan or looked after"
    severity = "info"
    guidance = (
        "NHS England, Child Protection Information Sharing (CP-IS): unscheduled care settings "
        "told of children on a child protection plan or looked after, and social care told of "
        "their attendances; London procedures PG9 (plans ended in the last 12 months)"
    )
    consider = (
        "Consider telling the lead social worker, asking the hospital why the child attended, "
        "and looking at the child's other recent attendances."
    )
    defaults = {"ended_within_months": 12, "repeat_within_days": 30}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        attendances = [f for f in child.facts if f.type == "hospital_attendance" and about_child(f)]
        seen: set[str] = set()
        for fact in attendances:
            if not child.is_child_at(fact.occurred_at):
                continue
            episode = f"attendance:{fact.occurred_at.astimezone(UK).date().isoformat()}"
            why = self._why(child, fact)
            if why is None or episode in seen:
                continue
            seen.add(episode)
            window = timedelta(days=int(self.setting("repeat_within_days")))
            before = [
                f
                for f in known(attendances, fact.recorded_at)
                if f.occurred_at.date() < fact.occurred_at.date()
                and f.occurred_at >= fact.occurred_at - window
            ]
            also = (
                f"; it attended on {format_moment(before[-1].occurred_at)[:10]} too"
                if before
                else ""
            )
            setting = str(fact.details.get("setting") or "hospital").replace("_", " ")
            yield self.draft(
                raised_at=fact.recorded_at,
                episode=episode,
                evidence=[*before[-1:], fact],
                severity="warning" if before else "info",
                what=f"{recorded(fact)} recorded an attendance ({setting}) by "
                f"{age_words(child, fact.occurred_at)} who {why}{also}.",
            )

    def _why(self, child: ChildContext, fact: Fact) -> str | None:
        moment: datetime = fact.occurred_at
        months = int(self.setting("ended_within_months"))
        for kind in SCOPE:
            name = "child protection plan" if kind == "child_protection" else "looked-after plan"
            for plan in reversed(plans(child.facts, fact.recorded_at, kind)):
                if plan.start.occurred_at > moment:
                    continue
                if plan.end is None or plan.end.occurred_at >= moment:
                    verb = "is looked after" if kind == "looked_after" else f"is on a {name}"
                    return f"{verb} ({plan.start.key[1]})"
                if add_months(plan.end.occurred_at, months) >= moment:
                    ended = format_moment(plan.end.occurred_at)[:10]
                    return f"had a {name} that ended on {ended}"
        return None
