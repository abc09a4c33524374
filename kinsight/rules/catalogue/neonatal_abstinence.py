from __future__ import annotations

import re
from collections.abc import Iterable

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.injuries import NOT_ABOUT_THE_CHILD, belongs, recorded
from kinsight.rules.registry import Draft, Rule

# A diagnosis of withdrawal in a newborn; "withdrawal symptoms from therapeutic use of drugs"
# (ICD-10 P96.2, a baby weaned off morphine given in neonatal care) is not one.
_WITHDRAWAL = re.compile(
    r"\b(?:neonatal abstinence|abstinence syndrome|withdrawal|withdrawing|NAS)\b", re.IGNORECASE
)
_THERAPEUTIC = re.compile(r"\btherapeutic\b|\biatrogenic\b", re.IGNORECASE)
CODES = {"P96.1", "P961", "414819007"}  # ICD-10 and SNOMED CT: neonatal abstinence syndrome
# A note at the birth that the mother tested positive ("positive for opiates at delivery").
_AT_DELIVERY = re.compile(r"\b(?:deliver(?:y|ed)|labou?r|birth|born)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n")


class NeonatalAbstinence(Rule):
    """A baby was born withdrawing from drugs, or tested positive for them at birth.

    Raised when, in the baby's first four weeks, a `birth` records neonatal abstinence, a
    `diagnosis` names neonatal abstinence or withdrawal (ICD-10 P96.1, SNOMED CT 414819007), a
    `toxicology` of the newborn (or of the mother at delivery, naming the baby) is positive, or a
    note reads withdrawal or a positive drug test of the baby, or of the mother at delivery. A
    birth record that only says the baby was exposed is not enough. One alert per baby.
    """

    id = "neonatal_abstinence"
    title = "Baby born withdrawing from drugs"
    severity = "urgent"
    guidance = (
        "Working Together to Safeguard Children 2023 (neglect can begin in pregnancy through "
        "maternal substance abuse); partnership procedures for babies showing withdrawal "
        "(Kent and Medway 2.2.19, Hertfordshire 5.6.4); the Lancashire practice review (a baby "
        "born with neonatal abstinence syndrome whose plan closed while drug use went on)"
    )
    consider = (
        "Consider whether the baby is safe to go home and who will care for them, a discharge "
        "planning meeting before discharge, and whether the agencies working with the parents "
        "know."
    )
    defaults = {"newborn_days": 28}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for fact in child.facts:
            if fact.role in NOT_ABOUT_THE_CHILD:
                continue
            age = child.age_in_days(fact.occurred_at)
            # A newborn: withdrawal shows in the first days of life, and a note about an older
            # sibling's birth is not about this child.
            if age is None or not -1 <= age <= self.setting("newborn_days"):
                continue
            shown = self.shows_withdrawal(child, fact)
            if shown:
                yield self.draft(
                    raised_at=fact.recorded_at,
                    episode="birth",
                    evidence=[fact],
                    what=f"{recorded(fact)} recorded {shown} in a baby "
                    f"{'born that day' if age <= 0 else f'{age} day(s) old'}.",
                )
                return  # one alert per child and birth

    @staticmethod
    def shows_withdrawal(child: ChildContext, fact: Fact) -> str | None:
        if fact.type == "birth" and fact.details.get("neonatal_abstinence") is True:
            return "neonatal abstinence at the birth"
        if fact.type == "diagnosis":
            display = str(fact.details.get("display", ""))
            code = str(fact.details.get("code", "")).upper()
            if code in CODES or (_WITHDRAWAL.search(display) and not _THERAPEUTIC.search(display)):
                return f"a diagnosis of {display or code}"
        if fact.type == "toxicology" and fact.details.get("result") == "positive":
            if fact.details.get("prescribed") is not True:
                return f"a positive toxicology ({fact.details.get('substance') or 'drugs'})"
        own = [
            f
            for f in fact.found("neonatal_abstinence", "positive_toxicology")
            if belongs(child, fact, f) and not f.historical
        ]
        if own:
            return f"\u201c{own[0].text}\u201d"
        for f in fact.findings:
            if (
                f.indicator == "substance_misuse" and f.present and not f.historical
                and f.experiencer == "mother" and "positive" in f.text.lower()
                and any(f.text in s and _AT_DELIVERY.search(s)
                        for s in _SENTENCE.split(fact.summary))
            ):  # fmt: skip
                return f"the mother \u201c{f.text}\u201d at delivery"
        return None
