from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.moments import UK
from kinsight.rules.catalogue.neonatal_abstinence import NeonatalAbstinence
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import about_child, follows, known, open_enquiry, open_plan
from kinsight.rules.injuries import recorded
from kinsight.rules.prebirth import pre_birth
from kinsight.rules.registry import Draft, Rule

_ANSWERS = {"case_closed"}
STAY_STARTS = {"hospital_admission", "birth"}


class UnsafeDischarge(Rule):
    """A baby or child with safeguarding concerns left hospital without a safe discharge plan.

    Raised when a `hospital_discharge` is recorded for a child who is on a child protection plan
    (one made before birth included), has an open section 47 enquiry, was born with neonatal
    abstinence or a positive toxicology, or has an open referral, and either no discharge planning
    meeting with outcome `safe_to_discharge` was held before it, or the pre-birth assessment was
    still incomplete. It is raised when the discharge is recorded.
    """

    id = "unsafe_discharge"
    title = "Discharge from hospital without a safe discharge plan"
    severity = "urgent"
    guidance = (
        "Hospital pre-discharge procedures (Kent and Medway 2.2.34, Rotherham, Lincolnshire: no "
        "child discharged into an unsafe environment); National Guidance for Child Protection in "
        "Scotland 2021 para 3.144; the Kirklees serious case review (twins sent home with the "
        "pre-birth assessment incomplete)"
    )
    consider = (
        "Consider where the child is now and who is caring for them, a visit to see the child, "
        "and a discharge planning meeting or multi-agency discussion to agree the plan."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for discharge in child.facts:
            if discharge.type != "hospital_discharge" or not about_child(discharge):
                continue
            by = discharge.recorded_at
            if not child.is_child_at(discharge.occurred_at):
                continue
            concern = self._concern(child, by)
            if concern is None:
                continue
            gap = self._gap(child, discharge)
            if gap is None:
                continue
            yield self.draft(
                raised_at=by,
                episode=f"discharge:{discharge.occurred_at.astimezone(UK).date().isoformat()}",
                evidence=[discharge],
                what=f"{recorded(discharge)} recorded the discharge of a child who {concern}; "
                f"{gap}.",
            )

    @staticmethod
    def _concern(child: ChildContext, by: datetime) -> str | None:
        plan = open_plan(child.facts, by)
        if plan is not None:
            return f"is on a child protection plan ({plan.start.key[1]})"
        enquiry = open_enquiry(child.facts, by)
        if enquiry is not None:
            return f"has an open section 47 enquiry ({enquiry.start.key[1]})"
        facts = known(child.facts, by)
        newborn = [
            f
            for f in facts
            if about_child(f)
            and (age := child.age_in_days(f.occurred_at)) is not None
            and -1 <= age <= NeonatalAbstinence.defaults["newborn_days"]
        ]
        for fact in newborn:
            shown = NeonatalAbstinence.shows_withdrawal(child, fact)
            if shown:
                return f"was born with {shown} ({fact.key[1]})"
        closures = [f for f in facts if f.type in _ANSWERS]
        referrals = [
            f
            for f in facts
            if f.type == "referral" and about_child(f) and not any(follows(c, f) for c in closures)
        ]
        if referrals:
            return f"has an open referral ({referrals[-1].key[1]})"
        return None

    @staticmethod
    def _gap(child: ChildContext, discharge: Fact) -> str | None:
        by = discharge.recorded_at
        state = pre_birth(child, by)
        if state.assessment_started is not None and state.assessment_completed is None:
            return f"the pre-birth assessment ({state.assessment_started.key[1]}) was incomplete"
        facts = [f for f in known(child.facts, by) if f.occurred_at <= discharge.occurred_at]
        # The stay began with the last admission or the birth; a meeting must belong to it.
        starts = [f.occurred_at for f in facts if f.type in STAY_STARTS and about_child(f)]
        meetings = [
            f
            for f in facts
            if f.type == "discharge_planning_meeting"
            and (not starts or f.occurred_at >= max(starts))
        ]
        if not meetings:
            return "no discharge planning meeting was recorded before it"
        if meetings[-1].details.get("outcome") != "safe_to_discharge":
            outcome = str(meetings[-1].details.get("outcome") or "none").replace("_", " ")
            return (
                f"the last discharge planning meeting ({meetings[-1].key[1]}) did not agree a "
                f"safe discharge (outcome: {outcome})"
            )
        return None
