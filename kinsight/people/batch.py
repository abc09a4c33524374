"""`kinsight link run`: re-link the whole store in one pass, in memory.

The blocking index (LinkKey) and the term frequencies are rebuilt from every record; pairs come
from the same blocking keys and the same cap as linking on ingest, so both find the same pairs.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import connection

from kinsight.lib.bulk import execute_many
from kinsight.people.comparisons import TF_COLUMNS
from kinsight.people.features import RECORD_FIELDS, Features, blocking_keys, features, key_hash
from kinsight.people.models import LinkCandidate, LinkKey, LinkTermFrequency, PersonRecord

CHUNK = 50_000


def _read_all() -> tuple[dict[int, Features], dict[int, int | None]]:
    recs: dict[int, Features] = {}
    current: dict[int, int | None] = {}
    rows = PersonRecord.objects.order_by("pk").values_list(*RECORD_FIELDS, "person_id")
    for values in rows.iterator(chunk_size=CHUNK):
        recs[values[0]] = features(values[:-1])
        current[values[0]] = values[-1]
    return recs, current


def _term_frequencies(recs: dict[int, Features]) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for column in TF_COLUMNS:
        counts = Counter(v for f in recs.values() if (v := getattr(f, column)))
        total = sum(counts.values()) or 1
        for value, n in counts.items():
            if len(value) <= 256:
                out[(column, value)] = n / total
    LinkTermFrequency.objects.all().delete()
    execute_many(
        'INSERT INTO people_linktermfrequency ("column", value, frequency) VALUES (%s, %s, %s)',
        ((column, value, frequency) for (column, value), frequency in out.items()),
    )
    return out


def _keys_and_pairs(recs: dict[int, Features], cap: int) -> set[tuple[int, int]]:
    members: dict[int, list[int]] = defaultdict(list)
    LinkKey.objects.all().delete()
    # Loading millions of keys and indexing once is several times faster than keeping the
    # index up to date row by row. (PostgreSQL cannot index a table with deferred foreign-key
    # checks pending in the same transaction, and loads fast enough as it is.)
    reindex = connection.vendor == "sqlite"
    if reindex:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX link_key_idx")
    batch: list[tuple[int, int]] = []
    for pk, f in recs.items():
        for key in {key_hash(k) for k in blocking_keys(f)}:
            members[key].append(pk)
            batch.append((pk, key))
        if len(batch) >= 200_000:
            execute_many("INSERT INTO people_linkkey (record_id, key) VALUES (%s, %s)", batch)
            batch = []
    execute_many("INSERT INTO people_linkkey (record_id, key) VALUES (%s, %s)", batch)
    if reindex:
        with connection.cursor() as cursor:
            cursor.execute("CREATE INDEX link_key_idx ON people_linkkey (key)")
    pairs: set[tuple[int, int]] = set()
    for group in members.values():
        if len(group) < 2 or len(group) > cap:
            continue
        group.sort()
        for i, a in enumerate(group):
            fa = recs[a]
            for b in group[i + 1 :]:
                fb = recs[b]
                if fa.agency != fb.agency or fa.unborn != fb.unborn:
                    pairs.add((a, b))
    return pairs


def relink_store(linking: object) -> None:
    from kinsight.people.linking import KEY_CAP, Linking, _queue_for_review, _write_links

    assert isinstance(linking, Linking)
    recs, current = _read_all()
    linking.tf.values = _term_frequencies(recs)
    linking.tf.load = lambda wanted: None  # type: ignore[method-assign]
    pairs = linking.score_pairs(recs, _keys_and_pairs(recs, KEY_CAP))
    groups, joined_by, review = linking.cluster(recs, pairs, current)
    _write_links(linking, groups, joined_by, current, set(recs))
    LinkCandidate.objects.filter(status=LinkCandidate.Status.PENDING).delete()
    _queue_for_review(linking, groups, review, recs)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE people_linkkey")
