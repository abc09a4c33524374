from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.feeds.models import Agency
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import (
    known,
    open_allegations,
    open_enquiry,
    open_plan,
    shared_with_social_care,
)
from kinsight.rules.injuries import Injury, age_words, by_day, injuries, recorded
from kinsight.rules.registry import Draft, Rule


class InjuryDuringOpenEnquiry(Rule):
    """An agency other than social care recorded an injury to a child whose case is open, and
    had not told social care.

    Raised when a nursery, school, health service, police or any agency other than social care
    records an injury (coded, or read in a note) to a child who then has an open section 47
    enquiry, an open allegation or a child protection plan, and by then the record names no
    social-care agency in `shared_with` and no social-care record of that day mentions the same
    injury. It is raised when the injury is recorded: the record should reach social care the
    same day. Mentions on the same day are one alert.
    """

    id = "injury_during_open_enquiry"
    title = "Injury during an open enquiry or plan not shared with social care"
    severity = "urgent"
    guidance = (
        "Working Together to Safeguard Children 2023 (information shared promptly within a "
        "section 47 enquiry); Children's Wellbeing and Schools Act 2026 s.4 (duty to share "
        "information); the Lancashire practice review (a possible injection bruise seen at "
        "nursery three days after an allegation reached social care only the next day)"
    )
    consider = (
        "Consider telling the social worker and the police officer on the enquiry today, a "
        "paediatric opinion, and whether the strategy discussion needs to reconvene."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for day, records in by_day(injuries(child)).items():
            for injury in records:
                fact = injury.fact
                if fact.agency_sector == "social_care":
                    continue
                why = self._open(child, fact.recorded_at)
                if why is None or self._shared(child, injury):
                    continue
                yield self.draft(
                    raised_at=fact.recorded_at,
                    episode=f"injury:{day.isoformat()}",
                    evidence=[fact],
                    what=f"{recorded(fact)} recorded {injury.describe()} on "
                    f"{age_words(child, fact.occurred_at)} who {why}; the record had not been "
                    "shared with social care.",
                )
                break

    @staticmethod
    def _open(child: ChildContext, by: datetime) -> str | None:
        enquiry = open_enquiry(child.facts, by)
        if enquiry is not None:
            return f"has a section 47 enquiry open since {enquiry.start.key[1]}"
        plan = open_plan(child.facts, by)
        if plan is not None:
            return f"is on a child protection plan ({plan.start.key[1]})"
        allegations = open_allegations(child.facts, by)
        if allegations:
            return f"is the subject of an open allegation ({allegations[0].key[1]})"
        return None

    @staticmethod
    def _shared(child: ChildContext, injury: Injury) -> bool:
        fact: Fact = injury.fact
        facts = known(child.facts, fact.recorded_at)
        told = set(fact.shared_with)
        codes: set[str] = set()
        if told:  # the agencies it was told to, when the child's own records do not show them
            social_care = Agency.objects.filter(code__in=told, sector="social_care")
            codes = set(social_care.values_list("code", flat=True))
        return shared_with_social_care(fact, facts, codes)
