import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "non_engagement"
# As in the Kirklees case: an unborn twin whose pre-birth assessment is open.
UNBORN = person("csc-lancs", "UB-1", unborn=True, expected_birth_date="2017-09-14")
ASSESSMENT = event("csc-lancs", "AS-1", "assessment", "2017-03-13T09:00", ("UB-1", "child"),
                   recorded_at="2017-03-13T11:00",
                   details={"assessment": "pre_birth", "status": "started"})  # fmt: skip
HOSTILE = (
    "Pre-birth assessment visit. Leanne was hostile throughout. She refused to talk about the "
    "pregnancy. Resistant to every offer of support."
)


def visit(event_id, occurred, summary="", **details):
    return event("csc-lancs", event_id, "home_visit", occurred, ("UB-1", "child"),
                 recorded_at=f"{occurred[:10]}T15:20", summary=summary,
                 details={"child_seen": False, **details})  # fmt: skip


def test_a_parents_resistance_during_an_open_assessment_raises_it_when_recorded(tmp_path):
    [alert] = alerts_for(tmp_path, [UNBORN, ASSESSMENT, visit("V-1", "2017-03-16", HOSTILE)],
                         RULE)  # fmt: skip
    assert (alert["raised_at"], alert["severity"]) == ("2017-03-16T15:20:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "V-1"]]
    assert "disguised compliance" in alert["explanation"]


def test_resistance_with_no_open_plan_or_assessment_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [UNBORN, visit("V-1", "2017-03-16", HOSTILE)], RULE) == []


def test_resistance_before_the_assessment_started_raises_nothing(tmp_path):
    lines = [UNBORN, visit("V-1", "2017-03-06", HOSTILE), ASSESSMENT]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_two_no_access_visits_within_six_weeks_raise_it_at_the_second(tmp_path):
    lines = [UNBORN, ASSESSMENT, visit("V-1", "2017-04-11", no_access=True),
             visit("V-2", "2017-04-25", no_access=True)]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2017-04-25T15:20:00"
    assert alert["evidence"] == [["csc-lancs", "V-1"], ["csc-lancs", "V-2"]]


def test_one_no_access_visit_raises_nothing(tmp_path):
    lines = [UNBORN, ASSESSMENT, visit("V-1", "2017-04-11", no_access=True)]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_two_missed_contacts_eight_weeks_apart_raise_nothing(tmp_path):
    missed_core_group = event("csc-lancs", "CG-1", "core_group", "2017-06-06T13:30",
                              ("UB-1", "child"), details={"parents_attended": False})  # fmt: skip
    lines = [UNBORN, ASSESSMENT, visit("V-1", "2017-04-11", no_access=True), missed_core_group]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_missed_core_group_and_a_missed_appointment_count_together(tmp_path):
    missed_core_group = event("csc-lancs", "CG-1", "core_group", "2017-05-02T13:30",
                              ("UB-1", "child"), details={"parents_attended": False})  # fmt: skip
    missed = event("csc-lancs", "A-1", "appointment_missed", "2017-05-24T09:40",
                   ("UB-1", "child"), details={"service": "growth scan"})  # fmt: skip
    assert len(alerts_for(tmp_path, [UNBORN, ASSESSMENT, missed_core_group, missed], RULE)) == 1


def test_one_alert_for_each_open_assessment(tmp_path):
    lines = [UNBORN, ASSESSMENT, visit("V-1", "2017-03-16", HOSTILE),
             visit("V-2", "2017-03-30", HOSTILE)]  # fmt: skip
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_resistance_recorded_late_is_raised_when_it_was_recorded(tmp_path):
    late = {**visit("V-1", "2017-03-16", HOSTILE), "recorded_at": "2017-03-24T09:00"}
    [alert] = alerts_for(tmp_path, [UNBORN, ASSESSMENT, late], RULE)
    assert alert["raised_at"] == "2017-03-24T09:00:00"
