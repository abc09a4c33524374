from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "rapid_review_overdue"
CHILD = person("csc-lancs", "C-1", given_name="Harper", birth_date="2019-06-01")
# Monday 4 May 2020, 09:00: Friday 8 May (VE Day) and Monday 25 May are bank holidays, so 15
# working days later is Wednesday 27 May, 09:00.
NOTIFIED = event("csc-lancs", "SIN-1", "serious_incident_notification", "2020-05-04T09:00:00",
                 ("C-1", "child"), details={"harm": "serious_harm"})  # fmt: skip


def rapid_review(occurred_at, status="submitted"):
    return event("csc-lancs", "RR-1", "rapid_review", occurred_at, ("C-1", "child"),
                 details={"status": status})  # fmt: skip


def test_no_rapid_review_within_15_working_days_raises_it(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, NOTIFIED], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-05-27T09:00:00", "warning")
    assert "Wed 27 May 2020 09:00" in alert["explanation"]


def test_a_rapid_review_submitted_in_time_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [CHILD, NOTIFIED, rapid_review("2020-05-26T16:00:00")], RULE) == []


def test_a_rapid_review_only_started_does_not_answer_it(tmp_path):
    lines = [CHILD, NOTIFIED, rapid_review("2020-05-12T16:00:00", "started")]
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_it_is_not_raised_before_the_deadline(tmp_path):
    before = datetime(2020, 5, 27, 8, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [CHILD, NOTIFIED], RULE, before) == []
