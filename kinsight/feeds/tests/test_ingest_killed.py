"""An ingest killed part-way (SIGKILL) and run again ends with the store one run makes."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest

from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = pytest.mark.slow
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
SERVER = "postgres://postgres@127.0.0.1:5432"


def big_feed(path, people=6000):
    """People, events naming people who arrive later, updates, retractions and bad lines."""
    lines = [*AGENCIES]
    for n in range(people):
        ref = f"C-{n}"
        lines.append(event("csc-lancs", f"E-{n}-a", "note", "2019-01-01T09:00:00", (ref, "child"),
                           summary=f"Visit {n}"))  # fmt: skip
        lines.append(person("csc-lancs", ref, given_name="Sam", family_name=f"Fam{n % 97}"))
        for k in range(5):
            lines.append(event("nhs-east", f"H-{n}-{k}", "note", f"2019-02-0{k + 1}T10:00:00",
                               (f"N-{n}", "child"), summary="Seen in clinic"))  # fmt: skip
        lines.append(person("nhs-east", f"N-{n}", given_name="Sam"))
        if n % 50 == 0:
            lines.append("{corrupt line")
        if n % 40 == 0:
            lines.append(event("csc-lancs", f"E-{n}-a", "note", "2019-01-01T09:00:00",
                               (ref, "child"), summary=f"Visit {n}, corrected",
                               recorded_at="2019-01-03T09:00:00"))  # fmt: skip
        if n % 70 == 0:
            lines.append({"kind": "retraction", "agency": "nhs-east", "target_kind": "event",
                          "id": f"H-{n}-0", "reason": "wrong child"})  # fmt: skip
    return write_feed(path, lines)


class Store:
    """A scratch store of the same kind as the suite's own, outside the test database."""

    def __init__(self, tmp_path, name):
        self.name = f"kinsight_kill_{uuid.uuid4().hex[:8]}_{name}"
        if ON_POSTGRES:
            import psycopg

            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
            self.url = f"{SERVER}/{self.name}"
        else:
            self.path = tmp_path / f"{self.name}.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def env(self):
        return {**os.environ, "DATABASE_URL": self.url, "KINSIGHT_ENV": "test",
                "KINSIGHT_INGEST_BATCH_LINES": "500"}  # fmt: skip

    def events(self):
        try:
            if ON_POSTGRES:
                import psycopg

                with psycopg.connect(self.url) as conn:
                    return conn.execute("SELECT count(*) FROM chronology_event").fetchone()[0]
            with sqlite3.connect(self.path, timeout=1) as conn:
                return conn.execute("SELECT count(*) FROM chronology_event").fetchone()[0]
        except Exception:  # noqa: BLE001 - the tables may not exist yet
            return 0

    def ingest(self, feed):
        return subprocess.run(
            [sys.executable, "-m", "kinsight", "ingest", str(feed)],
            env=self.env(), capture_output=True, text=True, check=False,
        )  # fmt: skip

    def ingest_killed_after(self, feed, events):
        child = subprocess.Popen(
            [sys.executable, "-m", "kinsight", "ingest", str(feed)],
            env=self.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while child.poll() is None and time.monotonic() < deadline:
            if self.events() >= events:
                child.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        return child.wait()

    def fingerprint(self):
        done = subprocess.run(
            [sys.executable, "-c", "import kinsight.testing as t; t.print_store_fingerprint()"],
            env=self.env(), capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(done.stdout)

    def drop(self):
        if ON_POSTGRES:
            import psycopg

            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def stores(tmp_path):
    made = [Store(tmp_path, "whole"), Store(tmp_path, "killed")]
    yield made
    for store in made:
        store.drop()


def test_a_killed_ingest_run_again_ends_with_the_store_of_one_uninterrupted_run(tmp_path, stores):
    feed = big_feed(tmp_path / "big.jsonl")
    whole, killed = stores
    assert whole.ingest(feed).returncode == 0
    expected = whole.fingerprint()
    assert killed.ingest_killed_after(feed, events=8000) == -signal.SIGKILL
    assert 0 < killed.events() < len(expected["events"])
    done = killed.ingest(feed)
    assert done.returncode == 0, done.stderr
    assert killed.fingerprint() == expected
