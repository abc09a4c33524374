"""How fast the synthetic population generator runs, and how much memory it holds.

    python bench/synth_speed.py [--families 2000] [--seed 1] [--harm-share 0.1] [--out DIR]

Prints families per second, events per second and the peak resident memory of this process
(resource.getrusage, so Linux reports kilobytes). Memory should stay flat as families grow: run it
at 2000 and at 10000 and compare.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kinsight.synth import generate_population  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--families", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--harm-share", type=float, default=0.1)
    parser.add_argument("--out", type=Path, help="keep the output here (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="synth-bench-") as scratch:
        out = args.out or Path(scratch)
        started = time.perf_counter()
        counts = generate_population(out, args.families, seed=args.seed, harm_share=args.harm_share)
        elapsed = time.perf_counter() - started
        size = sum(path.stat().st_size for path in out.iterdir())
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"families:      {counts['families']}")
    print(f"persons:       {counts['persons']}")
    print(f"records:       {counts['records']}")
    print(
        f"events:        {counts['events']} ({counts['events'] / max(1, counts['families']):.1f} "
        "per family)"
    )
    print(f"lines:         {counts['lines']}")
    print(f"output:        {size / 1e6:.1f} MB")
    print(f"elapsed:       {elapsed:.2f} s")
    print(f"families/s:    {counts['families'] / elapsed:,.0f}")
    print(f"events/s:      {counts['events'] / elapsed:,.0f}")
    print(f"peak memory:   {peak_kb / 1024:.1f} MB (ru_maxrss)")


if __name__ == "__main__":
    main()
