"""Joining agency records into persons.

A shared valid NHS number joins two records; otherwise the linkage model (comparisons.py, trained
by Splink) scores the pairs that share a blocking key. Pairs are taken strongest first and two
groups of records join only when no hard constraint holds between any two of their records:

- one agency's two different ids are two people (except an unborn record and a baby born to the
  same mother within six weeks of its expected date);
- two different valid NHS numbers are two people;
- two children born the same day in the same household (or two unborn records of one mother
  with one expected date) are twins unless their given names or NHS numbers agree;
- a person's "not the same" decision keeps its records apart, and "same" keeps them together.

A pair scoring in the band below the join threshold waits in the review queue instead. Every
record's `link_reason` says which pair joined it and the comparison levels and weights behind it.
`link_unlinked_records` links what arrived (on ingest); `relink_all` re-links the whole store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from kinsight.lib.bulk import execute_many
from kinsight.people.comparisons import BORN_APART, Model, birth_level, default_model, probability
from kinsight.people.features import RECORD_FIELDS, Features, blocking_keys, features, key_hash
from kinsight.people.models import (
    LinkCandidate,
    LinkDecision,
    LinkKey,
    LinkModel,
    LinkTermFrequency,
    Person,
    PersonRecord,
    Relationship,
)
from kinsight.people.names import given_names_agree

CHUNK = 20_000
# A blocking key shared by more records than this tells nobody apart ("Sam" at one postcode,
# thousands of look-alike test records): it is skipped, keeping a link cheap whatever arrives.
KEY_CAP = 100
UNBORN_WINDOW_DAYS = 42
CHILD_YEARS = 25


def current_model() -> tuple[Model, str]:
    """The latest model trained on this store, or the shipped default."""
    row = LinkModel.objects.order_by("-trained_at", "-pk").first()
    if row is None:
        return default_model(), "default"
    try:
        return Model(row.model), f"trained {row.trained_at:%Y-%m-%dT%H:%M:%S}"
    except (KeyError, ValueError):
        # Trained before the comparisons changed: linking goes on with the shipped model
        # until `kinsight link train` is run again.
        return default_model(), "default (the store's model predates the comparisons)"


def _chunks(items: list[Any], size: int = 900) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load_features(ids: Iterable[int]) -> dict[int, Features]:
    out: dict[int, Features] = {}
    for chunk in _chunks(sorted(set(ids))):
        for values in PersonRecord.objects.filter(pk__in=chunk).values_list(*RECORD_FIELDS):
            out[values[0]] = features(values)
    return out


class TermFrequencies:
    """How common a value is among the records, from LinkTermFrequency (refreshed by link run)."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], float] = {}

    def load(self, wanted: dict[str, set[str]]) -> None:
        for column, values in wanted.items():
            for chunk in _chunks(sorted(values)):
                rows = LinkTermFrequency.objects.filter(column=column, value__in=chunk)
                for value, frequency in rows.values_list("value", "frequency"):
                    self.values[(column, value)] = frequency

    def __call__(self, column: str, value: str) -> float | None:
        return self.values.get((column, value))


class Mothers:
    """Each record's mothers, as persons (or records not yet linked), looked up when needed."""

    def __init__(self) -> None:
        self.cache: dict[int, frozenset[int]] = {}

    def of(self, record_id: int) -> frozenset[int]:
        if record_id not in self.cache:
            rows = Relationship.objects.filter(
                person_record_id=record_id, type="mother", relative_record__isnull=False
            ).values_list("relative_record_id", "relative_record__person_id")
            self.cache[record_id] = frozenset(
                person if person is not None else -record for record, person in rows
            )
        return self.cache[record_id]


def _names_agree(a: Features, b: Features) -> bool:
    if given_names_agree(a.given_full, b.given_full) is True:
        return True
    return bool(a.given and a.family and a.given == b.family and a.family == b.given)


def forbidden(a: Features, b: Features, mothers: Mothers) -> str:
    """The hard constraint that keeps two records apart, or "" when there is none."""
    if a.agency == b.agency:
        unborn, born = (a, b) if a.unborn else (b, a)
        if not (
            unborn.unborn
            and not born.unborn
            and born.dob
            and unborn.day
            and abs(born.day - unborn.day) <= UNBORN_WINDOW_DAYS
            and mothers.of(unborn.id) & mothers.of(born.id)
        ):
            return "one agency holds them under two ids"
    if a.nhs and b.nhs and a.nhs != b.nhs:
        return "two different NHS numbers"
    return household_guard(a, b, mothers)


TWINS = "possible twins: born the same day in one household, given names differ"
SIBLINGS = "possible siblings: children of one household whose given names differ"
RELATIVES = "possible relatives: one household, given names and birth dates both differ"


def _children_born_since() -> int:
    """The twin guard is about children (and care leavers, up to 25)."""
    return timezone.now().year - CHILD_YEARS


def _same_household(a: Features, b: Features, mothers: Mothers) -> bool:
    return bool(
        not a.families.isdisjoint(b.families)
        or (a.postcode and a.postcode == b.postcode)
        or (a.street and a.street == b.street)
        or mothers.of(a.id) & mothers.of(b.id)
    )


def household_guard(a: Features, b: Features, mothers: Mothers) -> str:
    """Two children of one household whose given names disagree are two children: twins
    (born the same day, or due the same day to one mother) or siblings (whatever their birth
    dates say, since one may be missing), unless their NHS numbers agree."""
    if (a.nhs and a.nhs == b.nhs) or _names_agree(a, b):
        return ""
    since = _children_born_since()
    same_day = bool(a.dob and a.dob == b.dob and a.y >= since)
    if not same_day and a.unborn and b.unborn and a.day and a.day == b.day:
        same_day = bool(mothers.of(a.id) & mothers.of(b.id))
    if same_day:
        return TWINS if _same_household(a, b, mothers) else ""
    names_differ = given_names_agree(a.given_full, b.given_full) is False
    # Two full birth dates that no slip of the pen turns into each other ("Baby Turner" born
    # 2023 is not Jakub born 2019, however alike the address).
    born_apart = bool(a.dob and b.dob and birth_level(a, b) == BORN_APART)
    children = (not a.y or a.y >= since) and (not b.y or b.y >= since)
    # One of them must be known to be a child: two records that both lack a birth date say
    # nothing about age, and keeping them apart would split every undated adult whose given
    # name one agency mistyped or replaced.
    if not children or not (a.y or b.y or a.unborn or b.unborn):
        # A shared address and surname weigh more than a different given name and birth date
        # together (three address comparisons against two): a grown brother and a child of
        # one house are still two people. (Between two adults it is left to the model:
        # mistyped records of one adult differ in both often enough.)
        one_child = bool(a.y and b.y) and (a.y >= since) != (b.y >= since)
        if names_differ and born_apart and one_child and _same_household(a, b, mothers):
            return RELATIVES
        return ""
    if (names_differ or born_apart) and _same_household(a, b, mothers):
        return SIBLINGS
    return ""


@dataclass(slots=True)
class Pair:
    a: int
    b: int
    weight: float
    gammas: list[int]
    tf: float
    nhs: bool


@dataclass
class Outcome:
    linked: int = 0
    joined: int = 0
    persons_created: int = 0
    review: int = 0
    kept_apart: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {
            "records": self.linked,
            "joined": self.joined,
            "persons_created": self.persons_created,
            "sent_to_review": self.review,
            "kept_apart": dict(self.kept_apart),
        }


def _decisions() -> tuple[list[tuple[list[int], list[int]]], list[tuple[set[int], set[int]]]]:
    same, apart = [], []
    for verdict, left, right in LinkDecision.objects.filter(undone_at__isnull=True).values_list(
        "verdict", "left", "right"
    ):
        if verdict == LinkDecision.Verdict.SAME:
            same.append((list(left), list(right)))
        else:
            apart.append((set(left), set(right)))
    return same, apart


class _Groups:
    """Union-find over records; each root keeps its members."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}

    def add(self, record: int) -> None:
        if record not in self.parent:
            self.parent[record] = record
            self.members[record] = [record]

    def find(self, record: int) -> int:
        root = record
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[record] != root:
            self.parent[record], record = root, self.parent[record]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        return ra


class Linking:
    """One linking pass over a set of records in play."""

    def __init__(self, model: Model, model_name: str, *, whole_store: bool) -> None:
        self.model = model
        self.model_name = model_name
        self.whole_store = whole_store
        self.mothers = Mothers()
        self.tf = TermFrequencies()
        self.outcome = Outcome()
        self._explained: dict[tuple[int, ...], list[dict[str, Any]]] = {}

    # -- scoring ---------------------------------------------------------------------------
    def score_pairs(
        self, recs: dict[int, Features], candidates: Iterable[tuple[int, int]]
    ) -> list[Pair]:
        wanted: dict[str, set[str]] = defaultdict(set)
        pairs_in = list(candidates)
        for a, b in pairs_in:
            fa, fb = recs[a], recs[b]
            if fa.given and fa.given == fb.given:
                wanted["given"].add(fa.given)
            if fa.family and fa.family == fb.family:
                wanted["family"].add(fa.family)
            if fa.postcode and fa.postcode == fb.postcode:
                wanted["postcode"].add(fa.postcode)
        self.tf.load(wanted)
        out = []
        score = self.model.score
        tf = self.tf
        for a, b in pairs_in:
            fa, fb = recs[a], recs[b]
            weight, gammas, adjustment = score(fa, fb, tf)
            nhs = bool(fa.nhs and fa.nhs == fb.nhs)
            if nhs or weight >= self.model.review:
                out.append(Pair(a, b, weight, gammas, adjustment, nhs))
        return out

    # -- clustering ------------------------------------------------------------------------
    def cluster(
        self,
        recs: dict[int, Features],
        pairs: list[Pair],
        current: dict[int, int | None],
    ) -> tuple[_Groups, dict[int, Pair], list[Pair]]:
        """Group the records; return the groups, the pair that joined each record, and the
        pairs for review."""
        groups = _Groups()
        for record in recs:
            groups.add(record)
        if not self.whole_store:
            # Records already linked start together, as their persons.
            by_person: dict[int, list[int]] = defaultdict(list)
            for record, person in current.items():
                if person is not None:
                    by_person[person].append(record)
            for members in by_person.values():
                for other in members[1:]:
                    groups.union(members[0], other)
        same, apart = _decisions()
        for same_left, same_right in same:
            ids = [r for r in (*same_left, *same_right) if r in recs]
            for other in ids[1:]:
                groups.union(ids[0], other)
        apart_of: dict[int, list[tuple[set[int], set[int]]]] = defaultdict(list)
        for left, right in apart:
            for r in left | right:
                apart_of[r].append((left, right))
        joined_by: dict[int, Pair] = {}
        review: list[Pair] = []
        join = self.model.join
        ordered = sorted(pairs, key=lambda p: (not p.nhs, -p.weight, p.a, p.b))
        for pair in ordered:
            ra, rb = groups.find(pair.a), groups.find(pair.b)
            if ra == rb:
                continue
            if not pair.nhs and pair.weight < join:
                review.append(pair)
                continue
            ma, mb = groups.members[ra], groups.members[rb]
            reason = self._apart(ma, mb, recs, apart_of)
            if reason:
                self.outcome.kept_apart[reason] += 1
                continue
            if not self.whole_store:
                pa = {current.get(r) for r in ma} - {None}
                pb = {current.get(r) for r in mb} - {None}
                if pa and pb and pa != pb:
                    # Two persons already made: a person decides whether they are one.
                    review.append(pair)
                    continue
            for record in self._joiner(ma, mb, current):
                joined_by.setdefault(record, pair)
            groups.union(ra, rb)
        return groups, joined_by, review

    def _joiner(self, ma: list[int], mb: list[int], current: dict[int, int | None]) -> list[int]:
        """The side of a join whose records the pair explains: the newcomers."""
        if not self.whole_store:
            if any(current.get(r) is not None for r in ma):
                return mb
            if any(current.get(r) is not None for r in mb):
                return ma
        return mb if len(ma) >= len(mb) else ma

    def _apart(
        self,
        ma: list[int],
        mb: list[int],
        recs: dict[int, Features],
        apart_of: dict[int, list[tuple[set[int], set[int]]]],
    ) -> str:
        for x in ma:
            for left, right in apart_of.get(x, ()):
                side = right if x in left else left
                if any(y in side for y in mb):
                    return "a person decided they are not the same"
        twins = False
        guard = ""
        for x in ma:
            fx = recs[x]
            for y in mb:
                reason = forbidden(fx, recs[y], self.mothers)
                if reason in (TWINS, SIBLINGS):
                    twins = True
                    guard = reason
                elif reason:
                    return reason
        if twins and not self._agree(ma, mb, recs):
            return guard
        return ""

    def _agree(self, ma: list[int], mb: list[int], recs: dict[int, Features]) -> bool:
        """Some record of each group names the child, and the names (or NHS numbers) agree:
        "Baby Knight" at the hospital does not stop a nursery's "Ella Knight" from joining the
        GP's "Ella Knight" whose NHS number the hospital shares."""
        for x in ma:
            fx = recs[x]
            for y in mb:
                fy = recs[y]
                if (fx.nhs and fx.nhs == fy.nhs) or _names_agree(fx, fy):
                    return True
        return False

    # -- explanations ----------------------------------------------------------------------
    def reason(self, pair: Pair, partner: str) -> dict[str, Any]:
        return {
            "rule": "shared_nhs_number" if pair.nhs else "model",
            "with": partner,
            "match_weight": round(pair.weight, 2),
            "match_probability": round(probability(pair.weight), 6),
            "comparisons": self.explain(pair.gammas, pair.tf),
            "model": self.model_name,
        }

    def explain(self, gammas: list[int], tf: float) -> list[dict[str, Any]]:
        """Model.explain, its comparison levels worked out once per combination of levels: a
        link run explains hundreds of thousands of pairs that share a few thousand."""
        key = tuple(gammas)
        levels = self._explained.get(key)
        if levels is None:
            levels = self._explained[key] = self.model.explain(gammas, 0.0)
        if not tf:
            return levels
        return [*levels, self.model.explain_tf(tf)]

    def reason_json(self, pair: Pair, partner: str) -> str:
        """The reason as stored: JSON text."""
        return _json(self.reason(pair, partner))


def _json(value: dict[str, Any]) -> str:
    return orjson.dumps(value).decode()


def _record_names(ids: Iterable[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    wanted = set(ids)
    if len(wanted) > 50_000:
        # A link run names most of the store: one pass over it, not a query per 900 records.
        from kinsight.feeds.models import Agency

        codes = dict(Agency.objects.values_list("pk", "code"))
        sql = "SELECT id, agency_id, record_id FROM people_personrecord"
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while chunk := cursor.fetchmany(50_000):
                out.update(
                    (pk, f"{codes[agency]}:{rid}") for pk, agency, rid in chunk if pk in wanted
                )
        return out
    for chunk in _chunks(sorted(wanted)):
        rows = PersonRecord.objects.filter(pk__in=chunk).values_list(
            "pk", "agency__code", "record_id"
        )
        out.update({pk: f"{code}:{rid}" for pk, code, rid in rows})
    return out


def _lock() -> None:
    if connection.vendor == "postgresql":
        # Person ids are handed out here, so two linkers must not run at once.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE people_person IN SHARE ROW EXCLUSIVE MODE")


def _advance_sequence() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('people_person', 'id'),"
            " GREATEST((SELECT MAX(id) FROM people_person), 1))"
        )


def _write_keys(recs: dict[int, Features], *, replace: bool) -> dict[int, list[int]]:
    keys = {pk: sorted({key_hash(k) for k in blocking_keys(f)}) for pk, f in recs.items()}
    if replace:
        for chunk in _chunks(sorted(recs)):
            LinkKey.objects.filter(record_id__in=chunk).delete()
    execute_many(
        "INSERT INTO people_linkkey (record_id, key) VALUES (%s, %s)",
        ((pk, key) for pk, ks in keys.items() for key in ks),
    )
    return keys


def _candidate_pairs(
    keys: dict[int, list[int]], recs: dict[int, Features]
) -> tuple[set[tuple[int, int]], set[int]]:
    """Pairs of a pending record with any record sharing a key that is not over-common."""
    wanted = sorted({k for ks in keys.values() for k in ks})
    counts: dict[int, int] = {}
    for chunk in _chunks(wanted):
        rows = LinkKey.objects.filter(key__in=chunk).values("key").annotate(n=Count("id"))
        counts.update(rows.values_list("key", "n"))
    common = {k for k, n in counts.items() if n > KEY_CAP}
    members: dict[int, list[int]] = defaultdict(list)
    usable = [k for k in wanted if k not in common]
    for chunk in _chunks(usable):
        for key, record in LinkKey.objects.filter(key__in=chunk).values_list("key", "record_id"):
            members[key].append(record)
    pairs: set[tuple[int, int]] = set()
    others: set[int] = set()
    for pk, ks in keys.items():
        for k in ks:
            for other in members.get(k, ()):
                if other != pk:
                    pairs.add((pk, other) if pk < other else (other, pk))
                    others.add(other)
    return pairs, others


def link_unlinked_records() -> int:
    """Link every record that has no person yet or changed since it was linked; return how
    many records were linked. Existing persons are joined, never split or merged together."""
    with transaction.atomic():
        _lock()
        model, name = current_model()
        if not Person.objects.exists():
            # A first load into an empty store (an agency's history, a migration from another
            # system): nothing is joined yet, so linking every record together is what
            # `link run` does, and its batch path does it several times faster.
            from kinsight.people.batch import FAST_FROM, relink_store

            pending_count = PersonRecord.objects.count()
            if pending_count >= FAST_FROM:
                relink_store(Linking(model, name, whole_store=True))
                _advance_sequence()
                return pending_count
        linked = 0
        last = 0
        while True:
            pending = list(
                PersonRecord.objects.filter(
                    Q(person__isnull=True) | Q(linked_version__lt=F("version")), pk__gt=last
                )
                .order_by("pk")
                .values_list("pk", flat=True)[:CHUNK]
            )
            if not pending:
                break
            last = pending[-1]
            linked += _link_pending(pending, model, name)
        _advance_sequence()
    return linked


def _link_pending(pending: list[int], model: Model, model_name: str) -> int:
    linking = Linking(model, model_name, whole_store=False)
    recs = load_features(pending)
    keys = _write_keys(recs, replace=True)
    candidates, others = _candidate_pairs(keys, recs)
    recs.update(load_features(others - recs.keys()))
    candidates = {
        (a, b) for a, b in candidates if recs[a].agency != recs[b].agency or _may_share(recs, a, b)
    }
    pairs = linking.score_pairs(recs, candidates)
    # Every record of a person touched is in play, so that constraints see the whole person.
    current: dict[int, int | None] = {}
    for chunk in _chunks(sorted(recs)):
        current.update(PersonRecord.objects.filter(pk__in=chunk).values_list("pk", "person_id"))
    persons = {p for p in current.values() if p is not None}
    for chunk in _chunks(sorted(persons)):
        rows = PersonRecord.objects.filter(person_id__in=chunk).values_list("pk", "person_id")
        current.update(rows)
    recs.update(load_features(current.keys() - recs.keys()))
    groups, joined_by, review = linking.cluster(recs, pairs, current)
    _write_links(linking, groups, joined_by, current, set(pending))
    _queue_for_review(linking, groups, review, recs)
    return len(pending)


def _may_share(recs: dict[int, Features], a: int, b: int) -> bool:
    return recs[a].unborn != recs[b].unborn


def _write_links(
    linking: Linking,
    groups: _Groups,
    joined_by: dict[int, Pair],
    current: dict[int, int | None],
    changed: set[int],
) -> None:
    """Give each group a person (an existing one where it has one) and write the changes."""
    next_id = (Person.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    new_people: list[int] = []
    # The reason is built when written, chunk by chunk: a million explanations at once would
    # take gigabytes.
    updates: dict[int, tuple[int, Pair | dict[str, Any], str]] = {}
    first = {"rule": "first_record", "model": linking.model_name}
    single = {"rule": "single_record"}
    used: set[int] = set()
    partner_ids = {p.b if p.a == r else p.a for r, p in joined_by.items()}
    names = _record_names(partner_ids)
    merged: dict[int, int] = {}
    for root in sorted(groups.members, key=lambda r: min(groups.members[r])):
        members = groups.members[root]
        votes: Counter[int] = Counter(p for r in members if (p := current.get(r)) is not None)
        person = None
        for candidate, _n in sorted(votes.items(), key=lambda item: (-item[1], item[0])):
            if candidate not in used:
                person = candidate
                break
        if person is None:
            person = next_id
            next_id += 1
            new_people.append(person)
        used.add(person)
        for old in votes:
            if old != person and old not in used:
                merged.setdefault(old, person)
        for record in members:
            pair = joined_by.get(record)
            if record not in changed and current.get(record) == person and pair is None:
                continue
            if pair is not None:
                partner = pair.b if pair.a == record else pair.a
                updates[record] = (person, pair, names.get(partner, str(partner)))
                continue
            elif len(members) > 1:
                if current.get(record) == person and not linking.whole_store:
                    continue
                reason = first
            else:
                reason = single
            updates[record] = (person, reason, "")
    for record, (person, _reason, _partner) in updates.items():
        if current.get(record) != person and current.get(record) is not None:
            linking.outcome.joined += 1
    now = timezone.now()
    execute_many(
        "INSERT INTO people_person (id, created_at, merged_into_id) VALUES (%s, %s, NULL)",
        [(pk, connection.ops.adapt_datetimefield_value(now)) for pk in new_people],
    )
    for old, new in merged.items():
        if old not in used:
            Person.objects.filter(pk=old).update(merged_into_id=new)
    _update_records(linking, updates, changed, current)
    linking.outcome.linked += len(changed)
    linking.outcome.persons_created += len(new_people)


# When a link rewrites at least this many records (and half the records in play), SQLite
# rebuilds the record indexes the change touches rather than keeping them up to date row by row.
BULK_UPDATE_FROM = 20_000


class _indexes_rebuilt_after:
    """SQLite: drop the indexes of people_personrecord over the columns a link changes, and
    make them again from their own SQL on the way out (inside the same transaction).

    A link run rewrites every record's person and to-link state: indexing once after is faster
    than taking each record out of both indexes and putting it back (about a quarter of the
    UPDATEs' time at 136,000 records)."""

    def __init__(self, wanted: bool) -> None:
        self.wanted = wanted and connection.vendor == "sqlite"
        self.made: list[str] = []

    def __enter__(self) -> None:
        if not self.wanted:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = 'people_personrecord' AND sql IS NOT NULL"
                " AND (sql LIKE '%\"person_id\"%' OR sql LIKE '%\"linked_version\"%')"
            )
            found = cursor.fetchall()
            for name, sql in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                self.made.append(sql)

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            for sql in self.made:
                cursor.execute(sql)


def _update_records(
    linking: Linking,
    updates: dict[int, tuple[int, Pair | dict[str, Any], str]],
    changed: set[int],
    current: dict[int, int | None],
) -> None:
    def reason(value: Pair | dict[str, Any], partner: str) -> str:
        return linking.reason_json(value, partner) if isinstance(value, Pair) else _json(value)

    items = sorted(updates.items())
    if connection.vendor == "postgresql":
        # One statement per chunk: a row-by-row UPDATE waits on the server once per record.
        for chunk in _chunks(items, 20_000):
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE people_personrecord AS r SET person_id = v.person_id,"
                    " link_reason = v.reason::jsonb, linked_version = r.version"
                    " FROM (SELECT unnest(%s::bigint[]) AS person_id,"
                    " unnest(%s::text[]) AS reason, unnest(%s::bigint[]) AS id) AS v"
                    " WHERE r.id = v.id",
                    [[person for _, (person, _, _) in chunk],
                     [reason(value, partner) for _, (_, value, partner) in chunk],
                     [pk for pk, _ in chunk]],
                )  # fmt: skip
    else:
        with _indexes_rebuilt_after(len(items) >= max(BULK_UPDATE_FROM, len(current) // 2)):
            for chunk in _chunks(items, 20_000):
                execute_many(
                    "UPDATE people_personrecord SET person_id = %s, link_reason = %s,"
                    " linked_version = version WHERE id = %s",
                    [
                        (person, reason(value, partner), pk)
                        for pk, (person, value, partner) in chunk
                    ],
                )
    rest = sorted(changed - updates.keys())
    for chunk in _chunks(rest):
        PersonRecord.objects.filter(pk__in=chunk).update(linked_version=F("version"))


def _queue_for_review(
    linking: Linking, groups: _Groups, review: list[Pair], recs: dict[int, Features]
) -> None:
    """Pairs in the review band that ended in two persons wait for a person's decision; a
    pair already decided is never asked again."""
    decided: set[tuple[int, int]] = set()
    for chunk in _chunks(sorted({p.a for p in review})):
        decided.update(
            LinkCandidate.objects.exclude(status=LinkCandidate.Status.PENDING)
            .filter(record_a_id__in=chunk)
            .values_list("record_a_id", "record_b_id")
        )
    now = timezone.now()
    seen: set[tuple[int, int]] = set()
    rows: list[LinkCandidate] = []
    for pair in review:
        key = (pair.a, pair.b)
        if key in seen or key in decided or groups.find(pair.a) == groups.find(pair.b):
            continue
        if forbidden(recs[pair.a], recs[pair.b], linking.mothers):
            continue
        seen.add(key)
        rows.append(
            LinkCandidate(
                record_a_id=pair.a,
                record_b_id=pair.b,
                match_weight=pair.weight,
                match_probability=probability(pair.weight),
                explanation={
                    "comparisons": linking.explain(pair.gammas, pair.tf),
                    "model": linking.model_name,
                },
                status=LinkCandidate.Status.PENDING,
                created_at=now,
            )
        )
    linking.outcome.review += len(rows)
    if linking.whole_store:
        LinkCandidate.objects.bulk_create(rows, batch_size=2000)
        return
    for row in rows:
        LinkCandidate.objects.update_or_create(
            record_a_id=row.record_a_id,
            record_b_id=row.record_b_id,
            defaults={
                "match_weight": row.match_weight,
                "match_probability": row.match_probability,
                "explanation": row.explanation,
                "status": row.status,
                "created_at": now,
            },
        )


def nhs_conflicts() -> list[tuple[int, list[str]]]:
    """Persons holding records with two different valid NHS numbers (a person decided they
    are one, or a record changed its number): reported, never hidden."""
    numbers: dict[int, set[str]] = defaultdict(set)
    rows = PersonRecord.objects.filter(person__isnull=False).exclude(nhs_number="")
    for person, nhs in rows.values_list("person_id", "nhs_number").iterator(chunk_size=5000):
        numbers[person].add(nhs)
    return sorted((p, sorted(n)) for p, n in numbers.items() if len(n) > 1)


def relink_all() -> Outcome:
    """Re-link every record: rebuild the blocking index and term frequencies, then cluster the
    whole store again. Persons keep their ids where their records stay together; decisions
    bind."""
    from kinsight.people.batch import relink_store

    with transaction.atomic():
        _lock()
        model, name = current_model()
        linking = Linking(model, name, whole_store=True)
        relink_store(linking)
        _advance_sequence()
    return linking.outcome


__all__ = [
    "KEY_CAP",
    "Linking",
    "current_model",
    "forbidden",
    "link_unlinked_records",
    "load_features",
    "nhs_conflicts",
    "relink_all",
]
