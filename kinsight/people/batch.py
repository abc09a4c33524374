"""`kinsight link run`: re-link the whole store in one pass.

The blocking index (LinkKey) and the term frequencies are rebuilt from every record; pairs come
from the same blocking keys and the same cap as linking on ingest, so both find the same pairs.

At a million records the pass is mostly arithmetic over arrays, so it is not done a record at a
time in Python: features and blocking keys are worked out in worker processes (one per core),
the pairs are found with numpy, and scored in DuckDB, a slice at a time, with the comparison
levels' own SQL (the SQL Splink trains with, which `test_model_matches_splink.py` holds equal to
the Python levels). The match weight is then added up in numpy exactly as `Model.score` adds it,
so a pair weighs to the last bit what it weighs on ingest. Only the pairs worth clustering
become Python objects. The records and their keys are held once, as Arrow and numpy columns
that DuckDB reads where they lie: a first load of a million events is linked this way inside
`kinsight ingest`, whose memory must stay under 1 GiB.
"""

from __future__ import annotations

import gc
import logging
import math
import multiprocessing
import os
import re
import tempfile
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import orjson
from django.db import DEFAULT_DB_ALIAS, connection, connections

from kinsight.lib.bulk import execute_many, insert_pairs, refresh_statistics, sqlite_pragma
from kinsight.lib.collector import cyclic_gc_paused
from kinsight.lib.usage import cpu_seconds, peak_mib, release_free_memory, resident_mib
from kinsight.people.comparisons import COMPARISONS, TF_COLUMNS, splink_comparisons
from kinsight.people.features import (
    RECORD_FIELDS,
    ROW_COLUMNS,
    Features,
    as_values,
    blocking_keys,
    features,
    from_values,
    key_hash,
)
from kinsight.people.models import LinkCandidate, LinkKey, LinkTermFrequency, PersonRecord

if TYPE_CHECKING:
    import numpy as np

    from kinsight.people.linking import Linking, Pair

# Below this many records the worker processes and DuckDB cost more than they save.
FAST_FROM = 20_000
# DuckDB takes 80% of the machine's memory by default; it spills to disk beyond this.
DUCKDB_MEMORY = "3GB"
TF_MAX_LENGTH = 256
log = logging.getLogger(__name__)


class _Steps:
    """How long each step took, logged at debug level (bench/linkage_speed.py prints them)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.last_cpu = cpu_seconds()

    def __call__(self, step: str) -> None:
        gc.collect(1)
        now, cpu = time.perf_counter(), cpu_seconds()
        log.debug(
            "link run: %s %.1f s (cpu %.1f s, %.0f MiB now, peak %.0f MiB so far)",
            step, now - self.last, cpu - self.last_cpu, resident_mib(), peak_mib(),
        )  # fmt: skip
        self.last, self.last_cpu = now, cpu


def relink_store(linking: Linking) -> None:
    # Young objects are collected after each step; a full collection would walk the pass's
    # millions of long-lived objects (about a fifth of its CPU time at 136,000 records).
    with cyclic_gc_paused():
        _relink_store(linking)


def _relink_store(linking: Linking) -> None:
    from kinsight.people.linking import KEY_CAP, _queue_for_review, _write_links

    step = _Steps()
    if PersonRecord.objects.count() >= FAST_FROM and scoring_sql() is not None:
        current, recs, keys, table = _prepare(_row_chunks())
        # What making the features freed goes back before DuckDB takes its share: the pass's
        # peak is while it scores (docs/performance.md).
        release_free_memory()
        step("read, features and keys")
        # Handed over in a list, which _score_in_duckdb empties once DuckDB holds its own copy.
        prepared = [keys, table]
        del keys, table
        pairs = _score_in_duckdb(linking, recs, prepared, KEY_CAP, step)
    else:
        rows = _read_rows()
        current = {row[0]: row[-1] for row in rows}
        recs = {row[0]: features(row[:-1]) for row in rows}
        del rows
        linking.tf.values = _term_frequencies(recs)
        linking.tf.load = lambda wanted: None  # type: ignore[method-assign]
        pairs = linking.score_pairs(recs, _keys_and_pairs(recs, KEY_CAP))
        step(f"scored ({len(pairs)} pairs)")
    groups, joined_by, review = linking.cluster(recs, pairs, current)
    del pairs
    step("clustered")
    _write_links(linking, groups, joined_by, current, set(recs))
    step("links written")
    LinkCandidate.objects.filter(status=LinkCandidate.Status.PENDING).delete()
    _queue_for_review(linking, groups, review, recs)
    step("review queue written")
    refresh_statistics(LinkKey)


# -- reading -------------------------------------------------------------------------------
def _read_rows() -> list[tuple[Any, ...]]:
    """Every record's RECORD_FIELDS values and its person (see _row_chunks)."""
    return [row for chunk in _row_chunks() for row in chunk]


def _row_chunks(size: int = 20_000) -> Iterator[list[tuple[Any, ...]]]:
    """Every record's RECORD_FIELDS values and its person, `size` records at a time in id
    order, read without the ORM's per-value machinery (five times faster at a million rows)
    and converted as the ORM converts them."""
    meta = PersonRecord._meta
    names = [*RECORD_FIELDS, "person_id"]
    columns = []
    for name in names:
        field = meta.pk if name == "pk" else meta.get_field(name.removesuffix("_id"))
        columns.append(connection.ops.quote_name(str(getattr(field, "column", name))))
    table = connection.ops.quote_name(meta.db_table)
    json_at = names.index("other_names")
    bool_at = names.index("unborn")
    sql = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {columns[0]}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(size):
            rows = []
            for row in chunk:
                values = list(row)
                if isinstance(values[json_at], str | bytes):
                    values[json_at] = orjson.loads(values[json_at])
                values[bool_at] = bool(values[bool_at])
                rows.append(tuple(values))
            yield rows


# -- features and keys, in worker processes ------------------------------------------------
def _workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _prepare_rows(rows: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], Any, Any, Any]:
    """Features (as plain tuples), blocking-key hashes and Splink rows of some records (in a
    worker)."""
    import numpy as np

    values: list[tuple[Any, ...]] = []
    key_records: list[int] = []
    key_values: list[int] = []
    # Equal strings made one object: the parent then holds each name, postcode and date once
    # per chunk, and pickle sends it once.
    same: dict[str, str] = {}
    for row in rows:
        f = features(row[:-1])
        for name in _SHARED:
            setattr(f, name, same.setdefault(getattr(f, name), getattr(f, name)))
        values.append(as_values(f))
        hashes = {key_hash(k) for k in blocking_keys(f)}
        key_records.extend([f.id] * len(hashes))
        key_values.extend(hashes)
    return (
        values,
        np.array(key_records, dtype=np.int64),
        np.array(key_values, dtype=np.int64),
        _splink_rows(values),
    )


_SHARED = ("given", "given_full", "given_sx", "family", "family_sx", "dob", "postcode", "sector",
           "district", "street", "street_name")  # fmt: skip


def _splink_rows(values: list[tuple[Any, ...]]) -> Any:
    """The rows Splink reads (Features.as_row, and whether the record is unborn), built a
    column at a time from as_values() tuples."""
    import pyarrow as pa

    from kinsight.people.training import arrow_schema

    schema = arrow_schema()
    slots = Features.__slots__
    columns = dict(zip(slots, zip(*values, strict=True), strict=True)) if values else {}
    renamed = {"unique_id": "id", "given_variants": "variants", "family_names": "families"}
    arrays = []
    for field in schema:
        column = columns.get(renamed.get(field.name, field.name), ())
        if pa.types.is_list(field.type):
            data: list[Any] = [sorted(v) for v in column]
        elif field.name in ("unique_id", "agency"):
            data = list(column)
        else:
            data = [v or None for v in column]
        arrays.append(pa.array(data, field.type))
    arrays.append(pa.array(columns.get("unborn", ()), pa.bool_()))
    return pa.RecordBatch.from_arrays(arrays, schema=schema.append(pa.field("unborn", pa.bool_())))


def _prepare(
    chunks: Iterable[list[tuple[Any, ...]]],
) -> tuple[dict[int, int | None], dict[int, Features], Any, Any]:
    """Each record's person now, all records' features, their (record, key) pairs and the
    table DuckDB scores, from the records' rows a chunk at a time.

    Each chunk goes to a worker process as soon as it is read, so the rows are never all
    held here: at 136,000 records they took 170 MiB, most of which stayed with the process
    (scattered through its heap) when they were freed, under DuckDB's own memory."""
    import numpy as np
    import pyarrow as pa

    workers = min(_workers(), 8)
    current: dict[int, int | None] = {}
    parts = []
    # Forked before the rows are read, and never touching the parent's database connection;
    # only rows and results travel between them.
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    with pool or nullcontext():
        waiting: deque[Any] = deque()
        for chunk in chunks:
            current.update((row[0], row[-1]) for row in chunk)
            if pool is None:
                parts.append(_prepare_rows(chunk))
                continue
            waiting.append(pool.apply_async(_prepare_rows, (chunk,)))
            del chunk
            # Two chunks a worker in flight keep every worker busy; more would only be held.
            while len(waiting) > 2 * workers:
                parts.append(waiting.popleft().get())
        parts.extend(result.get() for result in waiting)
    recs: dict[int, Features] = {}
    for part in parts:
        for values in part[0]:
            recs[values[0]] = from_values(values)
        part[0].clear()
    key_records = np.concatenate([p[1] for p in parts])
    key_values = np.concatenate([p[2] for p in parts])
    table = pa.Table.from_batches([p[3] for p in parts])
    return current, recs, (key_records, key_values), table


# -- scoring in DuckDB ----------------------------------------------------------------------
def scoring_sql() -> list[str] | None:
    """Each comparison as one SQL CASE giving the Python level's index, from the comparison
    levels' own SQL; None when a comparison cannot be scored that way (then Python scores)."""
    out = []
    comparisons = splink_comparisons()
    if len(comparisons) != len(COMPARISONS):
        return None
    for comparison, ours in zip(comparisons, COMPARISONS, strict=True):
        levels = comparison["comparison_levels"]
        if levels[-1]["sql_condition"].strip().upper() != "ELSE":
            return None
        if ours.tf_column and ours.tf_column not in ROW_COLUMNS:
            return None
        whens = [
            f"WHEN ({_cheap_first(level['sql_condition'])}) THEN {index}"
            for index, level in enumerate(levels[:-1])
        ]
        out.append(f"CASE {' '.join(whens)} ELSE {len(levels) - 1} END")
    return out


_EDITS = re.compile(r"damerau_levenshtein\((\w+), (\w+)\) <= (\d)")


def _cheap_first(condition: str) -> str:
    """`damerau_levenshtein(x, y) <= k` with cheap tests in front that every pair within k
    edits passes, so the distance (microseconds a pair in DuckDB) is worked out for few pairs.

    Cut x into 2k + 1 pieces: an edit breaks at most one piece and a swap of neighbours at
    most two, so within k edits some piece of x is still whole somewhere in y.
    """

    def guarded(match: re.Match[str]) -> str:
        x, y, k = match.group(1), match.group(2), int(match.group(3))
        pieces = 2 * k + 1
        cuts = [f"(length({x}) * {j} // {pieces})" for j in range(pieces + 1)]
        whole = " OR ".join(
            f"contains({y}, substr({x}, 1 + {cuts[j]}, {cuts[j + 1]} - {cuts[j]}))"
            for j in range(pieces)
        )
        return f"(abs(length({x}) - length({y})) <= {k} AND ({whole}) AND {match.group(0)})"

    return _EDITS.sub(guarded, condition)


def _duckdb() -> Any:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    con.execute(f"SET threads = {_workers()}")
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/kinsight-duckdb-{os.getpid()}'")
    return con


def _score_in_duckdb(
    linking: Linking,
    recs: dict[int, Features],
    prepared: list[Any],
    cap: int,
    step: Callable[[str], None],
) -> list[Pair]:
    """Score the candidates; `prepared` is [(key records, key hashes), Splink rows] as
    _prepare gave them, emptied as soon as DuckDB has them."""
    import numpy as np

    keys: tuple[np.ndarray, np.ndarray]
    keys, table = prepared
    prepared.clear()
    con = _duckdb()
    try:
        # DuckDB reads the records' Arrow table where it lies: its own copy took four times
        # the memory (113 against 29 MiB at 136,000 records).
        con.register("recs", table)
        # Each record's keys are distinct already (a set in _prepare_rows), and in record
        # order: sorted by key within each record, they are the blocking index as written.
        order = np.lexsort((keys[1], keys[0]))
        sorted_keys = (keys[0][order], keys[1][order])
        del keys, order
        linking.tf.values = _term_frequencies_duckdb(con)
        linking.tf.load = lambda wanted: None  # type: ignore[method-assign]
        con.unregister("recs")
        # The blocking index is written by another thread while the pairs are made and
        # scored: both work without the GIL, and nothing read meanwhile comes from the store.
        writer = _InBackground(_write_link_keys, *sorted_keys)
        try:
            a, b = _candidate_pairs(*sorted_keys, table, cap)
            del sorted_keys
            step(f"candidate pairs made ({len(a)})")
            pairs = _scored_pairs(con, linking, table, (a, b))
            del a, b, table
            step(f"scored ({len(pairs)} pairs)")
        finally:
            writer.join()
        step("blocking index written (the wait for it after scoring)")
        return pairs
    finally:
        con.close()


class _InBackground:
    """Run `work(db, *args)` in a thread on this thread's database connection (so inside its
    transaction); `join` waits for it and raises what it raised. This thread must not use the
    connection meanwhile."""

    def __init__(self, work: Callable[..., None], *args: Any) -> None:
        self.db = connections[DEFAULT_DB_ALIAS]
        self.error: BaseException | None = None
        self.db.inc_thread_sharing()
        self.thread = threading.Thread(target=self._run, args=(work, args), daemon=True)
        self.thread.start()

    def _run(self, work: Callable[..., None], args: tuple[Any, ...]) -> None:
        try:
            work(self.db, *args)
        except BaseException as exc:  # handed to join()
            self.error = exc

    def join(self) -> None:
        self.thread.join()
        self.db.dec_thread_sharing()
        if self.error is not None:
            raise self.error


def _write_link_keys(db: Any, records: np.ndarray, keys: np.ndarray) -> None:
    """Write the blocking index: `records[i]` holds `keys[i]`.

    On SQLite, through a page cache of 8 MiB rather than the usual 64: the keys are written
    while DuckDB scores, when a first load's linking holds the most memory, and a cache of
    pages written once, with the index's sort that takes as much again, would be held for
    nothing (docs/performance.md)."""
    with sqlite_pragma("cache_size", -8000, db=db), _link_key_index_dropped(db):
        with db.cursor() as cursor:
            cursor.execute("DELETE FROM people_linkkey")
        for start in range(0, len(records), 1_000_000):
            stop = start + 1_000_000
            insert_pairs(
                "people_linkkey", ("record_id", "key"), records[start:stop], keys[start:stop], db=db
            )


class _link_key_index_dropped:
    """Loading millions of keys and indexing once is several times faster than keeping the
    index up to date row by row; so is deleting the old keys without it (SQLite deletes them
    row by row when foreign keys are checked, and took out every index entry at random: 16 s
    for 3 million keys, 3 s without the index). (PostgreSQL cannot index a table with
    deferred foreign-key checks pending in the same transaction, and loads fast enough as it
    is.)"""

    def __init__(self, db: Any = connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.reindex = self.db.vendor == "sqlite"
        if self.reindex:
            with self.db.cursor() as cursor:
                cursor.execute("DROP INDEX link_key_idx")

    def __exit__(self, *exc: object) -> None:
        if self.reindex:
            with self.db.cursor() as cursor:
                cursor.execute("CREATE INDEX link_key_idx ON people_linkkey (key)")


def _term_frequencies_duckdb(con: Any) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for column in TF_COLUMNS:
        counts = con.execute(
            f'SELECT "{column}", count(*) FROM recs WHERE "{column}" IS NOT NULL'  # noqa: S608
            f" AND \"{column}\" <> '' GROUP BY 1"
        ).fetchall()
        total = sum(n for _, n in counts) or 1
        for value, n in counts:
            if len(value) <= TF_MAX_LENGTH:
                out[(column, value)] = n / total
    _store_term_frequencies(out)
    return out


def _store_term_frequencies(out: dict[tuple[str, str], float]) -> None:
    LinkTermFrequency.objects.all().delete()
    execute_many(
        'INSERT INTO people_linktermfrequency ("column", value, frequency) VALUES (%s, %s, %s)',
        ((column, value, frequency) for (column, value), frequency in out.items()),
    )


def _candidate_pairs(
    records: np.ndarray, keys: np.ndarray, recs: Any, cap: int
) -> tuple[np.ndarray, np.ndarray]:
    """The candidates, as (a, b) with a < b, each pair once: two records sharing a key held
    by at most `cap` records, from two agencies (or an unborn record and a born one, which one
    agency may hold). `records[i]` holds `keys[i]`; `recs` is the records' Arrow table.

    Made with numpy, whose arrays go back to the system when freed: DuckDB's join and
    DISTINCT held 320 MiB at 136,000 records after they were done."""
    import numpy as np
    import pyarrow.compute as pc

    ids = recs.column("unique_id").to_numpy()
    width = int(max(ids.max(initial=0), records.max(initial=0))) + 1
    agency_of = np.full(width, -1, dtype=np.int32)
    agency_of[ids] = pc.dictionary_encode(recs.column("agency")).combine_chunks().indices
    unborn_of = np.zeros(width, dtype=bool)
    unborn_of[ids] = recs.column("unborn").to_numpy(zero_copy_only=False)
    order = np.argsort(keys, kind="stable")
    by_key, holders = keys[order], records[order]
    del order
    starts = np.flatnonzero(np.r_[True, by_key[1:] != by_key[:-1]])
    sizes = np.diff(np.r_[starts, len(by_key)])
    del by_key
    found = []
    # Keys held by the same number of records at once: each such key's holders are a row of
    # a matrix, and every pair of columns gives its pairs.
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= cap)]).tolist():
        holding = holders[starts[sizes == size][:, None] + np.arange(size)]
        first, second = np.triu_indices(size, 1)
        x, y = holding[:, first].ravel(), holding[:, second].ravel()
        low, high = np.minimum(x, y), np.maximum(x, y)
        apart = (agency_of[low] != agency_of[high]) | (unborn_of[low] != unborn_of[high])
        found.append(low[apart] * width + high[apart])
    # One number a pair (record ids stay far below the three billion that would overflow it).
    pairs = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return pairs // width, pairs % width


# Candidates scored together: each slice's two sides are gathered from the records' table
# (about 60 MiB at 100,000 pairs), rather than DuckDB joining every candidate to the records
# at once (which, with a copy of the records for the adjustments, held about 230 MiB more at
# 1.8 million candidates).
SCORE_SLICE = 100_000
# Slices are scored side by side from this many candidates: at a million records (46 million
# candidates) that took scoring from 161 to 124 s. Below, one thread at a time: each thread
# scoring holds 60 to 80 MiB more (measured at 1.8 million candidates, the first load of a
# million events, which `kinsight ingest` must link in under 1 GiB), for 2 s.
SIDE_BY_SIDE_FROM = 10_000_000


def _scored_pairs(
    con: Any, linking: Linking, recs: Any, cand: tuple[np.ndarray, np.ndarray]
) -> list[Pair]:
    """Score the candidate pairs `cand` of the records in the Arrow table `recs`; return
    those at or above the review band, and those sharing an NHS number."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from kinsight.people.linking import Pair

    model = linking.model
    cases = scoring_sql()
    assert cases is not None
    # Term-frequency adjustments, worked out in Python as Model.score works them out, and
    # given to each record for its own value (on the exact level both records hold it).
    with_tf = []
    for index, comparison in enumerate(COMPARISONS):
        column = comparison.tf_column
        if not column or not model.u_exact[index]:
            continue
        u_exact = math.log2(model.u_exact[index])
        adjustments = [
            (value, u_exact - math.log2(frequency))
            for (col, value), frequency in linking.tf.values.items()
            if col == column and frequency
        ]
        values = pa.array([v for v, _ in adjustments], pa.string())
        weights = pa.array([w for _, w in adjustments], pa.float64())
        own = pc.take(weights, pc.index_in(recs.column(column), value_set=values))
        recs = recs.append_column(f"t{index}", pc.fill_null(own, 0.0))
        with_tf.append(index)
    columns = list(ROW_COLUMNS)
    gammas = ", ".join(f"({case})::TINYINT AS g{i}" for i, case in enumerate(cases))
    tf_values = "".join(f", CASE WHEN g{i} = 1 THEN t{i}_own ELSE 0 END AS t{i}" for i in with_tf)
    # A generous first cut in SQL; the exact weight is added up below.
    approx = [f"{model.prior!r}::DOUBLE"]
    for i, weights in enumerate(model.weights):
        approx.append(f"[{', '.join(f'{w!r}::DOUBLE' for w in weights)}][s.g{i} + 1]")
    approx.extend(f"s.t{i}" for i in with_tf)
    tf_select = "".join(f", s.t{i}" for i in with_tf)
    g_select = ", ".join(f"s.g{i}" for i in range(len(cases)))
    # Most candidates are far below the review band, which their cheap levels show: the
    # fuzzy levels (edit distances, Jaro-Winkler) are worked out only for pairs that could
    # reach it, taking the most any level from the first fuzzy one on could weigh.
    bound = _weight_bound(model, with_tf)
    sql = (
        f"WITH s AS (SELECT a, b, nhs_same, {gammas}{tf_values} FROM ("  # noqa: S608
        "SELECT *, coalesce(nhs_l = nhs_r, false) AS nhs_same FROM sides)"
        f" WHERE nhs_same OR {bound} >= {model.review - 1e-6!r}::DOUBLE) "
        f"SELECT s.a, s.b, s.nhs_same, {g_select}{tf_select} FROM s"
        f" WHERE s.nhs_same OR {' + '.join(approx)} >= {model.review - 1e-6!r}::DOUBLE"
    )
    ids = recs.column("unique_id").to_numpy()
    row_of = np.zeros(int(max(ids.max(initial=0), *(c.max(initial=0) for c in cand))) + 1, np.int64)
    row_of[ids] = np.arange(len(ids))

    def score(start: int) -> dict[str, Any]:
        a, b = cand[0][start : start + SCORE_SLICE], cand[1][start : start + SCORE_SLICE]
        left, right = recs.take(row_of[a]), recs.take(row_of[b])
        sides = {"a": a, "b": b}
        for c in columns:
            sides[f"{c}_l"], sides[f"{c}_r"] = left.column(c), right.column(c)
        for i in with_tf:
            sides[f"t{i}_own"] = left.column(f"t{i}")
        # A connection of this thread's own, whose "sides" no other thread sees.
        with con.cursor() as own:
            own.register("sides", pa.table(sides))
            return dict(own.execute(sql).fetchnumpy())

    starts = range(0, len(cand[0]), SCORE_SLICE)
    if len(cand[0]) < SIDE_BY_SIDE_FROM:
        parts = [score(start) for start in starts]
    else:
        # One slice is one piece of DuckDB's work, done by one thread: a slice a core at once.
        with ThreadPoolExecutor(_workers()) as pool:
            parts = list(pool.map(score, starts))
    if not parts:
        return []
    found = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    del parts
    n = len(found["a"])
    # Exactly Model.score's sum, in its order: the prior, each comparison's weight, then the
    # term-frequency adjustments added together and added last.
    total = np.full(n, model.prior)
    for i, weights in enumerate(model.weights):
        total = total + np.asarray(weights, dtype=np.float64)[found[f"g{i}"].astype(np.int64)]
    tf_total = np.zeros(n)
    for i in with_tf:
        tf_total = tf_total + found[f"t{i}"]
    weight = total + tf_total
    nhs = np.asarray(found["nhs_same"], dtype=bool)
    keep = nhs | (weight >= model.review)
    a = found["a"][keep].tolist()
    b = found["b"][keep].tolist()
    weight_kept = weight[keep].tolist()
    tf_kept = tf_total[keep].tolist()
    nhs_kept = nhs[keep].tolist()
    gamma_rows = np.stack([found[f"g{i}"][keep] for i in range(len(cases))], axis=1).tolist()
    return [
        Pair(a[i], b[i], weight_kept[i], gamma_rows[i], tf_kept[i], nhs_kept[i])
        for i in range(len(a))
    ]


_FUZZY = ("damerau_levenshtein", "jaro_winkler", "list_transform")


def _weight_bound(model: Any, with_tf: list[int]) -> str:
    """SQL for a weight no pair can exceed: each comparison's levels in order up to its first
    fuzzy one, exactly (the exact level with the record's own term-frequency adjustment); from
    there on, the most any later level weighs."""
    parts = [f"{model.prior!r}::DOUBLE"]
    comparisons = splink_comparisons()
    for index, (comparison, weights) in enumerate(zip(comparisons, model.weights, strict=True)):
        levels = [level["sql_condition"] for level in comparison["comparison_levels"]]
        whens = []
        rest = max(weights)
        for level, (condition, weight) in enumerate(zip(levels, weights, strict=True)):
            if condition.strip().upper() == "ELSE" or any(f in condition for f in _FUZZY):
                rest = max(weights[level:])
                break
            extra = f" + t{index}_own" if level == 1 and index in with_tf else ""
            whens.append(f"WHEN ({condition}) THEN {weight!r}::DOUBLE{extra}")
        if index in with_tf and len(whens) < 2:
            return "'Infinity'::DOUBLE"  # the exact level is fuzzy: no bound
        parts.append(f"(CASE {' '.join(whens)} ELSE {rest!r}::DOUBLE END)")
    return " + ".join(parts)


# -- the plain Python path (small stores, or a comparison SQL cannot score) ----------------


def _term_frequencies(recs: dict[int, Features]) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for column in TF_COLUMNS:
        counts = Counter(v for f in recs.values() if (v := getattr(f, column)))
        total = sum(counts.values()) or 1
        for value, n in counts.items():
            if len(value) <= TF_MAX_LENGTH:
                out[(column, value)] = n / total
    _store_term_frequencies(out)
    return out


def _keys_and_pairs(recs: dict[int, Features], cap: int) -> set[tuple[int, int]]:
    members: dict[int, list[int]] = defaultdict(list)
    with _link_key_index_dropped():
        LinkKey.objects.all().delete()
        batch: list[tuple[int, int]] = []
        for pk, f in recs.items():
            for key in {key_hash(k) for k in blocking_keys(f)}:
                members[key].append(pk)
                batch.append((pk, key))
            if len(batch) >= 200_000:
                execute_many("INSERT INTO people_linkkey (record_id, key) VALUES (%s, %s)", batch)
                batch = []
        execute_many("INSERT INTO people_linkkey (record_id, key) VALUES (%s, %s)", batch)
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


__all__ = ["relink_store", "scoring_sql"]
