from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "child_not_seen"
CHILD = person("csc-lancs", "C-1", given_name="Lucas", family_name="Hargreaves",
               birth_date="2016-03-01", nhs_number="9434765919")  # fmt: skip
# The plan starts on Monday 6 January 2020, 12:00: 10 working days later is Monday 20 January.
ICPC = event("csc-lancs", "CP-1", "child_protection_conference", "2020-01-06T12:00:00",
             ("C-1", "child"), details={"conference": "initial", "outcome": "plan"})  # fmt: skip


def visit(event_id, occurred_at, **details):
    return event("csc-lancs", event_id, "home_visit", occurred_at, ("C-1", "child"),
                 details=details)  # fmt: skip


def test_a_child_on_a_plan_not_seen_for_10_working_days_raises_a_warning(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, ICPC], RULE, datetime(2020, 2, 1, tzinfo=UK))
    assert (alert["raised_at"], alert["severity"]) == ("2020-01-20T12:00:00", "warning")
    assert "Mon 20 Jan 2020 12:00" in alert["explanation"]


def test_a_child_seen_on_a_visit_in_time_raises_nothing(tmp_path):
    lines = [CHILD, ICPC, visit("V-1", "2020-01-17T10:00:00", child_seen=True)]
    assert alerts_for(tmp_path, lines, RULE, datetime(2020, 1, 25, tzinfo=UK)) == []


def test_it_is_not_raised_before_the_10_working_days_have_passed(tmp_path):
    before = datetime(2020, 1, 20, 11, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [CHILD, ICPC], RULE, before) == []


def test_when_no_agency_has_seen_the_child_for_6_weeks_it_is_urgent(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, ICPC], RULE, datetime(2020, 3, 1, tzinfo=UK))
    assert (alert["raised_at"], alert["severity"]) == ("2020-01-20T12:00:00", "urgent")
    assert "6 weeks" in alert["explanation"]


def test_a_health_contact_keeps_it_a_warning(tmp_path):
    record = person("nhs-east", "H-1", given_name="Lucas", family_name="Hargreaves",
                    birth_date="2016-03-01", nhs_number="9434765919")  # fmt: skip
    clinic = event("nhs-east", "HC-1", "note", "2020-02-03T10:00:00", ("H-1", "child"),
                   summary="Growth check at clinic, weight on the 25th centile.")  # fmt: skip
    lines = [CHILD, record, ICPC, clinic]
    [alert] = alerts_for(tmp_path, lines, RULE, datetime(2020, 3, 1, tzinfo=UK))
    assert alert["severity"] == "warning"


def test_two_visits_in_a_row_that_did_not_see_the_child_raise_it(tmp_path):
    lines = [CHILD, ICPC, visit("V-1", "2020-01-08T10:00:00", child_seen=False),
             visit("V-2", "2020-01-10T10:00:00", no_access=True)]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE, datetime(2020, 1, 15, tzinfo=UK))
    assert (alert["raised_at"], alert["severity"]) == ("2020-01-10T10:00:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "CP-1"], ["csc-lancs", "V-1"],
                                 ["csc-lancs", "V-2"]]  # fmt: skip


def test_a_visit_that_saw_the_child_between_two_that_did_not_raises_nothing(tmp_path):
    lines = [CHILD, ICPC, visit("V-1", "2020-01-08T10:00:00", child_seen=False),
             visit("V-2", "2020-01-09T10:00:00", child_seen=True),
             visit("V-3", "2020-01-10T10:00:00", no_access=True)]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE, datetime(2020, 1, 15, tzinfo=UK)) == []


def test_a_child_not_on_a_plan_is_not_watched(tmp_path):
    assert alerts_for(tmp_path, [CHILD], RULE) == []


def test_a_parent_named_in_the_conference_is_not_taken_for_a_child_on_a_plan(tmp_path):
    mother = person("csc-lancs", "M-1", given_name="Kayleigh", birth_date="1996-02-01")
    conference = {**ICPC, "subjects": [{"ref": "C-1", "role": "child"},
                                       {"ref": "M-1", "role": "parent"}]}  # fmt: skip
    [alert] = alerts_for(tmp_path, [CHILD, mother, conference], RULE)
    assert alert["subjects"] == [["csc-lancs", "C-1"]]


def test_an_unborn_child_on_a_plan_is_first_due_a_visit_10_working_days_after_the_birth(tmp_path):
    unborn = person("csc-lancs", "C-1", unborn=True, expected_birth_date="2020-02-01")
    pre_birth = {**ICPC, "details": {"conference": "pre_birth", "outcome": "plan"}}
    # Born on Monday 27 January 2020: 10 working days after the record is Monday 10 February.
    birth = event("csc-lancs", "B-1", "birth", "2020-01-27T04:00:00", ("C-1", "child"),
                  recorded_at="2020-01-27T09:00:00")  # fmt: skip
    born = person("csc-lancs", "C-1", birth_date="2020-01-27", recorded_at="2020-01-27T09:00:00")
    lines = [unborn, pre_birth, birth, born]
    [alert] = alerts_for(tmp_path, lines, RULE, datetime(2020, 2, 20, tzinfo=UK))
    assert (alert["raised_at"], alert["severity"]) == ("2020-02-10T09:00:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "CP-1"], ["csc-lancs", "B-1"]]
