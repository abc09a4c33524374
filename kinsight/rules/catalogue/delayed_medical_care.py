from __future__ import annotations

import re
from collections.abc import Iterable

from kinsight.rules.context import ChildContext, Fact, Finding
from kinsight.rules.injuries import (
    INJURY_FINDINGS,
    age_words,
    belongs,
    first_each_day,
    found_about,
    recorded,
)
from kinsight.rules.registry import Draft, Rule

# The reader also reads a bare age ("twins, 26 days old") as a delay; an age counts only in a
# sentence that names an injury ("healing rib fractures, 2-4 weeks old").
_AGE = re.compile(
    r"^(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)(?:\s*-\s*\d+)?\s+"
    r"(?:hours?|days?|weeks?|months?)\s+old$",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n")


def _a_delay(fact: Fact, finding: Finding) -> bool:
    if not _AGE.match(finding.text.strip()):
        return True
    injured = [
        f.text.lower() for f in fact.findings if f.indicator in INJURY_FINDINGS and f.present
    ]
    return any(
        finding.text.lower() in sentence.lower() and any(w in sentence.lower() for w in injured)
        for sentence in _SENTENCE.split(fact.summary)
    )


class DelayedMedicalCare(Rule):
    """Care for a child's injury or illness was sought late.

    Raised on a note that reads a delay in seeking medical care for the child: an injury or
    illness that happened hours or days before anyone sought care ("injury several days old",
    "did not seek treatment until"), or a delay in seeking it. Mentions on the same day are one
    alert, at the first.
    """

    id = "delayed_medical_care"
    title = "Delay in seeking medical care for a child"
    severity = "warning"
    guidance = (
        "NICE CG89 (an unexplained delay in presentation is an alerting feature of "
        "maltreatment and of neglect); Working Together to Safeguard Children 2023 (neglect "
        "includes failing to ensure access to appropriate medical care)"
    )
    consider = (
        "Consider asking the family and the clinician about the delay, what else is known of the "
        "child's health care, and sharing it with the agencies that know the family."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        def delays(fact: Fact) -> list[Finding] | None:
            found = [
                f
                for f in found_about(fact, ("delayed_care",))
                if belongs(child, fact, f) and not f.historical and _a_delay(fact, f)
            ]
            return found or None

        for fact, episode, found in first_each_day(child, "delay", delays):
            yield self.draft(
                raised_at=fact.recorded_at,
                episode=episode,
                evidence=[fact],
                what=f"{recorded(fact)} records a delay in seeking care for "
                f"{age_words(child, fact.occurred_at)} (\u201c{found[0].text}\u201d).",
            )
