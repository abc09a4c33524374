"""The ingest's store phase alone, in this process, with the server's CPU beside this process's.

    python bench/store_phase.py --families 1000 --backend postgres
    python bench/store_phase.py --families 10000 --backend postgres --jobs 2

What `kinsight ingest` does before linking: every line checked and written, on a new store.
Linking, text and rules are left out, so that a change to the store phase can be measured in a
minute rather than in the whole ingest's several. To compare old code with new on a machine
whose speed moves, run each checkout's own copy in turn (docs/performance.md, sessions 11 and
12); each prints which checkout it ran.

On PostgreSQL with one process, the server's CPU is the sum over the `postgres` processes in
/proc. With `--jobs 2` this process's CPU includes its two children's, and the server's is not
given: the server processes that served them are gone before it can be read.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

# This checkout's kinsight, not the one installed: an older checkout's copy of this script
# measures the older code.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import OUT, machine, synth_feeds  # noqa: E402

import kinsight  # noqa: E402
from kinsight import testing  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    feeds = synth_feeds(args.families)

    store = testing.ScratchStore(OUT, "store-phase", postgres=args.backend == "postgres")
    try:
        os.environ.update(store.env())
        os.environ["DJANGO_SETTINGS_MODULE"] = "kinsight.settings"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        # With --jobs, the server processes that served the children are gone, with their CPU
        # time, before it can be read.
        server_cpu = args.backend == "postgres" and args.jobs == 1
        events, seconds, cpu, server = _store(feeds, args.jobs, server_cpu)
    finally:
        from django.db import connections

        connections.close_all()
        store.drop()
    print(
        f"store phase {args.backend} --jobs {args.jobs}: {events} events in {seconds:.1f} s = "
        f"{events / seconds:,.0f} events/s; this process's CPU {cpu:.1f} s"
        + (f", the server's {server:.1f} s" if server is not None else "")
        + f" [{Path(kinsight.__file__).parents[1]}; {machine()}]"
    )


def _store(
    feeds: list[Path], jobs: int, server_cpu: bool
) -> tuple[int, float, float, float | None]:
    from kinsight.chronology.models import Event
    from kinsight.feeds.ingest import Ingest

    ingest = Ingest(actor="bench")
    server_before = _server_cpu() if server_cpu else 0.0
    started, cpu = time.perf_counter(), _cpu()
    if jobs == 1:
        for path in feeds:
            ingest.ingest_file(path)
    else:
        from kinsight.feeds.parallel import store_feeds

        store_feeds(ingest, feeds, jobs=jobs)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    server = _server_cpu() - server_before if server_cpu else None
    return Event.objects.count(), seconds, cpu, server


def _cpu() -> float:
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))  # fmt: skip
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _server_cpu() -> float:
    """The CPU seconds of every `postgres` process on this machine (the server is local)."""
    ticks = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (proc / "comm").read_text().strip() != "postgres":
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
