from __future__ import annotations

from kinsight.rules.context import ChildContext
from kinsight.rules.injuries import (
    Injury,
    InjuryRule,
    under_months,
)


class NonMobileInfantInjury(InjuryRule):
    """An injury was recorded on a baby under six months old or one who is not yet mobile.

    Babies who cannot move themselves rarely injure themselves: any bruise or mark, fracture,
    burn, bite, head injury or injection mark, coded as an `injury` or read in a note (a possible
    one included), is raised. A baby is not mobile when under six months old at the injury, or when
    the latest `development` record known then says `not_mobile`. Mentions of the injury on the
    same day, in any agency's records, are one alert, raised at the first and resting on them all.
    """

    id = "non_mobile_infant_injury"
    title = "Injury to a baby who is not mobile"
    severity = "urgent"
    guidance = (
        "NICE CG89 1.1.2 (bruising in a child who is not independently mobile); Child "
        "Safeguarding Practice Review Panel, 'Bruising in non-mobile infants' (2022): appraisal "
        "by a suitably qualified health professional and a multi-agency discussion, no automatic "
        "section 47; local non-mobile infant protocols (all babies under six months)"
    )
    consider = (
        "Consider a paediatric appraisal the same day and a multi-agency discussion about what "
        "is known of the baby and the household."
    )
    defaults = {"under_months": 6}

    joiner = " baby "

    def why(self, child: ChildContext, injury: Injury) -> str | None:
        fact = injury.fact
        months = int(self.setting("under_months"))
        if under_months(child, fact.occurred_at, months):
            return f"under {months} months old"
        mobility = [
            f
            for f in child.known(child.facts, by=fact.recorded_at)
            if f.type == "development" and f.details.get("mobility")
            and f.occurred_at <= fact.occurred_at
        ]  # fmt: skip
        if not mobility:
            return None
        latest = max(mobility, key=lambda f: (f.occurred_at, f.recorded_at))
        if latest.details["mobility"] == "not_mobile":
            return f"recorded as not mobile by {latest.key[0]}"
        return None
