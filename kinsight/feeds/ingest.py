"""Taking feeds into the store without losing or doubling a line.

A feed is read as a stream and written in batches, one transaction each. Every write is keyed by
what the agency sent (agency, kind, id and the line's digest), so running the same feed again, or
running it again after a crash part-way, ends with the same store as one uninterrupted run.
"""

from __future__ import annotations

import gc
import hashlib
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from kinsight.audit.models import record_audit
from kinsight.chronology.models import Event, EventSubject, Retraction
from kinsight.feeds.changes import Touched
from kinsight.feeds.lines import FeedLine, LineRejected, read_line
from kinsight.feeds.models import Agency, FeedFile, QuarantinedLine, RecordVersion, Sector
from kinsight.lib.bulk import (
    FastInsert,
    commit_without_waiting,
    fill_nulls,
    lookup,
    sqlite_pragma,
)
from kinsight.lib.collector import cyclic_gc_paused
from kinsight.people.models import PersonRecord, Relationship

if TYPE_CHECKING:
    from kinsight.rules.actions import RaiseSummary


class FeedUnreadable(Exception):
    """The file itself cannot be read (missing, a directory, no permission)."""


@dataclass
class Rejection:
    file: str
    line: int
    error: str

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "error": self.error}

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.error}"


@dataclass
class IngestSummary:
    files: int = 0
    lines: int = 0
    taken: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warning_messages: list[str] = field(default_factory=list)
    # Seconds spent in each phase (store, link, text), for the operator and the benchmarks.
    timings: dict[str, float] = field(default_factory=dict)
    # The same phases' CPU seconds in this process (with SQLite, the database's work too): on a
    # machine shared with other work, what one quiet core would take.
    cpu_timings: dict[str, float] = field(default_factory=dict)
    # What the rules made of it: alerts raised, evidence added, re-opened (None: nothing new).
    alerts: RaiseSummary | None = None

    def counts(self) -> dict[str, int]:
        return {
            "lines": self.lines,
            "taken": self.taken,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": self.warnings,
        }

    def add(self, other: IngestSummary) -> None:
        for name in ("files", "lines", "taken", "updated", "unchanged", "rejected", "warnings"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rejections.extend(other.rejections)
        self.warning_messages.extend(other.warning_messages)


# What each kind of record copies from a checked line onto its row.
def _person_fields(values: dict[str, Any]) -> dict[str, Any]:
    address = values.get("address") or {}
    return {
        "given_name": values.get("given_name", ""),
        "family_name": values.get("family_name", ""),
        "other_names": values.get("other_names", []),
        "sex": values.get("sex", ""),
        "birth_date": values.get("birth_date", ""),
        "birth_date_estimated": values.get("birth_date_estimated", False),
        "unborn": values.get("unborn", False),
        "expected_birth_date": values.get("expected_birth_date"),
        "nhs_number": values.get("nhs_number", ""),
        "address_text": address.get("text", ""),
        "postcode": address.get("postcode", ""),
        "recorded_at": values.get("recorded_at"),
    }


def _relationship_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "start": values.get("start"),
        "end": values.get("end"),
        "recorded_at": values.get("recorded_at"),
    }


def _event_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": values["type"],
        "occurred_at": values["occurred_at"],
        "recorded_at": values["recorded_at"] or values["occurred_at"],
        "summary": values.get("summary", ""),
        "details": values.get("details", {}),
        "shared_with": values.get("shared_with", []),
        "subjects": values.get("subjects", []),
    }


def _earliest(a: datetime | None, b: datetime | None, *, none_is_earliest: bool) -> datetime | None:
    if a is None or b is None:
        return None if none_is_earliest else (a or b)
    return min(a, b)


def _supersedes(new: datetime | None, current: datetime | None) -> bool:
    """Each version applies from its own recorded_at: the latest recorded one is current."""
    if new is None or current is None:
        return current is None or new is not None
    return new >= current


class Ingest:
    """One ingest run over one or more feed files, by one actor."""

    def __init__(
        self,
        *,
        actor: str,
        batch_lines: int | None = None,
        on_bytes: Callable[[int], None] | None = None,
        on_rejection: Callable[[Rejection], None] | None = None,
        only_agency: str | None = None,
        on_outcome: Callable[[int, str, FeedLine], None] | None = None,
        write_lock: AbstractContextManager[Any] | None = None,
    ) -> None:
        """`only_agency` rejects, like any bad line, every line of another agency (an API
        token writes its own agency's lines only); `on_outcome` hears what became of each taken
        line: (line number, "taken" / "updated" / "unchanged", the line). `write_lock`, held
        around every write, lets several processes take feeds into one store at once
        (kinsight/feeds/parallel.py): their checking runs side by side, their writes one at a
        time, so each batch sees every batch written before it, as in a single run."""
        self.actor = actor
        self.write_lock = write_lock
        self.only_agency = only_agency
        self.on_outcome = on_outcome
        self.batch_lines = batch_lines or settings.INGEST_BATCH_LINES
        self.on_bytes = on_bytes
        self.on_rejection = on_rejection
        self.agencies: dict[str, Agency] = {a.code: a for a in Agency.objects.all()}
        self._inserters: dict[type[Model], FastInsert] = {}
        self._event_row: Callable[..., tuple[Any, ...]] | None = None
        # What this run wrote: whose alerts to evaluate again, and which events are new.
        self.touched = Touched()
        # Which (agency, kind) have any retraction: only those need a look for withdrawn ids.
        self.retracting = _retracting()

    def _writing(self) -> AbstractContextManager[Any]:
        return self.write_lock if self.write_lock is not None else nullcontext()

    # -- reading ---------------------------------------------------------------------------
    def ingest_file(self, path: Path, display_name: str | None = None) -> IngestSummary:
        name = display_name or str(path)
        run = self.begin_file(path, name)
        summary = IngestSummary(files=1)
        self.take_lines(path, name, run.digest, summary)
        self.finish_file(run, summary)
        return summary

    def begin_file(self, path: Path, name: str) -> FeedFile:
        digest = file_digest(path)
        with self._writing():
            return FeedFile.objects.create(
                name=name, digest=digest, actor=self.actor, started_at=timezone.now()
            )

    def take_lines(
        self,
        path: Path,
        name: str,
        digest: str,
        summary: IngestSummary,
        share: tuple[int, int] | None = None,
    ) -> None:
        """Check and write the file's lines. With `share` (k, n), only the lines that fall to
        process k of n (kinsight/feeds/parallel.py) are taken."""
        # Young objects are collected after each batch (_ingest_lines).
        with cyclic_gc_paused(), _checkpoints_apart():
            self._ingest_lines(path, name, digest, summary, share)

    def finish_file(self, run: FeedFile, summary: IngestSummary) -> None:
        with self._writing(), transaction.atomic():
            run.finished_at = timezone.now()
            run.counts = summary.counts()
            run.save(update_fields=["finished_at", "counts"])
            record_audit(
                actor=self.actor,
                action="ingest_feed",
                object_type="feed_file",
                object_id=run.name,
                detail={"digest": run.digest, **summary.counts()},
            )

    def _ingest_lines(
        self,
        path: Path,
        name: str,
        digest: str,
        summary: IngestSummary,
        share: tuple[int, int] | None,
    ) -> None:
        for items, nbytes in _check_lines(path, self.batch_lines, self.only_agency, share):
            if self.on_bytes:
                self.on_bytes(nbytes)
            batch: list[tuple[int, FeedLine]] = []
            rejects: list[QuarantinedLine] = []
            for line_no, outcome in items:
                summary.lines += 1
                if isinstance(outcome, FeedLine):
                    if outcome.warnings:
                        summary.warnings += len(outcome.warnings)
                        summary.warning_messages.extend(
                            f"{name}:{line_no}: {w}" for w in outcome.warnings
                        )
                    batch.append((line_no, outcome))
                    continue
                raw, error = outcome
                rejection = Rejection(name, line_no, error)
                summary.rejected += 1
                summary.rejections.append(rejection)
                if self.on_rejection:
                    self.on_rejection(rejection)
                rejects.append(
                    QuarantinedLine(
                        file_name=name,
                        file_digest=digest,
                        line_no=line_no,
                        raw=_storable(raw),
                        error=error,
                        received_at=timezone.now(),
                    )  # fmt: skip
                )
            self._flush(batch, rejects, summary)
            # The batch's lines are freed first (emptied: the reading generator still holds the
            # list), so that the collection walks only what is left.
            items.clear()
            batch.clear()
            # What a batch left behind in cycles goes now; collecting only young objects costs
            # little, where full collections over a million short-lived objects cost 10-15%.
            gc.collect(1)

    def _flush(
        self,
        batch: list[tuple[int, FeedLine]],
        rejects: list[QuarantinedLine],
        summary: IngestSummary,
    ) -> None:
        if not batch and not rejects:
            return
        now = timezone.now()
        rows, stored = {}, {}
        if self.write_lock is not None:
            # With --jobs, new events' rows are made, and the batch's stored persons and events
            # found, before this process's turn to write, so that only the writing is one
            # process at a time. (A single run does not make rows ahead: a feed sent again whole
            # would make them all for nothing.)
            rows = self._event_rows(batch, now)
            stored = self._stored(batch)
        with self._writing(), transaction.atomic():
            # The file is finished in a later transaction that waits for the disk (finish_file).
            commit_without_waiting()
            if self.write_lock is not None:
                # Another process may have declared an agency or taken a retraction since this
                # one last looked.
                self.refresh_agencies()
                self.retracting = _retracting()
            if rejects:
                QuarantinedLine.objects.bulk_create(rejects, ignore_conflicts=True)
            if batch:
                numbers = (
                    {id(line): line_no for line_no, line in batch} if self.on_outcome else None
                )
                _Batch(
                    self, [line for _, line in batch], summary, numbers, now, rows, stored
                ).apply()

    def _event_rows(self, batch: list[tuple[int, FeedLine]], now: datetime) -> dict[int, Any]:
        """Each event line's row as `_Batch` would write it were it new, made ahead
        (`FastInsert.ahead`), by the line's id(): its id and agency are put in as it is written
        (an agency declared in this batch has no pk yet)."""
        make = self.inserter(Event).ahead()
        new_event = self.new_event_params
        return {
            id(line): make(new_event(0, 0, now, line)) for _, line in batch if line.kind == "event"
        }

    def _stored(self, batch: list[tuple[int, FeedLine]]) -> dict[str, dict[Any, Any]]:
        """The stored persons and events of the batch's keys, looked up outside the write lock.

        What is found then is what would be found in this process's turn: the processes share
        the records out (parallel.py), so only this one writes these, and its own earlier
        batches are committed. An agency this process does not know yet has nothing stored:
        had it written that agency's records, it would know it (agencies are never deleted).
        """
        keys: dict[str, set[tuple[int, str]]] = {"person": set(), "event": set()}
        agencies = self.agencies
        for _, line in batch:
            wanted = keys.get(line.kind)
            if wanted is not None:
                agency = agencies.get(line.values["agency"])
                if agency is not None:
                    wanted.add((agency.pk, line.values["id"]))
        return {
            "person": _existing(PersonRecord, "person", keys["person"]),
            "event": _existing(Event, "event", keys["event"]),
        }

    def new_event_params(
        self, pk: int | None, agency_pk: int, now: datetime, line: FeedLine
    ) -> tuple[Any, ...]:
        """A new event's row parameters, made straight from its checked line."""
        values = line.values
        recorded_at = values["recorded_at"] or values["occurred_at"]
        return self.event_row()(pk, agency_pk, now, line, values, recorded_at, _storable(line.raw))

    # -- agencies --------------------------------------------------------------------------
    def agency(self, code: str) -> Agency:
        agency = self.agencies.get(code)
        if agency is None:
            # Named before (or without) being declared: taken with sector `other`; the run
            # reports every agency still undeclared at its end.
            agency, _ = Agency.objects.get_or_create(
                code=code, defaults={"sector": Sector.OTHER, "declared": False}
            )
            self.agencies[code] = agency
        return agency

    def event_row(self) -> Callable[..., tuple[Any, ...]]:
        """An event's row parameters straight from its checked line (as `_Batch._new_event`
        would make and `FastInsert.params` adapt them): (pk, agency pk, received moment, line,
        its values, recorded_at or occurred_at, its storable raw text)."""
        if self._event_row is None:
            if self.inserter(Event).attnames[:2] != ["pk", "agency_id"]:
                # A row made ahead has these two put in last (FastInsert.lead).
                raise ImproperlyConfigured("chronology_event: pk and agency_id must come first")
            self._event_row = self.inserter(Event).row_function(
                "pk, agency_id, now, line, v, recorded_at, raw",
                {
                    "pk": "pk",
                    "agency_id": "agency_id",
                    "received_at": "now",
                    "digest": "line.digest",
                    "raw": "raw",
                    "warnings": "line.warnings",
                    "event_id": "v['id']",
                    "type": "v['type']",
                    "occurred_at": "v['occurred_at']",
                    "recorded_at": "recorded_at",
                    "first_recorded_at": "recorded_at",
                    "summary": "v.get('summary', '')",
                    "details": "v.get('details', {})",
                    "shared_with": "v.get('shared_with', [])",
                    "subjects": "v.get('subjects', [])",
                },
            )
        return self._event_row

    def inserter(self, model: type[Model]) -> FastInsert:
        if model not in self._inserters:
            self._inserters[model] = FastInsert(model)
        return self._inserters[model]

    def refresh_agencies(self) -> None:
        self.agencies = {a.code: a for a in Agency.objects.all()}

    def undeclared_agencies(self) -> list[str]:
        return sorted(code for code, a in self.agencies.items() if not a.declared)


class _Batch:
    """Applies one batch of taken lines inside the caller's transaction."""

    def __init__(
        self,
        ingest: Ingest,
        lines: list[FeedLine],
        summary: IngestSummary,
        numbers: dict[int, int] | None = None,
        now: datetime | None = None,
        event_rows: dict[int, Any] | None = None,
        stored: dict[str, dict[Any, Any]] | None = None,
    ) -> None:
        self.ingest = ingest
        self.lines = lines
        self.numbers = numbers or {}
        self.summary = summary
        self.now = now or timezone.now()
        self.event_rows = event_rows or {}
        # Each kind's stored rows of this batch's keys, when found before the batch's turn.
        self.stored = stored or {}
        self.history: list[RecordVersion] = []
        # The same versions by (kind, agency pk, key): a batch that changes many records must
        # not read the whole history for each.
        self.history_of: dict[tuple[str, int, str], list[RecordVersion]] = defaultdict(list)

    def apply(self) -> None:
        by_kind: dict[str, list[FeedLine]] = defaultdict(list)
        for line in self.lines:
            by_kind[line.kind].append(line)
        for line in by_kind["agency"]:
            self._agency(line)
        new_people = self._versioned(PersonRecord, "person", by_kind["person"])
        self._resolve_late_references(new_people)
        self._versioned(Relationship, "relationship", by_kind["relationship"])
        self._versioned(Event, "event", by_kind["event"])
        for line in by_kind["retraction"]:
            self._retraction(line)
        if self.history:
            # As every other row of a batch: Django's bulk_create sends PostgreSQL each column
            # as an array written out in Python.
            self.ingest.inserter(RecordVersion).insert(self.history)

    def _count(self, outcome: str, line: FeedLine) -> None:
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
        if self.ingest.on_outcome is not None:
            self.ingest.on_outcome(self.numbers.get(id(line), 0), outcome, line)

    def _agency(self, line: FeedLine) -> None:
        values = line.values
        agency = self.ingest.agencies.get(values["code"])
        if agency is not None and agency.digest == line.digest:
            self._count("unchanged", line)
            return
        # An agency named by other lines before its own line came is taken, not updated, by
        # that line: the count does not hang on which of two files was read first.
        self._count("updated" if agency is not None and agency.declared else "taken", line)
        if agency is None:
            agency = Agency(code=values["code"])
        agency.name = values.get("name", "") or agency.name
        agency.sector = values.get("sector") or Sector.OTHER
        agency.declared = True
        agency.raw = _storable(line.raw)
        agency.digest = line.digest
        agency.save()
        self.ingest.agencies[agency.code] = agency

    # -- persons, relationships and events share one versioning rule ------------------------
    def _versioned(self, model: Any, kind: str, lines: list[FeedLine]) -> list[Any]:
        if not lines:
            return []
        keyed = self._keyed(kind, lines)
        current = self.stored.get(kind)
        if current is None:
            current = _existing(model, kind, {key for key, _ in keyed})
        created: dict[tuple[int, str], Any] = {}
        changed: dict[int, Any] = {}
        seen_digests: dict[tuple[int, str], set[str]] = defaultdict(set)
        new_row = self._new_row
        taken = 0
        hears_outcomes = self.ingest.on_outcome is not None
        # A new event is kept as its line and written straight from it (no row object), unless
        # a second line of the batch changes it: most lines of a feed are new events.
        lazy = kind == "event"
        for key, line in keyed:
            row = created.get(key) or current.get(key)
            if row is None:
                created[key] = line if lazy else new_row(model, kind, key, line)
                if hears_outcomes:
                    self._count("taken", line)
                else:
                    taken += 1
                continue
            if lazy and type(row) is FeedLine:
                row = created[key] = new_row(model, kind, key, row)
            if isinstance(row, _Stored) and row.digest != line.digest:
                # Only a line that differs from the current version needs the whole record.
                row = current[key] = model.objects.get(pk=row.pk)
            if row.digest == line.digest or line.digest in seen_digests[key]:
                self._count("unchanged", line)
                continue
            if row.pk is not None and line.digest in self._history_digests(kind, key):
                self._count("unchanged", line)
                continue
            self._count("updated", line)
            seen_digests[key].add(row.digest)
            self._new_version(kind, key, row, line)
            if row.pk is not None:
                changed[row.pk] = row
        self.summary.taken += taken
        if lazy:
            self._write_events(created, list(changed.values()))
            return []
        new_rows = list(created.values())
        if kind == "relationship":
            self._resolve_relationships(new_rows)
        if new_rows:
            self.ingest.inserter(model).insert(new_rows)
        if changed:
            self._save_changed(model, kind, list(changed.values()))
        touched = self.ingest.touched
        if kind == "person":
            touched.add_records(row.pk for row in [*new_rows, *changed.values()])
            touched.households_changed = True
        elif kind == "relationship":
            for row in [*new_rows, *changed.values()]:
                touched.add_records((row.person_record_id, row.relative_record_id))
                touched.households_changed = True
        else:
            self._apply_pending_retractions("person", new_rows)
        return new_rows

    def _write_events(self, created: dict[tuple[int, str], Any], changed: list[Any]) -> None:
        """Write the batch's new events, in the order they first came: those still kept as
        their line straight from it, those a later line changed from their row object."""
        inserter = self.ingest.inserter(Event)
        now = self.now
        ids = inserter.reserve_ids(len(created))
        params = []
        subjects: list[tuple[int, int, list[dict[str, str]]]] = []
        made, lead = self.event_rows, inserter.lead
        for pk, (key, row) in zip(ids, created.items(), strict=True):
            if type(row) is FeedLine:
                ready = made.get(id(row))
                if ready is not None:
                    params.append(lead(ready, pk, key[0]))
                else:
                    params.append(self.ingest.new_event_params(pk, key[0], now, row))
                subjects.append((pk, key[0], row.values.get("subjects", [])))
            else:
                row.pk = pk
                params.append(inserter.params(row))
                subjects.append((pk, row.agency_id, row.subjects))
        inserter.write(params)
        subjects.extend((row.pk, row.agency_id, row.subjects) for row in changed)
        if changed:
            self._save_changed(Event, "event", changed)
        self.ingest.touched.add_events([*ids, *(row.pk for row in changed)])
        self._write_subjects(subjects, [row.pk for row in changed])
        if created and any(k == "event" for _, k in self.ingest.retracting):
            new = inserter.new
            rows = []
            for pk, (key, row) in zip(ids, created.items(), strict=True):
                if type(row) is FeedLine:
                    row = self._new_event(new, key, row)
                    row.pk = pk
                rows.append(row)
            self._apply_pending_retractions("event", rows)

    def _keyed(self, kind: str, lines: list[FeedLine]) -> list[tuple[tuple[int, str], FeedLine]]:
        if kind == "relationship":
            return [(self._key(kind, line), line) for line in lines]
        agency_pks: dict[str, int] = {}
        keyed = []
        for line in lines:
            values = line.values
            code = values["agency"]
            agency_pk = agency_pks.get(code)
            if agency_pk is None:
                agency_pk = agency_pks[code] = self.ingest.agency(code).pk
            keyed.append(((agency_pk, values["id"]), line))
        return keyed

    def _key(self, kind: str, line: FeedLine) -> tuple[int, str]:
        agency = self.ingest.agency(line.values["agency"])
        values = line.values
        if kind == "relationship":
            return agency.pk, f"{values['person']}|{values['relative']}|{values['type']}"
        return agency.pk, values["id"]

    def _new_row(self, model: Any, kind: str, key: tuple[int, str], line: FeedLine) -> Any:
        values = line.values
        new = self.ingest.inserter(model).new
        if kind == "event":
            return self._new_event(new, key, line)
        common = {
            "agency_id": key[0],
            "received_at": self.now,
            "digest": line.digest,
            "raw": _storable(line.raw),
            "warnings": line.warnings,
        }
        if kind == "person":
            fields = _person_fields(values)
            return new(record_id=values["id"], first_recorded_at=fields["recorded_at"],
                       **fields, **common)  # fmt: skip
        if kind == "relationship":
            fields = _relationship_fields(values)
            return new(
                person_ref=values["person"],
                relative_ref=values["relative"],
                type=values["type"],
                first_recorded_at=fields["recorded_at"],
                **fields,
                **common,
            )
        raise AssertionError(kind)

    def _new_event(self, new: Callable[..., Any], key: tuple[int, str], line: FeedLine) -> Any:
        values = line.values
        # An event is most lines of a feed: its row is made in one step, as _event_fields says.
        recorded_at = values["recorded_at"] or values["occurred_at"]
        return new(
            agency_id=key[0],
            received_at=self.now,
            digest=line.digest,
            raw=_storable(line.raw),
            warnings=line.warnings,
            event_id=values["id"],
            type=values["type"],
            occurred_at=values["occurred_at"],
            recorded_at=recorded_at,
            first_recorded_at=recorded_at,
            summary=values.get("summary", ""),
            details=values.get("details", {}),
            shared_with=values.get("shared_with", []),
            subjects=values.get("subjects", []),
        )

    def _history_digests(self, kind: str, key: tuple[int, str]) -> set[str]:
        agency_id, record_key = key
        stored = RecordVersion.objects.filter(
            kind=kind, agency_id=agency_id, key=record_key
        ).values_list("digest", flat=True)
        pending = {v.digest for v in self.history_of.get((kind, agency_id, record_key), ())}
        return set(stored) | pending

    def _keep(self, version: RecordVersion) -> None:
        self.history.append(version)
        self.history_of[(version.kind, version.agency_id, version.key)].append(version)

    def _new_version(self, kind: str, key: tuple[int, str], row: Any, line: FeedLine) -> None:
        """Keep the earlier version in the history; the latest recorded version is current."""
        fields = _FIELDS[kind](line.values)
        new_recorded = fields["recorded_at"]
        next_version = self._next_version(kind, key, row)
        none_is_earliest = kind != "event"
        if _supersedes(new_recorded, row.recorded_at):
            self._keep(self._snapshot(kind, key, row))
            for name, value in fields.items():
                setattr(row, name, value)
            row.version = next_version
            if kind == "event":
                row.indicators_version = ""  # a new summary is read again
            row.digest = line.digest
            row.raw = _storable(line.raw)
            row.warnings = line.warnings
            row.received_at = self.now
        else:
            self._keep(
                RecordVersion(
                    kind=kind,
                    agency_id=key[0],
                    key=key[1],
                    version=next_version,
                    recorded_at=new_recorded,
                    received_at=self.now,
                    superseded_at=self.now,
                    digest=line.digest,
                    raw=_storable(line.raw),
                    data=_jsonable(fields),
                    warnings=line.warnings,
                )  # fmt: skip
            )
        row.first_recorded_at = _earliest(
            row.first_recorded_at, new_recorded, none_is_earliest=none_is_earliest
        )

    def _next_version(self, kind: str, key: tuple[int, str], row: Any) -> int:
        highest = int(row.version)
        pending = [v.version for v in self.history_of.get((kind, key[0], key[1]), ())]
        if row.pk is not None:
            stored = RecordVersion.objects.filter(
                kind=kind, agency_id=key[0], key=key[1]
            ).aggregate(top=Max("version"))["top"]
            pending.append(stored or 0)
        return max([highest, *pending]) + 1

    def _snapshot(self, kind: str, key: tuple[int, str], row: Any) -> RecordVersion:
        data = {name: getattr(row, name) for name in _FIELD_NAMES[kind]}
        return RecordVersion(
            kind=kind,
            agency_id=key[0],
            key=key[1],
            version=row.version,
            recorded_at=row.recorded_at,
            received_at=row.received_at,
            superseded_at=self.now,
            digest=row.digest,
            raw=row.raw,
            data=_jsonable(data),
            warnings=row.warnings,
        )

    def _save_changed(self, model: Any, kind: str, rows: list[Any]) -> None:
        names = [*_FIELD_NAMES[kind], "version", "digest", "raw", "warnings", "received_at",
                 "first_recorded_at"]  # fmt: skip
        if kind == "event":
            names.append("indicators_version")
        model.objects.bulk_update(rows, names, batch_size=200)

    # -- event subjects and references that arrive late ------------------------------------
    def _write_subjects(
        self, events: list[tuple[int, int, list[dict[str, str]]]], changed_pks: list[int]
    ) -> None:
        """Subject rows for `events` given as (pk, agency pk, subjects); those of the changed
        events are written again."""
        if changed_pks:
            # Whom the event named before counts as touched too: they may lose an alert.
            self.ingest.touched.add_event_subjects(changed_pks)
            self.ingest.touched.households_changed = True
            EventSubject.objects.filter(event__in=changed_pks).delete()
        if not events:
            return
        wanted: dict[int, set[str]] = defaultdict(set)
        for _, agency_id, subjects in events:
            wanted[agency_id].update(subject["ref"] for subject in subjects)
        records = self._record_ids(wanted)
        rows = [
            (
                pk,
                agency_id,
                subject["ref"],
                subject.get("role", ""),
                records.get((agency_id, subject["ref"])),
            )
            for pk, agency_id, subjects in events
            for subject in subjects
        ]
        self.ingest.inserter(EventSubject).insert_values(
            ("event_id", "agency_id", "ref", "role", "record_id"), rows
        )
        self.ingest.touched.add_records(row[4] for row in rows)

    def _record_ids(self, wanted: dict[int, set[str]]) -> dict[tuple[int, str], int]:
        found: dict[tuple[int, str], int] = {}
        table = PersonRecord._meta.db_table
        for agency_id, refs in wanted.items():
            rows = lookup(
                table, ["id", "record_id"], {"agency_id": agency_id}, "record_id", sorted(refs)
            )
            for pk, record_id in rows:
                found[(agency_id, record_id)] = pk
        return found

    def _resolve_late_references(self, new_people: list[PersonRecord]) -> None:
        """Subjects and relatives named before their person record arrived now point to it."""
        by_agency: dict[int, dict[str, int]] = defaultdict(dict)
        for record in new_people:
            by_agency[record.agency_id][record.record_id] = record.pk
        subjects, relationships = EventSubject._meta.db_table, Relationship._meta.db_table
        for agency_id, ids in by_agency.items():
            fill_nulls(subjects, "record_id", {"agency_id": agency_id}, "ref", ids)
            for column in ("person", "relative"):
                fill_nulls(
                    relationships,
                    f"{column}_record_id",
                    {"agency_id": agency_id},
                    f"{column}_ref",
                    ids,
                )

    def _resolve_relationships(self, rows: list[Relationship]) -> None:
        wanted: dict[int, set[str]] = defaultdict(set)
        for row in rows:
            wanted[row.agency_id].update((row.person_ref, row.relative_ref))
        records = self._record_ids(wanted)
        for row in rows:
            row.person_record_id = records.get((row.agency_id, row.person_ref))
            row.relative_record_id = records.get((row.agency_id, row.relative_ref))

    # -- retractions -----------------------------------------------------------------------
    def _retraction(self, line: FeedLine) -> None:
        values = line.values
        agency = self.ingest.agency(values["agency"])
        retraction, created = Retraction.objects.get_or_create(
            agency=agency,
            target_kind=values["target_kind"],
            target_id=values["id"],
            digest=line.digest,
            defaults={
                "reason": values.get("reason", ""),
                "recorded_at": values.get("recorded_at"),
                "received_at": self.now,
                "raw": _storable(line.raw),
            },
        )
        self._count("taken" if created else "unchanged", line)
        self.ingest.retracting.add((agency.pk, values["target_kind"]))
        if created:
            model = Event if values["target_kind"] == "event" else PersonRecord
            id_field = "event_id" if values["target_kind"] == "event" else "record_id"
            target = model.objects.filter(agency=agency, **{id_field: values["id"]}).first()
            if target is not None:
                _retract(model, target, retraction)
                self.ingest.touched.households_changed = True
                if model is Event:
                    self.ingest.touched.add_event_subjects([target.pk])
                else:
                    self.ingest.touched.add_records([target.pk])

    def _apply_pending_retractions(self, kind: str, rows: list[Any]) -> None:
        if not rows or not any(k == kind for _, k in self.ingest.retracting):
            return
        id_field = "event_id" if kind == "event" else "record_id"
        model = Event if kind == "event" else PersonRecord
        by_agency: dict[int, dict[str, Any]] = defaultdict(dict)
        for row in rows:
            by_agency[row.agency_id][getattr(row, id_field)] = row
        for agency_id, targets in by_agency.items():
            if (agency_id, kind) not in self.ingest.retracting:
                continue
            found = lookup(
                Retraction._meta.db_table,
                ["id"],
                {"agency_id": agency_id, "target_kind": kind},
                "target_id",
                sorted(targets),
            )
            for retraction in Retraction.objects.filter(pk__in=[pk for (pk,) in found]):
                _retract(model, targets[retraction.target_id], retraction)


def _existing(model: Any, kind: str, keys: set[tuple[int, str]]) -> dict[Any, Any]:
    """The stored rows of these (agency pk, key)s: persons and events as `_Stored`, relationships
    whole."""
    by_agency: dict[int, list[str]] = defaultdict(list)
    for agency_id, key in keys:
        by_agency[agency_id].append(key)
    found: dict[tuple[int, str], Any] = {}
    for agency_id, ids in by_agency.items():
        if kind == "relationship":
            for chunk in _chunks(ids, 500):
                for row in model.objects.filter(
                    agency_id=agency_id,
                    person_ref__in={i.split("|")[0] for i in chunk},
                ):
                    key = f"{row.person_ref}|{row.relative_ref}|{row.type}"
                    if key in chunk:
                        found[(agency_id, key)] = row
            continue
        id_field = "event_id" if kind == "event" else "record_id"
        table = model._meta.db_table
        stored = lookup(table, ["id", id_field, "digest"], {"agency_id": agency_id}, id_field, ids)
        for pk, ident, digest in stored:
            found[(agency_id, ident)] = _Stored(pk, digest)
    return found


def _retracting() -> set[tuple[int, str]]:
    return set(Retraction.objects.values_list("agency_id", "target_kind").distinct())


@dataclass
class _Stored:
    """A stored record as far as deciding whether a line changes it: its pk and digest."""

    pk: int
    digest: str


def _retract(model: Any, target: Any, retraction: Retraction) -> None:
    """Withdrawn from its recorded moment, or from the record's own start when none was given."""
    moment = retraction.recorded_at or target.first_recorded_at or target.recorded_at
    if target.retracted_at is not None and moment is not None and target.retracted_at <= moment:
        return
    target.retracted_at = moment or timezone.now()
    target.retraction_reason = retraction.reason
    model.objects.filter(pk=target.pk).update(
        retracted_at=target.retracted_at, retraction_reason=retraction.reason
    )


_FIELDS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "person": _person_fields,
    "relationship": _relationship_fields,
    "event": _event_fields,
}
_FIELD_NAMES = {
    "person": list(_person_fields({}).keys()),
    "relationship": list(_relationship_fields({}).keys()),
    "event": [
        "type",
        "occurred_at",
        "recorded_at",
        "summary",
        "details",
        "shared_with",
        "subjects",
    ],  # fmt: skip
}


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _storable(raw: str) -> str:
    # PostgreSQL text cannot hold NUL; the line is kept with the NUL written out instead.
    return raw.replace("\x00", "\\x00") if "\x00" in raw else raw


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _checkpoints_apart() -> AbstractContextManager[None]:
    """On SQLite, the write-ahead log is copied into the store every 64 MiB of a feed rather
    than every 4 MiB: each copy ends with a sync of the store file, and between copies an index
    page written by many batches is copied once. Measured: a third less time in commits at
    100,000 events (docs/performance.md). Crash-safety is SQLite's as before."""
    return sqlite_pragma("wal_autocheckpoint", 16384)


def file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
    except OSError as exc:
        raise FeedUnreadable(f"{path}: cannot read: {exc.strerror or exc}") from None
    return sha.hexdigest()


Checked = tuple[int, FeedLine | tuple[str, str]]


def _check_lines(
    path: Path,
    batch_lines: int,
    only_agency: str | None = None,
    share: tuple[int, int] | None = None,
) -> Iterator[tuple[list[Checked], int]]:
    """Batches of (line number, taken line or (raw, error)) with the bytes they covered.

    With `share` (k, n), only the lines of the records that fall to process k of n: every line
    of one record falls to the same process, so its versions are taken in the file's order.
    """
    items: list[Checked] = []
    nbytes = 0
    for line_no, raw, is_utf8, size in _lines(path):
        nbytes += size
        if raw is None:
            continue
        parsed = None
        if share is not None:
            parsed = _parsed(raw) if is_utf8 else None
            if _share_of(parsed, share[1]) != share[0]:
                continue
        try:
            if not is_utf8:
                raise LineRejected("not UTF-8 text")
            line = read_line(raw, parsed)
            if only_agency is not None and line.agency != only_agency:
                raise LineRejected(
                    f"agency {line.agency!r}: not this sender's agency ({only_agency!r}); "
                    "nothing of the line was written"
                )
            items.append((line_no, line))
        except LineRejected as exc:
            items.append((line_no, (raw, str(exc))))
        if len(items) >= batch_lines:
            yield items, nbytes
            items, nbytes = [], 0
    yield items, nbytes


def _parsed(raw: str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


def _share_of(obj: Any, shares: int) -> int:
    """Which of `shares` processes takes this line: by the record it is about (an agency's
    code, a record's agency and id, a relationship's two ends and type), so that a record and
    its retraction fall together; a line that is not a JSON object falls to the first."""
    if not isinstance(obj, dict):
        return 0
    get = obj.get
    key = f"{get('agency') or get('code')}|{get('id')}"
    if get("kind") == "relationship":
        key = f"{key}|{get('person')}|{get('relative')}|{get('type')}"
    return zlib.crc32(key.encode("utf-8", "replace")) % shares


def _lines(path: Path) -> Iterator[tuple[int, str | None, bool, int]]:
    """Yield (line number, text or None for blank and # lines, is UTF-8, bytes)."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise FeedUnreadable(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        for line_no, data in enumerate(handle, start=1):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                yield line_no, data.decode("utf-8", "replace").strip(), False, len(data)
                continue
            stripped = text.strip()
            if not stripped or stripped.startswith("#"):
                yield line_no, None, True, len(data)
                continue
            yield line_no, stripped, True, len(data)
