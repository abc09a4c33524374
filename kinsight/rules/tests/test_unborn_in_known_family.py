import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "unborn_in_known_family"
# As in the Kirklees case: the hospital books a twin pregnancy; social care holds the mother's
# older child, on a child protection plan. The mother's two records share her NHS number.
LEANNE = {"given_name": "Leanne", "family_name": "Firth", "birth_date": "1993-02-17",
          "nhs_number": "9434765919"}  # fmt: skip
MOTHER_HOSPITAL = person("nhs-east", "H-M", **LEANNE)
MOTHER_CSC = person("csc-lancs", "C-M", **LEANNE, recorded_at="2016-08-09T14:30")
OLDER = person("csc-lancs", "C-A", given_name="Child A", birth_date="2011-11-04",
               recorded_at="2016-08-09T14:30")  # fmt: skip
UNBORN = person("nhs-east", "H-U", unborn=True, expected_birth_date="2017-09-14",
                recorded_at="2017-03-02T14:10")  # fmt: skip
BOOKING = event("nhs-east", "ANC-1", "antenatal_booking", "2017-03-02T13:00", ("H-M", "subject"),
                ("H-U", "child"), recorded_at="2017-03-02T14:10",
                details={"multiple": True, "expected_birth_date": "2017-09-14"})  # fmt: skip


def mother_of(agency, child, mother, recorded_at):
    return {"kind": "relationship", "agency": agency, "person": child, "relative": mother,
            "type": "mother", "recorded_at": recorded_at}  # fmt: skip


def plan(event_id, occurred, status, kind="child_protection", **fields):
    return event("csc-lancs", event_id, "plan", occurred, ("C-A", "child"),
                 details={"plan": kind, "status": status}, **fields)  # fmt: skip


FAMILY = [MOTHER_HOSPITAL, MOTHER_CSC, OLDER, UNBORN,
          mother_of("csc-lancs", "C-A", "C-M", "2016-08-09T14:30"),
          mother_of("nhs-east", "H-U", "H-M", "2017-03-02T14:10")]  # fmt: skip


def test_a_pregnancy_booked_while_a_sibling_is_on_a_plan_raises_it_at_the_booking(tmp_path):
    lines = [*FAMILY, plan("P-1", "2016-10-04T10:00", "started"), BOOKING]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2017-03-02T14:10:00", "warning")
    assert alert["subjects"] == [["nhs-east", "H-U"]]
    assert alert["evidence"] == [["nhs-east", "ANC-1"], ["csc-lancs", "P-1"]]
    assert "child protection plan (since 04/10/2016)" in alert["explanation"]


def test_a_plan_that_ended_six_years_before_raises_nothing(tmp_path):
    lines = [*FAMILY, plan("P-1", "2010-10-04T10:00", "started"),
             plan("P-2", "2011-03-01T10:00", "ended"), BOOKING]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_plan_that_ended_three_years_before_still_counts(tmp_path):
    lines = [*FAMILY, plan("P-1", "2013-10-04T10:00", "started"),
             plan("P-2", "2014-03-01T10:00", "ended"), BOOKING]  # fmt: skip
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_a_sibling_without_a_plan_raises_nothing(tmp_path):
    lines = [*FAMILY, plan("P-1", "2016-10-04T10:00", "started", kind="child_in_need"), BOOKING]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_siblings_plan_recorded_after_the_booking_raises_it_when_recorded(tmp_path):
    lines = [*FAMILY, BOOKING, plan("P-1", "2017-04-04T10:00", "started",
                                    recorded_at="2017-04-04T16:00")]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2017-04-04T16:00:00"


def test_a_sibling_in_care_proceedings_counts(tmp_path):
    proceedings = event("csc-lancs", "CP-1", "care_proceedings", "2016-11-23T11:00",
                        ("C-A", "child"), details={"stage": "issued"})  # fmt: skip
    assert len(alerts_for(tmp_path, [*FAMILY, proceedings, BOOKING], RULE)) == 1


def test_a_birth_is_raised_too_when_no_pregnancy_was_recorded(tmp_path):
    baby = person("nhs-east", "H-U", given_name="Child B", birth_date="2017-08-10",
                  recorded_at="2017-08-10T06:05")  # fmt: skip
    birth = event("nhs-east", "B-1", "birth", "2017-08-10T03:14", ("H-U", "subject"),
                  ("H-M", "parent"), recorded_at="2017-08-10T06:05")  # fmt: skip
    lines = [*FAMILY[:3], baby, FAMILY[4],
             mother_of("nhs-east", "H-U", "H-M", "2017-08-10T06:05"),
             plan("P-1", "2016-10-04T10:00", "started"), birth]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert (alert["raised_at"], alert["evidence"][0]) == (
        "2017-08-10T06:05:00",
        ["nhs-east", "B-1"],
    )
