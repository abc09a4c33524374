from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "review_conference_overdue"
CHILD = person("csc-lancs", "C-1", given_name="Lucas", birth_date="2016-03-01")
# Monday 6 January 2020, 12:00: the first review is due 3 months later, Monday 6 April 2020,
# 12:00; 10 working days before that is Monday 23 March 2020, 12:00.
ICPC = event("csc-lancs", "CP-1", "child_protection_conference", "2020-01-06T12:00:00",
             ("C-1", "child"), details={"conference": "initial", "outcome": "plan"})  # fmt: skip


def review(occurred_at, outcome="plan_ends", event_id="CP-2"):
    details = {"conference": "review", "outcome": outcome}
    return event("csc-lancs", event_id, "child_protection_conference", occurred_at,
                 ("C-1", "child"), details=details)  # fmt: skip


def test_no_review_within_3_months_of_the_initial_conference_is_urgent(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, ICPC], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-03-23T12:00:00", "urgent")
    assert "Mon 6 Apr 2020 12:00" in alert["explanation"]


def test_ten_working_days_before_the_review_is_due_it_is_a_warning(tmp_path):
    as_of = datetime(2020, 4, 1, tzinfo=UK)
    [alert] = alerts_for(tmp_path, [CHILD, ICPC], RULE, as_of)
    assert (alert["raised_at"], alert["severity"]) == ("2020-03-23T12:00:00", "warning")


def test_a_review_held_before_the_warning_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [CHILD, ICPC, review("2020-03-16T10:00:00")], RULE) == []


def test_a_review_held_after_the_warning_but_in_time_is_not_urgent(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, ICPC, review("2020-04-02T10:00:00")], RULE)
    assert alert["severity"] == "warning"


def test_it_is_not_raised_before_the_warning_moment(tmp_path):
    before = datetime(2020, 3, 23, 11, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [CHILD, ICPC], RULE, before) == []


def test_later_reviews_are_due_within_6_months_of_the_previous_one(tmp_path):
    lines = [CHILD, ICPC, review("2020-03-16T10:00:00", "plan_continues")]
    [alert] = alerts_for(tmp_path, lines, RULE, datetime(2020, 10, 1, tzinfo=UK))
    # 6 months after Monday 16 March 2020, 10:00, is Wednesday 16 September; 10 working days
    # before is Wednesday 2 September.
    assert (alert["raised_at"], alert["severity"]) == ("2020-09-02T10:00:00", "urgent")
    assert alert["evidence"] == [["csc-lancs", "CP-1"], ["csc-lancs", "CP-2"]]


def test_a_plan_made_before_birth_is_reviewed_within_10_working_days_of_the_birth(tmp_path):
    unborn = person("csc-lancs", "C-1", unborn=True, expected_birth_date="2020-05-20")
    pre_birth = {**ICPC, "details": {"conference": "pre_birth", "outcome": "plan"}}
    # Born on Monday 4 May 2020; Friday 8 May was a bank holiday (VE Day).
    birth = event("csc-lancs", "B-1", "birth", "2020-05-04T03:00:00", ("C-1", "child"),
                  recorded_at="2020-05-04T09:00:00", details={"gestation_weeks": 38})  # fmt: skip
    born = person("csc-lancs", "C-1", birth_date="2020-05-04", recorded_at="2020-05-04T09:00:00")
    lines = [unborn, pre_birth, review("2020-03-16T10:00:00", "plan_continues"), birth, born]
    [alert] = alerts_for(tmp_path, lines, RULE, datetime(2020, 6, 1, tzinfo=UK))
    assert (alert["raised_at"], alert["severity"]) == ("2020-05-19T09:00:00", "urgent")
    assert alert["evidence"] == [["csc-lancs", "CP-1"], ["csc-lancs", "B-1"]]


def test_a_review_soon_after_the_birth_raises_nothing(tmp_path):
    unborn = person("csc-lancs", "C-1", unborn=True, expected_birth_date="2020-05-20")
    pre_birth = {**ICPC, "details": {"conference": "pre_birth", "outcome": "plan"}}
    birth = event("csc-lancs", "B-1", "birth", "2020-05-04T09:00:00", ("C-1", "child"))
    lines = [unborn, pre_birth, review("2020-03-16T10:00:00", "plan_continues"), birth,
             review("2020-05-14T10:00:00", "plan_continues", "CP-3")]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE, datetime(2020, 6, 1, tzinfo=UK)) == []
