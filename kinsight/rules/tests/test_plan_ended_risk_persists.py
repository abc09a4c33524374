import pytest

from kinsight.rules.tests.family import FAMILY, FIRST_PLAN, cgl, conference, plan
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event

pytestmark = pytest.mark.django_db
RULE = "plan_ended_risk_persists"
CORE_GROUP = event("csc-lancs", "CG-2", "core_group", "2018-07-05T14:00:00", ("CS-chloe", "child"),
                   ("CS-mother", "parent"), ("CS-father", "parent"),
                   recorded_at="2018-07-05T16:00:00",
                   summary="CGL worker reports 2 of mum's last 3 urine screens positive for "
                           "heroin. Dad still not in treatment.")  # fmt: skip
HEROIN = cgl("mother", "CGL-1", "2018-07-10T11:15:00", "positive_test",
             "Urine screen positive for morphine and 6-MAM (heroin).")  # fmt: skip


def test_a_plan_ended_at_its_first_review_with_drug_use_ongoing_raises_it(tmp_path):
    [alert] = alerts_for(tmp_path, [*FAMILY, *FIRST_PLAN, CORE_GROUP, *HEROIN], RULE)

    assert (alert["raised_at"], alert["severity"]) == ("2018-08-02T15:30:00", "warning")
    assert alert["subjects"] == [["csc-lancs", "CS-chloe"]]
    text = alert["explanation"]
    assert "ended at or before its first review conference, 10 weeks in" in text
    assert "parental substance misuse was recorded in the 12 weeks before" in text
    assert "the child is under 1" in text
    assert ["cgl-lancs", "CGL-1"] in alert["evidence"]


def test_a_plan_ended_because_the_child_became_looked_after_raises_nothing(tmp_path):
    ending = [
        *FIRST_PLAN[:2],
        plan("PL-1-END", "2018-08-02T15:30:00", "ended", reason="looked_after"),
        plan("LAC-1", "2018-08-02T15:30:00", "started", kind="looked_after"),
    ]
    assert alerts_for(tmp_path, [*FAMILY, *ending, CORE_GROUP, *HEROIN], RULE) == []


def test_a_plan_ended_after_a_year_with_nothing_outstanding_raises_nothing(tmp_path):
    lines = [
        *FIRST_PLAN[:2],
        conference("CP-2", "2018-08-20T15:30:00", "review", "plan_continues"),
        conference("CP-3", "2019-06-20T15:30:00", "review", "plan_ends"),
        plan("PL-1-END", "2019-06-20T15:30:00", "ended", reason="risk_reduced"),
        CORE_GROUP,
    ]
    assert alerts_for(tmp_path, [*FAMILY, *lines], RULE) == []


def test_an_injury_to_the_child_in_the_weeks_before_is_listed(tmp_path):
    lines = [
        *FIRST_PLAN[:2],
        conference("CP-2", "2018-08-20T15:30:00", "review", "plan_continues"),
        event("csc-lancs", "V-1", "home_visit", "2019-05-01T15:00:00", ("CS-chloe", "child"),
              summary="Chloe seen; bruise on her forehead, mum says she fell.",
              details={"child_seen": True}),
        conference("CP-3", "2019-06-20T15:30:00", "review", "plan_ends"),
    ]  # fmt: skip
    [alert] = alerts_for(tmp_path, [*FAMILY, *lines], RULE)
    assert "an injury to the child was recorded in the 12 weeks before" in alert["explanation"]
    assert alert["raised_at"] == "2019-06-20T15:30:00"
