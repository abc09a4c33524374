from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from kinsight.lib.textscan import may_contain
from kinsight.lib.workdays import add_working_days, gestation_week
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.deadlines import days, pregnancy_clock, spoken, who
from kinsight.rules.episodes import (
    about_child,
    known,
    plans,
    pregnancy_known,
)
from kinsight.rules.registry import Draft, Rule

# Findings about an adult of the household that are pre-birth triggers, and the coded events
# that are.
ADULT_FINDINGS = {
    "domestic_abuse": "domestic abuse",
    "substance_misuse": "substance misuse",
    "mental_ill_health": "mental ill-health",
}
ADULT_EXPERIENCERS = {"mother", "father", "partner", "other_adult", "family"}
CODED = {
    "domestic_abuse_incident": "domestic abuse",
    "substance_misuse_service": "substance misuse",
    "mental_health_service": "mental ill-health",
}
CARE_LEAVER = re.compile(r"\bcare[- ]leaver\b|\bleft care\b", re.IGNORECASE)
REMOVED = re.compile(
    r"\b(?:child(?:ren)?|sibling|son|daughter|baby)\b[^.]{0,40}\b(?:removed|adopted|"
    r"placed for adoption|taken into care)\b",
    re.IGNORECASE,
)
# Every match of CARE_LEAVER, and of REMOVED, contains one of these (kinsight.lib.textscan).
_CARE_LEAVER_WORDS = ("leaver", "left care")
_REMOVED_WORDS = ("removed", "adopt", "taken into care")
PARENTS = {"mother", "father", "parent"}
# Household history this old does not make a pregnancy a concern on its own.
LOOKBACK = timedelta(days=2 * 365)


class PreBirthReferralMissing(Rule):
    """A pregnancy is known in a household with a pre-birth trigger, and no referral about the
    unborn child followed within 5 working days, or by 16 weeks' gestation if that is later.

    The triggers: a child removed, a child on a plan or looked after, domestic abuse, substance
    misuse, serious mental ill-health, a parent under 18 or a care leaver (coded, or read in a
    note about an adult).
    """

    id = "pre_birth_referral_missing"
    title = "No pre-birth referral for a pregnancy in a household with known concerns"
    severity = "warning"
    guidance = (
        "London Child Protection Procedures CP2(A) 1.1-1.3 (refer as soon as concerns are "
        "identified; the triggers); Doncaster (around 16 weeks); Pan-Lancashire pre-birth "
        "protocol; Leicester, Leicestershire and Rutland 2024"
    )
    consider = (
        "Consider whether the agencies that know the family know of the pregnancy, and whether "
        "a referral would give time to assess and support before the birth."
    )
    defaults = {"within_working_days": 5, "by_gestation_week": 16}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        pregnancy = pregnancy_known(child.facts, child.as_of)
        if pregnancy is None or not child.is_unborn_at(pregnancy.occurred_at):
            return
        trigger = self._trigger(child, pregnancy)
        if trigger is None:
            return
        reason, evidence = trigger
        known_at = max(pregnancy.recorded_at, evidence.recorded_at)
        within = int(self.setting("within_working_days"))
        week = float(self.setting("by_gestation_week"))
        due = add_working_days(known_at, within)
        basis = f"{days(within, 'working day')} after both were known ({spoken(known_at)})"
        clock = pregnancy_clock(child, child.as_of)
        if clock is not None and gestation_week(clock.expected, week) > due:
            due = gestation_week(clock.expected, week)
            basis = f"gestation week {week:g} ({clock.describe()[:-1]})"
        if due > child.as_of:
            return
        if clock is not None and clock.born is not None and clock.born[0] <= due:
            return
        referred = [f for f in known(child.facts, due) if f.type == "referral" and about_child(f)]
        if referred:
            return
        yield self.draft(
            raised_at=due,
            episode="pregnancy",
            evidence=[pregnancy, *([evidence] if evidence is not pregnancy else [])],
            what=(
                f"{who(pregnancy)} recorded the pregnancy on {spoken(pregnancy.recorded_at)}; "
                f"{who(evidence)} recorded {reason} in the household. No referral about the "
                f"unborn child was recorded by {spoken(due)}, {basis}."
            ),
        )

    def _trigger(self, child: ChildContext, pregnancy: Fact) -> tuple[str, Fact] | None:
        """The first pre-birth trigger known, and the fact it rests on."""
        since = pregnancy.occurred_at - LOOKBACK
        found: list[tuple[datetime, str, Fact]] = []
        for fact in known(child.facts, child.as_of):
            if fact.occurred_at < since:
                continue
            reason = _trigger_in(fact)
            if reason:
                found.append((fact.recorded_at, reason, fact))
        for member in _household(child, child.as_of):
            member_facts = list(getattr(member, "facts", []))
            for fact in member_facts:
                if fact.occurred_at < since or fact.recorded_at > child.as_of:
                    continue
                reason = _trigger_in(fact)
                if reason:
                    found.append((fact.recorded_at, reason, fact))
            is_adult = getattr(member, "is_adult_at", None)
            if is_adult is not None and is_adult(pregnancy.recorded_at):
                continue  # a parent's own plan as a child is not "a child on a plan"
            for kind in ("child_protection", "looked_after"):
                for plan in plans(member_facts, child.as_of, kind):
                    if plan.end is None or plan.end.recorded_at > pregnancy.recorded_at:
                        reason = "a child on a plan or looked after"
                        found.append((plan.start.recorded_at, reason, plan.start))
            born = getattr(member, "birth_date", None)
            relations = member.relations_at(pregnancy.recorded_at)
            if born is not None and relations & PARENTS:
                age = (pregnancy.occurred_at.date() - born).days
                if age < 18 * 365.25 and pregnancy.recorded_at >= member.known_at:
                    found.append((pregnancy.recorded_at, "a parent under 18", pregnancy))
        if not found:
            return None
        _, reason, fact = min(found, key=lambda item: (item[0], item[2].key))
        return reason, fact


def _trigger_in(fact: Fact) -> str | None:
    if fact.type in CODED:
        return CODED[fact.type]
    for finding in fact.findings:
        if (
            finding.indicator in ADULT_FINDINGS
            and finding.present
            and not finding.historical
            and finding.experiencer in ADULT_EXPERIENCERS
        ):
            return ADULT_FINDINGS[finding.indicator]
    if may_contain(fact.summary, _CARE_LEAVER_WORDS) and CARE_LEAVER.search(fact.summary):
        return "a parent who is a care leaver"
    if (may_contain(fact.summary, _REMOVED_WORDS) and REMOVED.search(fact.summary)) or (
        fact.type == "care_proceedings" and fact.details.get("stage") == "final_order"
    ):
        return "a child removed"
    return None


def _household(child: ChildContext, by: datetime) -> list[Any]:
    """The household members known by `by`, once the context has them (branch rules-pattern)."""
    members = getattr(child, "household", None) or []
    return [m for m in members if hasattr(m, "links_at") and m.links_at(by)]
