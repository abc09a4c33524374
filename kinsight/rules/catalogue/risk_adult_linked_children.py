from __future__ import annotations

from collections.abc import Iterable

from kinsight.rules.context import ChildContext, Member
from kinsight.rules.gaps import (
    day,
    harm_history,
    known_at,
    member_harm_history,
    what_history,
    when,
)
from kinsight.rules.household import CARER_RELATIONS, HOUSEHOLD_RELATIONS
from kinsight.rules.registry import Draft, Rule

# As parent, partner of a parent or household member (rules.md): not a sibling or grandparent.
CONNECTIONS = CARER_RELATIONS | HOUSEHOLD_RELATIONS
PLAIN = {
    "mother": "mother",
    "father": "father",
    "parent": "parent",
    "step_parent": "step-parent",
    "carer": "carer",
    "partner_of_parent": "a parent's partner",
    "household_member": "a household member",
    "at_address": "recorded at the child's address",
}


class RiskAdultLinkedChildren(Rule):
    """An adult with a recorded history of harming a child or of domestic abuse is connected to
    this child as a parent, a parent's partner or a household member, in the child's household or
    another.

    The history is an event naming the adult as alleged perpetrator or offender, an arrest or
    offence of domestic abuse or against a child, or an order against the adult. Raised for each
    child connected to that adult, at the moment both the connection and the history are known.
    """

    id = "risk_adult_linked_children"
    title = "A child connected to an adult with a history of harm"
    severity = "warning"
    guidance = (
        "Child Safeguarding Practice Review Panel, 'The Myth of Invisible Men' (2021); NSPCC, "
        "'Hidden men' (2015); the Lancashire practice review (a father's risk known in one "
        "household, not in his other child's)"
    )
    consider = (
        "Consider what each agency working with this child knows of the adult's history, and "
        "whether the adult's contact with the child is known to them."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for member in child.household:
            draft = self._linked(child, member)
            if draft is not None:
                yield draft

    def _linked(self, child: ChildContext, member: Member) -> Draft | None:
        history = member_harm_history(child, member)
        best = None
        for link in member.links:
            if link.relation not in CONNECTIONS:
                continue
            for fact in history:
                moment = max(link.known_at, fact.recorded_at)
                if not link.holds_at(moment) or not known_at(fact, moment):
                    continue
                if not child.is_child_at(moment) or not member.is_adult_at(moment):
                    continue
                if best is None or moment < best[0]:
                    best = (moment, link, fact)
        if best is None:
            return None
        moment, link, fact = best
        known = harm_history(member.facts, by=moment)
        draft = self.draft(
            raised_at=moment,
            episode=f"adult:{member.person_id}",
            evidence=known,
            what=(
                f"An adult connected to the child ({PLAIN.get(link.relation, link.relation)}, "
                f"known from {when(link.known_at)}) has a recorded history: "
                + "; ".join(f"{what_history(f)} ({f.key[0]}, {day(f.occurred_at)})" for f in known)
                + "."
            ),
        )
        draft.adults = [member.person_id]
        return draft
