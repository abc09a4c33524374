import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "home_education_after_concern"
CHILD = person("csc-lancs", "C-1", given_name="Ava", birth_date="2013-09-19")
WITHDRAWN = event("csc-lancs", "E-1", "education_change", "2020-05-04T09:00", ("C-1", "child"),
                  recorded_at="2020-05-06T14:00",
                  details={"change": "elective_home_education"})  # fmt: skip


def referral(occurred, **fields):
    return event("csc-lancs", f"R-{occurred}", "referral", occurred, ("C-1", "child"),
                 details={"concerns": ["neglect"]}, **fields)  # fmt: skip


def plan(event_id, occurred, status):
    return event("csc-lancs", event_id, "plan", occurred, ("C-1", "child"),
                 details={"plan": "child_protection", "status": status})  # fmt: skip


def test_home_education_two_months_after_a_referral_raises_it_when_recorded(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, referral("2020-03-02T10:00"), WITHDRAWN], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-05-06T14:00:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "R-2020-03-02T10:00"], ["csc-lancs", "E-1"]]


def test_a_referral_eight_months_before_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [CHILD, referral("2019-09-02T10:00"), WITHDRAWN], RULE) == []


def test_a_school_move_raises_nothing(tmp_path):
    moved = {**WITHDRAWN, "details": {"change": "school_move"}}
    assert alerts_for(tmp_path, [CHILD, referral("2020-03-02T10:00"), moved], RULE) == []


def test_a_plan_that_ended_three_months_before_counts(tmp_path):
    lines = [CHILD, plan("P-1", "2019-06-03", "started"), plan("P-2", "2020-02-03", "ended"),
             WITHDRAWN]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["evidence"][0] == ["csc-lancs", "P-1"]


def test_a_plan_that_ended_a_year_before_does_not(tmp_path):
    lines = [CHILD, plan("P-1", "2018-06-03", "started"), plan("P-2", "2019-05-03", "ended"),
             WITHDRAWN]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_referral_recorded_after_the_withdrawal_raises_it_when_the_referral_is_recorded(
    tmp_path,
):
    late = referral("2020-04-20T10:00", recorded_at="2020-05-11T09:30")
    [alert] = alerts_for(tmp_path, [CHILD, WITHDRAWN, late], RULE)
    assert alert["raised_at"] == "2020-05-11T09:30:00"
