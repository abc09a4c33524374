from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "conference_overdue"
CHILD = person("csc-lancs", "C-1", given_name="Lucas", birth_date="2016-03-01")
# Monday 9 December 2019, 10:00: 10 working days later is Monday 23 December; 15 working days,
# over Christmas, Boxing Day and New Year's Day, is Thursday 2 January 2020, 10:00.
DISCUSSION = event("csc-lancs", "SD-1", "strategy_discussion", "2019-12-09T09:00:00",
                   ("C-1", "child"), recorded_at="2019-12-09T10:00:00",
                   details={"outcome": "section_47"})  # fmt: skip


def conference(recorded_at, conference="initial", event_id="CP-1"):
    details = {"conference": conference, "outcome": "plan"}
    return event("csc-lancs", event_id, "child_protection_conference", recorded_at,
                 ("C-1", "child"), details=details)  # fmt: skip


def test_no_conference_within_15_working_days_is_urgent(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, DISCUSSION], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2019-12-23T10:00:00", "urgent")
    assert "Thu 2 Jan 2020 10:00" in alert["explanation"]


def test_at_10_working_days_it_is_a_warning(tmp_path):
    as_of = datetime(2019, 12, 30, tzinfo=UK)
    [alert] = alerts_for(tmp_path, [CHILD, DISCUSSION], RULE, as_of)
    assert (alert["raised_at"], alert["severity"]) == ("2019-12-23T10:00:00", "warning")


def test_a_conference_held_within_10_working_days_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [CHILD, DISCUSSION, conference("2019-12-20T14:00:00")], RULE) == []


def test_a_conference_between_10_and_15_working_days_leaves_a_warning(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, DISCUSSION, conference("2019-12-31T14:00:00")], RULE)
    assert alert["severity"] == "warning"


def test_it_is_not_raised_before_10_working_days_have_passed(tmp_path):
    before = datetime(2019, 12, 23, 9, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [CHILD, DISCUSSION], RULE, before) == []


def test_the_clock_runs_from_the_discussion_at_which_the_enquiry_began(tmp_path):
    again = {**DISCUSSION, "id": "SD-2", "occurred_at": "2019-12-16T10:00:00",
             "recorded_at": "2019-12-16T10:00:00"}  # fmt: skip
    [alert] = alerts_for(tmp_path, [CHILD, DISCUSSION, again], RULE)
    assert alert["raised_at"] == "2019-12-23T10:00:00"


def test_an_enquiry_concluded_without_a_conference_raises_nothing(tmp_path):
    done = event("csc-lancs", "S47-1", "assessment", "2019-12-18T10:00:00", ("C-1", "child"),
                 details={"assessment": "section_47", "status": "completed",
                          "outcome": "no_further_action"})  # fmt: skip
    assert alerts_for(tmp_path, [CHILD, DISCUSSION, done], RULE) == []


def test_a_discussion_with_no_further_action_starts_no_clock(tmp_path):
    nfa = {**DISCUSSION, "details": {"outcome": "no_further_action"}}
    assert alerts_for(tmp_path, [CHILD, nfa], RULE) == []
