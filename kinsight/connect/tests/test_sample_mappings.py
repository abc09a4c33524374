"""The shipped mappings (examples/mappings/): their samples pass the feed schema and replay to
the alerts they were built to raise."""

import json
from pathlib import Path

import jsonschema
import pytest

from kinsight.connect.mapping import Mapping, map_csv
from kinsight.feeds.replay import replay_paths

ROOT = Path(__file__).resolve().parents[3]
MAPPINGS = sorted((ROOT / "examples" / "mappings").glob("*/*.yaml"))
SCHEMA = json.loads((ROOT / "kinsight" / "feeds" / "spec" / "feed.schema.json").read_text())


def mapped(tmp_path, yaml_path):
    out = tmp_path / f"{yaml_path.parent.name}-{yaml_path.stem}.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        result = map_csv(Mapping.load(yaml_path), yaml_path.with_suffix(".csv"), handle)
    return out, result


def test_there_is_a_mapping_for_each_ssd_table_and_the_police_export():
    names = {f"{p.parent.name}/{p.stem}" for p in MAPPINGS}
    assert {
        "ssd/ssd_person", "ssd/ssd_contacts", "ssd/ssd_cin_episodes", "ssd/ssd_cin_assessments",
        "ssd/ssd_s47_enquiry", "ssd/ssd_initial_cp_conference", "ssd/ssd_cp_plans",
        "ssd/ssd_cp_visits", "police/incidents",
    } <= names  # fmt: skip


@pytest.mark.parametrize("yaml_path", MAPPINGS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_row_of_the_sample_maps_to_lines_that_pass_the_feed_schema(tmp_path, yaml_path):
    out, result = mapped(tmp_path, yaml_path)
    assert result.errors == []
    assert result.rows > 0
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for number, line in enumerate(out.read_text().splitlines(), start=1):
        errors = [e.message for e in validator.iter_errors(json.loads(line))]
        assert not errors, f"{out.name}:{number}: {errors}"


def test_the_samples_replay_to_the_alerts_they_were_built_to_raise(tmp_path):
    feeds = [mapped(tmp_path, p)[0] for p in MAPPINGS]
    result = replay_paths(feeds)
    assert result["rejected"] == []
    expected = json.loads((ROOT / "examples" / "mappings" / "expected.json").read_text())
    wanted = {(a["rule"], a["severity"], a["raised_at"]) for a in expected["alerts"]}
    rules = {a["rule"] for a in expected["alerts"]}
    got = [a for a in result["alerts"] if a["rule"] in rules]
    assert {(a["rule"], a["severity"], a["raised_at"]) for a in got} == wanted
    for alert in expected["alerts"]:
        match = next(a for a in got if a["rule"] == alert["rule"])
        assert match["subjects"] == alert["subjects"]
        assert match["evidence"] == alert["evidence"]
