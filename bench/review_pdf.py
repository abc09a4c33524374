"""The PDF writer alone: a pack's `.json` (as `bench/review_pack.py` leaves in bench/out/) written
again as a tagged PDF, without the store. Prints CPU seconds, wall seconds and pages.

    python bench/review_pdf.py [bench/out/review-pack.json] [--profile 40]

`--profile N` runs it under cProfile and prints the N costliest calls (it about doubles the time).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, machine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pack", nargs="?", default=str(OUT / "review-pack.json"))
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("KINSIGHT_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinsight.settings")
    import django

    django.setup()
    from pypdf import PdfReader

    from kinsight.reviews.render import write_pdf

    pack = json.loads(Path(args.pack).read_text(encoding="utf-8"))
    out = OUT / "review-pdf-alone.pdf"
    profile = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profile:
        profile.enable()
    write_pdf(pack, out)
    if profile:
        profile.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    pages = len(PdfReader(str(out)).pages)
    print(f"machine: {machine()}")
    print(
        f"PDF of {len(pack['chronology'])} records, {len(pack['alerts'])} alerts: {cpu:.1f} s CPU, "
        f"{wall:.1f} s wall, {pages} pages, {out.stat().st_size / 1024:.0f} KiB"
    )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f}")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
