"""The `kinsight replay` contract of feed-format.md: feeds in; persons, alerts, rejections out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from kinsight.chronology.indicators import read_pending_indicators
from kinsight.feeds.ingest import Ingest, IngestSummary
from kinsight.people.linking import link_unlinked_records
from kinsight.people.models import PersonRecord
from kinsight.rules.engine import replay_alerts


def run_replay(paths: list[Path], names: list[str] | None = None) -> dict[str, Any]:
    """Replay into the current store, which the caller has made fresh and empty."""
    ingest = Ingest(actor="replay")
    summary = IngestSummary()
    for index, path in enumerate(paths):
        summary.add(ingest.ingest_file(path, names[index] if names else str(path)))
    link_unlinked_records()
    read_pending_indicators()
    return {
        "persons": _persons(),
        "alerts": replay_alerts(),
        "rejected": [r.as_json() for r in summary.rejections],
    }


def _persons() -> list[dict[str, Any]]:
    records: dict[int, list[list[str]]] = defaultdict(list)
    rows = (
        PersonRecord.objects.filter(retracted_at__isnull=True, person__isnull=False)
        .values_list("person_id", "agency__code", "record_id")
        .order_by("person_id", "agency__code", "record_id")
    )
    for person_id, agency, record_id in rows.iterator(chunk_size=5000):
        records[person_id].append([agency, record_id])
    return [{"person": f"p-{pk}", "records": recs} for pk, recs in records.items()]


def replay_paths(paths: list[Path]) -> dict[str, Any]:
    """Run `kinsight replay --json` on a fresh temporary store and return what it printed.

    The replay runs in a child process so that it never touches the caller's store.
    """
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.setdefault("KINSIGHT_ENV", "test")
    done = subprocess.run(
        [sys.executable, "-m", "kinsight", "replay", *map(str, paths), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"kinsight replay exited {done.returncode}: {done.stderr.strip()}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result
