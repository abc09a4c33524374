from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
CHILD = person("csc-lancs", "C-1", given_name="Lucas", birth_date="2012-03-01")
# Friday 8 November 2019, 18:50: one working day later is Monday 11 November, 18:50.
REFERRAL = event("csc-lancs", "R-1", "referral", "2019-11-08T18:00:00", ("C-1", "child"),
                 recorded_at="2019-11-08T18:50:00", details={"concerns": ["neglect"]})  # fmt: skip


def decision(recorded_at):
    details = {"decision": "no_further_action", "rationale": "seen, no concerns"}
    return event("csc-lancs", "D-1", "decision", recorded_at, ("C-1", "child"), details=details)


def test_no_decision_within_a_working_day_raises_it_when_the_day_has_passed(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, REFERRAL], "referral_decision_overdue")
    assert (alert["raised_at"], alert["severity"]) == ("2019-11-11T18:50:00", "warning")
    assert "Mon 11 Nov 2019 18:50" in alert["explanation"]


def test_a_decision_recorded_in_time_raises_nothing(tmp_path):
    lines = [CHILD, REFERRAL, decision("2019-11-11T10:00:00")]
    assert alerts_for(tmp_path, lines, "referral_decision_overdue") == []


def test_a_decision_recorded_too_late_does_not_stop_it(tmp_path):
    lines = [CHILD, REFERRAL, decision("2019-11-12T10:00:00")]
    assert len(alerts_for(tmp_path, lines, "referral_decision_overdue")) == 1


def test_it_is_not_raised_before_the_deadline_has_passed(tmp_path):
    before = datetime(2019, 11, 11, 18, 0, tzinfo=UK)
    assert alerts_for(tmp_path, [CHILD, REFERRAL], "referral_decision_overdue", before) == []


def test_a_referral_about_physical_abuse_is_urgent(tmp_path):
    physical = {**REFERRAL, "details": {"concerns": ["physical"]}}
    [alert] = alerts_for(tmp_path, [CHILD, physical], "referral_decision_overdue")
    assert alert["severity"] == "urgent"
