from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "core_group_overdue"
CHILD = person("csc-lancs", "C-1", given_name="Lucas", birth_date="2016-03-01")
# Friday 14 August 2020, 09:00: 10 working days later, over the summer bank holiday of Monday
# 31 August, is Friday 28 August; the plan ends on Friday 13 November.
ICPC = event("csc-lancs", "CP-1", "child_protection_conference", "2020-08-14T09:00:00",
             ("C-1", "child"), details={"conference": "initial", "outcome": "plan"})  # fmt: skip
ENDED = event("csc-lancs", "P-9", "plan", "2020-11-13T09:00:00", ("C-1", "child"),
              details={"plan": "child_protection", "status": "ended",
                       "reason": "risk_reduced"})  # fmt: skip


def core_group(event_id, recorded_at):
    return event("csc-lancs", event_id, "core_group", recorded_at, ("C-1", "child"),
                 details={"progress": "improved"})  # fmt: skip


def test_no_core_group_within_10_working_days_of_the_plan_raises_it(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, ICPC, ENDED], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-08-28T09:00:00", "warning")
    assert "Fri 28 Aug 2020 09:00" in alert["explanation"]


def test_core_groups_in_time_raise_nothing(tmp_path):
    lines = [CHILD, ICPC, core_group("G-1", "2020-08-27T10:00:00"),
             core_group("G-2", "2020-10-06T10:00:00"), ENDED]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE) == []


def test_more_than_6_weeks_between_core_groups_raises_it(tmp_path):
    lines = [CHILD, ICPC, core_group("G-1", "2020-08-27T10:00:00"),
             core_group("G-2", "2020-10-09T10:00:00"), ENDED]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2020-10-08T10:00:00"  # 6 weeks after Thursday 27 August
    assert alert["evidence"] == [["csc-lancs", "CP-1"], ["csc-lancs", "G-1"]]


def test_six_weeks_keep_the_time_of_day_when_the_clocks_go_back(tmp_path):
    lines = [CHILD, ICPC, core_group("G-1", "2020-08-27T10:00:00"),
             core_group("G-2", "2020-10-06T10:00:00")]  # fmt: skip
    as_of = datetime(2020, 11, 20, tzinfo=UK)
    [alert] = alerts_for(tmp_path, lines, RULE, as_of)
    assert alert["raised_at"] == "2020-11-17T10:00:00"


def test_it_is_not_raised_before_the_first_core_group_is_due(tmp_path):
    before = datetime(2020, 8, 28, 8, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [CHILD, ICPC], RULE, before) == []


def test_no_core_group_is_due_after_the_plan_ended(tmp_path):
    ended = {**ENDED, "occurred_at": "2020-10-01T09:00:00"}
    lines = [CHILD, ICPC, core_group("G-1", "2020-08-27T10:00:00"), ended]
    assert alerts_for(tmp_path, lines, RULE) == []
