from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from datetime import datetime, timedelta

from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext
from kinsight.rules.patterns import (
    Sighting,
    adults_named,
    day,
    domestic_abuse_incidents,
    same_incident,
    who,
)
from kinsight.rules.registry import Draft, Rule


class RepeatDomesticAbuse(Rule):
    """Two or more domestic abuse incidents within twelve months in the household of a child,
    or of a pregnancy, whatever social care's involvement.

    An incident is a coded `domestic_abuse_incident`, or a police record whose text records
    domestic abuse, naming the child or an adult of the child's household; two agencies'
    records of the same day count once. Raised when the second incident is recorded, then again
    only for an incident more than twelve months after the last alert.
    """

    id = "repeat_domestic_abuse"
    title = "Repeated domestic abuse in the household"
    severity = "warning"
    guidance = (
        "Child Safeguarding Practice Review Panel annual reports 2020 and 2023/24 (domestic "
        "abuse in most serious incident notifications); analyses of serious case reviews "
        "2017 to 2019"
    )
    consider = (
        "Consider the incidents together rather than one by one: what each agency knows, "
        "whether a MARAC or a referral to children's social care has been considered, and what "
        "the children have seen."
    )
    defaults = {"within_months": 12, "incidents": 2}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        months, needed = int(self.setting("within_months")), int(self.setting("incidents"))
        counted: list[Sighting] = []
        # The counted incidents by when they happened (with their place in `counted`): only
        # those within about `months` of an incident can share its window, and a household
        # known for years has thousands of incidents (looking at all of them was quadratic).
        by_happened: list[tuple[datetime, int]] = []
        reach = timedelta(days=31 * months + 2)  # more than `months` calendar months
        last: datetime | None = None
        for incident in domestic_abuse_incidents(child):
            moment = incident.known_at
            if moment > child.as_of:
                break
            if incident.retracted_by(moment) or any(same_incident(incident, c) for c in counted):
                continue
            happened = incident.fact.occurred_at
            insort(by_happened, (happened, len(counted)))
            counted.append(incident)
            near = sorted(
                n
                for _, n in by_happened[
                    bisect_left(by_happened, (happened - reach, -1)) : bisect_right(
                        by_happened, (happened + reach, len(counted))
                    )
                ]
            )
            window = [
                c
                for c in (counted[n] for n in near)
                if not c.retracted_by(moment)
                and add_months(min(c.fact.occurred_at, happened), months)
                >= max(c.fact.occurred_at, happened)
            ]
            if len(window) < needed or not child.is_child_at(moment):
                continue
            if last is not None and moment < add_months(last, months):
                continue
            last = moment
            window.sort(key=lambda s: s.fact.occurred_at)
            draft = self.draft(
                raised_at=moment,
                episode=f"event:{incident.key[0]}:{incident.key[1]}",
                evidence=[s.fact for s in window],
                what=(
                    f"{len(window)} domestic abuse incidents within {months} months in the "
                    "child's household: "
                    + "; ".join(
                        f"{day(s.fact.occurred_at)} ({s.fact.key[0]}, {who(child, s)})"
                        for s in window
                    )
                    + "."
                ),
            )
            draft.adults = sorted({a for s in window for a in adults_named(child, s)})
            yield draft
