"""Judging every child of a kept store once, as a first big ingest does: time and peak memory.

    python bench/alerts_everyone.py --store bench/out/pop10000.sqlite3

The store is one `alerts_synth.py --store` made; it is read, not written. Two versions of the
code can be compared on one store by running this with each on PYTHONPATH in turn.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from common import machine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True, help="a kept SQLite population")
    args = parser.parse_args()
    os.environ.setdefault("KINSIGHT_ENV", "test")
    os.environ["DATABASE_URL"] = f"sqlite:///{args.store.resolve()}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kinsight.settings"
    import django

    django.setup()
    from kinsight.rules.actions import HORIZON
    from kinsight.rules.engine import evaluate

    started, cpu = time.perf_counter(), time.process_time()
    found = evaluate(HORIZON)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"every child judged: {len(found)} alerts in {wall:.1f} s wall, {cpu:.1f} s CPU, "
        f"peak {peak:,.0f} MiB [{machine()}; load average {os.getloadavg()[0]:.1f}]"
    )


if __name__ == "__main__":
    main()
