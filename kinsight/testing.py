"""Helpers shared by the tests: writing small feeds and running the console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

AGENCIES = [
    {"kind": "agency", "code": "csc-lancs", "name": "Lancashire Children's Services",
     "sector": "social_care"},
    {"kind": "agency", "code": "nhs-east", "name": "East Lancashire Hospitals", "sector": "health"},
    {"kind": "agency", "code": "lancs-police", "name": "Lancashire Constabulary",
     "sector": "police"},
]  # fmt: skip


def write_feed(path: Path, lines: Iterable[dict[str, Any] | str]) -> Path:
    """Write a feed: dicts become JSON lines, strings are written as they are (for bad lines)."""
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line if isinstance(line, str) else json.dumps(line))
            handle.write("\n")
    return path


def person(agency: str, record_id: str, **fields: Any) -> dict[str, Any]:
    return {"kind": "person", "agency": agency, "id": record_id, **fields}


def event(
    agency: str, event_id: str, type_: str, occurred_at: str, *subjects: tuple[str, str],
    **fields: Any,
) -> dict[str, Any]:  # fmt: skip
    return {
        "kind": "event", "agency": agency, "id": event_id, "type": type_,
        "occurred_at": occurred_at,
        "subjects": [{"ref": ref, "role": role} for ref, role in subjects],
        **fields,
    }  # fmt: skip


def run_kinsight(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the console script as a user would, in a child process."""
    # The suite's own settings module forces test mode; a child must read its own environment.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    full_env = {**inherited, "KINSIGHT_ENV": "test", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kinsight", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        cwd=cwd,
        check=False,
    )


def ingest_people_of_population(out: Path, *, families: int, seed: int) -> Path:
    """A synthetic population's agencies, people and relationships, without its events, taken
    into the store: what the linkage tests need, in a fraction of the time. Returns the directory
    the population (and its truth.json) was written to."""
    from kinsight.feeds.actions import do_ingest_feeds
    from kinsight.synth import generate_population

    kinds = ('"kind": "agency"', '"kind": "person"', '"kind": "relationship"')
    synth = out / "synth"
    generate_population(synth, families=families, seed=seed)
    feeds = []
    for path in sorted(synth.glob("*.jsonl")):
        lines = [line for line in path.read_text().splitlines() if any(k in line for k in kinds)]
        feeds.append(out / path.name)
        feeds[-1].write_text("\n".join(lines) + "\n")
    do_ingest_feeds(feeds, acting="test")
    return synth


def store_fingerprint() -> dict[str, Any]:
    """What the store holds, without row ids or the moments lines were received.

    Two stores with the same fingerprint hold the same records, versions, links and quarantine.
    """
    from kinsight.audit.models import AuditEntry
    from kinsight.chronology.models import Event, EventSubject, Retraction
    from kinsight.feeds.models import Agency, QuarantinedLine, RecordVersion
    from kinsight.people.models import PersonRecord, Relationship

    # Plain rows, not model instances: a fingerprint of 100,000 lines is read in seconds.
    def key(agency: str | None, record_id: str | None) -> str | None:
        return f"{agency}:{record_id}" if agency else None

    def stamp(value: Any) -> str | None:
        return value.isoformat() if value else None

    records = list(
        PersonRecord.objects.values_list(
            "agency__code", "record_id", "person_id", "pk", "version", "digest",
            "retracted_at", "first_recorded_at",
        )
    )  # fmt: skip
    persons: dict[int, list[str]] = {}
    for agency, record_id, person_id, pk, *_ in records:
        persons.setdefault(person_id or -pk, []).append(str(key(agency, record_id)))
    rels = Relationship.objects.values_list(
        "agency__code", "person_ref", "relative_ref", "type", "version", "digest",
        "person_record__agency__code", "person_record__record_id",
        "relative_record__agency__code", "relative_record__record_id",
    )  # fmt: skip
    subjects = EventSubject.objects.values_list(
        "event__agency__code", "event__event_id", "ref", "role",
        "record__agency__code", "record__record_id",
    )  # fmt: skip
    events = Event.objects.values_list(
        "agency__code", "event_id", "version", "digest", "retracted_at", "first_recorded_at"
    )
    return {
        "agencies": sorted(Agency.objects.values_list("code", "name", "sector", "declared")),
        "records": sorted(
            (key(agency, record_id), version, digest, stamp(retracted), stamp(first))
            for agency, record_id, _person, _pk, version, digest, retracted, first in records
        ),
        "persons": sorted(sorted(group) for group in persons.values()),
        "relationships": sorted((*r[:6], key(r[6], r[7]), key(r[8], r[9])) for r in rels),
        "events": sorted(
            (agency, event_id, version, digest, stamp(retracted), stamp(first))
            for agency, event_id, version, digest, retracted, first in events
        ),
        "subjects": sorted(
            (agency, event_id, ref, role, key(r_agency, r_id))
            for agency, event_id, ref, role, r_agency, r_id in subjects
        ),
        "versions": sorted(
            RecordVersion.objects.values_list("kind", "agency__code", "key", "version", "digest")
        ),
        "quarantine": sorted(
            QuarantinedLine.objects.values_list("file_digest", "line_no", "error")
        ),
        "retractions": sorted(
            Retraction.objects.values_list("agency__code", "target_kind", "target_id", "digest")
        ),
        "audited_feeds": sorted(
            (a.object_id, a.detail.get("digest"))
            for a in AuditEntry.objects.filter(action="ingest_feed")
        ),
    }


def alerts_fingerprint() -> list[tuple[Any, ...]]:
    """The alerts raised, without row ids: each as its rule, its child (by the child's first
    agency record), when it was raised, its status and the events it rests on."""
    from kinsight.people.models import PersonRecord
    from kinsight.rules.models import Alert

    first: dict[int, str] = {}
    for person_id, agency, record_id in PersonRecord.objects.values_list(
        "person_id", "agency__code", "record_id"
    ):
        key = f"{agency}:{record_id}"
        if person_id is not None and (person_id not in first or key < first[person_id]):
            first[person_id] = key
    return sorted(
        (rule, first[child], raised.isoformat(), status, sorted(map(tuple, evidence)))
        for rule, child, raised, status, evidence in Alert.objects.values_list(
            "rule", "child_id", "raised_at", "status", "evidence"
        )
    )


def print_alerts_fingerprint() -> None:
    """Entry point for a child process: print the alerts of the store in DATABASE_URL."""
    _print_in_child(alerts_fingerprint)


def print_store_fingerprint() -> None:
    """Entry point for a child process: print the fingerprint of the store in DATABASE_URL."""
    _print_in_child(store_fingerprint)


def _print_in_child(read: Callable[[], Any]) -> None:
    """Set Django up on the store in DATABASE_URL and print what `read` reads, as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinsight.settings")
    django.setup()
    sys.stdout.write(json.dumps(read()))


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


class ScratchStore:
    """A store outside the test database, for tests (and benchmarks, bench/common.py) that run
    the console script in a process of its own: of the same kind as the suite's own, SQLite or
    PostgreSQL, unless `postgres` says; on SQLite, a file in `directory`, or at `path`."""

    def __init__(
        self,
        directory: Path,
        name: str,
        *,
        postgres: bool = ON_POSTGRES,
        path: Path | None = None,
    ) -> None:
        import uuid

        self.name = f"kinsight_scratch_{uuid.uuid4().hex[:8]}_{name}"
        self.postgres = postgres
        if postgres:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
            self.url = f"{PG_SERVER}/{self.name}"
        else:
            self.path = path or directory / f"{self.name}.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        return {**inherited, "DATABASE_URL": self.url, "KINSIGHT_ENV": "test",
                "KINSIGHT_SECRET_KEY": "scratch-store-secret-key-for-tests-only"}  # fmt: skip

    def fingerprint(self) -> Any:
        """store_fingerprint() of this store."""
        return self._print("print_store_fingerprint")

    def alerts_fingerprint(self) -> Any:
        return self._print("print_alerts_fingerprint")

    def _print(self, function: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-c", f"import kinsight.testing as t; t.{function}()"],
            env=self.env(), capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(done.stdout)

    def drop(self) -> None:
        if self.postgres:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
