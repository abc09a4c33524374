import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "child_positive_toxicology"
CHLOE = person("nhs-east", "H-1", given_name="Chloe", birth_date="2018-05-09")
MUM = person("nhs-east", "H-9", given_name="Kayleigh", birth_date="1994-01-01")


def tox(ref="H-1", role="subject", event_id="T-1", **details):
    return event(
        "nhs-east",
        event_id,
        "toxicology",
        "2019-11-25T12:00:00",
        (ref, role),
        recorded_at="2019-11-25T14:20:00",
        details={"substance": "morphine", "result": "positive", **details},
    )


def test_a_positive_result_not_prescribed_is_raised_when_recorded(tmp_path):
    [alert] = alerts_for(tmp_path, [CHLOE, tox(prescribed=False)], RULE)
    assert (alert["severity"], alert["raised_at"]) == ("urgent", "2019-11-25T14:20:00")
    assert alert["evidence"] == [["nhs-east", "T-1"]] and "morphine" in alert["explanation"]


def test_a_negative_or_prescribed_result_is_not(tmp_path):
    lines = [CHLOE, tox(result="negative"), tox(event_id="T-2", prescribed=True)]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_positive_result_read_in_a_note_is_raised(tmp_path):
    note = event(
        "nhs-east",
        "N-1",
        "note",
        "2019-11-25T12:00:00",
        ("H-1", "child"),
        summary="Urine toxicology positive for methadone. Not prescribed to the child.",
    )
    [alert] = alerts_for(tmp_path, [CHLOE, note], RULE)
    assert "methadone" in alert["explanation"]


def test_a_note_of_a_drug_prescribed_to_the_child_is_not(tmp_path):
    note = event(
        "nhs-east",
        "N-1",
        "note",
        "2019-11-25T12:00:00",
        ("H-1", "child"),
        summary="Urine positive for morphine, which was prescribed on the ward.",
    )
    assert alerts_for(tmp_path, [CHLOE, note], RULE) == []


def test_the_mothers_test_naming_the_child_is_not_the_childs(tmp_path):
    mums = event(
        "nhs-east",
        "T-1",
        "toxicology",
        "2019-11-25T12:00:00",
        ("H-9", "subject"),
        ("H-1", "child"),
        summary="Mother tested positive for opiates.",
        details={"substance": "opiates", "result": "positive"},
    )
    assert alerts_for(tmp_path, [CHLOE, MUM, mums], RULE) == []


def test_the_same_result_recorded_by_several_agencies_that_day_is_one_alert(tmp_path):
    csc = event(
        "csc-lancs",
        "SD-1",
        "strategy_discussion",
        "2019-11-25T16:00:00",
        ("C-1", "child"),
        recorded_at="2019-11-25T17:30:00",
        summary="Toxicology results for Chloe positive for morphine.",
        details={"outcome": "section_47"},
    )
    chloe_csc = person(
        "csc-lancs", "C-1", given_name="Chloe", birth_date="2018-05-09", nhs_number="9434765919"
    )
    chloe = {**CHLOE, "nhs_number": "9434765919"}
    [alert] = alerts_for(tmp_path, [chloe, chloe_csc, tox(), csc], RULE)
    assert alert["raised_at"] == "2019-11-25T14:20:00"
