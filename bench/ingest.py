"""Ingest speed and peak memory on the synthetic population.

    python bench/ingest.py --families 1000 --backend sqlite
    python bench/ingest.py --families 10000 --backend postgres

About 100 events a family: 1,000 families is about 100,000 events, 10,000 about 1,000,000.
Targets (issue 2): at least 20,000 events/s on either store, peak memory under 1 GiB at 1,000,000.
"""

from __future__ import annotations

import argparse
import sys

from common import ScratchStore, count_events, machine, run_measured, synth_feeds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    feeds = synth_feeds(args.families)
    events = count_events(feeds)
    lines = sum(1 for path in feeds for _ in path.open("rb"))
    store = ScratchStore(args.backend)
    try:
        run = run_measured(
            [sys.executable, "-m", "kinsight", "ingest", "--timings", *map(str, feeds)], store.env()
        )
    finally:
        store.drop()
    if run.returncode != 0:
        raise SystemExit(f"ingest failed with exit code {run.returncode}")
    timings = {
        part.split()[0]: float(part.split()[1])
        for line in run.stdout.splitlines() if line.startswith("timings: ")
        for part in line.removeprefix("timings: ").split(", ")
    }  # fmt: skip
    store = timings.get("store", run.seconds)
    print(
        f"ingest {args.backend} store phase: {events} events in {store:.1f} s = "
        f"{events / store:,.0f} events/s; link {timings.get('link', 0):.1f} s, "
        f"read text {timings.get('text', 0):.1f} s"
    )
    print(
        f"ingest {args.backend}: {args.families} families, {lines} lines, {events} events in "
        f"{run.seconds:.1f} s = {events / run.seconds:,.0f} events/s "
        f"({lines / run.seconds:,.0f} lines/s), peak memory {run.peak_mib:,.0f} MiB "
        f"[{machine()}]"
    )


if __name__ == "__main__":
    main()
