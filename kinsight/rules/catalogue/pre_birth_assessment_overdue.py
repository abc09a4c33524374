from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import pregnancy_clock, response, spoken, who
from kinsight.rules.episodes import about_child, known
from kinsight.rules.registry import Draft, Rule


class PreBirthAssessmentOverdue(Rule):
    """A pre-birth assessment was started, or an unborn child referred, and the assessment was
    not completed by 30 weeks' gestation (warning), 32 weeks (urgent), or by the birth.

    For a multiple pregnancy the thresholds are 4 weeks earlier, from when it was known to be
    one. Gestation week W is the expected birth date less (40 - W) weeks. Closing the case
    stops the clock.
    """

    id = "pre_birth_assessment_overdue"
    title = "Pre-birth assessment not completed in time"
    severity = "urgent"
    guidance = (
        "Partnership pre-birth procedures (Sussex 7.4.6-7.4.7, Sefton 6.1.8, Lincolnshire): the "
        "assessment informs the conference and the birth plan, earlier where a premature birth "
        "is likely; the Kirklees serious case review (twins born with the pre-birth assessment "
        "incomplete)"
    )
    consider = (
        "Consider what the assessment still needs, whether a conference and a birth plan can be "
        "ready in time, and what the hospital knows."
    )
    defaults = {"warning_week": 30, "urgent_week": 32, "multiple_weeks_earlier": 4}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        start = self._start(child)
        clock = pregnancy_clock(child, child.as_of)
        if start is None or clock is None:
            return
        earlier = float(self.setting("multiple_weeks_earlier"))
        warn_week = float(self.setting("warning_week"))
        urgent_week = float(self.setting("urgent_week"))
        warn_at = clock.week(warn_week, earlier)
        urgent_at = clock.week(urgent_week, earlier)
        born_note = ""
        if clock.born is not None:
            born_at = clock.born[0]
            if born_at < start.recorded_at:
                return
            if born_at < warn_at:
                born_note = f" The child was born ({spoken(born_at)}) before that."
            warn_at, urgent_at = min(warn_at, born_at), min(urgent_at, born_at)
        raised_at = max(warn_at, start.recorded_at, *(f.recorded_at for f in clock.evidence()))
        if raised_at > child.as_of or _completed(child, start, raised_at):
            return
        urgent_by = max(urgent_at, raised_at)
        passed = urgent_by <= child.as_of and not _completed(child, start, urgent_by)
        multiple = clock.multiple is not None and warn_at < clock.week(warn_week)
        weeks = f"{warn_week - earlier:g}" if multiple else f"{warn_week:g}"
        yield self.draft(
            raised_at=raised_at,
            episode="pregnancy",
            evidence=[start, *clock.evidence()],
            severity="urgent" if passed else "warning",
            what=(
                f"{clock.describe()} The pre-birth assessment ({self._began(start)}) was not "
                f"recorded as completed by gestation week {weeks}, {spoken(warn_at)}."
                + born_note
                + (f" It was still not completed by {spoken(urgent_by)}." if passed else "")
            ),
        )

    @staticmethod
    def _start(child: ChildContext) -> Fact | None:
        """The first pre-birth assessment started, or referral of the unborn child."""
        for fact in known(child.facts, child.as_of):
            if not about_child(fact) or not child.is_unborn_at(fact.occurred_at):
                continue
            if fact.type == "referral" or (
                fact.type == "assessment"
                and fact.details.get("assessment") == "pre_birth"
                and fact.details.get("status") == "started"
            ):
                return fact
        return None

    @staticmethod
    def _began(start: Fact) -> str:
        what = "referral" if start.type == "referral" else "started"
        return f"{what} {who(start)}, recorded {spoken(start.recorded_at)}"


def _completed(child: ChildContext, start: Fact, by: datetime) -> bool:
    def done(fact: Fact) -> bool:
        # A case closed (the referral needed no assessment, or it ended) stops the clock too.
        return fact.type == "case_closed" or (
            fact.type == "assessment"
            and fact.details.get("assessment") == "pre_birth"
            and fact.details.get("status") == "completed"
        )

    return response(child.facts, start, by, done) is not None
