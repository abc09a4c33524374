"""The family graph on persons: who is whose parent, partner, sibling, household member.

Agencies send relationships between their own records; linkage joins records into persons, so a
father recorded by the police and the same man recorded by a school are one node. Every query
takes `as_of` and uses only relationships recorded by then (`recorded_at`; none means known from
the start) and in force then (`start`/`end`): a rule never sees a partner before he was recorded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q

from kinsight.people.models import PersonRecord, Relationship

PARENT_TYPES = frozenset({"mother", "father", "parent", "step_parent", "carer"})
HOUSEHOLD_TYPES = frozenset({"partner", "household_member", "sibling", *PARENT_TYPES})


@dataclass(frozen=True)
class Tie:
    """`relative` is the `type` of `person` (the relative is the person's mother, say)."""

    person: int
    relative: int
    type: str
    start: date | None
    end: date | None


def _adult_birth_dates(person_ids: set[int]) -> dict[int, str]:
    return dict(
        PersonRecord.objects.filter(person_id__in=person_ids)
        .exclude(birth_date="")
        .values_list("person_id", "birth_date")
    )


def ties(person_ids: set[int], as_of: datetime) -> list[Tie]:
    """The relationships touching these persons, known and in force at `as_of`."""
    day = as_of.date()
    rows = (
        Relationship.objects.filter(
            Q(person_record__person_id__in=person_ids)
            | Q(relative_record__person_id__in=person_ids)
        )
        .filter(Q(recorded_at__isnull=True) | Q(recorded_at__lte=as_of))
        .filter(Q(start__isnull=True) | Q(start__lte=day))
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .values_list(
            "person_record__person_id", "relative_record__person_id", "type", "start", "end"
        )
    )
    return [Tie(p, r, t, s, e) for p, r, t, s, e in rows if p is not None and r is not None]


def parents_of(person_id: int, as_of: datetime) -> set[int]:
    return {t.relative for t in ties({person_id}, as_of)
            if t.person == person_id and t.type in PARENT_TYPES}  # fmt: skip


def children_of(person_id: int, as_of: datetime) -> set[int]:
    return {t.person for t in ties({person_id}, as_of)
            if t.relative == person_id and t.type in PARENT_TYPES}  # fmt: skip


def partners_of(person_id: int, as_of: datetime) -> set[int]:
    out = set()
    for t in ties({person_id}, as_of):
        if t.type == "partner":
            out.add(t.relative if t.person == person_id else t.person)
    return out - {person_id}


def siblings_of(person_id: int, as_of: datetime) -> dict[int, str]:
    """Siblings and half-siblings, wherever they live: recorded as such, or sharing a parent
    (a half-sibling when they share one parent and not the other)."""
    out: dict[int, str] = {}
    for t in ties({person_id}, as_of):
        if t.type in ("sibling", "half_sibling"):
            other = t.relative if t.person == person_id else t.person
            out[other] = t.type
    mine = parents_of(person_id, as_of)
    if mine:
        by_child: dict[int, set[int]] = defaultdict(set)
        for t in ties(mine, as_of):
            if t.type in PARENT_TYPES and t.relative in mine and t.person != person_id:
                by_child[t.person].add(t.relative)
        for child in by_child:
            theirs = parents_of(child, as_of)
            kind = "sibling" if theirs == mine else "half_sibling"
            out.setdefault(child, kind)
    out.pop(person_id, None)
    return out


def household_of(person_id: int, as_of: datetime) -> set[int]:
    """The persons living with this one at `as_of`: parents, partners, household members and
    the children of any of them who are recorded as living with them (siblings included)."""
    out: set[int] = set()
    for t in ties({person_id}, as_of):
        if t.type in HOUSEHOLD_TYPES:
            out.add(t.relative if t.person == person_id else t.person)
    out.discard(person_id)
    return out


def connected_children(person_id: int, as_of: datetime) -> set[int]:
    """Every child this adult is connected to, in any household: own children, partners'
    children, children of the households the adult is a member of."""
    children = set(children_of(person_id, as_of))
    adults = partners_of(person_id, as_of) | {
        other
        for t in ties({person_id}, as_of)
        if t.type == "household_member"
        for other in (t.person, t.relative)
        if other != person_id
    }
    for adult in adults:
        children |= children_of(adult, as_of)
    for t in ties({person_id}, as_of):
        # A child recorded with this adult as its household member or carer.
        if t.relative == person_id and t.type in ("household_member", "carer", "step_parent"):
            children.add(t.person)
    children.discard(person_id)
    known = _adult_birth_dates(children)
    # Only children: someone born 18 or more years before as_of is an adult.
    cutoff = f"{as_of.year - 18:04d}{as_of.strftime('-%m-%d')}"
    return {c for c in children if c not in known or known[c] > cutoff}
