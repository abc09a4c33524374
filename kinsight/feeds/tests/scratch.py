"""Scratch stores for the feed tests that run `kinsight ingest` in a process of its own."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kinsight.testing import ON_POSTGRES, ScratchStore


class Store(ScratchStore):
    """A scratch store that feeds are taken into in batches of `batch_lines`."""

    def __init__(self, tmp_path: Path, name: str, batch_lines: int = 500) -> None:
        super().__init__(tmp_path, name)
        self.batch_lines = batch_lines

    def env(self) -> dict[str, str]:
        return {**super().env(), "KINSIGHT_INGEST_BATCH_LINES": str(self.batch_lines)}

    def events(self) -> int:
        try:
            if ON_POSTGRES:
                import psycopg

                with psycopg.connect(self.url) as conn:
                    row = conn.execute("SELECT count(*) FROM chronology_event").fetchone()
                    return int(row[0]) if row else 0
            with sqlite3.connect(self.path, timeout=1) as conn:
                return int(conn.execute("SELECT count(*) FROM chronology_event").fetchone()[0])
        except Exception:  # noqa: BLE001 - the tables may not exist yet
            return 0

    def command(self, feeds: list[Path], jobs: int) -> list[str]:
        return [sys.executable, "-m", "kinsight", "ingest", "--jobs", str(jobs), *map(str, feeds)]

    def ingest(self, feeds: list[Path], jobs: int = 1) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(feeds, jobs), env=self.env(), capture_output=True, text=True, check=False
        )

    def ingest_killed_after(self, feeds: list[Path], events: int, jobs: int = 1) -> int:
        child = subprocess.Popen(
            self.command(feeds, jobs), env=self.env(),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while child.poll() is None and time.monotonic() < deadline:
            if self.events() >= events:
                child.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        return child.wait()


def split_by_kind(feed: Path) -> list[Path]:
    """The feed as two files: its persons and relationships, and the rest (agencies, events,
    retractions). Each record's versions stay in one file, in their order; an event's subjects
    may arrive before or after their person, whichever file is taken first."""
    people, rest = feed.with_suffix(".people.jsonl"), feed.with_suffix(".rest.jsonl")
    with feed.open() as lines, people.open("w") as a, rest.open("w") as b:
        for line in lines:
            kind = line.split('"kind": "', 1)[-1].split('"', 1)[0]
            (a if kind in ("person", "relationship") else b).write(line)
    return [people, rest]
