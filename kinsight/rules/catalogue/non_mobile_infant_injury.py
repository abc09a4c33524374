from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from kinsight.lib.moments import UK
from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.registry import Draft, Rule

INJURY_FINDINGS = (
    "bruise", "fracture", "burn", "bite", "head_injury", "injection_mark", "other_injury",
)  # fmt: skip


class NonMobileInfantInjury(Rule):
    """An injury was recorded on a baby under six months old or one who is not yet mobile.

    Babies who cannot move themselves rarely injure themselves: any bruise, mark, fracture, burn,
    bite, head injury or injection mark, coded as an `injury` or read in a note, is raised.
    """

    id = "non_mobile_infant_injury"
    title = "Injury to a baby who is not mobile"
    severity = "urgent"
    guidance = (
        "Bruising and injuries in non-mobile infants: local safeguarding partnership protocols; "
        "Child Safeguarding Practice Review Panel, 'The Myth of Invisible Men' (2021); NICE CG89"
    )
    consider = (
        "Consider a paediatric appraisal the same day and a multi-agency discussion about what "
        "is known of the baby and the household."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for fact in child.facts:
            kinds = self._injuries(fact)
            if not kinds or not self._not_mobile(child, fact):
                continue
            yield self.draft(
                raised_at=fact.recorded_at,
                # Mentions of an injury on the same day, in any agency's records, are one injury.
                episode=f"injury:{fact.occurred_at.date().isoformat()}",
                evidence=[fact],
                what=f"{fact.key[0]} recorded {', '.join(kinds)} on a baby who is not mobile.",
            )

    @staticmethod
    def _injuries(fact: Fact) -> list[str]:
        if fact.type == "injury":
            return [str(fact.details.get("injury", "injury")).replace("_", " ")]
        return sorted({f.indicator.replace("_", " ") for f in fact.found(*INJURY_FINDINGS)})

    @staticmethod
    def _not_mobile(child: ChildContext, fact: Fact) -> bool:
        if child.birth_date is not None:
            born = datetime.combine(child.birth_date, time(0), tzinfo=UK)
            if fact.occurred_at < add_months(born, 6):
                return True
        mobility = [
            f
            for f in child.known(child.facts, by=fact.recorded_at)
            if f.type == "development" and "mobility" in f.details
        ]
        return bool(mobility) and mobility[-1].details["mobility"] == "not_mobile"
