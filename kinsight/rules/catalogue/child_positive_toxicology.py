from __future__ import annotations

import re
from collections.abc import Iterable

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.injuries import age_words, belongs, first_each_day, found_about, recorded
from kinsight.rules.registry import Draft, Rule

ADULTS = {"mother", "father", "partner", "other_adult"}
# "prescribed" said of the drug found, and not "not prescribed", "no prescribed opiates".
_PRESCRIBED = re.compile(r"\bprescribed\b", re.IGNORECASE)
_NOT_PRESCRIBED = re.compile(
    r"\b(?:not|no|non|never|un|nothing)[- ]?(?:been |was |is )?prescribed\b", re.IGNORECASE
)


class ChildPositiveToxicology(Rule):
    """A child tested positive for a drug that was not prescribed to them.

    Raised on a `toxicology` of the child with `result: positive` that is not recorded as
    `prescribed`, or on a note that reads a positive drug test of the child ("urine positive for
    methadone") and does not say the drug was prescribed to the child. A test of an adult named
    in the note (the mother at delivery, say) is not the child's. Records of the result on the same
    day are one alert, at the first.
    """

    id = "child_positive_toxicology"
    title = "Child positive for a drug not prescribed to them"
    severity = "urgent"
    guidance = (
        "NICE CG89 (poisoning as an alerting feature of maltreatment); Working Together to "
        "Safeguard Children 2023 (a strategy discussion whenever there is reasonable cause to "
        "suspect significant harm); the Lancashire practice review (toddlers given heroin, "
        "found only when the results came back)"
    )
    consider = (
        "Consider how the child came to take the drug, the safety of the brothers and sisters "
        "in the household (and whether they should be tested), and a multi-agency discussion."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        def positive(fact: Fact) -> str | None:
            if child.is_unborn_at(fact.occurred_at):
                return None
            return self._positive(child, fact)

        for fact, episode, substance in first_each_day(child, "toxicology", positive):
            yield self.draft(
                raised_at=fact.recorded_at,
                episode=episode,
                evidence=[fact],
                what=f"{recorded(fact)} recorded a positive test for {substance} in "
                f"{age_words(child, fact.occurred_at)}, not prescribed to the child.",
            )

    @staticmethod
    def _positive(child: ChildContext, fact: Fact) -> str | None:
        """What the child tested positive for, when the record shows a non-prescribed one."""
        adult_tested = any(
            f.indicator == "substance_misuse" and f.present and f.experiencer in ADULTS
            and "positive" in f.text.lower()
            for f in fact.findings
        )  # fmt: skip
        if fact.type == "toxicology":
            if fact.details.get("result") != "positive" or fact.details.get("prescribed") is True:
                return None
            if fact.role == "subject" or not adult_tested:
                return str(fact.details.get("substance") or "a drug")
            return None
        found = [f for f in found_about(fact, ("positive_toxicology",)) if belongs(child, fact, f)]
        if not found or _says_prescribed(fact.summary):
            return None
        return found[0].text.lower().removeprefix("positive for ").removesuffix(" and").strip()


def _says_prescribed(text: str) -> bool:
    return bool(_PRESCRIBED.search(text)) and not _NOT_PRESCRIBED.search(text)
