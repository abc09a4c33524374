import pytest

from kinsight.rules.tests.family import FAMILY, rel
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "new_adult_in_household"
CHLOE = ["csc-lancs", "CS-chloe"]
DEAN = person("csc-lancs", "CS-dean", given_name="Dean", sex="male", birth_date="1990-01-01",
              recorded_at="2019-03-04T09:00:00")  # fmt: skip


def chloes(alerts):
    return [a for a in alerts if CHLOE in a["subjects"]]


def test_a_household_change_recording_an_adult_joining_raises_it(tmp_path):
    joined = event("csc-lancs", "HC-1", "household_change", "2019-03-01", ("CS-dean", "subject"),
                   ("CS-chloe", "child"), recorded_at="2019-03-04T09:00:00",
                   details={"change": "joined"})  # fmt: skip
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, DEAN, joined], RULE))

    assert (alert["raised_at"], alert["severity"]) == ("2019-03-04T09:00:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "HC-1"]]
    assert "joined the household on 1 March 2019" in alert["explanation"]
    assert "is under 5" in alert["explanation"]


def test_a_new_partner_of_the_mother_recorded_later_raises_it(tmp_path):
    partner = rel("csc-lancs", "CS-mother", "CS-dean", "partner", recorded_at="2019-03-04T09:00:00")
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, DEAN, partner], RULE))

    assert alert["raised_at"] == "2019-03-04T09:00:00"
    assert "partner of the child's parent" in alert["explanation"]


def test_the_partner_recorded_with_the_family_at_the_first_referral_is_not_new(tmp_path):
    dean = {**DEAN, "recorded_at": "2018-05-10T11:20:00"}
    partner = rel("csc-lancs", "CS-mother", "CS-dean", "partner", recorded_at="2018-05-10T11:20:00")
    assert chloes(alerts_for(tmp_path, [*FAMILY, dean, partner], RULE)) == []


def test_a_new_adult_in_the_household_of_an_older_child_not_on_a_plan_raises_nothing(tmp_path):
    family = [
        {**line, "birth_date": "2010-05-09"} if line.get("id") == "CS-chloe" else line
        for line in FAMILY
    ]
    partner = rel("csc-lancs", "CS-mother", "CS-dean", "partner", recorded_at="2019-03-04T09:00:00")
    assert chloes(alerts_for(tmp_path, [*family, DEAN, partner], RULE)) == []


def test_a_note_about_a_new_partner_staying_raises_it_once(tmp_path):
    notes = [
        event("csc-lancs", f"N-{i}", "home_visit", at, ("CS-chloe", "child"),
              summary="Mum has a new partner, Dean, who has been staying most nights.")
        for i, at in enumerate(["2019-03-04T15:00:00", "2019-03-20T15:00:00"])
    ]  # fmt: skip
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *notes], RULE))
    assert alert["raised_at"] == "2019-03-04T15:00:00"
