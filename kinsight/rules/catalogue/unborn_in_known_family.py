from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact, Member
from kinsight.rules.episodes import plans, pregnancy_known
from kinsight.rules.gaps import day, known_at
from kinsight.rules.household import HALF_SIBLING, PARENT_TYPES, SIBLING
from kinsight.rules.registry import Draft, Rule

NEWBORN = timedelta(days=28)


class UnbornInKnownFamily(Rule):
    """A pregnancy or a birth in a family where a parent's other child is, or in the last five
    years was, on a child protection plan, looked after, or the subject of care proceedings.

    Raised when the pregnancy (an `antenatal_booking`, a note that reads a pregnancy, or the
    unborn child's first record) or the birth is known together with the sibling's plan, care or
    proceedings, and the sibling's connection through a parent.
    """

    id = "unborn_in_known_family"
    title = "A baby expected or born into a family whose children have been on plans"
    severity = "warning"
    guidance = (
        "Sussex and London child protection procedures (pre-birth assessment criteria: a "
        "sibling on a plan or looked after, or a child removed); the Kirklees serious case "
        "review (twins born while their siblings were on neglect plans)"
    )
    consider = (
        "Consider whether a pre-birth referral and assessment are in hand, and what the "
        "siblings' plans showed about the care the parents can give."
    )
    defaults = {"within_years": 5}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        siblings = [
            m for m in child.household if any(link.relation in (SIBLING, HALF_SIBLING)
                                               for link in m.links)
        ]  # fmt: skip
        start = self._expected(child) if siblings else None
        if start is None:
            return
        moments = sorted(
            {start[0]}
            | {link.known_at for m in siblings for link in m.links if link.known_at > start[0]}
            | {f.recorded_at for m in siblings for f in m.facts if f.recorded_at > start[0]}
        )
        for moment in moments:
            if not self._still_expected_or_new(child, moment):
                break
            trigger = self._trigger(child, moment)
            if trigger is None:
                continue
            for sibling in siblings:
                found = self._history(child, sibling, moment)
                if found is None:
                    continue
                what, evidence = found
                yield self.draft(
                    raised_at=moment,
                    episode="pregnancy",
                    evidence=[trigger, *evidence],
                    what=(
                        f"{'A birth' if trigger.type == 'birth' else 'A pregnancy'} was "
                        f"recorded ({trigger.key[0]} {trigger.key[1]}, {day(trigger.recorded_at)}"
                        f") in a family where a parent's other child {what}."
                    ),
                )
                return

    @staticmethod
    def _expected(child: ChildContext) -> tuple[datetime, Fact] | None:
        """The first moment a pregnancy or birth of this child is known."""
        for fact in child.facts:  # in recorded order
            if child.is_unborn_at(fact.recorded_at) or fact.type in ("antenatal_booking", "birth"):
                return fact.recorded_at, fact
            if any(f.indicator == "pregnancy" and f.present for f in fact.findings):
                return fact.recorded_at, fact
        return None

    @staticmethod
    def _trigger(child: ChildContext, moment: datetime) -> Fact | None:
        pregnancy = pregnancy_known(child.facts, moment)
        if pregnancy is not None:
            return pregnancy
        births = [f for f in child.known(child.facts, by=moment) if f.type == "birth"]
        if births:
            return births[0]
        first = child.known(child.facts, by=moment)[:1]
        if first and child.is_unborn_at(first[0].recorded_at):
            return first[0]  # an unborn child's first record is a known pregnancy
        return None

    @staticmethod
    def _still_expected_or_new(child: ChildContext, moment: datetime) -> bool:
        if child.birth_date is None:
            return child.expected_birth_date is not None
        return moment.date() <= child.birth_date + NEWBORN

    def _history(
        self, child: ChildContext, sibling: Member, moment: datetime
    ) -> tuple[str, list[Fact]] | None:
        """What the sibling's records show, when it counts and the sibling is a parent's child."""
        links = [
            link
            for link in sibling.links_at(moment, (SIBLING, HALF_SIBLING))
            if link.via is None or self._parent(child, link.via, moment)
        ]
        if not links:
            return None
        since = add_months(moment, -12 * int(self.setting("within_years")))
        for kind, words in (
            ("child_protection", "is or was on a child protection plan"),
            ("looked_after", "is or was looked after"),
        ):
            for plan in plans(sibling.facts, moment, kind):
                if plan.end is None or plan.end.occurred_at >= since:
                    return f"{words} (since {day(plan.start.occurred_at)})", [plan.start]
        proceedings = [
            f
            for f in sibling.facts
            if f.type == "care_proceedings" and known_at(f, moment) and f.occurred_at >= since
        ]
        if proceedings:
            first = proceedings[0]
            return f"was the subject of care proceedings ({day(first.occurred_at)})", [first]
        return None

    @staticmethod
    def _parent(child: ChildContext, person_id: int, moment: datetime) -> bool:
        member = child.member(person_id)
        return member is not None and bool(member.links_at(moment, PARENT_TYPES))
