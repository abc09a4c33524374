import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "was_not_brought"


def child(born="2018-05-09"):
    return person("nhs-east", "H-1", given_name="Chloe", birth_date=born, nhs_number="9434765919")


def missed(event_id, occurred, **fields):
    return event(
        "nhs-east",
        event_id,
        "appointment_missed",
        occurred,
        ("H-1", "child"),
        details={"service": "audiology", "was_not_brought": True},
        **fields,
    )


PLAN = [
    person(
        "csc-lancs", "C-1", given_name="Chloe", birth_date="2010-05-09", nhs_number="9434765919"
    ),
    event(
        "csc-lancs",
        "PL-1",
        "plan",
        "2019-01-01T10:00:00",
        ("C-1", "child"),
        details={"plan": "child_protection", "status": "started"},
    ),
]


def test_one_missed_appointment_on_a_protection_plan_is_raised(tmp_path):
    older = child("2010-05-09")
    [alert] = alerts_for(
        tmp_path,
        [older, *PLAN, missed("M-1", "2019-03-01T10:00:00", recorded_at="2019-03-01T16:00:00")],
        RULE,
    )
    assert (alert["severity"], alert["raised_at"]) == ("warning", "2019-03-01T16:00:00")
    assert "audiology" in alert["explanation"]


def test_two_in_six_months_under_five_are_raised_at_the_second(tmp_path):
    lines = [
        child(),
        missed("M-1", "2019-03-01T10:00:00"),
        missed("M-2", "2019-07-01T10:00:00", recorded_at="2019-07-02T09:00:00"),
    ]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2019-07-02T09:00:00"
    assert alert["evidence"] == [["nhs-east", "M-1"], ["nhs-east", "M-2"]]


def test_one_missed_appointment_under_five_is_not_raised(tmp_path):
    assert alerts_for(tmp_path, [child(), missed("M-1", "2019-03-01T10:00:00")], RULE) == []


def test_two_more_than_six_months_apart_are_not_raised(tmp_path):
    lines = [child(), missed("M-1", "2019-01-01T10:00:00"), missed("M-2", "2019-08-01T10:00:00")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_two_for_an_older_child_with_no_plan_are_not_raised(tmp_path):
    lines = [
        child("2010-01-01"),
        missed("M-1", "2019-03-01T10:00:00"),
        missed("M-2", "2019-04-01T10:00:00"),
    ]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_an_appointment_the_parent_cancelled_is_not_a_was_not_brought(tmp_path):
    cancelled = event(
        "nhs-east",
        "M-1",
        "appointment_missed",
        "2019-03-01T10:00:00",
        ("H-1", "child"),
        details={"service": "audiology"},
    )
    older = child("2010-05-09")
    assert alerts_for(tmp_path, [older, *PLAN, cancelled], RULE) == []
