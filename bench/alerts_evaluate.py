"""The rules' evaluation alone, for the children single new events would judge: CPU per evaluation.

`alerts_synth.py` times one new event through the whole ingest, which writes to the store, so two
runs never see quite the same store. This reads only: for each of the children that bench picks
(the same seed, children born since 2020), it asks `evaluate` what it asks after a note about that
child (`households_changed=False`), on a kept population, and prints the CPU time per evaluation.
Two versions of the code can be compared on one unchanging store by running this with each on
PYTHONPATH in turn.

    python bench/alerts_evaluate.py --store bench/out/pop1000.sqlite3 [--families 1000]
        [--children 200] [--profile out.prof]

The store is one `alerts_synth.py --store` made; it is not migrated or written here.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import random
import statistics
import time
from datetime import date
from pathlib import Path

from common import OUT, machine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True, help="a kept SQLite population")
    parser.add_argument("--families", type=int, default=1000, help="the population's size")
    parser.add_argument("--children", type=int, default=200, help="evaluations to time")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the timed evaluations")
    args = parser.parse_args()
    os.environ.setdefault("KINSIGHT_ENV", "test")
    os.environ["DATABASE_URL"] = f"sqlite:///{args.store.resolve()}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kinsight.settings"
    import django

    django.setup()
    from kinsight.feeds.models import Agency
    from kinsight.lib.workdays import is_working_day
    from kinsight.people.models import PersonRecord
    from kinsight.rules.actions import HORIZON
    from kinsight.rules.engine import evaluate

    is_working_day(date(2024, 1, 2))  # the bank-holiday calendar, loaded as a server has it
    truth = json.loads((OUT / f"synth-{args.families}-1" / "truth.json").read_text("utf-8"))
    codes = dict(Agency.objects.values_list("code", "pk"))
    children = [
        p
        for p in truth["persons"]
        if p["role"] == "child" and (p["birth_date"] or "") >= "2020-01-01"
    ]
    rng = random.Random(7)  # as alerts_synth.py picks them
    picks: list[int] = []
    for _ in range(args.children):
        agency, ref = rng.choice(rng.choice(children)["records"])
        found = PersonRecord.objects.filter(agency_id=codes[agency], record_id=ref)
        pid = found.values_list("person_id", flat=True).first()
        if pid is not None:
            picks.append(pid)
    evaluate(HORIZON, picks[:1], households_changed=False)  # imports and first reads
    profile = cProfile.Profile() if args.profile else None
    cpu: list[float] = []
    for pid in picks:
        if profile:
            profile.enable()
        start = time.process_time()
        evaluate(HORIZON, [pid], households_changed=False)
        cpu.append(time.process_time() - start)
        if profile:
            profile.disable()
    if profile and args.profile:
        profile.dump_stats(args.profile)
    cuts = statistics.quantiles(cpu, n=20)
    print(
        f"evaluate alone, {len(cpu)} children of {args.store.name}, CPU median / p95 / max in ms: "
        f"{statistics.median(cpu) * 1000:.1f} / {cuts[18] * 1000:.1f} / {max(cpu) * 1000:.1f} "
        f"[load average {os.getloadavg()[0]:.1f}; {machine()}]"
    )


if __name__ == "__main__":
    main()
