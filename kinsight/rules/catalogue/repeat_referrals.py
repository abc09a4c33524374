from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.patterns import case_facts, day
from kinsight.rules.registry import Draft, Rule


class RepeatReferrals(Rule):
    """Three or more referrals about a child within twelve months, or a referral within twelve
    months of the child's case being closed.

    Referrals on the same day count once (two agencies referring the same concern). Raised when
    the referral that completes the pattern is recorded: for three referrals, once in any twelve
    months; for a re-referral, once for each closure.
    """

    id = "repeat_referrals"
    title = "Repeated referrals"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023; re-referral within 12 months as a national "
        "measure (Children in Need census); cumulative harm missed when each episode is judged "
        "alone (analyses of serious case reviews)"
    )
    consider = (
        "Consider the referrals together, with the chronology of every earlier episode and "
        "what each agency saw, rather than the latest one alone."
    )
    defaults = {"referrals": 3, "within_months": 12, "after_closure_months": 12}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        needed, months = int(self.setting("referrals")), int(self.setting("within_months"))
        after = int(self.setting("after_closure_months"))
        facts = case_facts(child)
        referrals = sorted(
            (f for f in facts if f.type == "referral"), key=lambda f: (f.recorded_at, f.key)
        )
        closures = [f for f in facts if f.type == "case_closed"]
        used: set[tuple[str, str]] = set()
        last: datetime | None = None
        for referral in referrals:
            moment = referral.recorded_at
            if moment > child.as_of:
                break
            if not child.known([referral], by=moment) or not child.is_child_at(moment):
                continue
            reasons: list[str] = []
            evidence: list[Fact] = [referral]
            earlier = self._window(child, referrals, referral, months)
            if len(earlier) >= needed and (last is None or moment >= add_months(last, months)):
                last = moment
                reasons.append(
                    f"{len(earlier)} referrals within {months} months ("
                    + ", ".join(f"{f.key[0]} on {day(f.occurred_at)}" for f in earlier)
                    + ")"
                )
                evidence = earlier
            closed = [
                c for c in child.known(closures, by=moment)
                if c.key not in used and c.occurred_at <= referral.occurred_at
                and referral.occurred_at <= add_months(c.occurred_at, after)
            ]  # fmt: skip
            if closed:
                latest = max(closed, key=lambda c: c.occurred_at)
                used.update(c.key for c in closed)
                reasons.append(
                    f"a referral {_weeks(latest, referral)} after the case was closed "
                    f"({latest.key[0]} on {day(latest.occurred_at)})"
                )
                evidence = [*evidence, latest]
            if reasons:
                yield self.draft(
                    raised_at=moment,
                    episode=f"event:{referral.key[0]}:{referral.key[1]}",
                    evidence=sorted(evidence, key=lambda f: (f.recorded_at, f.key)),
                    what=f"{referral.key[0]} recorded a referral on {day(referral.occurred_at)}: "
                    + "; ".join(reasons)
                    + ".",
                )

    @staticmethod
    def _window(
        child: ChildContext, referrals: list[Fact], referral: Fact, months: int
    ) -> list[Fact]:
        """The referrals known when `referral` was recorded, one a day, within `months` of it."""
        by_day: dict[object, Fact] = {}
        for f in child.known(referrals, by=referral.recorded_at):
            first, second = sorted((f.occurred_at, referral.occurred_at))
            if add_months(first, months) >= second:
                by_day.setdefault(f.occurred_at.date(), f)
        return sorted(by_day.values(), key=lambda f: f.occurred_at)


def _weeks(closed: Fact, referral: Fact) -> str:
    weeks = (referral.occurred_at.date() - closed.occurred_at.date()).days // 7
    return f"{weeks} week{'s' if weeks != 1 else ''}"
