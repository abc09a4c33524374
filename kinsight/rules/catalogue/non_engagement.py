from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import Assessment, Plan, about_child, assessments
from kinsight.rules.gaps import all_plans, by_parent, day, open_at
from kinsight.rules.registry import Draft, Rule


class NonEngagement(Rule):
    """A parent's hostility, refusal or resistance, or a run of missed contacts, while the child
    has an open plan or assessment.

    Raised by one recorded instance of hostility, refusal or resistance by a parent (read in a
    note), or by two or more within six weeks of: core groups the parents missed, `no_access`
    visits and missed appointments. One alert for each open plan or assessment.
    """

    id = "non_engagement"
    title = "Parents not engaging while a plan or assessment is open"
    severity = "warning"
    guidance = (
        "NSPCC, 'Disguised compliance: learning from case reviews' (2014); Child Safeguarding "
        "Practice Review Panel, 'Child Protection in England' (2022); the Kirklees serious case "
        "review (a mother's 'hostility and resistance')"
    )
    consider = (
        "This may be avoidance or disguised compliance: consider what is known of the child's "
        "own circumstances, not only whether appointments are kept."
    )
    defaults = {"missed_contacts": 2, "within_weeks": 6}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        needed = int(self.setting("missed_contacts"))
        weeks = timedelta(weeks=int(self.setting("within_weeks")))
        raised: set[str] = set()
        for fact in child.facts:
            hostile, missed = self._hostile(fact), self._missed(fact)
            if not (hostile or missed) or not child.is_child_at(fact.occurred_at):
                continue
            known = child.known(child.facts, by=fact.recorded_at)
            span = self._open(child.facts, fact)
            if span is None or span.episode in raised:
                continue
            if hostile:
                evidence = [fact]
                what = (
                    f"{fact.key[0]} recorded a parent's {hostile} ({fact.key[1]}, "
                    f"{day(fact.occurred_at)})"
                )
            else:
                evidence = sorted(
                    (
                        f
                        for f in known
                        if self._missed(f)
                        and abs(f.occurred_at - fact.occurred_at) <= weeks
                        and open_at(span, f.occurred_at)
                    ),
                    key=lambda f: f.occurred_at,
                )
                if len(evidence) < needed:
                    continue
                listed = ", ".join(
                    f"{self._missed(f)} ({f.key[0]} {f.key[1]}, {day(f.occurred_at)})"
                    for f in evidence
                )
                what = f"{len(evidence)} missed contacts within {weeks.days // 7} weeks: {listed}"
            raised.add(span.episode)
            yield self.draft(
                raised_at=fact.recorded_at,
                episode=span.episode,
                evidence=evidence,
                what=(
                    f"{what}, while the child's {span.kind.replace('_', ' ')} "
                    f"{'plan' if isinstance(span, Plan) else 'assessment'} "
                    f"(since {day(span.start.occurred_at)}) was open."
                ),
            )

    @staticmethod
    def _open(facts: list[Fact], fact: Fact) -> Plan | Assessment | None:
        """The earliest plan or assessment open when the fact happened, as known when recorded."""
        by, own = fact.recorded_at, [f for f in facts if about_child(f)]
        spans: list[Plan | Assessment] = [*all_plans(own, by), *assessments(own, by)]
        spans = [s for s in spans if open_at(s, fact.occurred_at)]
        return min(spans, key=lambda s: s.start.occurred_at) if spans else None

    @staticmethod
    def _hostile(fact: Fact) -> str:
        found = by_parent(fact, "non_engagement")
        return "hostility, refusal or resistance" if found else ""

    @staticmethod
    def _missed(fact: Fact) -> str:
        if fact.type == "core_group" and fact.details.get("parents_attended") is False:
            return "core group not attended by the parents"
        if fact.type == "home_visit" and fact.details.get("no_access") is True:
            return "no access at a visit"
        if fact.type == "appointment_missed":
            return "missed appointment"
        if by_parent(fact, "missed_appointment") or fact.found("missed_appointment"):
            return "missed appointment"
        return ""
