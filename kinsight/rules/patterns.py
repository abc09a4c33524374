"""What the pattern rules read in a child's household: incidents, parental difficulties, concerns.

Pure functions over a `ChildContext`. An event reaches a child's household when it names the
child, or names someone connected to the child as a household member (household.py) at the time
it happened; it is about the household from the moment both the event and that connection were
recorded (`Sighting.known_at`), never before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kinsight.rules.context import ChildContext, Fact, Finding, Member
from kinsight.rules.episodes import INJURY_FINDINGS, about_child, injury_kinds
from kinsight.rules.household import CARER_RELATIONS, HOUSEHOLD_RELATIONS, Link

# The three parental difficulties of the "toxic trio", as indicator ids.
DOMESTIC_ABUSE = "domestic_abuse"
MENTAL_ILL_HEALTH = "mental_ill_health"
SUBSTANCE_MISUSE = "substance_misuse"
TRIO = (DOMESTIC_ABUSE, MENTAL_ILL_HEALTH, SUBSTANCE_MISUSE)
TRIO_WORDS = {
    DOMESTIC_ABUSE: "domestic abuse",
    MENTAL_ILL_HEALTH: "parental mental ill-health",
    SUBSTANCE_MISUSE: "parental substance misuse",
}
ADULT_EXPERIENCERS = {"mother", "father", "partner", "other_adult"}
# Service statuses that record a difficulty (a discharge may be a recovery).
_SUBSTANCE_STATUSES = {"referred", "engaged", "disengaged", "relapse", "positive_test"}
_MENTAL_HEALTH_STATUSES = {"referred", "assessment", "crisis", "admission"}
_TRIO_TYPES = {
    "domestic_abuse_incident", "substance_misuse_service", "mental_health_service", "toxicology",
}  # fmt: skip
NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass
class Sighting:
    """One event as it touches the child: the child's own fact, the members' facts, and from
    when it was known to be about the child's household."""

    fact: Fact  # the child's own fact when the event names the child, else a member's
    own: bool  # the event names the child
    members: list[Fact] = field(default_factory=list)  # one per household member it names
    known_at: datetime = NEVER  # when it was first known to be about the household

    @property
    def key(self) -> tuple[str, str]:
        return self.fact.key

    def retracted_by(self, moment: datetime) -> bool:
        return self.fact.retracted_at is not None and self.fact.retracted_at <= moment


def sightings(
    child: ChildContext,
    relations: Iterable[str] = HOUSEHOLD_RELATIONS,
    keep: Callable[[Fact], bool] | None = None,
) -> list[Sighting]:
    """Every event about the child or about a member of the child's household (by these
    relations, at the time the event happened), ordered by when it was known to be so.

    With `keep`, only the events it keeps. It is asked of one fact of each event (the child's,
    or a member's), so it must depend on the event alone (its type, agency, details, summary
    and findings), never on a person's role in it. A rule that wants a few kinds of event
    then pays for those, not for a sighting of every event the household has.

    Several rules read the same child: each answer is kept with the child.
    """
    wanted = frozenset(relations)
    return child.remember(("sightings", wanted, keep), lambda: _sightings(child, wanted, keep))


def _sightings(
    child: ChildContext, wanted: frozenset[str], keep: Callable[[Fact], bool] | None = None
) -> list[Sighting]:
    members = {m.person_id: m for m in child.household}
    found: dict[tuple[str, str], Sighting] = {}
    for fact in child.facts:
        if keep is None or keep(fact):
            found[fact.key] = Sighting(fact, True, known_at=fact.recorded_at)
    links: dict[int, tuple[datetime | None, list[Link]]] = {}
    for pid, member in members.items():
        held = [link for link in member.links if link.relation in wanted]
        if not held:
            continue
        # Most connections have no start or end: then only the first one known matters.
        bounded = [link for link in held if link.start is not None or link.end is not None]
        unbounded = [link.known_at for link in held if link.start is None and link.end is None]
        links[pid] = (min(unbounded) if unbounded else None, bounded)
    left_out: set[tuple[str, str]] = set()  # events `keep` did not keep
    for fact in child.household_facts:
        spans = links.get(fact.person)  # type: ignore[arg-type]
        if spans is None:
            continue
        if keep is not None and fact.key not in found:
            if fact.key in left_out or not keep(fact):
                left_out.add(fact.key)
                continue
        first, limited = spans
        if limited:
            since = _in_household_from(fact, first, limited)
            if since is None:
                continue
        elif first is None:
            continue
        else:
            # The usual case, for every fact of every member: `_in_household_from` inline.
            since = fact.recorded_at if fact.recorded_at >= first else first
        sighting = found.get(fact.key)
        if sighting is None:
            sighting = found[fact.key] = Sighting(fact, False)
        sighting.members.append(fact)
        if since < sighting.known_at:
            sighting.known_at = since
    return sorted(
        (s for s in found.values() if s.known_at is not NEVER),
        key=lambda s: (s.known_at, s.key),
    )


def _in_household_from(fact: Fact, first: datetime | None, bounded: list[Link]) -> datetime | None:
    """The first moment both the fact and a connection that held when it happened were known."""
    if not bounded:  # the usual case, asked for every fact of every member
        return None if first is None else max(fact.recorded_at, first)
    moments = [max(fact.recorded_at, first)] if first is not None else []
    day = fact.occurred_at.date()
    moments += [
        max(fact.recorded_at, link.known_at)
        for link in bounded
        if (link.start is None or link.start <= day) and (link.end is None or link.end > day)
    ]
    return min(moments) if moments else None


def adults_named(child: ChildContext, sighting: Sighting) -> list[int]:
    """The adults of the household the event names."""
    if not sighting.members:
        return []
    return sorted(
        {
            f.person
            for f in sighting.members
            if f.person is not None
            and (m := child.member(f.person)) is not None
            and m.is_adult_at(sighting.known_at)
        }
    )


def present(finding: Finding) -> bool:
    """A finding that counts: not negated, not hypothetical, not historical, not uncertain."""
    return finding.present and not finding.historical and not finding.uncertain


# Domestic abuse incidents ---------------------------------------------------------------------


def is_domestic_abuse_incident(fact: Fact) -> bool:
    """A coded `domestic_abuse_incident`, or a police incident whose text records domestic
    abuse."""
    if fact.type == "domestic_abuse_incident":
        return True
    return fact.agency_sector == "police" and any(
        f.indicator == DOMESTIC_ABUSE and present(f) for f in fact.findings
    )


def domestic_abuse_incidents(child: ChildContext) -> list[Sighting]:
    """Domestic abuse incidents in the child's household, by when each was known to be so."""
    # Two rules ask for the same child's incidents: work them out once per context.
    return list(sightings(child, keep=is_domestic_abuse_incident))


def incident_is_serious(sighting: Sighting) -> bool:
    """A child was present or someone was injured (coded, by role, or in the text)."""
    details = sighting.fact.details
    if details.get("children_present") is True or details.get("injuries") is True:
        return True
    facts = [sighting.fact, *sighting.members]
    if any(f.role == "child_present" for f in facts):
        return True
    return any(f.indicator in INJURY_FINDINGS and present(f) for f in sighting.fact.findings)


def same_incident(a: Sighting, b: Sighting) -> bool:
    """Two agencies' records of one incident: the same day."""
    return a.fact.occurred_at.date() == b.fact.occurred_at.date()


# The toxic trio ------------------------------------------------------------------------------


def difficulties(child: ChildContext, sighting: Sighting) -> set[str]:
    """Which of the trio an event records for an adult of the child's household."""
    fact = sighting.fact
    if not may_record_trio(fact):
        return set()
    found: set[str] = set()
    adults = adults_named(child, sighting)
    if is_domestic_abuse_incident(fact):
        found.add(DOMESTIC_ABUSE)
    if adults:
        status = fact.details.get("status")
        if fact.type == "substance_misuse_service" and status in _SUBSTANCE_STATUSES:
            found.add(SUBSTANCE_MISUSE)
        if fact.type == "mental_health_service" and status in _MENTAL_HEALTH_STATUSES:
            found.add(MENTAL_ILL_HEALTH)
        if (
            fact.type == "toxicology"
            and fact.details.get("result") == "positive"
            and fact.details.get("prescribed") is not True
            and not sighting.own
        ):
            found.add(SUBSTANCE_MISUSE)
    only_adults = not sighting.own and bool(adults) and len(adults) == len(sighting.members)
    for finding in fact.findings:
        if finding.indicator not in TRIO or not present(finding):
            continue
        if finding.indicator == DOMESTIC_ABUSE:
            found.add(DOMESTIC_ABUSE)
        elif finding.experiencer in ADULT_EXPERIENCERS or (
            # A note only about adults: the finding is theirs unless it says it is a child's.
            only_adults and finding.experiencer in ("unknown", "family")
        ):
            found.add(finding.indicator)
    return found


@dataclass(frozen=True)
class Difficulty:
    """One of the trio recorded for the household by one event."""

    element: str
    sighting: Sighting


def trio_evidence(child: ChildContext) -> list[Difficulty]:
    """Every difficulty of the trio recorded for adults of the household, by when known."""
    return [
        Difficulty(element, s)
        for s in sightings(child, keep=may_record_trio)
        for element in sorted(difficulties(child, s))
    ]


def may_record_trio(fact: Fact) -> bool:
    """The events `difficulties` reads further: coded as one of the trio, or with a finding."""
    return fact.type in _TRIO_TYPES or any(f.indicator in TRIO for f in fact.findings)


def trio_at(
    evidence: list[Difficulty], moment: datetime, since: datetime
) -> dict[str, list[Sighting]]:
    """The difficulties known at `moment` that happened from `since` on, with their events."""
    found: dict[str, list[Sighting]] = defaultdict(list)
    for d in evidence:
        if d.sighting.known_at > moment:
            break
        if d.sighting.retracted_by(moment) or d.sighting.fact.occurred_at < since:
            continue
        found[d.element].append(d.sighting)
    return {e: found[e] for e in TRIO if found.get(e)}


# Concerns ------------------------------------------------------------------------------------


def concern(child: ChildContext, sighting: Sighting) -> str | None:
    """What makes an event a new concern (rules.md `new_concern_after_plan_end`), if it is one:
    a referral, police incident, injury, positive toxicology or domestic abuse incident about
    the child or the household."""
    fact = sighting.fact
    child_members = [
        f for f in sighting.members
        if (m := child.member(f.person or 0)) is not None
        and not m.is_adult_at(fact.occurred_at) and about_child(f)
    ]  # fmt: skip
    if is_domestic_abuse_incident(fact):
        return "domestic abuse incident"
    if fact.type == "referral":
        return "referral"
    if fact.agency_sector == "police":
        return "police incident"
    if (sighting.own and about_child(fact)) or child_members:
        if fact.type == "toxicology" and fact.details.get("result") == "positive":
            if fact.details.get("prescribed") is not True:
                return "positive toxicology"
        if sighting.own and fact.found("positive_toxicology"):
            return "positive toxicology"
        kinds = injury_kinds(fact) if sighting.own else []
        if fact.type == "injury" or kinds:
            return "injury"
    return None


def carers(child: ChildContext, moment: datetime) -> list[Member]:
    """The parents, step-parents, carers and parents' partners known at `moment`."""
    return child.members_at(moment, CARER_RELATIONS)


# The state of the child's case -----------------------------------------------------------------


def case_facts(child: ChildContext) -> list[Fact]:
    """The child's facts in which the child is the one concerned: a parent's own conference or
    plan, on which the parent is named as `parent`, is not the child's.

    Made once per child: rules ask for it at every moment they look at (thousands of times for
    a child known for years), and the same list lets `episodes` keep what it chose from it."""
    return child.remember("case_facts", lambda: [f for f in child.facts if about_child(f)])


PLAN_WORDS = {"child_protection": "child protection plan", "child_in_need": "child in need plan"}


def open_case(child: ChildContext, moment: datetime) -> list[tuple[str, Fact]]:
    """What social care has open for the child at `moment`, as known then: a child protection
    or child in need plan, an assessment, a section 47 enquiry. Each with the fact that
    opened it."""
    from kinsight.rules.episodes import open_assessments, open_enquiry, open_plan

    found: list[tuple[str, Fact]] = []
    facts = case_facts(child)
    for kind, words in PLAN_WORDS.items():
        plan = open_plan(facts, moment, kind)
        if plan is not None:
            found.append((words, plan.start))
    enquiry = open_enquiry(facts, moment)
    if enquiry is not None:
        found.append(("section 47 enquiry", enquiry.start))
    for assessment in open_assessments(facts, moment):
        if assessment.kind != "section_47" or enquiry is None:
            words = assessment.kind.replace("_", " ")
            found.append((f"{words} assessment", assessment.start))
    return found


def recently_ended_plans(
    child: ChildContext, moment: datetime, happened: datetime, months: int
) -> list[tuple[str, Fact]]:
    """Plans known at `moment` to have ended in the `months` before `happened`."""
    from kinsight.lib.workdays import add_months
    from kinsight.rules.episodes import plans

    found = []
    for kind, words in PLAN_WORDS.items():
        for plan in plans(case_facts(child), moment, kind):
            end = plan.end
            if end is None or end.occurred_at > happened:
                continue
            if add_months(end.occurred_at, months) >= happened:
                found.append((words, end))
    return found


def day(moment: datetime) -> str:
    """A moment as a practitioner reads it: 16 September 2018."""
    from kinsight.lib.moments import UK

    local = moment.astimezone(UK)
    return f"{local.day} {local:%B %Y}"


def who(child: ChildContext, sighting: Sighting) -> str:
    """How the event reaches the child: "names the child", or the household members it names."""
    if sighting.own:
        return "names the child"
    names = []
    for fact in sighting.members:
        member = child.member(fact.person or 0)
        if member is None:
            continue
        relation = sorted(member.relations_at(sighting.known_at) or {"household member"})[0]
        names.append(f"the child's {relation.replace('_', ' ')}")
    return "names " + ", ".join(dict.fromkeys(names))
