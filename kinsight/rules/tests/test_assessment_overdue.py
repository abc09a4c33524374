from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "assessment_overdue"
CHILD = person("csc-lancs", "C-1", given_name="Lucas", birth_date="2012-03-01")
# Monday 2 September 2019, 10:00: 45 working days later is Monday 4 November 2019, 10:00.
REFERRAL = event("csc-lancs", "R-1", "referral", "2019-09-02T09:00:00", ("C-1", "child"),
                 recorded_at="2019-09-02T10:00:00", details={"concerns": ["neglect"]})  # fmt: skip


def assessment(event_id, status, occurred_at, **fields):
    details = {"assessment": "child_and_family", "status": status}
    return event("csc-lancs", event_id, "assessment", occurred_at, ("C-1", "child"),
                 details=details, **fields)  # fmt: skip


STARTED = assessment("A-1", "started", "2019-09-04T11:00:00")


def test_an_assessment_not_completed_45_working_days_after_the_referral_raises_it(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, REFERRAL, STARTED], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2019-11-04T10:00:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "A-1"], ["csc-lancs", "R-1"]]
    assert "45 working days after referral csc-lancs (R-1)" in alert["explanation"]
    assert "Mon 4 Nov 2019 10:00" in alert["explanation"]


def test_an_assessment_completed_in_time_raises_nothing(tmp_path):
    done = assessment("A-2", "completed", "2019-11-01T16:00:00")
    assert alerts_for(tmp_path, [CHILD, REFERRAL, STARTED, done], RULE) == []


def test_an_assessment_completed_after_the_deadline_was_still_late(tmp_path):
    done = assessment("A-2", "completed", "2019-11-05T16:00:00")
    [alert] = alerts_for(tmp_path, [CHILD, REFERRAL, STARTED, done], RULE)
    assert alert["raised_at"] == "2019-11-04T10:00:00"


def test_it_is_not_raised_before_the_deadline_has_passed(tmp_path):
    before = datetime(2019, 11, 4, 9, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [CHILD, REFERRAL, STARTED], RULE, before) == []


def test_without_a_referral_the_clock_starts_at_the_assessment(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, STARTED], RULE)
    # Wednesday 4 September 2019, 11:00, plus 45 working days.
    assert alert["raised_at"] == "2019-11-06T11:00:00"


def test_an_assessment_recorded_after_the_deadline_raises_it_when_it_was_recorded(tmp_path):
    late = assessment("A-1", "started", "2019-09-04T11:00:00", recorded_at="2019-11-20T09:00:00")
    [alert] = alerts_for(tmp_path, [CHILD, REFERRAL, late], RULE)
    assert alert["raised_at"] == "2019-11-20T09:00:00"


def test_closing_the_case_in_time_stops_the_clock(tmp_path):
    closed = event("csc-lancs", "X-1", "case_closed", "2019-10-01T10:00:00", ("C-1", "child"),
                   details={"reason": "moved area"})  # fmt: skip
    assert alerts_for(tmp_path, [CHILD, REFERRAL, STARTED, closed], RULE) == []
