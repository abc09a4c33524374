from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.family import FAMILY
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event

pytestmark = pytest.mark.django_db
RULE = "male_carer_not_assessed"
CHLOE = ["csc-lancs", "CS-chloe"]
ASSESSMENT = event("csc-lancs", "AS-1", "assessment", "2018-05-11T15:45:00", ("CS-chloe", "child"),
                   details={"assessment": "child_and_family", "status": "started"})  # fmt: skip


def chloes(alerts):
    return [a for a in alerts if CHLOE in a["subjects"]]


def test_a_father_not_seen_within_ten_working_days_raises_it_when_they_pass(tmp_path):
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, ASSESSMENT], RULE))

    assert (alert["raised_at"], alert["severity"]) == ("2018-05-25T15:45:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "AS-1"]]
    assert "The child's father" in alert["explanation"]


def test_a_father_named_in_a_visit_within_ten_working_days_raises_nothing(tmp_path):
    visit = event("csc-lancs", "V-1", "home_visit", "2018-05-18T15:00:00", ("CS-chloe", "child"),
                  ("CS-father", "parent"), details={"child_seen": True})  # fmt: skip
    assert chloes(alerts_for(tmp_path, [*FAMILY, ASSESSMENT, visit], RULE)) == []


def test_a_visit_recorded_after_the_ten_working_days_does_not_count(tmp_path):
    visit = event("csc-lancs", "V-1", "home_visit", "2018-05-18T15:00:00", ("CS-chloe", "child"),
                  ("CS-father", "parent"), recorded_at="2018-06-01T09:00:00",
                  details={"child_seen": True})  # fmt: skip
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, ASSESSMENT, visit], RULE))
    assert alert["raised_at"] == "2018-05-25T15:45:00"


def test_nothing_is_raised_before_the_ten_working_days_have_passed(tmp_path):
    as_of = datetime(2018, 5, 25, 15, 44, tzinfo=UK)
    assert chloes(alerts_for(tmp_path, [*FAMILY, ASSESSMENT], RULE, as_of=as_of)) == []


def test_an_older_child_raises_nothing(tmp_path):
    assessment = {**ASSESSMENT, "occurred_at": "2019-06-11T15:45:00"}
    assert chloes(alerts_for(tmp_path, [*FAMILY, assessment], RULE)) == []


def test_the_mother_is_not_a_male_carer(tmp_path):
    visit = event("csc-lancs", "V-1", "home_visit", "2018-05-18T15:00:00", ("CS-chloe", "child"),
                  ("CS-father", "parent"), details={"child_seen": True})  # fmt: skip
    alerts = chloes(alerts_for(tmp_path, [*FAMILY, ASSESSMENT, visit], RULE))
    assert all("mother" not in a["explanation"] for a in alerts)
