from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.context import ChildContext
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "pre_birth_referral_missing"
# Expected on Monday 1 June 2020: gestation week 16 is Monday 16 December 2019.
UNBORN = person("csc-lancs", "C-1", unborn=True, expected_birth_date="2020-06-01")
MOTHER = person("csc-lancs", "M-1", given_name="Kelly", birth_date="1995-04-02", sex="female")


def booking(recorded_at, summary="Booking at 10 weeks. Mother says she uses heroin daily."):
    return event("csc-lancs", "B-1", "antenatal_booking", recorded_at,
                 ("C-1", "child"), ("M-1", "parent"), summary=summary,
                 details={"expected_birth_date": "2020-06-01"})  # fmt: skip


def referral(occurred_at):
    return event("csc-lancs", "R-1", "referral", occurred_at, ("C-1", "child"),
                 details={"concerns": ["substance_misuse"]})  # fmt: skip


def test_a_pregnancy_with_substance_misuse_and_no_referral_by_16_weeks_raises_it(tmp_path):
    [alert] = alerts_for(tmp_path, [UNBORN, MOTHER, booking("2019-12-02T10:00:00")], RULE)
    # 5 working days after Monday 2 December is earlier than week 16: week 16 is the deadline.
    assert (alert["raised_at"], alert["severity"]) == ("2019-12-16T00:00:00", "warning")
    assert "substance misuse" in alert["explanation"]
    assert alert["evidence"] == [["csc-lancs", "B-1"]]


def test_a_referral_in_time_raises_nothing(tmp_path):
    lines = [UNBORN, MOTHER, booking("2019-12-02T10:00:00"), referral("2019-12-12T10:00:00")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_pregnancy_with_no_trigger_raises_nothing(tmp_path):
    lines = [UNBORN, MOTHER, booking("2019-12-02T10:00:00", "Booking at 10 weeks, all well.")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_late_booking_gives_5_working_days_over_christmas(tmp_path):
    # Monday 23 December 2019, 10:00: Christmas Day, Boxing Day and New Year's Day are bank
    # holidays, so 5 working days later is Thursday 2 January 2020, 10:00.
    [alert] = alerts_for(tmp_path, [UNBORN, MOTHER, booking("2019-12-23T10:00:00")], RULE)
    assert alert["raised_at"] == "2020-01-02T10:00:00"


def test_it_is_not_raised_before_the_deadline(tmp_path):
    before = datetime(2019, 12, 15, 23, 59, tzinfo=UK)
    assert (
        alerts_for(tmp_path, [UNBORN, MOTHER, booking("2019-12-02T10:00:00")], RULE, before) == []
    )


def test_a_trigger_recorded_after_the_booking_starts_the_clock_then(tmp_path):
    lines = [UNBORN, MOTHER, booking("2019-12-02T10:00:00", "Booking at 10 weeks."),
             event("csc-lancs", "DA-1", "domestic_abuse_incident", "2020-01-13T09:00:00",
                   ("C-1", "child_present"), ("M-1", "victim"))]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2020-01-20T09:00:00"
    assert "domestic abuse" in alert["explanation"]


@pytest.mark.skipif(
    "household" not in ChildContext.__dataclass_fields__,
    reason="the household reaches the context on branch rules-pattern",
)
def test_a_sibling_on_a_plan_is_a_trigger(tmp_path):
    sibling = person("csc-lancs", "C-2", given_name="Ava", birth_date="2016-05-01")
    relations = [
        {"kind": "relationship", "agency": "csc-lancs", "person": "C-1", "relative": "M-1",
         "type": "mother"},
        {"kind": "relationship", "agency": "csc-lancs", "person": "C-2", "relative": "M-1",
         "type": "mother"},
    ]  # fmt: skip
    plan = event("csc-lancs", "P-1", "plan", "2019-10-01T10:00:00", ("C-2", "child"),
                 details={"plan": "child_protection", "status": "started"})  # fmt: skip
    lines = [UNBORN, MOTHER, sibling, *relations, plan,
             booking("2019-12-02T10:00:00", "Booking at 10 weeks.")]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2019-12-16T00:00:00"
    assert "a child on a plan or looked after" in alert["explanation"]
