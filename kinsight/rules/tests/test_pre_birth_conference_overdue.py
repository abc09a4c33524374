from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "pre_birth_conference_overdue"
# Expected on Monday 1 June 2020: gestation week 28 is Monday 9 March 2020, week 32 Monday
# 6 April; for a multiple pregnancy week 24 is Monday 10 February.
UNBORN = person("csc-lancs", "C-1", unborn=True, expected_birth_date="2020-06-01")
DISCUSSION = event("csc-lancs", "SD-1", "strategy_discussion", "2019-12-09T10:00:00",
                   ("C-1", "child"), details={"outcome": "section_47"})  # fmt: skip


def conference(occurred_at):
    details = {"conference": "pre_birth", "outcome": "plan"}
    return event("csc-lancs", "CP-1", "child_protection_conference", occurred_at,
                 ("C-1", "child"), details=details)  # fmt: skip


def test_no_pre_birth_conference_by_32_weeks_is_urgent(tmp_path):
    [alert] = alerts_for(tmp_path, [UNBORN, DISCUSSION], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-03-09T00:00:00", "urgent")
    assert "gestation week 28, Mon 9 Mar 2020 00:00" in alert["explanation"]


def test_at_28_weeks_it_is_a_warning(tmp_path):
    as_of = datetime(2020, 3, 20, tzinfo=UK)
    [alert] = alerts_for(tmp_path, [UNBORN, DISCUSSION], RULE, as_of)
    assert alert["severity"] == "warning"


def test_a_conference_held_by_28_weeks_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [UNBORN, DISCUSSION, conference("2020-03-02T10:00:00")], RULE) == []


def test_a_conference_after_28_weeks_does_not_undo_the_warning(tmp_path):
    [alert] = alerts_for(tmp_path, [UNBORN, DISCUSSION, conference("2020-03-16T10:00:00")], RULE)
    assert alert["severity"] == "warning"


def test_it_is_not_raised_before_28_weeks(tmp_path):
    before = datetime(2020, 3, 8, 23, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [UNBORN, DISCUSSION], RULE, before) == []


def test_for_twins_it_is_raised_4_weeks_earlier(tmp_path):
    booking = event("csc-lancs", "B-1", "antenatal_booking", "2019-12-02T10:00:00",
                    ("C-1", "child"), details={"multiple": True})  # fmt: skip
    [alert] = alerts_for(tmp_path, [UNBORN, booking, DISCUSSION], RULE)
    assert alert["raised_at"] == "2020-02-10T00:00:00"


def test_a_discussion_without_section_47_starts_no_clock(tmp_path):
    nfa = {**DISCUSSION, "details": {"outcome": "no_further_action"}}
    assert alerts_for(tmp_path, [UNBORN, nfa], RULE) == []
