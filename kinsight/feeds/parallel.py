"""Feeds taken by several processes at once, one per core (`kinsight ingest --jobs N`).

Checking lines is about half an ingest's work and needs nothing from the store, so each of N
processes reads every file and takes the lines of the records that fall to it (by a hash of the
record's agency and id: every version of a record, and its retraction, fall to one process, in
the file's order). They check side by side and take turns to write: one lock is held around every
write transaction, so each batch sees every batch written before it, as in a single run, and a
reference to a record another process takes resolves whichever comes first. The files are begun
and finished here (one FeedFile row and one audit entry each, as in a single run); linking,
reading text and the rules then run once, in the caller.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import queue
import signal
import time
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from django.db import connections

from kinsight.feeds.ingest import FeedUnreadable, Ingest, IngestSummary, Rejection
from kinsight.lib.usage import peak_mib

log = logging.getLogger(__name__)


class _TimedLock:
    """The shared write lock, counting how long this process waited for it and held it: the
    figures that say whether more processes would help (KINSIGHT_LOG_LEVEL=DEBUG)."""

    def __init__(self, lock: Any) -> None:
        self.lock = lock
        self.waited = self.held = self.held_cpu = 0.0
        self._since = self._since_cpu = 0.0

    def __enter__(self) -> None:
        start = time.perf_counter()
        self.lock.acquire()
        self._since = time.perf_counter()
        self._since_cpu = time.process_time()
        self.waited += self._since - start

    def __exit__(self, *exc: object) -> None:
        self.held += time.perf_counter() - self._since
        self.held_cpu += time.process_time() - self._since_cpu
        self.lock.release()


class IngestWorkerFailed(Exception):
    """A process taking feeds stopped without saying why (killed, or out of memory)."""


def store_feeds(
    ingest: Ingest,
    paths: Sequence[Path],
    *,
    jobs: int,
    names: Sequence[str] | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
) -> list[IngestSummary]:
    """Each file's summary, in the order the files were given; what the processes wrote is
    added to `ingest.touched`.

    An error in one process (a file that cannot be read) stops the others and is raised here,
    as the same error a single process would raise.
    """
    files = [names[i] if names else str(path) for i, path in enumerate(paths)]
    runs = [ingest.begin_file(path, name) for path, name in zip(paths, files, strict=True)]
    summaries = [IngestSummary(files=1) for _ in paths]
    context = multiprocessing.get_context("fork")
    lock = context.Lock()
    results: multiprocessing.Queue[tuple[Any, ...]] = context.Queue()
    # A forked process must not share the parent's database connection.
    connections.close_all()
    work = (os.getpid(), results, lock, ingest.actor, list(paths), files, [r.digest for r in runs])
    workers = [
        context.Process(target=_work, args=(share, jobs, *work), daemon=True)
        for share in range(jobs)
    ]
    for worker in workers:
        worker.start()
    try:
        finished = 0
        while finished < jobs:
            message = _next(results, workers)
            what = message[0]
            if what == "bytes" and on_bytes is not None:
                on_bytes(message[1])
            elif what == "rejection" and on_rejection is not None:
                on_rejection(message[1])
            elif what == "file":
                summaries[message[1]].add(message[2])
            elif what == "done":
                ingest.touched.merge(message[1])
                finished += 1
            elif what == "error":
                raise message[1]
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
    for run, name, summary in zip(runs, files, summaries, strict=True):
        _in_line_order(summary, name)
        ingest.finish_file(run, summary)
    return summaries


def _in_line_order(summary: IngestSummary, name: str) -> None:
    """Rejections and warnings as a single run lists them: by line."""
    summary.rejections.sort(key=lambda r: r.line)

    def line_of(message: str) -> int:
        return int(message[len(name) + 1 :].split(":", 1)[0])

    summary.warning_messages.sort(key=line_of)


def _next(results: multiprocessing.Queue[tuple[Any, ...]], workers: Sequence[BaseProcess]) -> Any:
    while True:
        try:
            return results.get(timeout=1)
        except queue.Empty:
            # A process killed from outside says nothing: notice it rather than wait forever.
            for worker in workers:
                if worker.exitcode not in (None, 0):
                    raise IngestWorkerFailed(
                        f"a process taking feeds stopped with exit code {worker.exitcode}; "
                        "run the ingest again: what was written is kept and nothing is doubled"
                    ) from None


def _work(
    share: int,
    shares: int,
    parent: int,
    results: multiprocessing.Queue[tuple[Any, ...]],
    lock: Any,
    actor: str,
    paths: list[Path],
    names: list[str],
    digests: list[str],
) -> None:
    _die_with_parent(parent)
    started = time.perf_counter()
    timed = _TimedLock(lock)
    ingest = Ingest(
        actor=actor,
        write_lock=timed,
        # Every process reads every file: the first one tells how far they have gone.
        on_bytes=(lambda n: results.put(("bytes", n))) if share == 0 else None,
        on_rejection=lambda r: results.put(("rejection", r)),
    )
    try:
        for index, path in enumerate(paths):
            summary = IngestSummary()
            ingest.take_lines(path, names[index], digests[index], summary, (share, shares))
            results.put(("file", index, summary))
        results.put(("done", ingest.touched))
        log.debug(
            "ingest process %d of %d: %.1f s, of which %.1f s writing (%.1f s of CPU) and %.1f s "
            "waiting to write; peak memory %.0f MiB",
            share + 1, shares, time.perf_counter() - started, timed.held, timed.held_cpu,
            timed.waited, peak_mib(),
        )  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - every error goes back to the parent to be raised
        results.put(("error", _sendable(exc)))
    finally:
        connections.close_all()


def _sendable(exc: Exception) -> Exception:
    """The error as the parent should raise it: a feed that cannot be read as itself (the
    command names the file), anything else with the traceback it had here."""
    if isinstance(exc, FeedUnreadable):
        return exc
    return RuntimeError("".join(traceback.format_exception(exc)))


def _die_with_parent(parent: int) -> None:
    """A process taking feeds stops when the ingest that started it is killed: a killed ingest
    must leave nothing writing behind it (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)
