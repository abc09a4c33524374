from __future__ import annotations

from collections.abc import Iterable

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.patterns import (
    Sighting,
    adults_named,
    day,
    domestic_abuse_incidents,
    incident_is_serious,
    open_case,
    recently_ended_plans,
    same_incident,
    who,
)
from kinsight.rules.registry import Draft, Rule


class DomesticAbuseOnOpenCase(Rule):
    """A domestic abuse incident happens in the household of a child whose case is open, or
    whose plan ended in the last six months.

    The incident is a coded `domestic_abuse_incident`, or a police record whose text records
    domestic abuse, that names the child or an adult of the child's household. The case is open
    while the child has a child protection or child in need plan, an assessment or a section 47
    enquiry. Urgent when a child was present or someone was injured.
    """

    id = "domestic_abuse_on_open_case"
    title = "Domestic abuse while the child's case is open"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023 (core groups keep each other informed); "
        "review conferences brought forward after a significant incident (Tees procedures); "
        "Child Safeguarding Practice Review Panel annual report 2020"
    )
    consider = (
        "Consider whether the lead professional and the core group know of the incident, and "
        "whether the plan, or the decision to end it, still fits what is now known."
    )
    defaults = {"after_plan_months": 6}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        months = int(self.setting("after_plan_months"))
        raised: list[Sighting] = []
        for incident in domestic_abuse_incidents(child):
            moment = incident.known_at
            if moment > child.as_of or not child.is_child_at(incident.fact.occurred_at):
                continue
            if incident.retracted_by(moment) or any(same_incident(incident, r) for r in raised):
                continue
            opened = open_case(child, moment)
            ended = recently_ended_plans(child, moment, incident.fact.occurred_at, months)
            if not opened and not ended:
                continue
            raised.append(incident)
            serious = incident_is_serious(incident)
            draft = self.draft(
                raised_at=moment,
                episode=f"event:{incident.key[0]}:{incident.key[1]}",
                evidence=[incident.fact, *[f for _, f in opened], *[f for _, f in ended]],
                severity="urgent" if serious else "warning",
                what=_what(child, incident, opened, ended, serious),
            )
            draft.adults = adults_named(child, incident)
            yield draft


def _what(
    child: ChildContext, incident: Sighting, opened: list[tuple[str, Fact]],
    ended: list[tuple[str, Fact]], serious: bool,
) -> str:  # fmt: skip
    fact = incident.fact
    parts = [
        f"{fact.key[0]} recorded a domestic abuse incident of {day(fact.occurred_at)} "
        f"({who(child, incident)})"
    ]
    state = [f"the child's {words} was open" for words, _ in opened]
    state += [f"the child's {words} had ended on {day(end.occurred_at)}" for words, end in ended]
    parts.append("when " + " and ".join(state) + ".")
    if serious:
        parts.append("A child was present or someone was injured.")
    return " ".join(parts)
