from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import days, response, spoken, who
from kinsight.rules.episodes import about_child, injury_kinds, mobility
from kinsight.rules.registry import Draft, Rule

RESPONSES = {"strategy_discussion", "decision"}
HARM_CONCERNS = ("physical", "sexual")


class StrategyDiscussionOverdue(Rule):
    """Reasonable cause to suspect significant harm was recorded, and no strategy discussion
    (nor a recorded decision) followed within one working day.

    The cause is an allegation, a disclosure, a referral about physical or sexual abuse, a
    child's positive toxicology, an injury to a baby under one or a child who is not mobile, or a
    police incident in which the child was injured: coded, or read in a note.
    """

    id = "strategy_discussion_overdue"
    title = "No strategy discussion within one working day of cause to suspect significant harm"
    severity = "urgent"
    guidance = (
        "Working Together to Safeguard Children 2023, chapter 3 (a strategy discussion whenever "
        "there is reasonable cause to suspect significant harm, at any point in a case); "
        "Working Together 2018, chapter 1, 'Strategy discussion'; Bury partnership briefing (a "
        "strategy meeting delayed three days after a bruise on a 10-day-old)"
    )
    consider = (
        "Consider whether the agencies that know the child (social care, police, health) have "
        "talked about what was recorded, and whether a decision and its reasons are on record."
    )
    defaults = {"within_working_days": 1}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        within = int(self.setting("within_working_days"))
        for fact in child.facts:
            if not about_child(fact) or not child.is_child_at(fact.recorded_at):
                continue
            cause = self._cause(child, fact)
            if cause is None:
                continue
            due = add_working_days(fact.recorded_at, within)
            if due > child.as_of:
                continue
            if response(child.facts, fact, due, lambda f: f.type in RESPONSES) is not None:
                continue
            yield self.draft(
                raised_at=due,
                episode=f"event:{fact.key[0]}:{fact.key[1]}",
                evidence=[fact],
                what=(
                    f"{who(fact)} recorded {cause} on {spoken(fact.recorded_at)}. No strategy "
                    f"discussion or decision about it was recorded by {spoken(due)}, "
                    f"{days(within, 'working day')} later."
                ),
            )

    @staticmethod
    def _cause(child: ChildContext, fact: Fact) -> str | None:
        """What in the fact gives reasonable cause to suspect significant harm, if anything."""
        if fact.type == "allegation":
            return f"an allegation of {fact.details.get('harm', 'harm')} harm".replace("_", " ")
        if fact.type == "disclosure":
            return "a disclosure by the child"
        concerns = (fact.details.get("concerns") or []) if fact.type == "referral" else []
        named = [c for c in HARM_CONCERNS if c in concerns]
        if named:
            return f"a referral about {' and '.join(named)} abuse"
        if fact.type == "toxicology" and fact.details.get("result") == "positive":
            if fact.details.get("prescribed") is not True:
                return "a positive toxicology result for the child"
        injuries = ", ".join(injury_kinds(fact)).replace("_", " ")
        if injuries:
            age = child.age_in_days(fact.occurred_at)
            if age is not None and 0 <= age < 365:
                return f"{injuries} on a baby under one"
            if mobility(child.facts, fact.recorded_at) == "not_mobile":
                return f"{injuries} on a child who is not mobile"
            if fact.agency_sector == "police":
                return f"a police incident with {injuries} to the child"
        if fact.agency_sector == "police" and fact.details.get("injuries") is True:
            if fact.role == "victim":
                return "a police incident in which the child was injured"
        if fact.found("allegation"):
            return "an allegation of harm (in the notes)"
        if fact.found("disclosure"):
            return "a disclosure by the child (in the notes)"
        if fact.found("positive_toxicology"):
            return "a positive toxicology result for the child (in the notes)"
        return None
