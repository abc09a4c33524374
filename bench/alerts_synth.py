"""Alerts on a synthetic population, end to end: ingest, link, read text, evaluate rules.

Prints
- the whole pipeline's time and peak memory (`kinsight ingest` in a child process);
- how many of the alerts truth.json expects were raised on time (same rule, child and moment),
  raised at another moment, or missed, by rule;
- urgent alerts per 100 child-years in families with no injected harm;
- the time to take one new event about a known child (ingest of a one-line feed, with linking,
  text and the re-evaluation of that child's household), as percentiles.

    python bench/alerts_synth.py --families 1000 [--backend sqlite|postgres] [--singles 100]

With `--store PATH` (SQLite) the population is ingested into PATH once and kept: a later run
with the same PATH migrates it and times the single new events only, so changes to the rules
can be measured again without a whole ingest.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from common import ScratchStore, base_env, machine, run_measured, synth_feeds

END = date(2025, 1, 1)  # the synthetic population lives between 2015 and 2024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--singles", type=int, default=100, help="single new events to time")
    parser.add_argument(
        "--store", type=Path, help="SQLite file to keep the population in and reuse (singles only)"
    )
    args = parser.parse_args()
    feeds = synth_feeds(args.families)
    truth = json.loads((feeds[0].parent / "truth.json").read_text(encoding="utf-8"))
    if args.store is not None and args.store.exists():
        env = {**base_env(), "DATABASE_URL": f"sqlite:///{args.store.resolve()}"}
        subprocess.run([sys.executable, "-m", "kinsight", "migrate"], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        print(f"reusing the population stored in {args.store} [{machine()}]")
        singles(env, truth, args.singles)
        return
    store = ScratchStore(args.backend, path=args.store)
    try:
        run = run_measured(
            [sys.executable, "-m", "kinsight", "ingest", "--timings", *map(str, feeds)], store.env()
        )
        if run.returncode != 0:
            raise SystemExit(f"ingest failed with exit code {run.returncode}")
        timings = next(
            (line for line in run.stdout.splitlines() if line.startswith("timings:")), ""
        )
        print(
            f"alerts {args.backend}: {args.families} families end to end in {run.seconds:.1f} s "
            f"({timings}), peak memory {run.peak_mib:,.0f} MiB [{machine()}]"
        )
        listed = subprocess.run(
            [sys.executable, "-m", "kinsight", "alerts", "--json"],
            env=store.env(), check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        alerts = json.loads(listed)["alerts"]
        compare(truth, alerts)
        if args.singles:
            singles(store.env(), truth, args.singles)
    finally:
        if args.store is None:
            store.drop()


def compare(truth: dict[str, Any], alerts: list[dict[str, Any]]) -> None:
    raised: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for alert in alerts:
        for subject in alert["subjects"]:
            raised[(alert["rule"], subject[0], subject[1])].add(alert["raised_at"])
    # A child's records as truth knows them: an alert on any of them is on that child.
    records_of = {
        tuple(record): [tuple(r) for r in person["records"]]
        for person in truth["persons"]
        for record in person["records"]
    }
    outcome: dict[str, Counter[str]] = defaultdict(Counter)
    for pattern in truth["patterns"]:
        for expected in pattern["expected_alerts"]:
            moments: set[str] = set()
            for agency, rid in records_of.get(tuple(expected["child"]), [tuple(expected["child"])]):
                moments |= raised.get((expected["rule"], agency, rid), set())
            if expected["raised_at"] in moments:
                outcome[expected["rule"]]["on time"] += 1
            elif moments:
                outcome[expected["rule"]]["other moment"] += 1
            else:
                outcome[expected["rule"]]["missed"] += 1
    total = sum((c for c in outcome.values()), Counter())
    expected_count = sum(total.values())
    on_time = total["on time"] / expected_count if expected_count else 0.0
    print(
        f"injected patterns: {expected_count} expected alerts, {total['on time']} on time "
        f"({on_time:.1%}), {total['other moment']} at another moment, {total['missed']} missed"
    )
    for rule in sorted(outcome):
        counts = outcome[rule]
        print(
            f"  {rule}: {counts['on time']} on time, {counts['other moment']} other moment, "
            f"{counts['missed']} missed"
        )
    quiet_alerts(truth, alerts)


def quiet_alerts(truth: dict[str, Any], alerts: list[dict[str, Any]]) -> None:
    harmed = {pattern["family"] for pattern in truth["patterns"]}
    quiet_children = [
        p for p in truth["persons"] if p["role"] == "child" and p["family"] not in harmed
    ]
    owner = {tuple(r): p["truth_id"] for p in quiet_children for r in p["records"]}
    years = 0.0
    for child in quiet_children:
        if not child["birth_date"]:
            continue  # never born within the population's years
        born = date.fromisoformat(child["birth_date"])
        start = max(born, date(2015, 1, 1))
        end = min(END, date(born.year + 18, born.month, min(born.day, 28)))
        years += max(0, (end - start).days) / 365.25
    urgent: Counter[str] = Counter()
    for alert in alerts:
        if alert["severity"] == "urgent" and any(tuple(s) in owner for s in alert["subjects"]):
            urgent[alert["rule"]] += 1
    count = sum(urgent.values())
    rate = 100 * count / years if years else 0.0
    print(
        f"families with no injected harm: {len(quiet_children)} children, {years:,.0f} "
        f"child-years, {count} urgent alerts = {rate:.2f} per 100 children per year"
    )
    for rule, n in urgent.most_common(8):
        print(f"  urgent {rule}: {n}")


def singles(env: dict[str, str], truth: dict[str, Any], count: int) -> None:
    """Time one new event about a known child, through the whole ingest, in this process."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kinsight.settings"
    import django

    django.setup()
    from kinsight.feeds.actions import do_ingest_feeds
    from kinsight.lib.workdays import is_working_day

    # A server has loaded the bank-holiday calendar (its first use imports every country the
    # `holidays` package knows, about 0.2 s) as it has the text model (the first event below).
    is_working_day(date(2024, 1, 2))

    rng = random.Random(7)
    # Ids never used before in this store, so that each line is a new event even when the
    # population is kept between runs.
    run_id = uuid.uuid4().hex[:8]
    children = [
        p
        for p in truth["persons"]
        if p["role"] == "child" and (p["birth_date"] or "") >= "2020-01-01"
    ]
    took: list[float] = []
    # CPU time as well: SQLite runs in this process, so on a machine shared with other work
    # it is what one quiet core would take, where the wall time is not.
    cpu: list[float] = []
    phases: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as scratch:
        for n in range(count + 1):
            child = rng.choice(children)
            agency, ref = rng.choice(child["records"])
            line = {
                "kind": "event", "agency": agency, "id": f"BENCH-{run_id}-{n}", "type": "note",
                "occurred_at": "2024-12-01T10:00:00",
                "subjects": [{"ref": ref, "role": "child"}],
                "summary": "Seen at home. Small bruise to the left cheek, no explanation given.",
            }  # fmt: skip
            path = Path(scratch) / f"single-{n}.jsonl"
            path.write_text(json.dumps(line) + "\n", encoding="utf-8")
            start, start_cpu = time.perf_counter(), time.process_time()
            summary = do_ingest_feeds([path], acting="bench")
            took.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            for phase in ("text", "rules"):
                phases[f"{phase} wall"].append(summary.timings.get(phase, 0.0))
                phases[f"{phase} CPU"].append(summary.cpu_timings.get(phase, 0.0))
    # The first loads the text model; a server has it loaded.
    figures = {"whole wall": took[1:], "whole CPU": cpu[1:]}
    figures.update({name: values[1:] for name, values in phases.items()})
    print(
        f"one new event about a known child, over {count} events (the whole pipeline; its text "
        "phase; its rules phase, the household re-judged), median / p95 in ms "
        f"[load average {os.getloadavg()[0]:.1f}]:"
    )
    for name, values in figures.items():
        cuts = statistics.quantiles(values, n=20)
        print(f"  {name}: {statistics.median(values) * 1000:.0f} / {cuts[18] * 1000:.0f}")


if __name__ == "__main__":
    main()
