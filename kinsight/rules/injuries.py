"""Injuries to a child, as the injury rules read them: coded `injury` events and text findings.

An injury finding belongs to a child only when the event names that child (rules.md, "A finding
about the children"): when the reader resolved the finding to one of the event's subjects, that
subject must be this child. A historical finding ("history of a fractured arm") is not a new
injury; an uncertain one ("possible bruise", "?fracture") is counted and said to be possible,
because an injury rule is a prompt to look again. Mentions of injuries on one day, in one event
or in several agencies' records, are one injury (one episode).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar

from kinsight.lib.moments import UK, format_moment
from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact, Finding, fact_as
from kinsight.rules.registry import Draft, Rule

INJURY_FINDINGS = (
    "bruise", "fracture", "burn", "bite", "head_injury", "injection_mark", "other_injury",
)  # fmt: skip
# The `injury` values of an `injury` event, as the indicator of the same meaning.
CODED_KINDS = {
    "bruise": "bruise", "fracture": "fracture", "burn": "burn", "bite": "bite",
    "head_injury": "head_injury", "injection_mark": "injection_mark", "other": "other_injury",
}  # fmt: skip
# Mentions this many days after an injury's first record may be of the same injury.
FOLLOW_UP_DAYS = 1
KIND_WORDS = {
    "bruise": "a bruise or mark", "fracture": "a fracture", "burn": "a burn", "bite": "a bite",
    "head_injury": "a head injury", "injection_mark": "an injection mark",
    "other_injury": "an injury",
}  # fmt: skip

# Roles in which an event is not about the child's own body. An event about the household that
# does not name the child ("" role) is left out until the household's children are known.
NOT_ABOUT_THE_CHILD = {"", "parent", "alleged_perpetrator", "reporter"}
# The role of an event about the household that names no child (`about_the_children`).
HOUSEHOLD = "household"
# Roles in which a member's event names them as a child (then the event names a child).
CHILD_ROLES_NAMED = {"child", "child_present"}
SIBLING = "sibling"
# The reader has no indicator for "unexplained": these are the words practitioners use for it.
_UNEXPLAINED = re.compile(
    r"\bunexplained\b|\bno (?:clear |plausible |consistent )?(?:explanation|account|history of "
    r"(?:injury|trauma|a fall))\b|\b(?:does|do|did|would|could) not (?:fully )?explain\b|"
    r"\bunable to explain\b|\bcannot explain\b|\bcan't explain\b|\binconsistent with\b|"
    r"\bnot consistent with\b|\bexplanation (?:is |was )?(?:not|un)(?:plausible|consistent|"
    r"suitable)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Injury:
    """One record of an injury to the child."""

    fact: Fact
    kinds: tuple[str, ...]  # indicator ids, in a stable order
    possible: bool  # only uncertain findings ("possible bruise")
    explained: bool | None  # True or False when recorded, None when the record does not say
    findings: tuple[Finding, ...]  # the text findings it rests on (none for a coded event alone)

    @property
    def day(self) -> date:
        return self.fact.occurred_at.astimezone(UK).date()

    def describe(self) -> str:
        """'a bruise or mark (possible)', 'a fracture and a burn'."""
        words = [KIND_WORDS[k] for k in self.kinds]
        text = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
        site = self.fact.details.get("body_site") if self.fact.type == "injury" else None
        if site:
            text += f" ({site})"
        return f"{text}, possibly," if self.possible else text


def injury_in(child: ChildContext, fact: Fact) -> Injury | None:
    """The injury a record shows for this child, if it shows one."""
    if fact.role in NOT_ABOUT_THE_CHILD or not child.is_child_at(fact.occurred_at):
        return None
    kinds: set[str] = set()
    coded = fact.type == "injury"
    if coded:
        kinds.add(CODED_KINDS.get(str(fact.details.get("injury")), "other_injury"))
    findings = tuple(f for f in found_about(fact, INJURY_FINDINGS) if belongs(child, fact, f))
    findings = tuple(f for f in findings if not f.historical)
    kinds |= {f.indicator for f in findings}
    if not kinds:
        return None
    possible = not coded and all(f.uncertain for f in findings)
    return Injury(fact, tuple(sorted(kinds)), possible, _explained(fact), findings)


def injuries(child: ChildContext) -> list[Injury]:
    """Every injury record about the child, in `recorded_at` order: the child's own events, and
    events about the household that name no child when the child is the household's only one."""
    # Seven rules ask for the same child's injuries: work them out once per context.
    return list(child.remember("injuries", lambda: _injuries(child)))


def _injuries(child: ChildContext) -> list[Injury]:
    facts = [*child.facts, *about_the_children(child, only_child=True)]
    found = (injury_in(child, fact) for fact in facts)
    return sorted(
        (injury for injury in found if injury is not None),
        key=lambda i: (i.fact.recorded_at, i.fact.key),
    )


def about_the_children(child: ChildContext, *, only_child: bool = False) -> list[Fact]:
    """Events about the child's household that name no child (rules.md, "A finding about the
    children"): a finding about "the child" or "the family" in them is about the household's
    children. With `only_child`, only while this child is the household's one child (the rule
    for injuries). Each comes back with the role `household`.

    It reads the household of `ChildContext` (household.py); without one it finds nothing.
    """
    household: list[Any] = getattr(child, "household", [])
    member_facts: list[Fact] = getattr(child, "household_facts", [])
    if not household or not member_facts:
        return []

    def answer() -> list[Fact]:
        # Both questions share the events that name no child; only the one-child test differs.
        events, kids = child.remember(
            "events naming no child",
            lambda: _about_the_children(child, household, member_facts),
        )
        return [
            fact_as(fact, HOUSEHOLD, fact.person)
            for fact in events
            if not (only_child and _another_child_at_home(kids, fact.recorded_at))
        ]

    return list(child.remember(("about the children", only_child), answer))


def _another_child_at_home(kids: list[Any], moment: datetime) -> bool:
    """Another child was in the household at `moment`, or was a sibling then."""
    return any(
        _a_child(m, moment) and (m.in_household_at(moment) or SIBLING in m.relations_at(moment))
        for m in kids
    )


def _about_the_children(
    child: ChildContext, household: list[Any], member_facts: list[Fact]
) -> tuple[list[Fact], list[Any]]:
    """The members' facts (one per event, as first found) that name no child and whose member
    was in the household when they were recorded, by (`recorded_at`, key); and the members
    who may be children."""
    own = {f.key for f in child.facts}
    # Only members with a birth date can be children (`_a_child`); for each event, the ones it
    # names. Asking each event about these few, rather than about every member, keeps this
    # proportional to the family's events rather than to events times members.
    kids = [m for m in household if m.birth_date is not None]
    naming: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for m in kids:
        for f in m.facts:
            naming[f.key].append(m)
    found: dict[tuple[str, str], Fact] = {}
    for fact in member_facts:
        if fact.key in own or fact.key in found or fact.role in CHILD_ROLES_NAMED:
            continue
        moment = fact.recorded_at
        if not child.is_child_at(fact.occurred_at):
            continue
        # Whether the fact's own person was in the household then: that member alone is asked.
        person = getattr(fact, "person", None)
        member = child.member(person) if person is not None else None
        if member is None or not member.in_household_at(moment):
            continue
        if any(_a_child(m, moment) for m in naming.get(fact.key, ())):
            continue  # the event names another child
        # The one-child test depends on the moment alone, the same for every member's copy
        # of the event: the copy kept here is the one either question would keep.
        found[fact.key] = fact
    return sorted(found.values(), key=lambda f: (f.recorded_at, f.key)), kids


def _a_child(member: Any, moment: datetime) -> bool:
    born = member.birth_date
    return born is not None and born <= moment.date() and not member.is_adult_at(moment)


def by_day(records: list[Injury]) -> dict[date, list[Injury]]:
    """Injury records grouped into injuries, keyed by the day of the first; each list in
    `recorded_at` order.

    Records of one day are one injury. So is a record made the day after that names the same kind
    of injury (a medical, a police record or a social-care note about it), unless it is a
    further coded `injury` from the agency that coded the first: the next day's mentions of an
    injury are how agencies pass it on, and one injury should raise one alert.
    """
    groups: list[list[Injury]] = []
    for injury in sorted(records, key=lambda i: (i.day, i.fact.recorded_at, i.fact.key)):
        for group in reversed(groups):
            if _same_injury(group, injury):
                group.append(injury)
                break
        else:
            groups.append([injury])
    return {
        group[0].day: sorted(group, key=lambda i: (i.fact.recorded_at, i.fact.key))
        for group in groups
    }


def _same_injury(group: list[Injury], injury: Injury) -> bool:
    gap = (injury.day - group[0].day).days
    if gap == 0:
        return True
    if gap > FOLLOW_UP_DAYS:
        return False
    coded = injury.fact.type == "injury"
    agency = injury.fact.key[0]
    if coded and any(i.fact.type == "injury" and i.fact.key[0] == agency for i in group):
        return False
    kinds = {k for i in group for k in i.kinds}
    return bool(kinds & set(injury.kinds)) or "other_injury" in kinds | set(injury.kinds)


T = TypeVar("T")


def first_each_day(
    child: ChildContext, kind: str, find: Callable[[Fact], T | None]
) -> Iterator[tuple[Fact, str, T]]:
    """Each record about the child (or read about the children) in which `find` finds something,
    with its episode: the first such record of each day only, since agencies recording one
    thing on one day make one alert, not one each."""
    seen: set[str] = set()
    for fact in [*child.facts, *about_the_children(child)]:
        if fact.role in NOT_ABOUT_THE_CHILD or not child.is_child_at(fact.occurred_at):
            continue
        found = find(fact)
        if found is None:
            continue
        episode = f"{kind}:{fact.occurred_at.astimezone(UK).date().isoformat()}"
        if episode not in seen:
            seen.add(episode)
            yield fact, episode, found


def found_about(fact: Fact, indicators: tuple[str, ...]) -> list[Finding]:
    """Present findings of these indicators about a child: `Fact.found`, and for an event about
    the household that names no child, findings about the family too."""
    if fact.role != HOUSEHOLD:
        return fact.found(*indicators)
    return [
        f
        for f in fact.findings
        if f.indicator in indicators and f.present and f.experiencer in ("child", "family")
    ]


def belongs(child: ChildContext, fact: Fact, finding: Finding) -> bool:
    """Whether a text finding about "the child" is about this child.

    The reader names the subject a finding is about when the text allows one answer; a finding
    it could not place belongs to every child the event names.
    """
    if not finding.subject_ref:
        return True
    if fact.role == HOUSEHOLD:  # the event names no child: the finding is about its children
        return False
    agency = fact.key[0]
    return any(a == agency and rid == finding.subject_ref for a, rid in child.records)


def _explained(fact: Fact) -> bool | None:
    coded = fact.details.get("explained") if fact.type == "injury" else None
    if isinstance(coded, bool):
        return coded
    if _UNEXPLAINED.search(fact.summary):
        return False
    return None


def under_months(child: ChildContext, moment: datetime, months: int) -> bool:
    """Whether the child was born and was younger than `months` calendar months at a moment."""
    if child.birth_date is None or child.is_unborn_at(moment):
        return False
    born = datetime.combine(child.birth_date, time(0), tzinfo=UK)
    return moment < add_months(born, months)


def age_words(child: ChildContext, moment: datetime) -> str:
    """'a 14-week-old', 'a 9-month-old', 'a 3-year-old': how a practitioner says an age."""
    days = child.age_in_days(moment)
    if days is None:
        return "a child"
    if days < 7 * 16:
        if days < 1:
            return "a newborn"
        return f"a {days // 7}-week-old" if days >= 14 else f"a {days}-day-old"
    if not under_months(child, moment, 24):
        born = datetime.combine(child.birth_date or moment.date(), time(0), tzinfo=UK)
        years = 2
        while not moment < add_months(born, 12 * (years + 1)):
            years += 1
        return f"a {years}-year-old"
    months = 3
    while not under_months(child, moment, months + 1):
        months += 1
    return f"a {months}-month-old"


def recorded(fact: Fact) -> str:
    """'nhs-east (injury I-1, recorded 2019-10-01 12:00)': which agency, what, when."""
    stamp = format_moment(fact.recorded_at)
    what = fact.type.replace("_", " ")
    return f"{fact.key[0]} ({what} {fact.key[1]}, recorded {stamp[:10]} {stamp[11:16]})"


class InjuryRule(Rule):
    """A rule raised by an injury of some kind to a child of some age: one alert per injury
    (its mentions on one day, in any agency's records), raised at the first mention that
    qualifies and resting on every one that does. Subclasses say why an injury qualifies."""

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        for day, records in by_day(injuries(child)).items():
            for injury in records:
                why = self.why(child, injury)
                if why is None:
                    continue
                fact = injury.fact
                yield self.draft(
                    raised_at=fact.recorded_at,
                    episode=f"injury:{day.isoformat()}",
                    evidence=[fact],
                    what=f"{recorded(fact)} recorded {injury.describe()} on "
                    f"{age_words(child, fact.occurred_at)}{self.joiner}{why}.",
                )

    joiner = ": "

    def why(self, child: ChildContext, injury: Injury) -> str | None:
        raise NotImplementedError
