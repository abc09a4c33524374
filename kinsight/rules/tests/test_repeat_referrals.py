import pytest

from kinsight.rules.tests.family import FAMILY
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event

pytestmark = pytest.mark.django_db
RULE = "repeat_referrals"
CHLOE = ["csc-lancs", "CS-chloe"]


def referral(event_id, at, agency="csc-lancs", ref="CS-chloe"):
    return event(agency, event_id, "referral", at, (ref, "child"), ("CS-mother", "parent"),
                 details={"concerns": ["neglect"]})  # fmt: skip


def closed(event_id, at):
    return event("csc-lancs", event_id, "case_closed", at, ("CS-chloe", "child"),
                 details={"reason": "no further action"})  # fmt: skip


def chloes(alerts):
    return [a for a in alerts if CHLOE in a["subjects"]]


def test_a_third_referral_within_twelve_months_raises_it(tmp_path):
    lines = [referral("R-1", "2018-06-01T10:00:00"), referral("R-2", "2018-10-01T10:00:00"),
             referral("R-3", "2019-05-01T10:00:00")]  # fmt: skip
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *lines], RULE))

    assert (alert["raised_at"], alert["severity"]) == ("2019-05-01T10:00:00", "warning")
    assert "3 referrals within 12 months" in alert["explanation"]
    assert len(alert["evidence"]) == 3


def test_three_referrals_spread_over_more_than_twelve_months_raise_nothing(tmp_path):
    lines = [referral("R-1", "2018-06-01T10:00:00"), referral("R-2", "2018-10-01T10:00:00"),
             referral("R-3", "2019-07-01T10:00:00")]  # fmt: skip
    assert chloes(alerts_for(tmp_path, [*FAMILY, *lines], RULE)) == []


def test_two_referrals_on_the_same_day_count_once(tmp_path):
    lines = [referral("R-1", "2018-06-01T10:00:00"), referral("R-2", "2018-06-01T15:00:00"),
             referral("R-3", "2018-10-01T10:00:00")]  # fmt: skip
    assert chloes(alerts_for(tmp_path, [*FAMILY, *lines], RULE)) == []


def test_a_referral_within_twelve_months_of_closure_raises_it(tmp_path):
    lines = [referral("R-1", "2018-06-01T10:00:00"), closed("CL-1", "2018-07-01T10:00:00"),
             referral("R-2", "2019-02-01T10:00:00")]  # fmt: skip
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *lines], RULE))

    assert alert["raised_at"] == "2019-02-01T10:00:00"
    assert "after the case was closed" in alert["explanation"]
    assert alert["evidence"] == [["csc-lancs", "CL-1"], ["csc-lancs", "R-2"]]


def test_a_referral_more_than_twelve_months_after_closure_raises_nothing(tmp_path):
    lines = [closed("CL-1", "2018-07-01T10:00:00"), referral("R-2", "2019-08-01T10:00:00")]
    assert chloes(alerts_for(tmp_path, [*FAMILY, *lines], RULE)) == []
