import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "adult_service_not_linked"
DRUG_SERVICE = {"kind": "agency", "code": "cgl-lancs", "name": "Recovery service",
                "sector": "substance_misuse"}  # fmt: skip
MUM = {"given_name": "Kayleigh", "birth_date": "1991-08-23", "nhs_number": "9434765919"}
CHLOE = person("csc-lancs", "C-1", given_name="Chloe", birth_date="2018-05-09")
MOTHER = person("csc-lancs", "C-M", **MUM)
MOTHER_OF = {"kind": "relationship", "agency": "csc-lancs", "person": "C-1", "relative": "C-M",
             "type": "mother"}  # fmt: skip
CLIENT = person("cgl-lancs", "CGL-1", **MUM)
KEY_WORK = event("cgl-lancs", "CGL-E-1", "substance_misuse_service", "2018-07-10T10:00",
                 ("CGL-1", "subject"), recorded_at="2018-07-10T11:15",
                 details={"status": "positive_test"})  # fmt: skip
FAMILY = [DRUG_SERVICE, CHLOE, MOTHER, MOTHER_OF, CLIENT]


def meeting(event_id, type_, occurred, attended_by, **details):
    return event("csc-lancs", event_id, type_, occurred, ("C-1", "child"),
                 recorded_at=f"{occurred[:10]}T16:30",
                 details={"attended_by": attended_by, **details})  # fmt: skip


ICPC = meeting("CP-1", "child_protection_conference", "2018-07-20T10:00", ["csc-lancs"],
               conference="initial", outcome="plan")  # fmt: skip


def test_a_mothers_drug_service_missing_from_the_childs_conference_raises_it(tmp_path):
    [alert] = alerts_for(tmp_path, [*FAMILY, KEY_WORK, ICPC], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2018-07-20T16:30:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "CP-1"], ["cgl-lancs", "CGL-E-1"]]
    assert "cgl-lancs, a drug and alcohol service" in alert["explanation"]


def test_a_service_that_attended_raises_nothing(tmp_path):
    attended = {**ICPC, "details": {**ICPC["details"], "attended_by": ["csc-lancs", "cgl-lancs"]}}
    assert alerts_for(tmp_path, [*FAMILY, KEY_WORK, attended], RULE) == []


def test_a_service_told_of_the_plan_raises_nothing(tmp_path):
    told = {**ICPC, "shared_with": ["cgl-lancs"]}
    assert alerts_for(tmp_path, [*FAMILY, KEY_WORK, told], RULE) == []


def test_a_service_last_involved_more_than_90_days_before_raises_nothing(tmp_path):
    old = {**KEY_WORK, "occurred_at": "2018-03-01T10:00", "recorded_at": "2018-03-01T11:00"}
    assert alerts_for(tmp_path, [*FAMILY, old, ICPC], RULE) == []


def test_without_an_open_plan_or_enquiry_nothing_is_raised(tmp_path):
    no_plan = {**ICPC, "details": {**ICPC["details"], "outcome": "no_plan"}}
    assert alerts_for(tmp_path, [*FAMILY, KEY_WORK, no_plan], RULE) == []


def test_a_service_that_becomes_involved_during_the_plan_is_raised_when_recorded(tmp_path):
    later = {**KEY_WORK, "occurred_at": "2018-08-14T10:00", "recorded_at": "2018-08-14T12:00"}
    [alert] = alerts_for(tmp_path, [*FAMILY, ICPC, later], RULE)
    assert alert["raised_at"] == "2018-08-14T12:00:00"
