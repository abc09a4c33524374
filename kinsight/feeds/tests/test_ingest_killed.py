"""An ingest killed part-way (SIGKILL) and run again ends with the store one run makes."""

import signal
import time

import pytest

from kinsight.feeds.tests.scratch import Store, split_by_kind
from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = pytest.mark.slow


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


@pytest.fixture
def stores(tmp_path):
    made = [Store(tmp_path, "whole"), Store(tmp_path, "killed")]
    yield made
    for store in made:
        store.drop()


def test_a_killed_ingest_run_again_ends_with_the_store_of_one_uninterrupted_run(tmp_path, stores):
    feeds = [big_feed(tmp_path / "big.jsonl")]
    whole, killed = stores
    assert whole.ingest(feeds).returncode == 0
    expected = whole.fingerprint()
    assert killed.ingest_killed_after(feeds, events=8000) == -signal.SIGKILL
    assert 0 < killed.events() < len(expected["events"])
    done = killed.ingest(feeds)
    assert done.returncode == 0, done.stderr
    assert killed.fingerprint() == expected


def test_a_killed_ingest_of_several_processes_leaves_none_writing_and_runs_again_whole(
    tmp_path, stores
):
    feeds = split_by_kind(big_feed(tmp_path / "big.jsonl"))
    whole, killed = stores
    assert whole.ingest(feeds, jobs=2).returncode == 0
    expected = whole.fingerprint()
    assert killed.ingest_killed_after(feeds, events=8000, jobs=2) == -signal.SIGKILL
    written = killed.events()
    time.sleep(1.5)
    assert killed.events() == written, "a process went on writing after its ingest was killed"
    assert 0 < written < len(expected["events"])
    done = killed.ingest(feeds, jobs=2)
    assert done.returncode == 0, done.stderr
    assert killed.fingerprint() == expected
