"""A FHIR R4B Bundle becomes feed lines, and they go back to a Bundle (kinsight/connect/fhir.py)."""

import json
from pathlib import Path

import jsonschema
import pytest
from fhir.resources.R4B.bundle import Bundle

from kinsight.connect.fhir import BundleRefused, bundle_to_lines, lines_to_bundle
from kinsight.connect.tests.fhir_sample import sample_bundle
from kinsight.feeds.replay import replay_paths
from kinsight.testing import write_feed

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "kinsight" / "feeds" / "spec" / "feed.schema.json").read_text())


def test_every_resource_becomes_a_line_of_the_sending_agency():
    converted = bundle_to_lines(sample_bundle(), "elht")
    assert converted.skipped == []
    kinds = [(line["kind"], line.get("type"), line.get("id")) for line in converted.lines]
    assert kinds == [
        ("person", None, "baby-1"),
        ("person", None, "RelatedPerson/mum-1"),
        ("relationship", "mother", None),
        ("event", "hospital_attendance", "Encounter/enc-1"),
        ("event", "diagnosis", "Condition/cond-1"),
        ("event", "observation", "Observation/obs-1"),
        ("event", "flag", "Flag/flag-1"),
    ]
    assert {line["agency"] for line in converted.lines} == {"elht"}


def test_the_nhs_number_comes_from_the_nhs_number_identifier_system():
    baby = bundle_to_lines(sample_bundle(), "elht").lines[0]
    assert baby["nhs_number"] == "9434765919"
    assert baby["birth_date"] == "2024-05-02"
    assert baby["address"] == {"text": "1 Mill Lane, Burnley", "postcode": "BB11 2AB"}


def test_references_by_full_url_name_the_patient():
    lines = bundle_to_lines(sample_bundle(), "elht").lines
    assert lines[2]["person"] == "baby-1"
    assert lines[4]["subjects"] == [{"ref": "baby-1", "role": "subject"}]
    assert lines[4]["details"] == {"code": "414819007", "system": "snomed",
                                   "display": "Neonatal abstinence syndrome"}  # fmt: skip


def test_the_lines_pass_the_feed_schema():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for line in bundle_to_lines(sample_bundle(), "elht").lines:
        assert not [e.message for e in validator.iter_errors(line)], line


def test_the_bundle_round_trips_through_feed_lines():
    lines = bundle_to_lines(sample_bundle(), "elht").lines
    back = lines_to_bundle(lines)
    Bundle.model_validate(back)
    assert bundle_to_lines(back, "elht").lines == lines
    patient = back["entry"][0]["resource"]
    assert patient["identifier"] == [
        {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}
    ]
    mother = back["entry"][1]["resource"]
    assert mother["patient"] == {"reference": "Patient/baby-1"}
    assert mother["relationship"][0]["coding"][0]["code"] == "MTH"


def test_a_resource_that_cannot_become_a_line_is_skipped_and_the_rest_taken():
    data = sample_bundle()
    del data["entry"][2]["resource"]["period"]
    data["entry"].append({"resource": {"resourceType": "Medication", "id": "m-1"}})
    converted = bundle_to_lines(data, "elht")
    assert converted.skipped == [
        (2, "Encounter/enc-1", "no date: the event's moment is missing"),
        (6, "Medication/m-1", "Medication resources are not read"),
    ]
    assert len(converted.lines) == 6


def test_a_body_that_is_not_an_r4b_bundle_is_refused_whole():
    with pytest.raises(BundleRefused, match="expected a Bundle"):
        bundle_to_lines({"resourceType": "Patient"}, "elht")
    data = sample_bundle()
    data["entry"][0]["resource"]["birthDate"] = "the second of May"
    with pytest.raises(BundleRefused, match="not a valid FHIR R4B Bundle"):
        bundle_to_lines(data, "elht")


def test_the_sample_replays_to_a_neonatal_abstinence_alert(tmp_path):
    lines = bundle_to_lines(sample_bundle(), "elht").lines
    feed = write_feed(tmp_path / "elht.jsonl", [
        {"kind": "agency", "code": "elht", "name": "East Lancs Hospitals", "sector": "health"},
        *lines,
    ])  # fmt: skip
    result = replay_paths([feed])
    assert result["rejected"] == []
    rules = {(a["rule"], a["severity"]) for a in result["alerts"]}
    assert ("neonatal_abstinence", "urgent") in rules
    alert = next(a for a in result["alerts"] if a["rule"] == "neonatal_abstinence")
    assert alert["subjects"] == [["elht", "baby-1"]]
    assert alert["evidence"] == [["elht", "Condition/cond-1"]]
