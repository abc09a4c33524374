from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.workdays import add_working_days
from kinsight.rules.context import CHILD_ROLES, ChildContext, Fact
from kinsight.rules.gaps import when
from kinsight.rules.registry import Draft, Rule

THIRD_PARTIES = {"relative", "sibling", "neighbour", "public", "child"}
RESPONSES = {"strategy_discussion", "decision"}
# Words by which a note names who made an allegation when no `made_by` was coded: the maker
# followed by a verb of telling ("Grandmother phoned"), or after "by" or "from" ("a referral
# from a neighbour"). A relative merely mentioned ("siblings on plans") is not the maker.
_MAKER = (
    r"(grand(?:mother|ma|father|dad|parents?)|nan|nana|nanna|granny|gran|aunt|auntie|aunty|"
    r"uncle|cousin|relative|family member|neighbours?|member of the public|passer-?by|"
    r"(?:half-?|step-?)?(?:brother|sister|sibling))"
)
_MAKER_WORDS = re.compile(
    rf"\b{_MAKER}\s+(?:\w+\s+){{0,2}}?(?:phoned|called|rang|reported|reports|said|says|told|"
    r"tells|alleged|alleges|disclosed|raised|contacted|came|went|is worried|was worried)\b"
    rf"|\b(?:by|from)\s+(?:the|a|an|her|his|their|its)?\s*(?:\w+'s\s+)?{_MAKER}\b",
    re.IGNORECASE,
)


class ThirdPartyAllegationNoStrategy(Rule):
    """Someone close to a child said the child was being harmed, and no strategy discussion or
    recorded decision followed within one working day.

    Raised for an `allegation` or `referral` made by a relative, a sibling (a half-sibling in
    another household included), a neighbour, a member of the public or the child (its `made_by`,
    a `reporter` who is related to the child, or words in the note), and for every `disclosure`.
    A second report of the same concern before the first was answered belongs to the first.
    """

    id = "third_party_allegation_no_strategy"
    title = "A family member's or the child's allegation without a strategy discussion"
    severity = "urgent"
    guidance = (
        "Working Together to Safeguard Children 2023 (a strategy discussion whenever there is "
        "reasonable cause to suspect significant harm); Child Safeguarding Practice Review Panel, "
        "'Child Protection in England' (2022): wider-family concerns too often disregarded"
    )
    consider = (
        "Consider what the person who raised it saw or heard, what the agencies already know of "
        "the child and the adult named, and who needs to be part of a strategy discussion."
    )
    defaults = {"within_working_days": 1}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        days = int(self.setting("within_working_days"))
        open_trigger: Fact | None = None
        for fact in child.facts:
            # About harm to this child: not the report of a child who is its reporter. (Asked
            # first: most facts are neither, and the deadline below costs a calendar walk.)
            if fact.type not in MADE or fact.role not in CHILD_ROLES:
                continue
            maker = self._maker(child, fact, add_working_days(fact.recorded_at, days))
            if maker is None:
                continue
            if not child.is_child_at(fact.recorded_at):
                continue
            if open_trigger is not None and not self._answered(
                child, open_trigger, fact.recorded_at
            ):
                continue  # the same concern, reported again before anyone answered it
            open_trigger = fact
            due = add_working_days(fact.recorded_at, days)
            if due > child.as_of or self._answered(child, fact, due):
                continue
            yield self.draft(
                raised_at=max(due, fact.recorded_at),
                episode=f"event:{fact.key[0]}:{fact.key[1]}",
                evidence=[fact],
                what=(
                    f"{fact.key[0]} recorded {_a(fact.type)} {fact.key[1]} made by {maker} on "
                    f"{when(fact.recorded_at)}; by {when(due)}, {_working_days(days)} later, no "
                    "strategy discussion or recorded decision about the child had followed."
                ),
            )

    @staticmethod
    def _maker(child: ChildContext, fact: Fact, by: datetime) -> str | None:
        """Who made the allegation, when it is someone other than a professional; a `reporter`
        counts when the child's connection to them is known by `by`."""
        if fact.type == "disclosure":
            return "the child"
        if fact.type not in ("allegation", "referral"):
            return None
        made_by = fact.details.get("made_by")
        if made_by in THIRD_PARTIES:
            return {"public": "a member of the public", "child": "the child"}.get(
                str(made_by), f"a {made_by}"
            )
        if made_by in ("professional", "anonymous"):
            return None
        for other in child.household_facts:
            if other.key != fact.key or other.role != "reporter" or other.person is None:
                continue
            member = child.member(other.person)
            links = member.links_at(by) if member is not None else []
            if links:
                return f"the child's {links[0].relation.replace('_', '-')}"
        if fact.found("disclosure"):
            return "the child"
        words = _MAKER_WORDS.search(fact.summary)
        if words is None:
            return None
        return f"a {(words.group(1) or words.group(2)).lower()}"

    @staticmethod
    def _answered(child: ChildContext, trigger: Fact, by: datetime) -> bool:
        return any(
            f.type in RESPONSES and f.occurred_at >= trigger.occurred_at and f is not trigger
            for f in child.known(child.facts, by=by)
        )


# The event types that can carry an allegation (see `_maker`).
MADE = frozenset({"disclosure", "allegation", "referral"})


def _a(event_type: str) -> str:
    return {"allegation": "an allegation", "referral": "a referral", "disclosure": "a disclosure"}[
        event_type
    ]


def _working_days(days: int) -> str:
    return "one working day" if days == 1 else f"{days} working days"
