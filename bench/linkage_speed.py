"""Linkage speed: `kinsight link run` over a large store, then new records linked on ingest.

The store is the `kinsight synth` population for 10,000 families (about 136,000 agency records)
copied SHARDS times into one store; each copy has its own record ids, its own NHS numbers and
birth dates moved back three years per copy and their own addresses (another house number and
postcode in the same sector), so the copies are distinct people with the same names (name
collisions grow with the store, as they would). The figures in docs/performance.md were taken
before copies had their own addresses. Records are written directly, then:

1. `kinsight link run` re-links everything, in a child process: wall time and peak memory;
2. PROBES further records (from one more copy) are written one at a time and each is linked
   with `link_unlinked_records()` as ingest does: the 50th and 95th percentile of that call.

    python bench/linkage_speed.py --shards 8     # about 1,090,000 records
    python bench/linkage_speed.py --shards 1     # about 136,000 records, 46,000 persons
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, ScratchStore, machine, run_measured, synth_feeds  # noqa: E402


def _nhs(number: str, shard: int) -> str:
    if not number or shard == 0:
        return number
    body = str((int(number[:9]) + 7_919 * shard) % 1_000_000_000).zfill(9)
    total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return "" if check == 10 else body + str(check)


def _date(value: str | None, shard: int) -> str | None:
    if not value or shard == 0:
        return value
    year = int(value[:4]) - 3 * shard
    rest = value[4:]
    if rest == "-02-29":
        rest = "-02-28"
    return f"{year:04d}{rest}"


def _postcode(value: str, shard: int) -> str:
    """Another postcode in the same sector: the last two letters moved on by the copy number."""
    if not value or shard == 0 or len(value) < 2:
        return value
    letters = value[-2:].upper()
    if not letters.isalpha():
        return value
    moved = "".join(chr((ord(ch) - 65 + shard) % 26 + 65) for ch in letters)
    return value[:-2] + moved


def people(families: int) -> list[dict[str, Any]]:
    """The latest version of every person line of the synthetic feeds."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for path in synth_feeds(families):
        with path.open() as handle:
            for line in handle:
                if '"kind": "person"' not in line:
                    continue
                values = json.loads(line)
                key = (values["agency"], values["id"])
                seen = latest.get(key)
                if seen is None or (values.get("recorded_at") or "") >= (
                    seen.get("recorded_at") or ""
                ):
                    latest[key] = values
    return [latest[k] for k in sorted(latest)]


def write_records(base: list[dict[str, Any]], shards: range, *, link: bool = False) -> None:
    from django.utils import timezone

    from kinsight.feeds.models import Agency
    from kinsight.people.models import PersonRecord

    agencies = {}
    for code in sorted({p["agency"] for p in base}):
        agencies[code], _ = Agency.objects.get_or_create(
            code=code, defaults={"name": code, "sector": "other", "declared": True}
        )
    now = timezone.now()
    batch: list[PersonRecord] = []
    for shard in shards:
        for values in base:
            address = values.get("address") or {}
            batch.append(
                PersonRecord(
                    agency=agencies[values["agency"]],
                    record_id=f"{values['id']}/{shard}",
                    given_name=values.get("given_name", ""),
                    family_name=values.get("family_name", ""),
                    other_names=values.get("other_names", []),
                    sex=values.get("sex", ""),
                    birth_date=_date(values.get("birth_date", ""), shard) or "",
                    unborn=values.get("unborn", False),
                    expected_birth_date=_date(values.get("expected_birth_date"), shard),
                    nhs_number=_nhs(values.get("nhs_number", ""), shard),
                    # Each copy lives elsewhere: another house number, another postcode.
                    address_text=(f"{shard}" if shard else "") + address.get("text", ""),
                    postcode=_postcode(address.get("postcode", ""), shard),
                    received_at=now,
                    digest="-",
                    raw="{}",
                )
            )
            if len(batch) >= 5000:
                PersonRecord.objects.bulk_create(batch)
                batch = []
    PersonRecord.objects.bulk_create(batch)


def setup_store(url: str, shards: int) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinsight.settings")
    import django

    django.setup()
    write_records(people(10_000), range(shards))


def probe(probes: int, shards: int) -> list[float]:
    from kinsight.people.linking import link_unlinked_records

    base = people(10_000)
    step = max(1, len(base) // probes)
    timings = []
    for values in base[::step][:probes]:
        write_records([values], range(shards, shards + 1))
        started = time.perf_counter()
        link_unlinked_records()
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--stage", choices=["all", "setup", "probe"], default="all")
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.stage == "setup":
        setup_store(args.url, args.shards)
        return
    if args.stage == "probe":
        os.environ["DATABASE_URL"] = args.url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinsight.settings")
        import django

        django.setup()
        from kinsight.people.models import PersonRecord

        records = PersonRecord.objects.count()
        persons = PersonRecord.objects.values("person_id").distinct().count()
        timings = sorted(probe(args.probes, args.shards))
        p50 = timings[len(timings) // 2] * 1000
        p95 = timings[int(len(timings) * 0.95)] * 1000
        print(f"probe {len(timings)} {p50:.1f} {p95:.1f} {records} {persons}")
        return
    store = ScratchStore("sqlite")
    try:
        env = store.env()
        py = sys.executable
        here = str(Path(__file__).resolve())
        setup = run_measured([py, here, "--stage", "setup", "--url", store.url,
                              "--shards", str(args.shards)], env)  # fmt: skip
        assert setup.returncode == 0, "setup failed"
        run = run_measured([py, "-m", "kinsight", "link", "run"], env)
        assert run.returncode == 0, "link run failed"
        probes = run_measured([py, here, "--stage", "probe", "--url", store.url,
                               "--shards", str(args.shards), "--probes", str(args.probes)],
                              env)  # fmt: skip
        _, n, p50, p95, records, persons = probes.stdout.split()
    finally:
        store.drop()
    print(f"machine: {machine()}")
    print(f"store: {int(records):,} agency records, {int(persons):,} persons "
          f"({args.shards} copies of synth 10,000 families)")  # fmt: skip
    print(f"kinsight link run: {run.seconds:.1f} s, peak {run.peak_mib / 1024:.2f} GiB"
          f" ({run.stdout.strip()})")  # fmt: skip
    print(f"a new record linked on ingest: p50 {p50} ms, p95 {p95} ms over {n} records")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    main()
