from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import about_child
from kinsight.rules.gaps import day, known_at, when
from kinsight.rules.household import CARER, PARENT_TYPES, STEP_PARENT
from kinsight.rules.registry import Draft, Rule

PARENTS = {*PARENT_TYPES, STEP_PARENT, CARER}
PLAN_KINDS = {"child_protection", "child_in_need", "looked_after"}
_ABOUT_THE_PLAN = re.compile(r"\b(plans?|conference)\b", re.IGNORECASE)


class AgencyNotInformed(Rule):
    """An agency working with the child or a parent was not told of a conference outcome or a
    plan starting or ending within one working day.

    An agency is working with the family when it recorded an event about the child or a parent
    in the 90 days before. It is told when the conference or plan record, or a later record
    about the child, names it in `shared_with`, in an `information_shared` `to`, or among those
    who attended (`attended_by`), or when it records the plan or conference itself. Decisions
    on the same day are one episode. (Urgent alerts about the child, and notifications sent by
    Kinsight, are not yet read: the alerts are not part of what a rule sees.)
    """

    id = "agency_not_informed"
    title = "An agency working with the family was not told of a plan"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023 (agencies told of plans and their ending); "
        "Children's Wellbeing and Schools Act 2026, s.4 (duty to share information); West "
        "Midlands and Sefton child protection procedures; the Kirklees serious case review "
        "('significant gaps in information')"
    )
    consider = (
        "Consider whether the agencies listed know of the decision and what it asks of them, "
        "and what they hold that the plan should draw on."
    )
    defaults = {"within_working_days": 1, "involved_days": 90}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        days = int(self.setting("within_working_days"))
        window = timedelta(days=int(self.setting("involved_days")))
        groups: dict[str, list[Fact]] = {}
        for fact in child.facts:
            if self._decision(fact) and about_child(fact):
                groups.setdefault(fact.occurred_at.date().isoformat(), []).append(fact)
        for decisions in groups.values():
            first = decisions[0]
            due = add_working_days(first.recorded_at, days)
            if due > child.as_of or not child.is_child_at(first.occurred_at):
                continue
            deciding = {f.key[0] for f in decisions}
            involved = self._involved(child, first.recorded_at, window)
            told = self._told(child, first, due)
            missing = sorted(set(involved) - told - deciding)
            if not missing:
                continue
            latest = [involved[code] for code in missing]
            yield self.draft(
                raised_at=due,
                episode=f"event:{first.key[0]}:{first.key[1]}",
                evidence=[*decisions, *latest],
                what=(
                    f"{self._describe(first)} ({first.key[0]} {first.key[1]}, recorded "
                    f"{when(first.recorded_at)}); by {when(due)} nothing recorded shows that "
                    + ", ".join(
                        f"{code} (last record {involved[code].key[1]}, "
                        f"{day(involved[code].recorded_at)})"
                        for code in missing
                    )
                    + " had been told."
                ),
            )

    @staticmethod
    def _decision(fact: Fact) -> bool:
        details = fact.details
        if fact.type == "child_protection_conference":
            if details.get("conference") in ("initial", "pre_birth"):
                return bool(details.get("outcome"))
            return details.get("outcome") == "plan_ends"
        return (
            fact.type == "plan"
            and details.get("plan") in PLAN_KINDS
            and details.get("status") in ("started", "ended")
        )

    @staticmethod
    def _describe(fact: Fact) -> str:
        details = fact.details
        if fact.type == "child_protection_conference":
            kind = str(details.get("conference", "")).replace("_", "-")
            return f"A {kind} conference decided '{str(details.get('outcome')).replace('_', ' ')}'"
        plan = str(details.get("plan", "")).replace("_", " ")
        return f"The child's {plan} plan {details.get('status')}"

    @staticmethod
    def _involved(child: ChildContext, moment: datetime, window: timedelta) -> dict[str, Fact]:
        """Each agency that recorded an event about the child or a parent in the window, with
        its latest such event."""
        parents = {m.person_id for m in child.members_at(moment, PARENTS)}
        facts = [
            *child.known(child.facts, by=moment),
            *(f for f in child.known(child.household_facts, by=moment) if f.person in parents),
        ]
        latest: dict[str, Fact] = {}
        for fact in facts:
            if fact.recorded_at < moment - window:
                continue
            code = fact.key[0]
            if code not in latest or fact.recorded_at > latest[code].recorded_at:
                latest[code] = fact
        return latest

    @staticmethod
    def _told(child: ChildContext, first: Fact, due: datetime) -> set[str]:
        told: set[str] = set()
        since = first.occurred_at.date()
        for fact in child.facts:
            if not known_at(fact, due) or fact.occurred_at.date() < since:
                continue
            told.update(fact.shared_with)
            for name in ("to", "attended_by"):
                value = fact.details.get(name)
                if isinstance(value, list):
                    told.update(str(code) for code in value)
            if fact.role and (fact.type == first.type or _ABOUT_THE_PLAN.search(fact.summary)):
                told.add(fact.key[0])  # the agency recorded the plan or conference itself
        return told
