from __future__ import annotations

from collections.abc import Iterable

from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import about_child, plans
from kinsight.rules.gaps import NEGLECT_FINDINGS, child_findings, day, open_at, plan_category
from kinsight.rules.registry import Draft, Rule

# Records of meetings and decisions restate what others observed: they are not counted again.
RESTATING = {
    "plan", "child_protection_conference", "strategy_discussion", "core_group", "decision",
    "case_closed", "information_shared", "assessment",
}  # fmt: skip
PLAIN = {
    "neglect_home": "home conditions",
    "neglect_care": "care of the child",
    "school_absence": "school absence",
    "missed_health_care": "missed health care",
}


class CumulativeNeglect(Rule):
    """Signs of neglect are adding up across agencies, or a plan for neglect is not changing
    anything.

    Raised (a) when four or more neglect indicators (home conditions, hygiene, hunger, missed
    health care, poor supervision, dental decay, school absence), each in a different event,
    from two or more agencies fall within six months; then afresh after four more; and (b) when
    two core groups in a row record `no_change` while the child is on a child protection plan for
    neglect.
    """

    id = "cumulative_neglect"
    title = "Neglect building up"
    severity = "warning"
    guidance = (
        "Working Together to Safeguard Children 2023 (neglect); Child Safeguarding Practice "
        "Review Panel annual reports; Brandon et al., analyses of serious case reviews (neglect "
        "'complex and cumulative'); the Kirklees serious case review"
    )
    consider = (
        "Consider the whole chronology across agencies rather than each contact alone, and what "
        "has changed for the child since the concerns were first recorded."
    )
    defaults = {"indicators": 4, "agencies": 2, "within_months": 6}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        yield from self._indicators(child)
        yield from self._no_change(child)

    def _indicators(self, child: ChildContext) -> Iterable[Draft]:
        needed, agencies = int(self.setting("indicators")), int(self.setting("agencies"))
        months = int(self.setting("within_months"))
        counted: list[tuple[Fact, str]] = []
        for fact in child.facts:
            kind = self._neglect(fact)
            if kind is None or not about_child(fact) or not child.is_child_at(fact.occurred_at):
                continue
            counted.append((fact, kind))
            known = [
                (f, k)
                for f, k in counted
                if f.retracted_at is None or f.retracted_at > fact.recorded_at
            ]
            window = self._window(known, fact, needed, agencies, months)
            if window is None:
                continue
            kinds = sorted({PLAIN[k] for _, k in window})
            firms = sorted({f.key[0] for f, _ in window})
            yield self.draft(
                raised_at=fact.recorded_at,
                episode=f"event:{fact.key[0]}:{fact.key[1]}",
                evidence=[f for f, _ in window],
                what=(
                    f"{len(window)} records of neglect ({', '.join(kinds)}) from "
                    f"{', '.join(firms)} between {day(window[0][0].occurred_at)} and "
                    f"{day(window[-1][0].occurred_at)}; the last was recorded "
                    f"{day(fact.recorded_at)}."
                ),
            )
            counted = []  # four more indicators raise it afresh

    @staticmethod
    def _window(
        known: list[tuple[Fact, str]], last: Fact, needed: int, agencies: int, months: int
    ) -> list[tuple[Fact, str]] | None:
        """The indicators within `months` that end at the newest one, when they are enough."""
        ordered = sorted(known, key=lambda pair: pair[0].occurred_at)
        for start, _ in ordered:
            end = add_months(start.occurred_at, months)
            if not start.occurred_at <= last.occurred_at <= end:
                continue
            inside = [(f, k) for f, k in ordered if start.occurred_at <= f.occurred_at <= end]
            if len(inside) >= needed and len({f.key[0] for f, _ in inside}) >= agencies:
                return inside
        return None

    @staticmethod
    def _neglect(fact: Fact) -> str | None:
        if fact.type in RESTATING:
            return None
        if fact.type == "appointment_missed" and fact.details.get("was_not_brought") is True:
            return "missed_health_care"
        found = child_findings(fact, *NEGLECT_FINDINGS)
        return found[0] if found else None

    def _no_change(self, child: ChildContext) -> Iterable[Draft]:
        groups = [f for f in child.facts if f.type == "core_group" and about_child(f)]
        for later in groups:
            if not child.is_child_at(later.occurred_at):
                continue
            known = [f for f in child.known(child.facts, by=later.recorded_at) if about_child(f)]
            for plan in plans(known, later.recorded_at, "child_protection"):
                if not open_at(plan, later.occurred_at) or plan_category(plan) != "neglect":
                    continue
                held = sorted(
                    (g for g in known if g.type == "core_group" and open_at(plan, g.occurred_at)),
                    key=lambda g: g.occurred_at,
                )
                pair = self._two_without_change(held, later)
                if pair is None:
                    continue
                yield self.draft(
                    raised_at=later.recorded_at,
                    episode=plan.episode,
                    evidence=pair,
                    what=(
                        f"Two core groups in a row ({pair[0].key[1]} on {day(pair[0].occurred_at)}"
                        f" and {pair[1].key[1]} on {day(pair[1].occurred_at)}) recorded no "
                        "change on the child protection plan for neglect that started "
                        f"{day(plan.start.occurred_at)}."
                    ),
                )

    @staticmethod
    def _two_without_change(held: list[Fact], later: Fact) -> list[Fact] | None:
        if later not in held:
            return None
        index = held.index(later)
        if index == 0:
            return None
        pair = [held[index - 1], later]
        if all(g.details.get("progress") == "no_change" for g in pair):
            return pair
        return None
