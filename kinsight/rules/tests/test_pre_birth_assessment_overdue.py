from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "pre_birth_assessment_overdue"
# Expected on Monday 1 June 2020: gestation week 30 is Monday 23 March 2020, week 32 Monday
# 6 April; for a multiple pregnancy week 26 is Monday 24 February.
UNBORN = person("csc-lancs", "C-1", unborn=True, expected_birth_date="2020-06-01")
REFERRAL = event("csc-lancs", "R-1", "referral", "2019-12-02T10:00:00", ("C-1", "child"),
                 details={"concerns": ["substance_misuse"]})  # fmt: skip
STARTED = event("csc-lancs", "A-1", "assessment", "2019-12-04T10:00:00", ("C-1", "child"),
                details={"assessment": "pre_birth", "status": "started"})  # fmt: skip


def completed(occurred_at):
    return event("csc-lancs", "A-2", "assessment", occurred_at, ("C-1", "child"),
                 details={"assessment": "pre_birth", "status": "completed"})  # fmt: skip


def test_an_assessment_not_completed_by_32_weeks_is_urgent(tmp_path):
    [alert] = alerts_for(tmp_path, [UNBORN, REFERRAL, STARTED], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-03-23T00:00:00", "urgent")
    assert "gestation week 30, Mon 23 Mar 2020 00:00" in alert["explanation"]
    assert alert["evidence"] == [["csc-lancs", "R-1"]]


def test_at_30_weeks_it_is_a_warning(tmp_path):
    as_of = datetime(2020, 3, 30, tzinfo=UK)
    [alert] = alerts_for(tmp_path, [UNBORN, REFERRAL, STARTED], RULE, as_of)
    assert alert["severity"] == "warning"


def test_an_assessment_completed_by_30_weeks_raises_nothing(tmp_path):
    lines = [UNBORN, REFERRAL, STARTED, completed("2020-03-20T15:00:00")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_it_is_not_raised_before_30_weeks(tmp_path):
    before = datetime(2020, 3, 22, 23, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [UNBORN, REFERRAL, STARTED], RULE, before) == []


def test_for_twins_it_is_raised_4_weeks_earlier(tmp_path):
    booking = event("csc-lancs", "B-1", "antenatal_booking", "2019-12-10T10:00:00",
                    ("C-1", "child"), details={"multiple": True,
                                               "expected_birth_date": "2020-06-01"})  # fmt: skip
    [alert] = alerts_for(tmp_path, [UNBORN, REFERRAL, booking], RULE)
    assert alert["raised_at"] == "2020-02-24T00:00:00"
    assert "multiple pregnancy" in alert["explanation"]


def test_twins_known_only_after_26_weeks_raise_it_when_they_were_known(tmp_path):
    note = event("csc-lancs", "N-1", "note", "2020-03-02T14:00:00", ("C-1", "child"),
                 summary="Scan confirms twins.")  # fmt: skip
    [alert] = alerts_for(tmp_path, [UNBORN, REFERRAL, note], RULE)
    assert alert["raised_at"] == "2020-03-02T14:00:00"


def test_a_referral_recorded_after_30_weeks_raises_it_when_recorded(tmp_path):
    late = {**REFERRAL, "occurred_at": "2020-03-25T10:00:00"}
    [alert] = alerts_for(tmp_path, [UNBORN, late], RULE)
    assert alert["raised_at"] == "2020-03-25T10:00:00"


def test_a_birth_before_the_assessment_was_completed_raises_it_at_the_birth(tmp_path):
    birth = event("csc-lancs", "BI-1", "birth", "2020-03-02T03:00:00", ("C-1", "child"),
                  recorded_at="2020-03-02T09:00:00", details={"gestation_weeks": 27})  # fmt: skip
    born = person("csc-lancs", "C-1", birth_date="2020-03-02", recorded_at="2020-03-02T09:00:00")
    [alert] = alerts_for(tmp_path, [UNBORN, REFERRAL, birth, born], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-03-02T09:00:00", "urgent")


def test_a_referral_closed_without_an_assessment_raises_nothing(tmp_path):
    closed = event("csc-lancs", "X-1", "case_closed", "2019-12-05T10:00:00", ("C-1", "child"),
                   details={"reason": "no concerns after checks"})  # fmt: skip
    assert alerts_for(tmp_path, [UNBORN, REFERRAL, closed], RULE) == []
