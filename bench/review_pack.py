"""The practice-review pack for one family with 5,000 events, in each format (issue 8).

Target: the pack written in under 30 seconds. The family's feeds are made here (one child, the
mother, the father, a sibling and the mother's new partner, known to seven agencies over nine
years); a synthetic population is ingested beside them so that the anonymiser has every other
record of those agencies to look for as well. Each pack is written by the console script, and
the figure is the whole command's wall time (start-up, reading, rules, writing).

    python bench/review_pack.py [--events 5000] [--families 100] [--backend sqlite|postgres]
        [--store PATH] [--formats json,docx,pdf] [--plain-only] [--from 2016-01-01 --to 2025-12-31]

With `--store PATH` (SQLite) the family and population are ingested into PATH once and kept; a
later run with the same PATH writes the packs from it without ingesting again. `--formats` picks
the formats; `--plain-only` skips the anonymised packs. `--from`/`--to` is the period of the
pack (default: the family's whole nine years; a review usually covers one or two).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, ScratchStore, base_env, machine, run_measured, synth_feeds  # noqa: E402


def run_timed(args: list[str], env: dict[str, str]) -> tuple[float, float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), peak MiB, exit code and output of a child.

    The CPU figure is what the wall time would be on a quiet machine: the pack is written by one
    process on one core, so other work sharing the machine shows in the wall time only."""
    start = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    out = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), out


AGENCIES = [
    ("bench-csc", "Benchshire Children's Social Care", "social_care"),
    ("bench-police", "Benchshire Police", "police"),
    ("bench-hospital", "Benchshire Hospitals", "health"),
    ("bench-gp", "Mill Street Surgery", "health"),
    ("bench-hv", "Benchshire Health Visiting", "health"),
    ("bench-nursery", "Little Oaks Nursery", "early_years"),
    ("bench-school", "Hilltop Primary", "education"),
]
PEOPLE = {
    # key: (given, family, birth date, NHS number, sex)
    "child": ("Poppy", "Marsh", "2016-03-14", "9990001103", "female"),
    "mother": ("Rebecca", "Marsh", "1990-07-01", "9990001111", "female"),
    "father": ("Daniel", "Kerr", "1987-02-20", "9990001138", "male"),
    "sibling": ("Alfie", "Marsh", "2013-11-02", "9990001146", "male"),
    "partner": ("Wayne", "Doyle", "1985-05-05", "", "male"),
}
NOTES = [
    "Home visit: {child} seen with {mother}; home cluttered, little food in the fridge.",
    "{mother} says {partner} has been staying most nights; {child} appeared quiet.",
    "Police called to the address: {mother} and {partner} arguing, {child} present.",
    "{child} not brought to the clinic appointment; {mother} did not answer the phone.",
    "Nursery: {child} arrived hungry and in the same clothes as yesterday.",
    "{father} rang to ask about contact with {child} and {sibling}.",
    "GP: {mother} reports low mood and poor sleep; sertraline started.",
    "School: {sibling} absent three days this week; no reason given.",
    "Strategy discussion about {child}; section 47 enquiry agreed.",
    "{child} weighed and measured; growth along the 9th centile.",
]
TYPES = [
    ("home_visit", {"child_seen": True}),
    ("note", {}),
    ("domestic_abuse_incident", {"risk": "medium"}),
    ("appointment_missed", {"was_not_brought": True}),
    ("observation", {}),
    ("referral", {"concerns": ["domestic_abuse"]}),
    ("note", {}),
    ("note", {}),
    ("strategy_discussion", {"outcome": "section_47"}),
    ("development", {}),
]


def family_feed(path: Path, events: int, seed: int = 1) -> None:
    """One family, `events` events spread over nine years across the seven agencies."""
    rng = random.Random(seed)
    lines: list[dict[str, object]] = [
        {"kind": "agency", "code": code, "name": name, "sector": sector}
        for code, name, sector in AGENCIES
    ]
    for code, _, _ in AGENCIES:
        for key, (given, family, born, nhs, sex) in PEOPLE.items():
            person: dict[str, object] = {
                "kind": "person", "agency": code, "id": f"{code}-{key}", "given_name": given,
                "family_name": family, "birth_date": born, "sex": sex,
                "address": {"text": "3 Quarry Bank, Benchtown", "postcode": "BB9 4ZZ"},
            }  # fmt: skip
            if nhs:
                person["nhs_number"] = nhs
            lines.append(person)
        for person, relative, kind in (
            ("child", "mother", "mother"), ("child", "father", "father"),
            ("sibling", "mother", "mother"), ("child", "sibling", "sibling"),
            ("mother", "partner", "partner"),
        ):  # fmt: skip
            lines.append(
                {"kind": "relationship", "agency": code, "person": f"{code}-{person}",
                 "relative": f"{code}-{relative}", "type": kind}
            )  # fmt: skip
    names = {k: v[0] for k, v in PEOPLE.items()}
    start = datetime(2016, 3, 14, 9, 0)  # noqa: DTZ001 - feeds write UK local time without offset
    step = timedelta(days=9 * 365) / events
    for n in range(events):
        code = AGENCIES[n % len(AGENCIES)][0]
        kind = n % len(NOTES)
        type_, details = TYPES[kind]
        moment = start + step * n + timedelta(minutes=rng.randrange(0, 600))
        subjects = [{"ref": f"{code}-child", "role": "child"},
                    {"ref": f"{code}-mother", "role": "parent"}]  # fmt: skip
        if type_ == "domestic_abuse_incident":
            subjects.append({"ref": f"{code}-partner", "role": "alleged_perpetrator"})
        event: dict[str, object] = {
            "kind": "event", "agency": code, "id": f"{code.upper()}-{n:05d}", "type": type_,
            "occurred_at": moment.strftime("%Y-%m-%dT%H:%M:%S"),
            "recorded_at": (moment + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S"),
            "subjects": subjects, "summary": NOTES[kind].format(**names), "details": details,
        }  # fmt: skip
        if n % 3 == 0:
            event["shared_with"] = ["bench-csc"] if code != "bench-csc" else ["bench-hv"]
        lines.append(event)
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--families", type=int, default=100, help="background population")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--store", type=Path, help="SQLite file to keep the store in and reuse")
    parser.add_argument("--formats", default="json,docx,pdf")
    parser.add_argument("--plain-only", action="store_true", help="no anonymised packs")
    parser.add_argument("--from", dest="date_from", default="2016-01-01")
    parser.add_argument("--to", dest="date_to", default="2025-12-31")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    reuse = args.store is not None and args.store.exists()
    if reuse:
        store = KeptStore(args.store)
        print(f"machine: {machine()}; reusing the store {args.store}")
    else:
        feed = OUT / f"review-family-{args.events}.jsonl"
        family_feed(feed, args.events)
        store = ScratchStore(args.backend, path=args.store)
    try:
        if not reuse:
            feeds = [feed, *synth_feeds(args.families)]
            ingest = run_measured(
                [sys.executable, "-m", "kinsight", "ingest", *map(str, feeds)], store.env()
            )
            if ingest.returncode != 0:
                raise SystemExit("ingest failed")
            print(f"machine: {machine()}; store: {args.backend}")
            print(f"ingested the family ({args.events} events) and {args.families} other "
                  f"families in {ingest.seconds:.1f} s")  # fmt: skip
        for fmt in args.formats.split(","):
            for anonymise in (False,) if args.plain_only else (False, True):
                out = OUT / f"review-pack{'-anon' if anonymise else ''}.{fmt}"
                command = [
                    sys.executable, "-m", "kinsight", "review-pack", "bench-csc:bench-csc-child",
                    "--from", args.date_from, "--to", args.date_to, "--out", str(out),
                    *(["--anonymise"] if anonymise else []),
                ]  # fmt: skip
                wall, cpu, peak, code, output = run_timed(command, store.env())
                status = "" if code == 0 else f" (FAILED, exit {code})"
                said = output.splitlines()[0].partition(": ")[2][:70] if output else ""
                print(
                    f"review-pack .{fmt}{' --anonymise' if anonymise else ''}: "
                    f"{wall:.1f} s wall, {cpu:.1f} s CPU, peak {peak:.0f} MiB, "
                    f"{out.stat().st_size / 1024:.0f} KiB{status}; {said}",
                    flush=True,
                )
        print(f"period: {args.date_from} to {args.date_to}")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f}")
    finally:
        if args.store is None:
            store.drop()


class KeptStore:
    """A store kept by an earlier run (`--store`)."""

    def __init__(self, path: Path) -> None:
        self.url = f"sqlite:///{path.resolve()}"

    def env(self) -> dict[str, str]:
        return {**base_env(), "DATABASE_URL": self.url}

    def drop(self) -> None:
        pass


if __name__ == "__main__":
    main()
