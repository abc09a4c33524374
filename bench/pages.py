"""The practitioners' pages on a synthetic population: time per page at the 50th and 95th
percentile, and the most queries any one page took.

Ingests N families into a scratch store, then (in a child process set up on that store) signs in
as a reviewer, who may see everyone, and reads the person page, the chronology and the family
chronology of the children with the most events and of a random sample of the others.

    python bench/pages.py --families 1000 [--backend sqlite|postgres] [--children 50]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ScratchStore, count_events, machine, run_measured, synth_feeds

PAGES = {
    "person": "/people/{}/",
    "chronology": "/people/{}/chronology/",
    "family chronology": "/people/{}/chronology/?family=1",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--children", type=int, default=50)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.children)
        return
    feeds = synth_feeds(args.families)
    store = ScratchStore(args.backend)
    try:
        run = run_measured([sys.executable, "-m", "kinsight", "ingest", *map(str, feeds)],
                           store.env())  # fmt: skip
        if run.returncode != 0:
            raise SystemExit(f"ingest failed with exit code {run.returncode}")
        print(f"{machine()}; {count_events(feeds):,} events ({args.families} families), "
              f"{args.backend}, ingested in {run.seconds:.0f} s")  # fmt: skip
        env = {**store.env(), "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        subprocess.run(
            [sys.executable, __file__, "--measure", "--children", str(args.children)],
            env=env, check=True,
        )  # fmt: skip
    finally:
        store.drop()


def measure(children: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinsight.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kinsight.access.models import User
    from kinsight.chronology.models import EventSubject

    setup_test_environment()
    user = User.objects.create_user("bench-reviewer", role="reviewer")
    client = Client()
    client.force_login(user)
    busiest = list(
        EventSubject.objects.filter(record__person__isnull=False, role="child")
        .values("record__person_id")
        .annotate(n=Count("event_id"))
        .order_by("-n")
        .values_list("record__person_id", "n")[: children * 4]
    )
    rng = random.Random(1)
    chosen = busiest[: children // 2] + rng.sample(busiest[children // 2 :], children // 2)
    print(f"children: the {children // 2} with the most events (up to {busiest[0][1]}) and "
          f"{children // 2} others")  # fmt: skip
    for name, pattern in PAGES.items():
        seconds: list[float] = []
        queries = 0
        for person_id, _ in chosen:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(pattern.format(person_id))
                seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, (pattern, person_id, response.status_code)
            queries = max(queries, len(captured))
        seconds.sort()
        p95 = seconds[max(0, round(len(seconds) * 0.95) - 1)]
        print(f"{name:<18} p50 {statistics.median(seconds) * 1000:6.0f} ms   "
              f"p95 {p95 * 1000:6.0f} ms   max {seconds[-1] * 1000:6.0f} ms   "
              f"queries at most {queries}")  # fmt: skip


if __name__ == "__main__":
    main()
