from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "agency_not_informed"
SAME = {"given_name": "Harper", "birth_date": "2017-06-21", "nhs_number": "9434765919"}
CHILD = person("csc-lancs", "C-1", **SAME)
HEALTH = person("nhs-east", "H-1", **SAME)
MOTHER = person("lancs-police", "P-M", given_name="Kayleigh", birth_date="1991-08-23")
# The police hold Harper's mother, whom social care also know.
HARPER_POLICE = person("lancs-police", "P-1", **SAME)
MOTHER_OF = {"kind": "relationship", "agency": "lancs-police", "person": "P-1",
             "relative": "P-M", "type": "mother"}  # fmt: skip
VISIT = event("nhs-east", "HV-1", "home_visit", "2020-02-10T10:00", ("H-1", "child"),
              details={"child_seen": True})  # fmt: skip


def conference(attended_by):
    # Friday 6 March 2020, 16:00: one working day later is Monday 9 March, 16:00.
    return event("csc-lancs", "ICPC-1", "child_protection_conference", "2020-03-06T10:00",
                 ("C-1", "child"), recorded_at="2020-03-06T16:00",
                 details={"conference": "initial", "outcome": "plan",
                          "attended_by": attended_by})  # fmt: skip


PLAN = event("csc-lancs", "PL-1", "plan", "2020-03-06T10:00", ("C-1", "child"),
             recorded_at="2020-03-06T16:00",
             details={"plan": "child_protection", "status": "started"})  # fmt: skip


def shared(recorded_at, to):
    return event("csc-lancs", f"IS-{recorded_at}", "information_shared", recorded_at,
                 ("C-1", "child"), details={"to": to, "about": ["ICPC-1"]})  # fmt: skip


def test_an_agency_working_with_the_child_not_told_of_a_plan_raises_it_a_day_later(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, HEALTH, VISIT, conference(["csc-lancs"]), PLAN],
                         RULE)  # fmt: skip
    assert (alert["raised_at"], alert["severity"]) == ("2020-03-09T16:00:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "ICPC-1"], ["csc-lancs", "PL-1"],
                                 ["nhs-east", "HV-1"]]  # fmt: skip
    assert "nhs-east (last record HV-1" in alert["explanation"]


def test_an_agency_at_the_conference_was_told(tmp_path):
    lines = [CHILD, HEALTH, VISIT, conference(["csc-lancs", "nhs-east"]), PLAN]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_information_shared_within_the_working_day_answers_it(tmp_path):
    lines = [CHILD, HEALTH, VISIT, conference(["csc-lancs"]), PLAN,
             shared("2020-03-09T11:00", ["nhs-east"])]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE) == []


def test_information_shared_too_late_does_not(tmp_path):
    lines = [CHILD, HEALTH, VISIT, conference(["csc-lancs"]), PLAN,
             shared("2020-03-10T11:00", ["nhs-east"])]  # fmt: skip
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_an_agency_last_involved_four_months_before_is_not_listed(tmp_path):
    old = {**VISIT, "occurred_at": "2019-11-01T10:00"}
    assert alerts_for(tmp_path, [CHILD, HEALTH, old, conference(["csc-lancs"]), PLAN], RULE) == []


def test_an_agency_working_with_a_parent_counts(tmp_path):
    incident = event("lancs-police", "LC-1", "domestic_abuse_incident", "2020-02-20T23:00",
                     ("P-M", "victim"))  # fmt: skip
    lines = [CHILD, HARPER_POLICE, MOTHER, MOTHER_OF, incident, conference(["csc-lancs"]), PLAN]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert "lancs-police (last record LC-1" in alert["explanation"]


def test_it_is_not_raised_before_the_working_day_has_passed(tmp_path):
    before = datetime(2020, 3, 9, 15, 0, tzinfo=UK)
    lines = [CHILD, HEALTH, VISIT, conference(["csc-lancs"]), PLAN]
    assert alerts_for(tmp_path, lines, RULE, as_of=before) == []
