from __future__ import annotations

from collections.abc import Iterable

from kinsight.rules.context import ChildContext
from kinsight.rules.episodes import about_child
from kinsight.rules.injuries import recorded
from kinsight.rules.prebirth import pre_birth
from kinsight.rules.registry import Draft, Rule


class BirthBeforePreBirthPlanComplete(Rule):
    """A baby was born while the pre-birth work about them was unfinished.

    Raised when a `birth` is recorded for a baby with an open pre-birth referral, assessment or
    child protection plan, while the pre-birth assessment is not completed, or while no pre-birth
    conference has been held after a section 47 enquiry about the unborn baby. It is raised when
    the birth is recorded.
    """

    id = "birth_before_pre_birth_plan_complete"
    title = "Birth before the pre-birth assessment or conference was complete"
    severity = "urgent"
    guidance = (
        "Partnership pre-birth procedures (a birth plan agreed at the pre-birth conference, "
        "held by about 28 weeks, earlier when an early birth is likely: Pan-Sussex 7.4, North "
        "Staffordshire); the Kirklees serious case review (twins born five weeks early with the "
        "pre-birth assessment incomplete)"
    )
    consider = (
        "Consider what the birth plan says, whether the baby is safe to go home and with whom, "
        "a discharge planning meeting before any discharge, and when the assessment will be "
        "finished."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        births = [f for f in child.facts if f.type == "birth" and about_child(f)]
        if not births:
            return
        birth = min(births, key=lambda f: (f.recorded_at, f.key))
        state = pre_birth(child, birth.recorded_at)
        if not state.open:
            return
        gaps = []
        if state.assessment_completed is None:
            gaps.append(
                "the pre-birth assessment was not completed"
                if state.assessment_started is not None
                else "no pre-birth assessment was recorded"
            )
        if state.enquiry is not None and state.conference is None:
            gaps.append("no pre-birth conference had been held after the section 47 enquiry")
        if not gaps:
            return
        first = state.anything
        known_since = f" (known to social care from {first.key[1]})" if first else ""
        weeks = birth.details.get("gestation_weeks")
        at = f" at {weeks} weeks" if weeks else ""
        yield self.draft(
            raised_at=birth.recorded_at,
            episode="birth",
            evidence=[birth],
            what=f"{recorded(birth)} recorded the birth{at} of a baby with pre-birth work "
            f"open{known_since}: {' and '.join(gaps)}.",
        )
