from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "strategy_discussion_overdue"
CHILD = person("csc-lancs", "C-1", given_name="Lucas", family_name="Hargreaves",
               birth_date="2016-03-01", nhs_number="9434765919")  # fmt: skip
# Tuesday 24 December 2019, 16:00: Christmas Day and Boxing Day are bank holidays, so one
# working day later is Friday 27 December, 16:00.
ALLEGATION = event("csc-lancs", "AL-1", "allegation", "2019-12-24T15:00:00",
                   ("C-1", "victim"), recorded_at="2019-12-24T16:00:00",
                   details={"harm": "physical", "made_by": "professional"})  # fmt: skip


def discussion(recorded_at, **details):
    return event("csc-lancs", "SD-1", "strategy_discussion", recorded_at, ("C-1", "child"),
                 details={"outcome": "section_47", **details})  # fmt: skip


def test_an_allegation_with_no_strategy_discussion_within_a_working_day_raises_it(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, ALLEGATION], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2019-12-27T16:00:00", "urgent")
    assert alert["evidence"] == [["csc-lancs", "AL-1"]]
    assert "an allegation of physical harm" in alert["explanation"]
    assert "Fri 27 Dec 2019 16:00" in alert["explanation"]


def test_a_strategy_discussion_recorded_in_time_raises_nothing(tmp_path):
    lines = [CHILD, ALLEGATION, discussion("2019-12-27T11:00:00")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_recorded_decision_not_to_hold_one_answers_it(tmp_path):
    details = {"decision": "no_strategy_discussion", "rationale": "known to school"}
    decision = event("csc-lancs", "D-1", "decision", "2019-12-27T09:00:00", ("C-1", "child"),
                     details=details)  # fmt: skip
    assert alerts_for(tmp_path, [CHILD, ALLEGATION, decision], RULE) == []


def test_a_strategy_discussion_recorded_late_does_not_stop_it(tmp_path):
    lines = [CHILD, ALLEGATION, discussion("2019-12-30T09:00:00")]
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_it_is_not_raised_before_the_working_day_has_passed(tmp_path):
    before = datetime(2019, 12, 27, 15, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [CHILD, ALLEGATION], RULE, before) == []


def test_the_clock_starts_when_the_allegation_was_recorded_not_when_it_happened(tmp_path):
    late = {**ALLEGATION, "recorded_at": "2020-01-06T10:00:00"}
    [alert] = alerts_for(tmp_path, [CHILD, late], RULE)
    assert alert["raised_at"] == "2020-01-07T10:00:00"


def test_a_bruise_on_a_baby_under_one_raises_it(tmp_path):
    baby = person("csc-lancs", "C-1", given_name="Harper", birth_date="2019-06-01")
    bruise = event("csc-lancs", "I-1", "injury", "2019-11-04T10:00:00", ("C-1", "child"),
                   details={"injury": "bruise"})  # fmt: skip
    [alert] = alerts_for(tmp_path, [baby, bruise], RULE)
    assert alert["raised_at"] == "2019-11-05T10:00:00"
    assert "bruise on a baby under one" in alert["explanation"]


def test_a_bruise_on_a_walking_school_child_is_not_cause_on_its_own(tmp_path):
    bruise = event("csc-lancs", "I-1", "injury", "2019-11-04T10:00:00", ("C-1", "child"),
                   details={"injury": "bruise"})  # fmt: skip
    assert alerts_for(tmp_path, [CHILD, bruise], RULE) == []


def test_a_referral_about_neglect_is_not_cause_on_its_own(tmp_path):
    referral = event("csc-lancs", "R-1", "referral", "2019-11-04T10:00:00", ("C-1", "child"),
                     details={"concerns": ["neglect"]})  # fmt: skip
    assert alerts_for(tmp_path, [CHILD, referral], RULE) == []


def test_an_allegation_read_in_a_nursery_note_raises_it(tmp_path):
    nursery = {
        "kind": "agency",
        "code": "nursery-3",
        "name": "Little Steps",
        "sector": "early_years",
    }
    record = person("nursery-3", "K-7", given_name="Lucas", family_name="Hargreaves",
                    birth_date="2016-03-01", nhs_number="9434765919")  # fmt: skip
    note = event("nursery-3", "N-1", "note", "2019-11-04T10:00:00", ("K-7", "child"),
                 summary="Lucas told staff that his dad hit him with a belt.")  # fmt: skip
    [alert] = alerts_for(tmp_path, [nursery, CHILD, record, note], RULE)
    assert alert["subjects"] == [["csc-lancs", "C-1"], ["nursery-3", "K-7"]]
    assert alert["evidence"] == [["nursery-3", "N-1"]]


def test_a_positive_toxicology_for_a_drug_not_prescribed_raises_it(tmp_path):
    result = event("csc-lancs", "T-1", "toxicology", "2019-11-04T10:00:00", ("C-1", "child"),
                   details={"substance": "morphine", "result": "positive"})  # fmt: skip
    [alert] = alerts_for(tmp_path, [CHILD, result], RULE)
    assert "positive toxicology" in alert["explanation"]


def test_a_positive_toxicology_for_a_prescribed_drug_raises_nothing(tmp_path):
    details = {"substance": "morphine", "result": "positive", "prescribed": True}
    result = event("csc-lancs", "T-1", "toxicology", "2019-11-04T10:00:00", ("C-1", "child"),
                   details=details)  # fmt: skip
    assert alerts_for(tmp_path, [CHILD, result], RULE) == []


def test_a_police_incident_in_which_the_child_was_injured_raises_it(tmp_path):
    record = person("lancs-police", "PN-1", given_name="Lucas", family_name="Hargreaves",
                    birth_date="2016-03-01", nhs_number="9434765919")  # fmt: skip
    incident = event("lancs-police", "INC-1", "domestic_abuse_incident", "2019-11-04T23:00:00",
                     ("PN-1", "victim"), recorded_at="2019-11-05T08:00:00",
                     details={"risk": "high", "injuries": True})  # fmt: skip
    [alert] = alerts_for(tmp_path, [CHILD, record, incident], RULE)
    assert alert["raised_at"] == "2019-11-06T08:00:00"
    assert "police incident in which the child was injured" in alert["explanation"]


def test_the_reporter_of_an_allegation_about_another_child_is_not_its_subject(tmp_path):
    reporter = {**ALLEGATION, "subjects": [{"ref": "C-1", "role": "reporter"}]}
    assert alerts_for(tmp_path, [CHILD, reporter], RULE) == []
