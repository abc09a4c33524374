from __future__ import annotations

from collections.abc import Iterable

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import about_child, seen
from kinsight.rules.gaps import day, when
from kinsight.rules.registry import Draft, Rule


class ClosedWithoutSeeingChild(Rule):
    """A referral or assessment was closed although social care had not seen the child since the
    referral.

    Raised when a `case_closed` is recorded by social care, or a strategy discussion ends with no
    further action, and no social care record since the latest referral (or, without one, since
    the assessment started) says the child was seen: a `home_visit` with `child_seen`, or a note
    that records seeing the child.
    """

    id = "closed_without_seeing_child"
    title = "Closed without the child being seen"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023, chapter 3 (the child seen and spoken to as "
        "part of every assessment); Child Safeguarding Practice Review Panel annual reports: "
        "decisions made without seeing the child"
    )
    consider = (
        "Consider whether the decision rested on what the child's parents or other agencies "
        "said, and what seeing the child would add."
    )

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for closure in child.facts:
            if not self._closes(closure) or not about_child(closure):
                continue
            if not child.is_child_at(closure.occurred_at):
                continue
            known = child.known(child.facts, by=closure.recorded_at)
            start = self._since(known, closure)
            if start is None:
                continue
            sightings = [
                f
                for f in known
                if f.agency_sector == "social_care"
                and f.occurred_at >= start.occurred_at
                and seen(f)
            ]
            if sightings:
                continue
            closed = (
                "closed the case"
                if closure.type == "case_closed"
                else "ended a strategy discussion with no further action"
            )
            yield self.draft(
                raised_at=closure.recorded_at,
                episode=f"event:{closure.key[0]}:{closure.key[1]}",
                evidence=[start, closure],
                what=(
                    f"{closure.key[0]} {closed} ({closure.key[1]}, recorded "
                    f"{when(closure.recorded_at)}); no social care record since the "
                    f"{start.type.replace('_', ' ')} {start.key[1]} of {day(start.occurred_at)} "
                    "says the child was seen."
                ),
            )

    @staticmethod
    def _closes(fact: Fact) -> bool:
        if fact.type == "case_closed":
            return fact.agency_sector == "social_care"
        return (
            fact.type == "strategy_discussion"
            and fact.details.get("outcome") == "no_further_action"
        )

    @staticmethod
    def _since(known: list[Fact], closure: Fact) -> Fact | None:
        """The referral the closure answers, or the assessment it ends when there was none."""
        before = [f for f in known if f.occurred_at <= closure.occurred_at and f is not closure]
        referrals = [f for f in before if f.type == "referral"]
        if referrals:
            return max(referrals, key=lambda f: f.occurred_at)
        started = [
            f for f in before if f.type == "assessment" and f.details.get("status") == "started"
        ]
        return max(started, key=lambda f: f.occurred_at) if started else None
