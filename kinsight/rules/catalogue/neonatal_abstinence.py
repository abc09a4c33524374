from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.moments import format_moment
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.registry import Draft, Rule

WITHDRAWAL_WORDS = ("neonatal abstinence", "withdrawal", "withdrawing", "nas")
NEWBORN_DAYS = 28


class NeonatalAbstinence(Rule):
    """A baby was born withdrawing from drugs, or tested positive for them at birth.

    Raised when a `birth` records neonatal abstinence, a `diagnosis` names neonatal abstinence or
    withdrawal, or a note reads a neonatal-abstinence finding about the baby.
    """

    id = "neonatal_abstinence"
    title = "Baby born withdrawing from drugs"
    severity = "urgent"
    guidance = (
        "Working Together to Safeguard Children 2023; NICE NG110; the Lancashire practice review "
        "(a baby born with neonatal abstinence syndrome whose plan closed while drug use went on)"
    )
    consider = (
        "Consider whether the baby is safe to go home, who will care for them, and whether the "
        "agencies working with the parents know."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for fact in child.facts:
            age = child.age_in_days(fact.occurred_at)
            # A newborn: withdrawal shows in the first days of life, and a note about an older
            # sibling's birth is not about this child.
            if age is None or not -1 <= age <= NEWBORN_DAYS:
                continue
            if self._shows_withdrawal(fact):
                yield self.draft(
                    raised_at=fact.recorded_at,
                    episode="birth",
                    evidence=[fact],
                    what=f"{fact.key[0]} recorded neonatal abstinence on "
                    f"{format_moment(fact.recorded_at)[:10]}.",
                )
                return  # one alert per child and birth

    @staticmethod
    def _shows_withdrawal(fact: Fact) -> bool:
        if fact.type == "birth" and fact.details.get("neonatal_abstinence") is True:
            return True
        if fact.type == "diagnosis":
            display = str(fact.details.get("display", "")).lower()
            if any(word in display for word in WITHDRAWAL_WORDS):
                return True
        return bool(fact.found("neonatal_abstinence"))
