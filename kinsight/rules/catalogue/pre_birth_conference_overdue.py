from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import pregnancy_clock, response, spoken, who
from kinsight.rules.episodes import about_child, known
from kinsight.rules.registry import Draft, Rule


class PreBirthConferenceOverdue(Rule):
    """An unborn child's strategy discussion decided on section 47 enquiries, and no pre-birth
    conference was held by 28 weeks' gestation (warning) or 32 weeks (urgent).

    For a multiple pregnancy the thresholds are 4 weeks earlier, from when it was known to be
    one. A birth before the threshold is for `birth_before_pre_birth_plan_complete`.
    """

    id = "pre_birth_conference_overdue"
    title = "Pre-birth conference not held in time"
    severity = "urgent"
    guidance = (
        "Partnership pre-birth procedures: a conference ideally by 28 weeks (Sussex 7.4.6), by "
        "34 weeks at the latest (Sefton 6.1.8), earlier where a premature birth is likely"
    )
    consider = (
        "Consider whether the conference has a date before the birth, and whether a premature "
        "birth is likely."
    )
    defaults = {"warning_week": 28, "urgent_week": 32, "multiple_weeks_earlier": 4}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        discussion = next(
            (
                f
                for f in known(child.facts, child.as_of)
                if f.type == "strategy_discussion"
                and f.details.get("outcome") == "section_47"
                and about_child(f)
                and child.is_unborn_at(f.occurred_at)
            ),
            None,
        )
        clock = pregnancy_clock(child, child.as_of)
        if discussion is None or clock is None:
            return
        earlier = float(self.setting("multiple_weeks_earlier"))
        warn_week = float(self.setting("warning_week"))
        warn_at = clock.week(warn_week, earlier)
        urgent_at = clock.week(float(self.setting("urgent_week")), earlier)
        raised_at = max(warn_at, discussion.recorded_at, *(f.recorded_at for f in clock.evidence()))
        if clock.born is not None and clock.born[0] <= raised_at:
            return
        if raised_at > child.as_of or _held(child, discussion, raised_at):
            return
        urgent_by = max(urgent_at, raised_at)
        passed = (
            urgent_by <= child.as_of
            and not _held(child, discussion, urgent_by)
            and (clock.born is None or clock.born[0] > urgent_by)
        )
        multiple = clock.multiple is not None and warn_at < clock.week(warn_week)
        weeks = f"{warn_week - earlier:g}" if multiple else f"{warn_week:g}"
        yield self.draft(
            raised_at=raised_at,
            episode="pregnancy",
            evidence=[discussion, *clock.evidence()],
            severity="urgent" if passed else "warning",
            what=(
                f"{clock.describe()} A strategy discussion ({who(discussion)}, recorded "
                f"{spoken(discussion.recorded_at)}) decided on section 47 enquiries; no pre-birth "
                f"conference was recorded by gestation week {weeks}, {spoken(warn_at)}."
                + (f" None was recorded by {spoken(urgent_by)} either." if passed else "")
            ),
        )


def _held(child: ChildContext, discussion: Fact, by: datetime) -> bool:
    def conference(fact: Fact) -> bool:
        return fact.type == "child_protection_conference" and (
            fact.details.get("conference") == "pre_birth"
            or (
                fact.details.get("conference") == "initial" and child.is_unborn_at(fact.occurred_at)
            )
        )

    return response(child.facts, discussion, by, conference) is not None
