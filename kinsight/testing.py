"""Helpers shared by the tests: writing small feeds and running the console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
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


def store_fingerprint() -> dict[str, Any]:
    """What the store holds, without row ids or the moments lines were received.

    Two stores with the same fingerprint hold the same records, versions, links and quarantine.
    """
    from kinsight.audit.models import AuditEntry
    from kinsight.chronology.models import Event, EventSubject, Retraction
    from kinsight.feeds.models import Agency, QuarantinedLine, RecordVersion
    from kinsight.people.models import PersonRecord, Relationship

    def key(record: Any) -> str | None:
        return f"{record.agency.code}:{record.record_id}" if record else None

    def stamp(value: Any) -> str | None:
        return value.isoformat() if value else None

    records = PersonRecord.objects.select_related("agency")
    persons: dict[int, list[str]] = {}
    for record in records:
        persons.setdefault(record.person_id or -record.pk, []).append(str(key(record)))
    rels = Relationship.objects.select_related(
        "agency", "person_record__agency", "relative_record__agency"
    )
    subjects = EventSubject.objects.select_related("event__agency", "record__agency")
    return {
        "agencies": sorted((a.code, a.name, a.sector, a.declared) for a in Agency.objects.all()),
        "records": sorted(
            (key(r), r.version, r.digest, stamp(r.retracted_at), stamp(r.first_recorded_at))
            for r in records
        ),
        "persons": sorted(sorted(group) for group in persons.values()),
        "relationships": sorted(
            (
                r.agency.code,
                r.person_ref,
                r.relative_ref,
                r.type,
                r.version,
                r.digest,
                key(r.person_record),
                key(r.relative_record),
            )
            for r in rels
        ),  # fmt: skip
        "events": sorted(
            (
                e.agency.code,
                e.event_id,
                e.version,
                e.digest,
                stamp(e.retracted_at),
                stamp(e.first_recorded_at),
            )
            for e in Event.objects.select_related("agency")
        ),  # fmt: skip
        "subjects": sorted(
            (s.event.agency.code, s.event.event_id, s.ref, s.role, key(s.record)) for s in subjects
        ),
        "versions": sorted(
            (v.kind, v.agency.code, v.key, v.version, v.digest)
            for v in RecordVersion.objects.select_related("agency")
        ),
        "quarantine": sorted(
            (q.file_digest, q.line_no, q.error) for q in QuarantinedLine.objects.all()
        ),
        "retractions": sorted(
            (r.agency.code, r.target_kind, r.target_id, r.digest)
            for r in Retraction.objects.select_related("agency")
        ),
        "audited_feeds": sorted(
            (a.object_id, a.detail.get("digest"))
            for a in AuditEntry.objects.filter(action="ingest_feed")
        ),
    }


def print_store_fingerprint() -> None:
    """Entry point for a child process: print the fingerprint of the store in DATABASE_URL."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinsight.settings")
    django.setup()
    sys.stdout.write(json.dumps(store_fingerprint()))
