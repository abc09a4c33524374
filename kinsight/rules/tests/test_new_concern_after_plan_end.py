import pytest

from kinsight.rules.tests.family import FAMILY, FIRST_PLAN, POLICE, incident, plan
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event

pytestmark = pytest.mark.django_db
RULE = "new_concern_after_plan_end"
CHLOE = ["csc-lancs", "CS-chloe"]
DA = incident("DA-1", "2018-09-15T23:40:00", "2018-09-16T02:15:00", children_present=True)


def chloes(alerts):
    return [a for a in alerts if CHLOE in a["subjects"]]


def test_the_first_incident_after_the_plan_ended_raises_it_when_recorded(tmp_path):
    referral = event("csc-lancs", "REF-2", "referral", "2018-09-17T09:05:00", ("CS-chloe", "child"),
                     recorded_at="2018-09-17T09:40:00")  # fmt: skip
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *POLICE, *FIRST_PLAN, DA, referral], RULE))

    assert (alert["raised_at"], alert["severity"]) == ("2018-09-16T02:15:00", "warning")
    assert alert["evidence"] == [["lancs-police", "DA-1"], ["csc-lancs", "CP-2"]]
    assert "domestic abuse incident on 15 September 2018" in alert["explanation"]
    assert (
        "6 weeks after the child's child protection plan ended on 2 August"
        in (alert["explanation"])
    )


def test_a_referral_about_the_child_counts(tmp_path):
    referral = event("csc-lancs", "REF-2", "referral", "2018-12-17T09:05:00", ("CS-chloe", "child"),
                     recorded_at="2018-12-17T09:40:00")  # fmt: skip
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *FIRST_PLAN, referral], RULE))
    assert alert["raised_at"] == "2018-12-17T09:40:00"


def test_a_concern_more_than_six_months_after_raises_nothing(tmp_path):
    late = incident("DA-1", "2019-03-15T23:40:00", "2019-03-16T02:15:00")
    assert chloes(alerts_for(tmp_path, [*FAMILY, *POLICE, *FIRST_PLAN, late], RULE)) == []


def test_a_plan_that_ended_because_the_child_became_looked_after_raises_nothing(tmp_path):
    ending = [*FIRST_PLAN[:2], plan("PL-1-END", "2018-08-02T15:30:00", "ended",
                                    reason="looked_after")]  # fmt: skip
    assert chloes(alerts_for(tmp_path, [*FAMILY, *POLICE, *ending, DA], RULE)) == []


def test_a_routine_health_visit_is_not_a_concern(tmp_path):
    visit = event("nhs-east", "HV-1", "home_visit", "2018-09-01T10:00:00", ("H-chloe", "child"),
                  summary="Routine visit, Chloe well and thriving.")  # fmt: skip
    from kinsight.testing import person

    chloe = person("nhs-east", "H-chloe", given_name="Chloe", birth_date="2018-05-09",
                   nhs_number="9994312588")  # fmt: skip
    assert chloes(alerts_for(tmp_path, [*FAMILY, *FIRST_PLAN, chloe, visit], RULE)) == []
