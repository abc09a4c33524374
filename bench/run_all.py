"""`make bench`: every benchmark, each printing its own figures.

The slow sizes (1,000,000 events) run only with --full, since they take minutes on a 2-core
machine; docs/performance.md records both sizes with the command that measured them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *args: str) -> None:
    path = HERE / script
    if not path.exists():
        print(f"(skipped {script}: not present)")
        return
    print(f"$ python bench/{script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(path), *args], check=False, cwd=HERE.parent)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="include the 1,000,000-event sizes")
    args = parser.parse_args()
    sizes = ["1000", "10000"] if args.full else ["1000"]
    run("synth_speed.py")
    for families in sizes:
        for backend in ("sqlite", "postgres"):
            for jobs in ("1", "2"):
                run("ingest.py", "--families", families, "--backend", backend, "--jobs", jobs)
    run("text_speed.py")
    for families in sizes:
        run("alerts_synth.py", "--families", families)
    for families in sizes:
        run("pages.py", "--families", families)
    run("review_pack.py", "--events", "5000")
    run("linkage_febrl.py")
    run("linkage_synth.py", "--families", "10000" if args.full else "1000")
    run("linkage_speed.py", "--shards", "8" if args.full else "1")


if __name__ == "__main__":
    main()
