"""`kinsight ingest --jobs N`: several processes take the files and end with one process's store."""

import json
import subprocess
import sys

import pytest

from kinsight.feeds.tests.scratch import Store, split_by_kind

pytestmark = pytest.mark.slow


@pytest.fixture
def population(tmp_path):
    """A small synthetic population, each agency's feed cut in two so that events often arrive
    before the persons they name."""
    out = tmp_path / "synth"
    subprocess.run(
        [sys.executable, "-m", "kinsight", "synth", "--families", "40", "--seed", "3",
         "--out", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    return [part for feed in sorted(out.glob("*.jsonl")) for part in split_by_kind(feed)]


@pytest.fixture
def stores(tmp_path):
    # Small batches, so that the processes take turns many times within each file.
    made = [Store(tmp_path, "one", batch_lines=150), Store(tmp_path, "two", batch_lines=150)]
    yield made
    for store in made:
        store.drop()


def test_two_processes_end_with_the_store_and_the_alerts_of_one(population, stores):
    one, two = stores
    single = one.ingest(population, jobs=1)
    assert single.returncode == 0, single.stderr
    double = two.ingest(population, jobs=2)
    assert double.returncode == 0, double.stderr
    summary = [line for line in single.stdout.splitlines() if " lines: " in line]
    assert summary and summary[0] in double.stdout
    assert two.fingerprint() == one.fingerprint()
    alerts = one.alerts_fingerprint()
    assert alerts, "the population raises alerts"
    assert two.alerts_fingerprint() == alerts


def test_feeds_sent_again_with_changes_end_in_two_processes_as_in_one(population, stores):
    changed = [_changed(feed) for feed in population]
    one, two = stores
    runs = {}
    for store, jobs in ((one, 1), (two, 2)):
        for feeds in (population, changed):
            runs[store.name] = run = store.ingest(feeds, jobs=jobs)
            assert run.returncode == 0, run.stderr

    summary = [line for line in runs[one.name].stdout.splitlines() if " lines: " in line]
    assert summary and ", 0 updated" not in summary[0] and summary[0] in runs[two.name].stdout
    assert two.fingerprint() == one.fingerprint()


def _changed(feed):
    """The feed sent again: every third person and event corrected later, the rest as before."""
    out = feed.with_suffix(".changed.jsonl")
    with feed.open() as lines, out.open("w") as changed:
        for n, line in enumerate(lines):
            obj = json.loads(line)
            if obj.get("kind") in ("person", "event") and n % 3 == 0:
                obj["recorded_at"] = "2030-01-01T09:00:00"
                if obj["kind"] == "event":
                    obj["summary"] = f"{obj.get('summary', '')} (corrected)"
                else:
                    obj["given_name"] = f"{obj.get('given_name', '')}e"
            changed.write(json.dumps(obj) + "\n")
    return out


def test_a_process_killed_from_outside_is_noticed_rather_than_waited_for():
    import multiprocessing
    from types import SimpleNamespace

    from kinsight.feeds.parallel import IngestWorkerFailed, _next

    results = multiprocessing.get_context("fork").Queue()
    killed = SimpleNamespace(exitcode=-9)
    with pytest.raises(IngestWorkerFailed, match="exit code -9; run the ingest again"):
        _next(results, [killed])
