from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.moments import UK
from kinsight.rules.context import ChildContext
from kinsight.rules.injuries import NOT_ABOUT_THE_CHILD, age_words, belongs, recorded
from kinsight.rules.registry import Draft, Rule


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
        seen: set[str] = set()
        for fact in child.facts:
            if fact.role in NOT_ABOUT_THE_CHILD or not child.is_child_at(fact.occurred_at):
                continue
            found = [
                f
                for f in fact.found("delayed_care")
                if belongs(child, fact, f) and not f.historical
            ]
            if not found:
                continue
            episode = f"delay:{fact.occurred_at.astimezone(UK).date().isoformat()}"
            if episode in seen:
                continue
            seen.add(episode)
            yield self.draft(
                raised_at=fact.recorded_at,
                episode=episode,
                evidence=[fact],
                what=f"{recorded(fact)} records a delay in seeking care for "
                f"{age_words(child, fact.occurred_at)} (\u201c{found[0].text}\u201d).",
            )
