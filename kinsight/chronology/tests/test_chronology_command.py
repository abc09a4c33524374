"""`kinsight chronology AGENCY:ID [--family] [--json]`."""

import json

import pytest

from kinsight.cli import main
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(tmp_path):
    rel = {"kind": "relationship", "agency": "csc-lancs", "person": "C-10", "relative": "C-2",
           "type": "mother"}  # fmt: skip
    half = {"kind": "relationship", "agency": "csc-lancs", "person": "C-30", "relative": "C-2",
            "type": "mother"}  # fmt: skip
    lines = [
        *AGENCIES,
        person("nhs-east", "H-1", given_name="Chloe", nhs_number="9434765919"),
        person("csc-lancs", "C-10", given_name="Chloe", nhs_number="9434765919"),
        person("csc-lancs", "C-2", given_name="Kerry"),
        person("csc-lancs", "C-30", given_name="Ava"),
        rel,
        half,
        event("nhs-east", "B-1", "birth", "2018-03-02T04:00:00", ("H-1", "child"),
              summary="Born at 36 weeks", recorded_at="2018-03-02T09:00:00"),
        event("csc-lancs", "R-1", "referral", "2018-03-05T10:00:00", ("C-10", "child"),
              summary="Referral from maternity", shared_with=["nhs-east"]),
        event("csc-lancs", "M-1", "note", "2018-02-01T10:00:00", ("C-2", "subject"),
              summary="Mother seen at home"),
        event("csc-lancs", "A-1", "note", "2018-04-01T10:00:00", ("C-30", "child"),
              summary="Ava at school", recorded_at="2018-04-20T10:00:00"),
    ]  # fmt: skip
    do_ingest_feeds([write_feed(tmp_path / "f.jsonl", lines)], acting="test")


def chronology(capsys, *args):
    assert main(["chronology", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_it_merges_every_agencys_events_for_the_person_in_time_order(family, capsys):
    data = chronology(capsys, "csc-lancs:C-10")
    assert data["records"] == [["csc-lancs", "C-10"], ["nhs-east", "H-1"]]
    assert [(e["agency"], e["id"]) for e in data["events"]] == [
        ("nhs-east", "B-1"),
        ("csc-lancs", "R-1"),
    ]
    first = data["events"][0]
    assert (first["occurred_at"], first["recorded_at"]) == (
        "2018-03-02T04:00:00",
        "2018-03-02T09:00:00",
    )
    assert set(first) == {"agency", "id", "type", "occurred_at", "recorded_at", "subjects",
                          "summary", "shared_with", "indicators"}  # fmt: skip


def test_with_family_it_adds_parents_and_half_siblings(family, capsys):
    data = chronology(capsys, "nhs-east:H-1", "--family")
    assert [e["id"] for e in data["events"]] == ["M-1", "B-1", "R-1", "A-1"]


def test_an_unknown_record_is_an_error_naming_it(family, capsys):
    assert main(["chronology", "csc-lancs:NOPE"]) == 1
    assert "csc-lancs:NOPE: no such record" in capsys.readouterr().err


def test_a_malformed_argument_is_a_usage_error(capsys):
    assert main(["chronology", "C-10"]) == 2


def test_the_table_form_names_the_person_and_the_events(family, capsys):
    assert main(["chronology", "csc-lancs:C-10"]) == 0
    out = capsys.readouterr().out
    assert "Referral from maternity" in out
