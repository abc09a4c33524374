from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.moments import format_moment
from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.patterns import TRIO_WORDS, Sighting, adults_named, day, trio_at, trio_evidence
from kinsight.rules.registry import Draft, Rule


class ToxicTrio(Rule):
    """Two or more of domestic abuse, parental mental ill-health and parental substance misuse
    are recorded for the adults of a child's household within twelve months.

    Each may be coded (a domestic abuse incident, a drug or mental health service's record, an
    adult's positive drug test) or read in any agency's note. The adults are the child's
    parents, step-parents, carers, a parent's partner, household members and people recorded
    at the child's address. Raised when the second difficulty is recorded; raised again only
    after twelve months, once two difficulties have been recorded anew.
    """

    id = "toxic_trio"
    title = "Domestic abuse, parental mental ill-health and substance misuse together"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023 (cumulative harm); Child Safeguarding "
        "Practice Review Panel annual reports 2020 and 2023/24; analyses of serious case reviews "
        "2017 to 2019 (domestic abuse, mental ill-health and substance misuse in most reviews)"
    )
    consider = (
        "Consider what each agency knows about the adults, whether the assessment or plan takes "
        "the difficulties together into account, and whether the adult services are involved."
    )
    defaults = {"within_months": 12}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        months = int(self.setting("within_months"))
        evidence = trio_evidence(child)
        last: datetime | None = None
        for moment in sorted({d.sighting.known_at for d in evidence}):
            if moment > child.as_of:
                break
            if not child.is_child_at(moment):
                continue
            since = add_months(moment, -months)
            if last is not None:
                if moment < add_months(last, months):
                    continue
                since = max(since, last)  # raised again only on difficulties recorded anew
            found = trio_at(evidence, moment, since)
            if len(found) < 2:
                continue
            last = moment
            draft = self.draft(
                raised_at=moment,
                episode=f"from:{format_moment(moment)}",
                evidence=_facts(found),
                what=_what(found),
            )
            draft.adults = sorted(
                {
                    a
                    for sightings in found.values()
                    for s in sightings
                    for a in adults_named(child, s)
                }
            )
            yield draft


def _facts(found: dict[str, list[Sighting]]) -> list[Fact]:
    facts: dict[tuple[str, str], Fact] = {}
    for sightings in found.values():
        for s in sightings:
            facts.setdefault(s.key, s.fact)
    return sorted(facts.values(), key=lambda f: (f.recorded_at, f.key))


def _what(found: dict[str, list[Sighting]]) -> str:
    parts = []
    for element, sightings in found.items():
        latest = sightings[-1].fact
        parts.append(
            f"{TRIO_WORDS[element]} ({len(sightings)} record{'s' if len(sightings) > 1 else ''}, "
            f"latest by {latest.key[0]} on {day(latest.recorded_at)})"
        )
    return "Recorded for the adults of the child's household within 12 months: " + (
        "; ".join(parts) + "."
    )
