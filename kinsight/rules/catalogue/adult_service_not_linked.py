from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import Enquiry, Plan, enquiries
from kinsight.rules.gaps import all_plans, day, known_at, open_at
from kinsight.rules.household import HOUSEHOLD_RELATIONS
from kinsight.rules.patterns import case_facts
from kinsight.rules.registry import Draft, Rule

ADULT_SECTORS = {"substance_misuse", "mental_health", "probation"}
MEETINGS = {"strategy_discussion", "child_protection_conference", "core_group"}
SERVICE = {
    "substance_misuse": "drug and alcohol service",
    "mental_health": "mental health service",
    "probation": "probation service",
}


class AdultServiceNotLinked(Rule):
    """A parent or household adult is open to an adult service that is not part of the child's
    plan or enquiry.

    An adult service (an agency of sector `substance_misuse`, `mental_health` or `probation`) is
    open to the adult when it recorded an event about them in the last 90 days. Raised while the
    child has an open plan or section 47 enquiry, once a strategy discussion, conference or core
    group of it is recorded without that agency in its `attended_by`, and nothing recorded about
    the child since the plan or enquiry began was shared with the agency.
    """

    id = "adult_service_not_linked"
    title = "A parent's adult service is not part of the child's plan"
    severity = "warning"
    guidance = (
        "Sefton child protection procedures 6.1.8 (specialist adult services invited to child "
        "planning); NSPCC, 'Hidden men' (2015); Child Safeguarding Practice Review Panel annual "
        "report 2023 to 2024 (parental mental health information held but not used)"
    )
    consider = (
        "Consider whether the adult's worker knows that their client is a parent of a child on a "
        "plan, and what they know that the child's plan should."
    )
    defaults = {"open_days": 90}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        window = timedelta(days=int(self.setting("open_days")))
        moments = sorted(
            {f.recorded_at for f in child.facts if f.type in MEETINGS}
            | {f.recorded_at for f in child.household_facts if f.agency_sector in ADULT_SECTORS}
        )
        raised: set[str] = set()
        for moment in moments:
            if not child.is_child_at(moment):
                continue
            for episode in self._open(child, moment):
                meetings = [
                    f
                    for f in child.known(child.facts, by=moment)
                    if f.type in MEETINGS
                    and f.occurred_at.date() >= episode.start.occurred_at.date()
                ]
                if not meetings:
                    continue
                linked = self._linked(child, episode, meetings, moment)
                for service in self._services(child, moment, window):
                    code = service.key[0]
                    key = f"{episode.episode}:{code}"
                    if code in linked or key in raised:
                        continue
                    raised.add(key)
                    yield self.draft(
                        raised_at=moment,
                        episode=key,
                        evidence=[episode.start, service],
                        what=(
                            f"A parent or household adult is open to {code}, a "
                            f"{SERVICE[service.agency_sector]} (last record {service.key[1]}, "
                            f"{day(service.recorded_at)}), while the child's "
                            f"{self._name(episode)} (since {day(episode.start.occurred_at)}) is "
                            f"open; {code} was not at its {len(meetings)} meeting(s) and was not "
                            "told of it."
                        ),
                    )

    @staticmethod
    def _open(child: ChildContext, moment: datetime) -> list[Plan | Enquiry]:
        own = case_facts(child)
        found: list[Plan | Enquiry] = [p for p in all_plans(own, moment) if p.kind != "early_help"]
        found += enquiries(own, moment)
        return [e for e in found if open_at(e, moment)]

    @staticmethod
    def _name(episode: Plan | Enquiry) -> str:
        if isinstance(episode, Plan):
            return f"{episode.kind.replace('_', ' ')} plan"
        return "section 47 enquiry"

    @staticmethod
    def _services(child: ChildContext, moment: datetime, window: timedelta) -> list[Fact]:
        """The latest record of each adult service about a household adult, in the window."""
        adults = {
            m.person_id
            for m in child.members_at(moment, HOUSEHOLD_RELATIONS)
            if m.is_adult_at(moment)
        }
        latest: dict[str, Fact] = {}
        for fact in child.known(child.household_facts, by=moment):
            if fact.person not in adults or fact.agency_sector not in ADULT_SECTORS:
                continue
            if fact.recorded_at < moment - window:
                continue
            code = fact.key[0]
            if code not in latest or fact.recorded_at > latest[code].recorded_at:
                latest[code] = fact
        return [latest[code] for code in sorted(latest)]

    @staticmethod
    def _linked(
        child: ChildContext, episode: Plan | Enquiry, meetings: list[Fact], moment: datetime
    ) -> set[str]:
        linked: set[str] = set()
        for meeting in meetings:
            attended = meeting.details.get("attended_by")
            if isinstance(attended, list):
                linked.update(str(code) for code in attended)
        since = episode.start.occurred_at.date()
        for fact in child.facts:
            if known_at(fact, moment) and fact.occurred_at.date() >= since:
                linked.update(fact.shared_with)
                told = fact.details.get("to")
                if fact.type == "information_shared" and isinstance(told, list):
                    linked.update(str(code) for code in told)
        return linked
