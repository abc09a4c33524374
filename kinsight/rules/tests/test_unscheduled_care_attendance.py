import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "unscheduled_care_attendance"
NHS = "9434765919"
CHILD = [
    person("nhs-east", "H-1", given_name="Ava", birth_date="2012-01-01", nhs_number=NHS),
    person("csc-lancs", "C-1", given_name="Ava", birth_date="2012-01-01", nhs_number=NHS),
]


def plan(status, occurred, kind="child_protection", **details):
    return event(
        "csc-lancs",
        f"PL-{status}",
        "plan",
        occurred,
        ("C-1", "child"),
        details={"plan": kind, "status": status, **details},
    )


def attendance(event_id, occurred, **fields):
    return event(
        "nhs-east",
        event_id,
        "hospital_attendance",
        occurred,
        ("H-1", "child"),
        details={"setting": "emergency"},
        **fields,
    )


def test_an_attendance_on_a_plan_is_raised_for_information(tmp_path):
    lines = [
        *CHILD,
        plan("started", "2019-01-01"),
        attendance("A-1", "2019-03-01T22:00:00", recorded_at="2019-03-01T23:10:00"),
    ]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert (alert["severity"], alert["raised_at"]) == ("info", "2019-03-01T23:10:00")


def test_a_second_within_thirty_days_is_a_warning(tmp_path):
    lines = [
        *CHILD,
        plan("started", "2019-01-01"),
        attendance("A-1", "2019-03-01T22:00:00"),
        attendance("A-2", "2019-03-20T22:00:00"),
    ]
    assert [a["severity"] for a in alerts_for(tmp_path, lines, RULE)] == ["info", "warning"]


def test_an_attendance_within_a_year_of_a_plan_ending_is_raised(tmp_path):
    lines = [
        *CHILD,
        plan("started", "2018-01-01"),
        plan("ended", "2018-06-01"),
        attendance("A-1", "2019-03-01T22:00:00"),
    ]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert "ended on 2018-06-01" in alert["explanation"]


def test_an_attendance_by_a_looked_after_child_is_raised(tmp_path):
    lines = [
        *CHILD,
        plan("started", "2019-01-01", kind="looked_after"),
        attendance("A-1", "2019-03-01T22:00:00"),
    ]
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_an_attendance_with_no_plan_or_long_after_one_is_not_raised(tmp_path):
    lines = [
        *CHILD,
        plan("started", "2016-01-01"),
        plan("ended", "2017-06-01"),
        attendance("A-1", "2019-03-01T22:00:00"),
    ]
    assert alerts_for(tmp_path, lines, RULE) == []
