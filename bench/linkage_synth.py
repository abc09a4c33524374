"""Linkage accuracy on `kinsight synth` ground truth: pairwise P/R/F1, twins and siblings merged.

The synthetic feeds are cut down to their agency, person and relationship lines (events do not
take part in linkage), ingested into a scratch SQLite store (linking on ingest), then re-linked
with `kinsight link run`. Truth is `truth.json`: two records are a true pair when they belong to
one truth person.

    python bench/linkage_synth.py --families 10000
"""

from __future__ import annotations

import argparse
import itertools
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, base_env, machine, run_measured, synth_feeds  # noqa: E402

KINDS = ('"kind": "agency"', '"kind": "person"', '"kind": "relationship"')


def people_feeds(families: int, seed: int) -> tuple[list[Path], Path]:
    feeds = synth_feeds(families, seed)
    out = OUT / f"synth-{families}-{seed}-people"
    if not out.exists():
        out.mkdir(parents=True)
        for path in feeds:
            with path.open() as src, (out / path.name).open("w") as dst:
                dst.writelines(line for line in src if any(k in line for k in KINDS))
    return sorted(out.glob("*.jsonl")), feeds[0].parent / "truth.json"


def pairs_of(groups: list[list[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for group in groups:
        out.update(itertools.combinations(sorted(group), 2))
    return out


def evaluate(db: Path, truth_path: Path) -> dict[str, float]:
    truth = json.loads(truth_path.read_text())
    owner = {}
    for person in truth["persons"]:
        for agency, record in person["records"]:
            owner[f"{agency}:{record}"] = person["truth_id"]
    true_groups = [[f"{a}:{r}" for a, r in p["records"]] for p in truth["persons"]]
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT r.person_id, a.code, r.record_id FROM people_personrecord r"
            " JOIN feeds_agency a ON a.id = r.agency_id"
        ).fetchall()
    made: dict[int, list[str]] = {}
    for person, code, record in rows:
        made.setdefault(person, []).append(f"{code}:{record}")
    truth_pairs = pairs_of(true_groups)
    made_pairs = pairs_of(list(made.values()))
    hits = len(truth_pairs & made_pairs)
    precision = hits / len(made_pairs) if made_pairs else 1.0
    recall = hits / len(truth_pairs) if truth_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    person_of = {}
    for person, members in made.items():
        for m in members:
            person_of[m] = person
    by_truth = {p["truth_id"]: p for p in truth["persons"]}

    def merged(kind: str) -> tuple[int, int]:
        n = 0
        for a, b in truth[kind]:
            ra = {person_of.get(f"{x}:{y}") for x, y in by_truth[a]["records"]}
            rb = {person_of.get(f"{x}:{y}") for x, y in by_truth[b]["records"]}
            n += bool(ra & rb - {None})
        return n, len(truth[kind])

    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": len(truth_pairs),
        "made_pairs": len(made_pairs),
        "twins": merged("twins"),
        "siblings": merged("siblings"),
        "half_siblings": merged("half_siblings"),
    }  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    feeds, truth = people_feeds(args.families, args.seed)
    with tempfile.TemporaryDirectory(prefix="kinsight-linkbench-") as tmp:
        db = Path(tmp) / "store.sqlite3"
        env = {**base_env(), "DATABASE_URL": f"sqlite:///{db}"}
        py = sys.executable
        ingest = run_measured([py, "-m", "kinsight", "ingest", *map(str, feeds)], env)
        assert ingest.returncode == 0, "ingest failed"
        on_ingest = evaluate(db, truth)
        run = run_measured([py, "-m", "kinsight", "link", "run"], env)
        assert run.returncode == 0, "link run failed"
        after_run = evaluate(db, truth)
    print(f"machine: {machine()}")
    print(f"synthetic population: {args.families} families, seed {args.seed}")
    for label, result, timing in (("linked on ingest", on_ingest, ingest),
                                  ("kinsight link run", after_run, run)):  # fmt: skip
        print(
            f"{label}: P {result['precision']:.4f} R {result['recall']:.4f} "
            f"F1 {result['f1']:.4f} ({result['made_pairs']} pairs made, "
            f"{result['true_pairs']} true); twins merged {result['twins'][0]} of "
            f"{result['twins'][1]}, siblings {result['siblings'][0]} of {result['siblings'][1]}, "
            f"half-siblings {result['half_siblings'][0]} of {result['half_siblings'][1]}; "
            f"{timing.seconds:.1f} s, peak {timing.peak_mib:.0f} MiB"
        )


if __name__ == "__main__":
    main()
