import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "unsafe_discharge"
NHS = "9434765919"
BABY_CSC = person(
    "csc-lancs", "UB-1", given_name="Child B", birth_date="2017-08-10", nhs_number=NHS
)
BABY = person("nhs-east", "KH-1", given_name="Child B", birth_date="2017-08-10", nhs_number=NHS)
ASSESSMENT = event(
    "csc-lancs",
    "AS-1",
    "assessment",
    "2017-03-13T09:00:00",
    ("UB-1", "child"),
    details={"assessment": "pre_birth", "status": "started"},
)
PLAN = event(
    "csc-lancs",
    "PL-1",
    "plan",
    "2017-07-20T10:00:00",
    ("UB-1", "child"),
    details={"plan": "child_protection", "status": "started"},
)
BIRTH = event("nhs-east", "BIR-1", "birth", "2017-08-10T03:14:00", ("KH-1", "subject"))
MEETING = event(
    "nhs-east",
    "DPM-1",
    "discharge_planning_meeting",
    "2017-08-25T14:00:00",
    ("KH-1", "child"),
    details={"outcome": "safe_to_discharge"},
)
DISCHARGE = event(
    "nhs-east",
    "DIS-1",
    "hospital_discharge",
    "2017-08-29T11:30:00",
    ("KH-1", "subject"),
    recorded_at="2017-08-29T13:45:00",
)


def test_a_discharge_on_a_plan_with_the_pre_birth_assessment_incomplete_is_raised(tmp_path):
    lines = [BABY_CSC, BABY, ASSESSMENT, PLAN, BIRTH, MEETING, DISCHARGE]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert (alert["severity"], alert["raised_at"]) == ("urgent", "2017-08-29T13:45:00")
    assert "pre-birth assessment (AS-1) was incomplete" in alert["explanation"]


def test_a_discharge_on_a_plan_after_a_safe_discharge_meeting_is_not(tmp_path):
    done = event(
        "csc-lancs",
        "AS-2",
        "assessment",
        "2017-07-10T09:00:00",
        ("UB-1", "child"),
        details={"assessment": "pre_birth", "status": "completed"},
    )
    lines = [BABY_CSC, BABY, ASSESSMENT, done, PLAN, BIRTH, MEETING, DISCHARGE]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_discharge_on_a_plan_with_no_meeting_is_raised(tmp_path):
    [alert] = alerts_for(tmp_path, [BABY_CSC, BABY, PLAN, BIRTH, DISCHARGE], RULE)
    assert "no discharge planning meeting" in alert["explanation"]


def test_a_meeting_that_found_discharge_not_safe_does_not_make_it_safe(tmp_path):
    not_safe = {**MEETING, "details": {"outcome": "not_safe"}}
    [alert] = alerts_for(tmp_path, [BABY_CSC, BABY, PLAN, BIRTH, not_safe, DISCHARGE], RULE)
    assert "not safe" in alert["explanation"]


def test_a_baby_born_withdrawing_sent_home_without_a_meeting_is_raised(tmp_path):
    nas = event(
        "nhs-east",
        "BIR-1",
        "birth",
        "2017-08-10T03:14:00",
        ("KH-1", "subject"),
        details={"neonatal_abstinence": True},
    )
    [alert] = alerts_for(tmp_path, [BABY, nas, DISCHARGE], RULE)
    assert "neonatal abstinence" in alert["explanation"]


def test_an_ordinary_discharge_after_birth_is_not_raised(tmp_path):
    assert alerts_for(tmp_path, [BABY, BIRTH, DISCHARGE], RULE) == []


def test_a_plan_recorded_after_the_discharge_does_not_count_back(tmp_path):
    late = {**PLAN, "recorded_at": "2017-08-30T09:00:00"}
    assert alerts_for(tmp_path, [BABY_CSC, BABY, late, BIRTH, DISCHARGE], RULE) == []


def test_a_meeting_for_an_earlier_stay_does_not_cover_a_later_discharge(tmp_path):
    admission = event(
        "nhs-east", "ADM-1", "hospital_admission", "2017-10-01T10:00:00", ("KH-1", "subject")
    )
    later = event(
        "nhs-east", "DIS-2", "hospital_discharge", "2017-10-03T11:00:00", ("KH-1", "subject")
    )
    done = event(
        "csc-lancs",
        "AS-2",
        "assessment",
        "2017-07-10T09:00:00",
        ("UB-1", "child"),
        details={"assessment": "pre_birth", "status": "completed"},
    )
    lines = [BABY_CSC, BABY, ASSESSMENT, done, PLAN, BIRTH, MEETING, DISCHARGE, admission, later]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["evidence"] == [["nhs-east", "DIS-2"]]
