from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kinsight.rules.context import ChildContext, Fact, Member
from kinsight.rules.episodes import about_child
from kinsight.rules.gaps import (
    day,
    harm_history,
    known_at,
    member_harm_history,
    record_history,
    what_history,
    when,
)
from kinsight.rules.household import (
    CARER_RELATIONS,
    GRANDPARENT,
    HOUSEHOLD_MEMBER,
    PARENT_TYPES,
    PARTNER_OF_PARENT,
    STEP_PARENT,
    address_key,
)
from kinsight.rules.registry import Draft, Rule

LIVING = CARER_RELATIONS | {HOUSEHOLD_MEMBER}
NEW_START_DAYS = 183
# "moved in with her father", "went to live with dad", "placed with his grandmother"
_TO_LIVE_WITH = re.compile(
    r"\b(?:moved|moving|moves|gone|went|go|going|placed|returned|returning|to live|now lives|"
    r"now living|now staying)\s+(?:\w+\s+){0,2}with\s+(?:his|her|their|the)?\s*"
    r"(father|dad|daddy|mother|mum|mummy|mom|step-?father|step-?dad|step-?mother|step-?mum|"
    r"grandmother|grandma|nan|nana|grandfather|grandad|aunt|auntie|uncle|mum's partner|"
    r"mother's partner|dad's partner|father's partner|partner|boyfriend|girlfriend)\b",
    re.IGNORECASE,
)
_FATHER, _MOTHER = {"father", "dad", "daddy"}, {"mother", "mum", "mummy", "mom"}
_WORD_RELATIONS = {
    "stepfather": {STEP_PARENT, PARTNER_OF_PARENT}, "stepdad": {STEP_PARENT, PARTNER_OF_PARENT},
    "stepmother": {STEP_PARENT, PARTNER_OF_PARENT}, "stepmum": {STEP_PARENT, PARTNER_OF_PARENT},
    "grandmother": {GRANDPARENT}, "grandma": {GRANDPARENT}, "nan": {GRANDPARENT},
    "nana": {GRANDPARENT}, "grandfather": {GRANDPARENT}, "grandad": {GRANDPARENT},
}  # fmt: skip
_PARTNER_WORDS = {"partner", "boyfriend", "girlfriend"}


@dataclass
class Move:
    moment: datetime
    how: str
    evidence: list[Fact]


class ChildMovesToRiskAdult(Rule):
    """A child came to live with an adult who has a recorded history of domestic abuse or of
    harming a child.

    A move is a `household_change` in which the adult `joined` the child's household, a
    relationship as parent, step-parent, carer, parent's partner or household member with a new
    `start`, a change of the child's address to one where the adult is recorded, or a note or
    court record saying the child moved to live with the adult. Raised once both the move and
    the history are known, once for each adult.
    """

    id = "child_moves_to_risk_adult"
    title = "A child moves in with an adult with a history of harm"
    severity = "warning"
    guidance = (
        "Child Safeguarding Practice Review Panel, 'The Myth of Invisible Men' (2021); NSPCC, "
        "'Hidden men' (2015); Domestic Violence Disclosure Scheme and Child Sex Offender "
        "Disclosure Scheme guidance"
    )
    consider = (
        "Consider what the agencies working with the child know of the adult's history, and "
        "whether the child's parent and school know who the child is living with."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for member in child.household:
            history = member_harm_history(child, member)
            if not history:
                continue
            best: tuple[datetime, Move, list[Fact]] | None = None
            for move in self._moves(child, member):
                for fact in history:
                    moment = max(move.moment, fact.recorded_at)
                    if not known_at(fact, moment) or not child.is_child_at(moment):
                        continue
                    if not member.is_adult_at(moment):
                        continue
                    if best is None or moment < best[0]:
                        best = (moment, move, harm_history(member.facts, by=moment))
            if best is None:
                continue
            moment, move, known = best
            draft = self.draft(
                raised_at=moment,
                episode=f"adult:{member.person_id}",
                evidence=[*move.evidence, *(f for f in known if f not in move.evidence)],
                what=(
                    f"The child came to live with an adult ({move.how}) who has a recorded "
                    "history: "
                    + "; ".join(
                        f"{what_history(f)} ({f.key[0]}, {day(f.occurred_at)})" for f in known
                    )
                    + "."
                ),
            )
            draft.adults = [member.person_id]
            yield draft

    def _moves(self, child: ChildContext, member: Member) -> Iterable[Move]:
        for link in member.links:
            if link.source == "household_change" and link.relation == HOUSEHOLD_MEMBER:
                evidence = [
                    f for f in child.facts if link.evidence is not None and f.key == link.evidence
                ]
                yield Move(link.known_at, f"joined the household, {when(link.known_at)}", evidence)
            elif link.source == "relationship" and link.relation in LIVING and link.start:
                # A new start: after the child's birth and not long before it was recorded (a
                # relationship of years, recorded late, is not a move).
                born = child.birth_date
                recent = link.start >= link.known_at.date() - timedelta(days=NEW_START_DAYS)
                if recent and (born is None or link.start > born):
                    yield Move(
                        link.known_at,
                        f"{link.relation.replace('_', ' ')} from {link.start:%d/%m/%Y}",
                        [],
                    )
        yield from self._address_moves(child, member)
        for fact in child.facts:
            if not about_child(fact):
                continue
            match = _TO_LIVE_WITH.search(fact.summary)
            if match is None or not self._named(member, match.group(1), fact.recorded_at):
                continue
            yield Move(fact.recorded_at, f"'{match.group(0)}'", [fact])

    @staticmethod
    def _named(member: Member, word: str, moment: datetime) -> bool:
        word = word.lower().replace("-", "")
        if word in _PARTNER_WORDS or word.endswith("partner"):
            return bool(member.links_at(moment, {PARTNER_OF_PARENT}))
        if word in _FATHER | _MOTHER:
            held = {link.relation for link in member.links_at(moment, PARENT_TYPES)}
            exact = "father" if word in _FATHER else "mother"
            sex = "male" if word in _FATHER else "female"
            return exact in held or ("parent" in held and member.sex == sex)
        relations = _WORD_RELATIONS.get(word)
        if relations is None:
            return False
        return bool(member.links_at(moment, relations))

    @staticmethod
    def _address_moves(child: ChildContext, member: Member) -> Iterable[Move]:
        """The child's record changing to an address where the adult was already recorded."""
        theirs = [
            (v.recorded_at, address_key(v.postcode, v.address_text))
            for v in record_history(member.records)
        ]
        previous: dict[tuple[str, str], tuple[str, str] | None] = {}
        for version in record_history(child.records):
            key = address_key(version.postcode, version.address_text)
            before = previous.get(version.record)
            previous[version.record] = key
            if before is None or key is None or key == before or version.recorded_at is None:
                continue
            moved_at = version.recorded_at
            if any(k == key and (at is None or at <= moved_at) for at, k in theirs):
                yield Move(moved_at, f"moved to the adult's address, {when(moved_at)}", [])
