"""Kirklees in small: unborn twin 1 referred, assessed, on a pre-birth plan, born at 35 weeks."""

import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "birth_before_pre_birth_plan_complete"
NHS = "9434765919"
UNBORN_CSC = person(
    "csc-lancs",
    "UB-1",
    family_name="Firth",
    unborn=True,
    expected_birth_date="2017-09-14",
    recorded_at="2017-03-07T12:15:00",
)
UNBORN_HOSPITAL = person(
    "nhs-east",
    "KH-1",
    family_name="Firth",
    unborn=True,
    expected_birth_date="2017-09-14",
    recorded_at="2017-03-02T14:10:00",
)
BORN_CSC = person(
    "csc-lancs",
    "UB-1",
    given_name="Child B",
    family_name="Haigh",
    birth_date="2017-08-10",
    nhs_number=NHS,
    recorded_at="2017-08-11T09:20:00",
)
BORN_HOSPITAL = person(
    "nhs-east",
    "KH-1",
    given_name="Child B",
    family_name="Haigh",
    birth_date="2017-08-10",
    nhs_number=NHS,
    recorded_at="2017-08-10T06:05:00",
)
REFERRAL = event(
    "csc-lancs",
    "REF-1",
    "referral",
    "2017-03-07T09:30:00",
    ("UB-1", "child"),
    recorded_at="2017-03-07T12:15:00",
    details={"concerns": ["neglect"]},
)
ASSESSMENT = event(
    "csc-lancs",
    "AS-1",
    "assessment",
    "2017-03-13T09:00:00",
    ("UB-1", "child"),
    recorded_at="2017-03-13T11:00:00",
    details={"assessment": "pre_birth", "status": "started"},
)
CONFERENCE = event(
    "csc-lancs",
    "CP-1",
    "child_protection_conference",
    "2017-07-20T10:00:00",
    ("UB-1", "child"),
    recorded_at="2017-07-20T16:00:00",
    details={"conference": "pre_birth", "outcome": "plan"},
)
PLAN = event(
    "csc-lancs",
    "PL-1",
    "plan",
    "2017-07-20T10:00:00",
    ("UB-1", "child"),
    recorded_at="2017-07-20T16:00:00",
    details={"plan": "child_protection", "status": "started"},
)
BIRTH = event(
    "nhs-east",
    "BIR-1",
    "birth",
    "2017-08-10T03:14:00",
    ("KH-1", "subject"),
    recorded_at="2017-08-10T06:05:00",
    details={"gestation_weeks": 35, "multiple": True},
)
PEOPLE = [UNBORN_CSC, UNBORN_HOSPITAL, BORN_HOSPITAL, BORN_CSC]


def test_a_birth_on_a_pre_birth_plan_with_the_assessment_incomplete_is_raised(tmp_path):
    lines = [*PEOPLE, REFERRAL, ASSESSMENT, CONFERENCE, PLAN, BIRTH]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert (alert["severity"], alert["raised_at"]) == ("urgent", "2017-08-10T06:05:00")
    assert alert["evidence"] == [["nhs-east", "BIR-1"]]
    assert "pre-birth assessment was not completed" in alert["explanation"]
    assert "35 weeks" in alert["explanation"]


def test_a_birth_after_the_assessment_was_completed_and_the_conference_held_is_not(tmp_path):
    done = event(
        "csc-lancs",
        "AS-2",
        "assessment",
        "2017-07-01T09:00:00",
        ("UB-1", "child"),
        details={"assessment": "pre_birth", "status": "completed"},
    )
    lines = [*PEOPLE, REFERRAL, ASSESSMENT, done, CONFERENCE, PLAN, BIRTH]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_an_assessment_completed_after_the_birth_was_recorded_does_not_count_back(tmp_path):
    late = event(
        "csc-lancs",
        "AS-2",
        "assessment",
        "2017-08-01T09:00:00",
        ("UB-1", "child"),
        recorded_at="2017-08-14T09:00:00",
        details={"assessment": "pre_birth", "status": "completed"},
    )
    lines = [*PEOPLE, REFERRAL, ASSESSMENT, late, CONFERENCE, PLAN, BIRTH]
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_a_section_47_enquiry_with_no_pre_birth_conference_is_raised(tmp_path):
    done = event(
        "csc-lancs",
        "AS-2",
        "assessment",
        "2017-07-01T09:00:00",
        ("UB-1", "child"),
        details={"assessment": "pre_birth", "status": "completed"},
    )
    s47 = event(
        "csc-lancs",
        "SD-1",
        "strategy_discussion",
        "2017-06-29T11:00:00",
        ("UB-1", "child"),
        details={"outcome": "section_47"},
    )
    [alert] = alerts_for(tmp_path, [*PEOPLE, REFERRAL, ASSESSMENT, done, s47, BIRTH], RULE)
    assert "no pre-birth conference" in alert["explanation"]


def test_a_birth_with_no_pre_birth_work_is_not_raised(tmp_path):
    assert alerts_for(tmp_path, [*PEOPLE, BIRTH], RULE) == []


def test_a_referral_closed_before_the_birth_is_not_open(tmp_path):
    closed = event(
        "csc-lancs",
        "CL-1",
        "case_closed",
        "2017-04-01T09:00:00",
        ("UB-1", "child"),
        details={"reason": "no further action"},
    )
    assert alerts_for(tmp_path, [*PEOPLE, REFERRAL, closed, BIRTH], RULE) == []
