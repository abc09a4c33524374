from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext
from kinsight.rules.episodes import plans
from kinsight.rules.patterns import adults_named, case_facts, concern, day, sightings, who
from kinsight.rules.registry import Draft, Rule

# A plan that ended for one of these reasons did not end because the risk was judged to be gone.
NOT_A_STEP_DOWN = {"looked_after", "moved_area", "turned_18", "died"}


class NewConcernAfterPlanEnd(Rule):
    """A new concern about the child or the household within six months of the child's child
    protection plan ending.

    A concern is a referral, a police incident, an injury, a positive toxicology or a domestic
    abuse incident, about the child or naming an adult or child of the child's household.
    Raised at the first one after each plan that ended other than because the child became
    looked after, moved away, turned 18 or died, unless a new plan has started by then.
    """

    id = "new_concern_after_plan_end"
    title = "New concern soon after a child protection plan ended"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023; re-referrals within 12 months and second "
        "plans as national measures (Children in Need census); the 'start again' syndrome of "
        "serious case reviews (Brandon et al., 2008)"
    )
    consider = (
        "Consider the new concern together with the history of the plan that ended, and what "
        "each agency knew when it ended, rather than as a fresh episode."
    )
    defaults = {"within_months": 6}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        months = int(self.setting("within_months"))
        facts = case_facts(child)
        for plan in plans(facts, child.as_of):
            end = plan.end
            if end is None or end.details.get("reason") in NOT_A_STEP_DOWN:
                continue
            if any(
                f.type == "plan" and f.details.get("status") == "ended"
                and f.details.get("plan") == "child_protection"
                and f.details.get("reason") in NOT_A_STEP_DOWN
                and f.occurred_at.date() == end.occurred_at.date()
                for f in facts
            ):  # fmt: skip
                continue
            until = add_months(end.occurred_at, months)
            for sighting in sightings(child):
                fact, moment = sighting.fact, sighting.known_at
                if moment > child.as_of:
                    break
                if moment < end.recorded_at or not end.occurred_at < fact.occurred_at <= until:
                    continue
                if sighting.retracted_by(moment) or not child.is_child_at(fact.occurred_at):
                    continue
                what = concern(child, sighting)
                if what is None:
                    continue
                later = [p for p in plans(facts, moment) if p.start.occurred_at > end.occurred_at]
                if later and later[0].start.occurred_at <= fact.occurred_at:
                    break  # a new plan has started: the concern belongs to it
                draft = self.draft(
                    raised_at=moment,
                    episode=plan.episode,
                    evidence=[fact, end],
                    what=(
                        f"{fact.key[0]} recorded a {what} on {day(fact.occurred_at)} "
                        f"({who(child, sighting)}), "
                        f"{(fact.occurred_at.date() - end.occurred_at.date()).days // 7} weeks "
                        f"after the child's child protection plan ended on "
                        f"{day(end.occurred_at)}."
                    ),
                )
                draft.adults = adults_named(child, sighting)
                yield draft
                break
