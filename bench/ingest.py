"""Ingest speed and peak memory on the synthetic population.

    python bench/ingest.py --families 1000 --backend sqlite
    python bench/ingest.py --families 10000 --backend postgres
    python bench/ingest.py --families 1000 --backend sqlite --jobs 2

`--jobs 2` takes the feeds in two processes (`kinsight ingest --jobs 2`): the CPU figure is then
both processes' together, so wall below CPU shows the second core at work.

Events/s are given twice: for the store phase (every line checked and written: events,
versions, subjects, quarantine) and for the whole `kinsight ingest` (store, then linking,
reading text and the rules). Each with its wall time and the process's CPU time, and the load
average, because the machine is shared: with PostgreSQL the server's CPU is not in the figure.

About 100 events a family: 1,000 families is about 100,000 events, 10,000 about 1,000,000.
Targets (issue 2): at least 20,000 events/s on either store, peak memory under 1 GiB at 1,000,000.
"""

from __future__ import annotations

import argparse
import os
import sys

from common import ScratchStore, count_events, machine, run_measured, synth_feeds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "postgresql"], default="sqlite")
    parser.add_argument("--jobs", type=int, default=1, help="kinsight ingest --jobs (default 1)")
    args = parser.parse_args()
    if args.backend == "postgresql":
        args.backend = "postgres"
    feeds = synth_feeds(args.families)
    events = count_events(feeds)
    lines = sum(1 for path in feeds for _ in path.open("rb"))
    store = ScratchStore(args.backend)
    load_before = _load()
    try:
        run = run_measured(
            [
                sys.executable,
                "-m",
                "kinsight",
                "ingest",
                "--timings",
                "--jobs",
                str(args.jobs),
                *map(str, feeds),
            ],  # fmt: skip
            store.env(),
        )
    finally:
        store.drop()
    if run.returncode != 0:
        raise SystemExit(f"ingest failed with exit code {run.returncode}")
    timings, cpu = _timings(run.stdout, "timings: "), _timings(run.stdout, "cpu timings: ")
    store, store_cpu = timings.get("store", run.seconds), cpu.get("store", run.cpu_seconds)
    phases = ", ".join(
        f"{name} {timings[name]:.1f} s (cpu {cpu.get(name, 0):.1f} s)"
        for name in timings if name != "store"
    )  # fmt: skip
    print(
        f"ingest {args.backend} --jobs {args.jobs} store phase: {events} events in "
        f"{store:.1f} s wall = "
        f"{events / store:,.0f} events/s; cpu {store_cpu:.1f} s = "
        f"{events / store_cpu:,.0f} events/s of cpu; then {phases}"
    )
    print(
        f"ingest {args.backend} whole: {args.families} families, {lines} lines, {events} events "
        f"in {run.seconds:.1f} s wall = {events / run.seconds:,.0f} events/s "
        f"({lines / run.seconds:,.0f} lines/s); cpu {run.cpu_seconds:.1f} s = "
        f"{events / run.cpu_seconds:,.0f} events/s of cpu; peak memory {run.peak_mib:,.0f} MiB"
    )
    print(f"load average before {load_before}, after {_load()} [{machine()}]")


def _timings(stdout: str, prefix: str) -> dict[str, float]:
    return {
        part.split()[0]: float(part.split()[1])
        for line in stdout.splitlines() if line.startswith(prefix)
        for part in line.removeprefix(prefix).split(", ")
    }  # fmt: skip


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
