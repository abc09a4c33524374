"""A small synthetic population links with F1 at least 0.95 and no twins merged."""

import itertools
import json

import pytest

from kinsight.feeds.actions import do_ingest_feeds
from kinsight.people.actions import do_relink_all
from kinsight.people.models import PersonRecord
from kinsight.synth import generate_population

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
KINDS = ('"kind": "agency"', '"kind": "person"', '"kind": "relationship"')


def pairs(groups):
    return {pair for group in groups for pair in itertools.combinations(sorted(group), 2)}


def test_a_small_population_links_well_and_never_merges_twins(tmp_path):
    generate_population(tmp_path / "synth", families=150, seed=3)
    feeds = []
    for path in sorted((tmp_path / "synth").glob("*.jsonl")):
        lines = [line for line in path.read_text().splitlines() if any(k in line for k in KINDS)]
        feeds.append(tmp_path / path.name)
        feeds[-1].write_text("\n".join(lines) + "\n")
    do_ingest_feeds(feeds, acting="test")
    do_relink_all(acting="test")
    truth = json.loads((tmp_path / "synth" / "truth.json").read_text())
    person_of = {
        f"{code}:{rid}": p
        for code, rid, p in PersonRecord.objects.values_list(
            "agency__code", "record_id", "person_id"
        )
    }
    made: dict[int, list[str]] = {}
    for key, person in person_of.items():
        made.setdefault(person, []).append(key)
    true = pairs([[f"{a}:{r}" for a, r in p["records"]] for p in truth["persons"]])
    found = pairs(made.values())
    precision, recall = len(true & found) / len(found), len(true & found) / len(true)
    assert 2 * precision * recall / (precision + recall) >= 0.95
    records = {p["truth_id"]: p["records"] for p in truth["persons"]}
    for a, b in truth["twins"]:
        assert not {person_of[f"{x}:{y}"] for x, y in records[a]} & {
            person_of[f"{x}:{y}"] for x, y in records[b]
        }
