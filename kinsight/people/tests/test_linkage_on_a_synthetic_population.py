"""A small synthetic population links with F1 at least 0.95 and no twins merged."""

import itertools
import json

import pytest

from kinsight.people.actions import do_relink_all
from kinsight.people.models import PersonRecord
from kinsight.testing import ingest_people_of_population

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def pairs(groups):
    return {pair for group in groups for pair in itertools.combinations(sorted(group), 2)}


def test_a_small_population_links_well_and_never_merges_twins(tmp_path):
    synth = ingest_people_of_population(tmp_path, families=150, seed=3)
    do_relink_all(acting="test")
    truth = json.loads((synth / "truth.json").read_text())
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
