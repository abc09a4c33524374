"""Writes that take feeds into the store. Each feed file writes its own audit entry."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from kinsight.chronology.indicators import read_pending_indicators
from kinsight.chronology.models import Event, EventSubject
from kinsight.feeds.changes import persons_touched
from kinsight.feeds.ingest import Ingest, IngestSummary, Rejection
from kinsight.feeds.lines import FeedLine
from kinsight.feeds.models import RecordVersion
from kinsight.lib.bulk import refresh_statistics
from kinsight.lib.locks import serialised
from kinsight.lib.usage import cpu_seconds, release_free_memory
from kinsight.people.linking import link_unlinked_records
from kinsight.people.models import PersonRecord, Relationship
from kinsight.rules.actions import do_raise_alerts

# From this many lines taken, the memory each pass frees is handed back before the next begins,
# and PostgreSQL's planner is told what the store now holds (a full collection, a trim and an
# ANALYZE cost milliseconds to seconds: too much for one agency's single note).
RELEASE_FROM = 50_000


def do_ingest_feeds(
    paths: Sequence[Path],
    *,
    acting: str,
    on_bytes: Callable[[int], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
    names: Sequence[str] | None = None,
    only_agency: str | None = None,
    on_outcome: Callable[[int, str, FeedLine], None] | None = None,
    jobs: int = 1,
) -> IngestSummary:
    """Take each feed in turn, link the records that arrived, read their text, and evaluate the
    rules for the persons they touched.

    A bulk ingest is audited as one entry per feed file (who, which file, its digest, the
    counts), written in the same transaction as the file's last batch is closed. `names`, when
    given, are what the files are called in reports (a mapped CSV's temporary feed is named after
    the CSV); `only_agency` and `on_outcome` are the Ingest's (an API token's feed). With `jobs`
    above 1, that many processes share the lines (kinsight/feeds/parallel.py).
    """
    summary = IngestSummary()
    with _phase(summary, "store"):
        since = timezone.now()
        ingest = Ingest(
            actor=acting,
            on_bytes=on_bytes,
            on_rejection=on_rejection,
            only_agency=only_agency,
            on_outcome=on_outcome,
        )
        if jobs > 1 and only_agency is None and on_outcome is None:
            from kinsight.feeds.parallel import store_feeds

            for each in store_feeds(
                ingest, paths, jobs=jobs, names=names, on_bytes=on_bytes, on_rejection=on_rejection
            ):
                summary.add(each)
            ingest.refresh_agencies()
        else:
            for index, path in enumerate(paths):
                summary.add(ingest.ingest_file(path, names[index] if names else None))
    for code in ingest.undeclared_agencies():
        summary.warnings += 1
        summary.warning_messages.append(
            f"agency {code!r} is not declared by any agency line: taken with sector other"
        )
    large = summary.taken + summary.updated >= RELEASE_FROM
    if large:
        release_free_memory()
        with _phase(summary, "statistics"):
            refresh_statistics(Event, EventSubject, PersonRecord, Relationship, RecordVersion)
    with _phase(summary, "link"):
        if link_unlinked_records():
            ingest.touched.households_changed = True
        if large:
            release_free_memory()
    with _phase(summary, "text"):
        read_pending_indicators()
        if large:
            release_free_memory()
    with _phase(summary, "rules"):
        _raise_alerts(summary, ingest, acting, since)
    return summary


def _raise_alerts(summary: IngestSummary, ingest: Ingest, acting: str, since: datetime) -> None:
    if summary.taken or summary.updated:
        # Two ingests at once (agencies posting feeds) must not raise the same alert twice.
        with serialised("raise_alerts"):
            summary.alerts = do_raise_alerts(
                acting=acting,
                person_ids=persons_touched(ingest.touched),
                households_changed=ingest.touched.households_changed,
            )
        # The agencies working with a child hear of an urgent alert, and of a child on a plan
        # attending unscheduled care (kinsight/connect/notify.py).
        from kinsight.connect.notify import do_queue_notifications, do_queue_unscheduled_care

        if summary.alerts.raised:
            do_queue_notifications(summary.alerts.raised, acting=acting)
        touched = ingest.touched
        do_queue_unscheduled_care(
            since, acting=acting, event_ids=None if touched.too_many_events else touched.events
        )


@contextmanager
def _phase(summary: IngestSummary, name: str) -> Iterator[None]:
    """The wall and CPU time the block took, as the summary's timing `name` (`--timings`)."""
    started, cpu = time.perf_counter(), cpu_seconds()
    yield
    summary.timings[name] = time.perf_counter() - started
    summary.cpu_timings[name] = cpu_seconds() - cpu
