"""Who is connected to a child, and since when: the household of rules.md that the rules read.

A child's household is the people linked to the child as parent, step-parent, carer, partner of a
parent or household member (by `relationship` lines and `household_change` events), and the
people recorded at the child's address at that time. Siblings and half-siblings, in the same
household or another, are connected too: they are listed with their relation but are not
household members unless something else makes them so.

Every link carries the moment it became known (`known_at`): the latest of the `recorded_at` of
the records it rests on. A rule never uses a link before then.

`relationship_rows` is the one place that turns agency relationships into links between persons.
It reads each relationship's two records' `person_id`; when the family-graph query of the linkage
work lands in `kinsight.people`, only that function changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet

from kinsight.lib.moments import UK
from kinsight.lib.rows import day, decoded, moment, select_in
from kinsight.people.models import Relationship

# "Known from the start": a record without `recorded_at`.
EPOCH = datetime(1900, 1, 1, tzinfo=UK)

# Relations from the child's point of view.
PARENT_TYPES = frozenset({"mother", "father", "parent"})
PARENT = "parent"
STEP_PARENT = "step_parent"
CARER = "carer"
PARTNER_OF_PARENT = "partner_of_parent"
HOUSEHOLD_MEMBER = "household_member"
AT_ADDRESS = "at_address"
SIBLING = "sibling"
HALF_SIBLING = "half_sibling"
GRANDPARENT = "grandparent"
# The relations that make someone part of the child's household (rules.md).
HOUSEHOLD_RELATIONS = frozenset(
    {*PARENT_TYPES, PARENT, STEP_PARENT, CARER, PARTNER_OF_PARENT, HOUSEHOLD_MEMBER, AT_ADDRESS}
)
# The adults who care for the child: parents, step-parents, carers and a parent's partner.
CARER_RELATIONS = frozenset({*PARENT_TYPES, PARENT, STEP_PARENT, CARER, PARTNER_OF_PARENT})
# How many people one address may join before it is taken to be a block, not a household.
ADDRESS_LIMIT = 12


@dataclass(frozen=True)
class RelationshipRow:
    """One agency relationship between two persons: `relative_id` is the `type` of `person_id`."""

    person_id: int
    relative_id: int
    type: str
    start: date | None
    end: date | None
    known_at: datetime
    # When the end was recorded (the version that set it); None while it has no end.
    end_known_at: datetime | None


@dataclass(frozen=True)
class Link:
    """How one person is connected to the child, and since when that was known."""

    person_id: int
    relation: str  # mother, father, parent, step_parent, ..., at_address (see above)
    source: str  # "relationship", "household_change" or "address"
    known_at: datetime
    start: date | None = None
    end: date | None = None
    end_known_at: datetime | None = None
    # For a link through a parent (a parent's partner, a half-sibling): the parent's person id.
    via: int | None = None
    # The event or relationship the link rests on, when one does: (agency code, id).
    evidence: tuple[str, str] | None = None

    def holds_at(self, moment: datetime) -> bool:
        """Known by `moment`, and not known to have ended by then."""
        if self.known_at > moment:
            return False
        if self.start is not None and self.start > moment.date():
            return False
        if self.end is not None and self.end_known_at is not None:
            return not (self.end <= moment.date() and self.end_known_at <= moment)
        return True

    @property
    def in_household(self) -> bool:
        return self.relation in HOUSEHOLD_RELATIONS


def relationship_rows(
    person_ids: Iterable[int] | None = None, reads: Reads | None = None
) -> list[RelationshipRow]:
    """Every relationship between two linked persons, or those touching `person_ids`.

    The swap point for the linkage work's family graph: nothing else reads `Relationship`.
    """
    if person_ids is not None and reads is not None:
        return reads.relationship_rows(person_ids)
    rows = Relationship.objects.filter(
        person_record__person__isnull=False, relative_record__person__isnull=False
    )
    fields = (
        "person_record__person_id", "relative_record__person_id", "type", "start", "end",
        "first_recorded_at", "recorded_at", "person_record__first_recorded_at",
        "relative_record__first_recorded_at", "person_record__retracted_at",
        "relative_record__retracted_at",
    )  # fmt: skip
    if person_ids is None:
        chunks: list[Q] = [Q()]
    else:
        # By record id, one side at a time: each side has its index, whereas an OR across the
        # two joined persons reads the whole table.
        records = sorted(records_of(person_ids))
        chunks = [
            Q(**{f"{side}_record_id__in": records[i : i + 2000]})
            for side in ("person", "relative")
            for i in range(0, len(records), 2000)
        ]
    found: dict[tuple[int, int, str, date | None], RelationshipRow] = {}
    for chunk in chunks:
        for a, b, kind, start, end, first, latest, a_first, b_first, a_gone, b_gone in (
            rows.filter(chunk).values_list(*fields).iterator(chunk_size=5000)
        ):
            if a == b or a_gone is not None or b_gone is not None:
                continue
            _keep_earliest(found, a, b, kind, start, end, first, latest, a_first, b_first)
    return list(found.values())


def _keep_earliest(
    found: dict[tuple[int, int, str, date | None], RelationshipRow],
    a: int, b: int, kind: str, start: date | None, end: date | None,
    first: datetime | None, latest: datetime | None,
    a_first: datetime | None, b_first: datetime | None,
) -> None:  # fmt: skip
    """Keep the relationship, known from when both its records were; two agencies recording the
    same relationship: the earlier knowledge counts."""
    known = max(first or EPOCH, a_first or EPOCH, b_first or EPOCH)
    row = RelationshipRow(
        a, b, kind, start, end, known, (latest or EPOCH) if end is not None else None
    )
    key = (a, b, kind, start)
    if key not in found or row.known_at < found[key].known_at:
        found[key] = row


def records_of(person_ids: Iterable[int], reads: Reads | None = None) -> dict[int, int]:
    """The person records of these persons (withdrawn ones too), as {record id: person id}."""
    found = (reads or Reads()).records(person_ids)
    return {record.pk: pid for pid, records in found.items() for record in records}


def related_persons(person_ids: set[int], reads: Reads | None = None) -> set[int]:
    """The persons one relationship away from any of `person_ids`, whatever its type, and
    whether or not its records have been withdrawn (a withdrawn record loses its links)."""
    if reads is not None:
        return reads.related_persons(person_ids)
    records = sorted(records_of(person_ids))
    found: set[int] = set()
    for i in range(0, len(records), 2000):
        chunk = records[i : i + 2000]
        found.update(
            Relationship.objects.filter(person_record_id__in=chunk).values_list(
                "relative_record__person_id", flat=True
            )
        )
        found.update(
            Relationship.objects.filter(relative_record_id__in=chunk).values_list(
                "person_record__person_id", flat=True
            )
        )
    return {pid for pid in found if pid is not None} - person_ids


def links_from_relationships(
    child_ids: set[int], rows: list[RelationshipRow]
) -> dict[int, list[Link]]:
    """The links relationships make for each child: direct ones, then through a parent."""
    by_person: dict[int, list[RelationshipRow]] = defaultdict(list)
    by_relative: dict[int, list[RelationshipRow]] = defaultdict(list)
    for row in rows:
        by_person[row.person_id].append(row)
        by_relative[row.relative_id].append(row)
    links: dict[int, list[Link]] = defaultdict(list)
    for child in child_ids:
        found = links[child]
        parents: list[Link] = []
        for row in by_person.get(child, []):
            relation = _relation_of_relative(row.type)
            if relation is None:
                continue
            link = _link(row.relative_id, relation, row)
            found.append(link)
            if relation in PARENT_TYPES or relation in (PARENT, STEP_PARENT):
                parents.append(link)
        for row in by_relative.get(child, []):
            # The child is the `type` of `row.person_id`.
            if row.type in ("sibling", "half_sibling", "household_member"):
                found.append(_link(row.person_id, row.type, row))
            elif row.type == "partner":
                found.append(_link(row.person_id, PARTNER_OF_PARENT, row))
        own_parents = {p.person_id for p in parents if p.relation in PARENT_TYPES}
        for parent in parents:
            # A parent's partner, and a parent's other children (siblings in any household).
            for row in by_person.get(parent.person_id, []):
                if row.type == "partner" and row.relative_id != child:
                    found.append(_through(row.relative_id, PARTNER_OF_PARENT, row, parent))
                elif row.type == "household_member" and row.relative_id != child:
                    found.append(_through(row.relative_id, HOUSEHOLD_MEMBER, row, parent))
            for row in by_relative.get(parent.person_id, []):
                if row.person_id == child:
                    continue
                if row.type == "partner":
                    found.append(_through(row.person_id, PARTNER_OF_PARENT, row, parent))
                elif row.type in PARENT_TYPES and parent.relation in PARENT_TYPES:
                    theirs = {
                        r.relative_id for r in by_person.get(row.person_id, [])
                        if r.type in PARENT_TYPES
                    }  # fmt: skip
                    relation = SIBLING if own_parents and theirs == own_parents else HALF_SIBLING
                    found.append(_through(row.person_id, relation, row, parent))
    return links


def _relation_of_relative(kind: str) -> str | None:
    if kind in PARENT_TYPES or kind in (STEP_PARENT, CARER, HOUSEHOLD_MEMBER):
        return kind
    if kind in (SIBLING, HALF_SIBLING, GRANDPARENT):
        return kind
    return None  # a child's own "partner" is not a carer of the child


def _link(person_id: int, relation: str, row: RelationshipRow) -> Link:
    return Link(person_id, relation, "relationship", row.known_at, row.start, row.end,
                row.end_known_at)  # fmt: skip


def _through(person_id: int, relation: str, row: RelationshipRow, parent: Link) -> Link:
    end, end_known = row.end, row.end_known_at
    if parent.end is not None and (end is None or parent.end < end):
        end, end_known = parent.end, parent.end_known_at
    return Link(person_id, relation, "relationship", max(row.known_at, parent.known_at),
                row.start, end, end_known, via=parent.person_id)  # fmt: skip


@dataclass(frozen=True)
class HouseholdChange:
    """A `household_change` event: who joined, left or moved, and the children it names."""

    key: tuple[str, str]
    change: str
    occurred_at: datetime
    recorded_at: datetime
    retracted_at: datetime | None
    movers: tuple[int, ...]  # subjects with role `subject`
    others: tuple[tuple[int, str], ...]  # (person id, role) of the other subjects


def links_from_household_changes(
    child_ids: set[int], changes: list[HouseholdChange], links: dict[int, list[Link]]
) -> None:
    """Add to `links` the people who joined a child's household, ending them when they left.

    A change names the child (role `child`) or one of the child's parents or carers; or the
    child is the one who moves, and joins (or leaves) the people it names.
    """
    cared_for: dict[int, set[int]] = defaultdict(set)  # carer -> the children they care for
    for child in child_ids:
        for link in links.get(child, []):
            if link.relation in CARER_RELATIONS:
                cared_for[link.person_id].add(child)
    for change in changes:
        if change.change not in ("joined", "left") or not change.movers:
            continue
        if change.retracted_at is not None and change.retracted_at <= change.recorded_at:
            continue
        named = {pid for pid, _ in change.others}
        children = child_ids & named
        for pid in named:
            children |= cared_for.get(pid, set())
        for child in children:
            for mover in change.movers:
                if mover == child:
                    continue
                if change.change == "joined":
                    links[child].append(
                        Link(
                            mover,
                            HOUSEHOLD_MEMBER,
                            "household_change",
                            change.recorded_at,
                            change.occurred_at.date(),
                            evidence=change.key,
                        )  # fmt: skip
                    )
                else:
                    _end_links(links[child], mover, change)
        # A child who moves (the `subject`) joins the household of the others it names.
        for child in child_ids & set(change.movers):
            for pid in named - {child}:
                if change.change == "joined":
                    links[child].append(
                        Link(
                            pid,
                            HOUSEHOLD_MEMBER,
                            "household_change",
                            change.recorded_at,
                            change.occurred_at.date(),
                            evidence=change.key,
                        )  # fmt: skip
                    )
                else:
                    _end_links(links[child], pid, change)


def _end_links(links: list[Link], mover: int, change: HouseholdChange) -> None:
    for i, link in enumerate(links):
        if link.person_id == mover and link.source == "household_change" and link.end is None:
            links[i] = Link(link.person_id, link.relation, link.source, link.known_at,
                            link.start, change.occurred_at.date(), change.recorded_at,
                            link.via, link.evidence)  # fmt: skip


@dataclass(frozen=True)
class Address:
    """Where one agency's record put a person, from when that version was recorded until a
    later version moved them (None: still there, as far as is known)."""

    person_id: int
    postcode: str
    first_line: str
    known_at: datetime
    until: datetime | None = None


@lru_cache(maxsize=8192)
def address_key(postcode: str, text: str) -> tuple[str, str] | None:
    """Two addresses are the same when postcode and first line agree (rules.md, "Household").

    Kept for the addresses seen lately: a family's few addresses are asked about again and
    again (each record version, at each evaluation), and the answer depends on the text alone.
    """
    code = re.sub(r"\s+", "", postcode or "").upper()
    first = (text or "").split(",")[0]
    first = re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", first.lower())).strip()
    if not code or not first:
        return None
    return (code, first)


def links_from_addresses(
    child_ids: set[int], addresses: list[Address], links: dict[int, list[Link]]
) -> None:
    """People recorded at one of the child's addresses at the same time, from when both records
    were known, until one of them was recorded elsewhere."""
    at: dict[tuple[str, str], list[Address]] = defaultdict(list)
    for a in addresses:
        at[(a.postcode, a.first_line)].append(a)
    for here in at.values():
        people = {a.person_id for a in here}
        if len(people) < 2 or len(people) > ADDRESS_LIMIT:
            continue
        # Several agencies' records of one person there, known and left at the same moments,
        # make the same links: each pair is joined once rather than once per pair of records.
        here = list(dict.fromkeys(here))
        for mine in here:
            if mine.person_id not in child_ids:
                continue
            for theirs in here:
                if theirs.person_id == mine.person_id:
                    continue
                known = max(mine.known_at, theirs.known_at)
                ends = [u for u in (mine.until, theirs.until) if u is not None]
                until = min(ends) if ends else None
                if until is not None and until <= known:
                    continue  # never there at the same time
                links[mine.person_id].append(
                    Link(
                        theirs.person_id,
                        AT_ADDRESS,
                        "address",
                        known,
                        end=until.date() if until else None,
                        end_known_at=until,
                    )  # fmt: skip
                )


def household_changes(
    person_ids: set[int] | None = None, reads: Reads | None = None
) -> list[HouseholdChange]:
    """The `household_change` events, or those naming one of `person_ids`."""
    from kinsight.chronology.models import Event, EventSubject

    def rows() -> QuerySet[EventSubject]:
        # Built only when asked: building a query costs about a millisecond of Python, which
        # the reads of one evaluation (below) need not pay.
        return EventSubject.objects.filter(
            event__type="household_change", record__person__isnull=False
        )

    queries: list[Any] = []
    fields = (
        "event_id", "record__person_id", "role", "event__agency__code", "event__event_id",
        "event__details", "event__occurred_at", "event__recorded_at", "event__retracted_at",
    )  # fmt: skip
    if person_ids is not None and reads is not None:
        # Which of the persons' events are household changes is known from their roles.
        found = select_in(
            "SELECT s.event_id, p.person_id, s.role, a.code, e.event_id, e.details, "
            "e.occurred_at, e.recorded_at, e.retracted_at FROM chronology_eventsubject s "
            "JOIN chronology_event e ON e.id = s.event_id "
            "JOIN feeds_agency a ON a.id = e.agency_id "
            "JOIN people_personrecord p ON p.id = s.record_id "
            "WHERE e.type = 'household_change' AND p.person_id IS NOT NULL AND s.event_id {in} "
            "ORDER BY s.event_id, s.id",
            sorted(reads.change_events(person_ids)),
        )
        queries = [
            [
                (eid, pid, role, code, ident, decoded(details), moment(occurred),
                 moment(recorded), moment(retracted))
                for eid, pid, role, code, ident, details, occurred, recorded, retracted in found
            ]
        ]  # fmt: skip
    elif person_ids is not None:
        # The persons' events by the person and subject indexes, then which of those are
        # household changes by primary key: asking by type first would read every change.
        ids = sorted(person_ids)
        theirs: set[int] = set()
        for i in range(0, len(ids), 2000):
            theirs.update(
                EventSubject.objects.filter(record__person_id__in=ids[i : i + 2000]).values_list(
                    "event_id", flat=True
                )
            )
        ordered = sorted(theirs)
        wanted: list[int] = []
        for i in range(0, len(ordered), 2000):
            wanted += Event.objects.filter(
                pk__in=ordered[i : i + 2000], type="household_change"
            ).values_list("pk", flat=True)
        queries = [
            rows().filter(event_id__in=wanted[i : i + 2000]) for i in range(0, len(wanted), 2000)
        ]
    else:
        queries = [rows()]
    if queries and isinstance(queries[0], QuerySet):
        queries = [q.order_by("event_id", "pk").values_list(*fields) for q in queries]
    events: dict[int, dict[str, object]] = {}
    subjects: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for query in queries:
        for (
            eid,
            pid,
            role,
            agency,
            ident,
            details,
            occurred,
            recorded,
            retracted,
        ) in query:
            events[eid] = {
                "key": (agency, ident),
                "change": str((details or {}).get("change", "")),
                "occurred_at": occurred,
                "recorded_at": recorded,
                "retracted_at": retracted,
            }
            if (pid, role) not in subjects[eid]:
                subjects[eid].append((pid, role))
    changes = []
    for eid, e in sorted(events.items(), key=lambda item: item[1]["recorded_at"]):  # type: ignore[arg-type,return-value]
        named = subjects[eid]
        changes.append(
            HouseholdChange(
                e["key"],  # type: ignore[arg-type]
                e["change"],  # type: ignore[arg-type]
                e["occurred_at"],  # type: ignore[arg-type]
                e["recorded_at"],  # type: ignore[arg-type]
                e["retracted_at"],  # type: ignore[arg-type]
                tuple(pid for pid, role in named if role == "subject"),
                tuple((pid, role) for pid, role in named if role != "subject"),
            )
        )
    return changes


def addresses(person_ids: set[int] | None = None, reads: Reads | None = None) -> list[Address]:
    """Each record's addresses, version by version, each known from when it was recorded.

    With `person_ids`: theirs, and those of everyone recorded today at a postcode they have had.
    """
    from kinsight.people.models import PersonRecord, PostcodeKey

    def records() -> QuerySet[PersonRecord]:
        return PersonRecord.objects.filter(person__isnull=False, retracted_at__isnull=True)

    fields = ("person_id", "agency_id", "record_id", "postcode", "address_text",
              "first_recorded_at", "recorded_at", "version")  # fmt: skip
    rows: Iterable[tuple[Any, ...]]
    if person_ids is not None:
        codes = sorted({code for code, _ in places(person_ids, earlier=True, reads=reads)})
        if reads is not None:
            rows = reads.at_postcodes(codes)
        else:
            # By the postcode index, not a read of every record.
            rows = (
                records()
                .annotate(code=PostcodeKey("postcode"))
                .filter(code__in=codes)
                .order_by("code", "pk")
                .values_list(*fields)
            )
    else:
        rows = records().values_list(*fields).iterator(chunk_size=5000)
    current: dict[tuple[int, str], tuple[int, list[tuple[datetime, str, str]]]] = {}
    updated: list[tuple[int, str]] = []
    for pid, agency, ident, postcode, text, first, latest, version in rows:
        if version == 1:
            current[(agency, ident)] = (pid, [(first or EPOCH, postcode, text)])
        else:
            current[(agency, ident)] = (pid, [(latest or EPOCH, postcode, text)])
            updated.append((agency, ident))
    for key, versions in _earlier_versions(updated, reads).items():
        current[key][1].extend(versions)
    found = []
    for pid, versions in current.values():
        versions.sort(key=lambda v: v[0])
        for i, (known, postcode, text) in enumerate(versions):
            place = address_key(postcode, text)
            if place is None:
                continue
            # The address holds until a later version names another one.
            until = next(
                (v[0] for v in versions[i + 1 :] if address_key(v[1], v[2]) not in (None, place)),
                None,
            )
            before = [address_key(v[1], v[2]) for v in versions[:i]]
            if [b for b in before if b is not None][-1:] == [place]:
                continue  # the same address as the version before: already counted from then
            found.append(Address(pid, place[0], place[1], known, until))
    return found


def places(
    person_ids: set[int], *, earlier: bool = False, reads: Reads | None = None
) -> set[tuple[str, str]]:
    """The addresses (`address_key`) of these persons' current records, and with `earlier` of
    every earlier version of them too (a person who moved away leaves the household at the old
    address)."""
    reads = reads or Reads()
    found: set[tuple[str, str]] = set()
    versioned: list[tuple[int, str]] = []
    # Withdrawn records too: withdrawing one ends the household it made.
    for records in reads.records(person_ids).values():
        for record in records:
            found.add((record.postcode, record.address_text))
            if record.version > 1:
                versioned.append((record.agency_id, record.record_id))
    if earlier:
        for versions in _earlier_versions(versioned, reads).values():
            found.update((code, text) for _, code, text in versions)
    keys = (address_key(code, text) for code, text in found)
    return {key for key in keys if key is not None}


def at_places(wanted: set[tuple[str, str]], reads: Reads | None = None) -> set[int]:
    """The persons with a current record at one of these addresses (`address_key`)."""
    codes = sorted({code for code, _ in wanted})
    found: set[int] = set()
    for pid, _, _, code, text, *_ in (reads or Reads()).at_postcodes(codes):
        if address_key(code, text) in wanted:
            found.add(pid)
    return found


def _earlier_versions(
    records: list[tuple[int, str]], reads: Reads | None = None
) -> dict[tuple[int, str], list[tuple[datetime, str, str]]]:
    """The addresses of the earlier versions of these (agency, record id) records."""
    if reads is not None:
        return reads.earlier_versions(records)
    return _read_earlier_versions(records)


def _read_earlier_versions(
    records: list[tuple[int, str]],
) -> dict[tuple[int, str], list[tuple[datetime, str, str]]]:
    found: dict[tuple[int, str], list[tuple[datetime, str, str]]] = defaultdict(list)
    by_agency: dict[int, set[str]] = defaultdict(set)
    for agency, ident in records:
        by_agency[agency].add(ident)
    for agency, idents in sorted(by_agency.items()):
        # (kind, agency, key): the version index, read for these records only.
        rows = select_in(
            "SELECT key, recorded_at, data FROM feeds_recordversion "
            "WHERE kind = %s AND agency_id = %s AND key {in} ORDER BY key, version",
            sorted(idents),
            ["person", agency],
        )
        for key, recorded, data in rows:
            data = decoded(data)
            found[(agency, key)].append(
                (moment(recorded) or EPOCH, data.get("postcode") or "",
                 data.get("address_text") or "")
            )  # fmt: skip
    return found


@dataclass(frozen=True)
class PersonRecordRow:
    """One agency's record of a person, as the household and the rules read it."""

    pk: int
    agency_id: int
    record_id: str
    postcode: str
    address_text: str
    version: int
    first_recorded_at: datetime | None
    recorded_at: datetime | None
    retracted_at: datetime | None
    birth_date: str
    expected_birth_date: date | None
    sex: str


# A relationship as read: (pk, person record, relative record, their persons, type, start, end,
# first and latest recorded_at, each record's first_recorded_at and retracted_at).
_RawRelationship = tuple[Any, ...]


class Reads:
    """What one evaluation has read about persons, so that each is read once however many of
    the widening, the links and the contexts ask: their records (withdrawn ones too), the
    relationships of each record, the events each person is a subject of (with role and type),
    the earlier versions of each record, and the records at each postcode.

    It lives for one evaluation (one transaction): nothing here is ever stale within it.
    """

    def __init__(self) -> None:
        self._records: dict[int, list[PersonRecordRow]] = {}
        self._as_person: dict[int, list[_RawRelationship]] = {}
        self._as_relative: dict[int, list[_RawRelationship]] = {}
        self._roles: dict[int, dict[int, tuple[str, str]]] = {}
        self._versions: dict[tuple[int, str], list[tuple[datetime, str, str]]] = {}
        self._at_code: dict[str, list[tuple[Any, ...]]] = {}

    def records(self, person_ids: Iterable[int]) -> dict[int, list[PersonRecordRow]]:
        """Each person's records in the order they were stored, withdrawn ones too."""
        wanted = set(person_ids)
        missing = sorted(wanted - self._records.keys())
        for pid in missing:
            self._records[pid] = []
        rows = select_in(
            "SELECT person_id, id, agency_id, record_id, postcode, address_text, version, "
            "first_recorded_at, recorded_at, retracted_at, birth_date, expected_birth_date, sex "
            "FROM people_personrecord WHERE person_id {in} ORDER BY person_id, id",
            missing,
        )
        for pid, pk, agency, ident, code, text, version, first, latest, gone, *person in rows:
            born, due, sex = person
            self._records[pid].append(
                PersonRecordRow(
                    pk,
                    agency,
                    ident,
                    code,
                    text,
                    version,
                    moment(first),
                    moment(latest),
                    moment(gone),
                    born,
                    day(due),
                    sex,
                )  # fmt: skip
            )
        return {pid: self._records[pid] for pid in wanted}

    def _relationships(self, record_ids: list[int]) -> list[_RawRelationship]:
        """The relationships naming these records on either side: those naming them as the
        person first (record by record, as stored), then those naming them as the relative."""
        missing = sorted(set(record_ids) - self._as_person.keys())
        for record in missing:
            self._as_person[record], self._as_relative[record] = [], []
        # One side at a time: each side has its index, an OR across them has none.
        for side, held in (("person_record_id", self._as_person),
                           ("relative_record_id", self._as_relative)):  # fmt: skip
            rows = select_in(
                "SELECT r.id, r.person_record_id, r.relative_record_id, a.person_id, b.person_id, "  # noqa: S608, E501 - `side` is a column name
                'r.type, r.start, r."end", r.first_recorded_at, r.recorded_at, '
                "a.first_recorded_at, b.first_recorded_at, a.retracted_at, b.retracted_at "
                "FROM people_relationship r "
                "LEFT JOIN people_personrecord a ON a.id = r.person_record_id "
                "LEFT JOIN people_personrecord b ON b.id = r.relative_record_id "
                f"WHERE r.{side} {{in}} ORDER BY r.{side}, r.id",
                missing,
            )
            for row in rows:
                pk, mine, theirs, a, b, kind, start, end, first, latest, *rest = row
                converted = (
                    pk, mine, theirs, a, b, kind, day(start), day(end), moment(first),
                    moment(latest), *(moment(value) for value in rest),
                )  # fmt: skip
                held[mine if side == "person_record_id" else theirs].append(converted)
        ordered = sorted(set(record_ids))
        return [row for r in ordered for row in self._as_person[r]] + [
            row for r in ordered for row in self._as_relative[r]
        ]

    def related_persons(self, person_ids: set[int]) -> set[int]:
        """As `related_persons`: one relationship away, withdrawn records too."""
        found: set[int | None] = set()
        for row in self._relationships(list(records_of(person_ids, self))):
            found.update((row[3], row[4]))  # one side is theirs: the other is the relative
        return {pid for pid in found if pid is not None} - person_ids

    def relationship_rows(self, person_ids: Iterable[int]) -> list[RelationshipRow]:
        """As `relationship_rows(person_ids)`, from what has been read."""
        found: dict[tuple[int, int, str, date | None], RelationshipRow] = {}
        seen: set[int] = set()
        for row in self._relationships(list(records_of(person_ids, self))):
            pk, _, _, a, b, kind, start, end, first, latest, a_first, b_first, a_gone, b_gone = row
            if pk in seen:
                continue
            seen.add(pk)
            if a is None or b is None or a == b or a_gone is not None or b_gone is not None:
                continue
            _keep_earliest(found, a, b, kind, start, end, first, latest, a_first, b_first)
        return list(found.values())

    def roles(self, person_ids: Iterable[int]) -> dict[int, dict[int, str]]:
        """Each person's events, as {event id: the person's role in it}."""
        return {
            pid: {eid: role for eid, (role, _) in events.items()}
            for pid, events in self._events(person_ids).items()
        }

    def change_events(self, person_ids: Iterable[int]) -> set[int]:
        """The `household_change` events these persons are subjects of."""
        return {
            eid
            for events in self._events(person_ids).values()
            for eid, (_, kind) in events.items()
            if kind == "household_change"
        }

    def _events(self, person_ids: Iterable[int]) -> dict[int, dict[int, tuple[str, str]]]:
        wanted = set(person_ids)
        missing = sorted(wanted - self._roles.keys())
        for pid in missing:
            self._roles[pid] = {}
        rows = select_in(
            "SELECT s.event_id, p.person_id, s.role, e.type FROM chronology_eventsubject s "
            "JOIN people_personrecord p ON p.id = s.record_id "
            "JOIN chronology_event e ON e.id = s.event_id "
            "WHERE p.person_id {in} ORDER BY p.person_id, s.record_id, s.event_id, s.id",
            missing,
        )
        for eid, pid, role, kind in rows:
            self._roles[pid][eid] = (role, kind)
        return {pid: self._roles[pid] for pid in wanted}

    def earlier_versions(
        self, records: list[tuple[int, str]]
    ) -> dict[tuple[int, str], list[tuple[datetime, str, str]]]:
        """As `_earlier_versions`: the addresses of each record's earlier versions."""
        missing = sorted(set(records) - self._versions.keys())
        if missing:
            read = _read_earlier_versions(missing)
            for key in missing:
                self._versions[key] = read.get(key, [])
        return {key: self._versions[key] for key in records if self._versions[key]}

    def at_postcodes(self, codes: list[str]) -> list[tuple[Any, ...]]:
        """The current, linked records at these (normalised) postcodes, postcode by postcode:
        (person, agency, record id, postcode, address, first and latest recorded_at, version)."""
        missing = sorted(set(codes) - self._at_code.keys())
        for code in missing:
            self._at_code[code] = []
        # The same expression as the index on it (PostcodeKey), so that the index is read.
        rows = select_in(
            "SELECT person_id, agency_id, record_id, postcode, address_text, first_recorded_at, "
            "recorded_at, version, UPPER(REPLACE(postcode, ' ', '')) FROM people_personrecord "
            "WHERE UPPER(REPLACE(postcode, ' ', '')) {in} AND person_id IS NOT NULL "
            "AND retracted_at IS NULL ORDER BY 9, id",
            missing,
        )
        for pid, agency, ident, postcode, text, first, latest, version, code in rows:
            self._at_code[code].append(
                (pid, agency, ident, postcode, text, moment(first), moment(latest), version)
            )
        return [row for code in sorted(set(codes)) for row in self._at_code[code]]


class HouseholdGraph:
    """The links of many children at once, read with a few set-based queries.

    For the whole store (`touched` is None) everything is read once. For the persons an ingest
    touched, `persons` is everyone whose context as a child may have changed: the children
    whose household (as `links` builds it) can hold a touched person. That is everyone two
    relationship steps away (a parent's partner, a half-sibling through a parent), the others
    named in a household change naming a touched person and the children those carers care
    for, and everyone at an address a touched person has had. Every read here is by an index
    on person, record or postcode, so it costs what the family holds, not what the store does.
    """

    def __init__(self, touched: set[int] | None) -> None:
        self.touched = touched
        self.persons: set[int] = set()
        # What the widening reads, the links and the contexts read again from here.
        self.reads = Reads()
        if touched is None:
            self._rows: list[RelationshipRow] | None = relationship_rows()
            self._changes: list[HouseholdChange] | None = household_changes()
            self._addresses: list[Address] | None = addresses()
            return
        self._rows = self._changes = self._addresses = None
        reads = self.reads
        reached = set(touched)
        frontier = set(touched)
        for _ in range(2):
            frontier = related_persons(frontier, reads) - reached
            reached |= frontier
        named: set[int] = set()
        for change in household_changes(set(touched), reads):
            named.update(change.movers)
            named.update(pid for pid, _ in change.others)
        # A change naming a carer joins the mover to the children that carer cares for.
        reached |= named | related_persons(named - touched, reads)
        reached |= at_places(places(set(touched), earlier=True, reads=reads), reads)
        self.persons = reached

    def links(self, children: set[int]) -> dict[int, list[Link]]:
        if self._rows is not None:
            rows, changes, places = self._rows, self._changes or [], self._addresses or []
        else:
            reads = self.reads
            rows = relationship_rows(children, reads)
            carers = {
                r.relative_id for r in rows if r.person_id in children and r.type in CARER_TYPES
            }
            rows = list({*rows, *relationship_rows(carers - children, reads)})
            changes = household_changes(children | carers, reads)
            places = addresses(children, reads)
        found = links_from_relationships(children, rows)
        links_from_household_changes(children, changes, found)
        links_from_addresses(children, places, found)
        return found


CARER_TYPES = frozenset({*PARENT_TYPES, STEP_PARENT, CARER})


def household_graph(touched: set[int] | None = None) -> HouseholdGraph:
    return HouseholdGraph(touched)
