from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "third_party_allegation_no_strategy"
CHLOE = person("lancs-police", "PN-7", given_name="Chloe", birth_date="2018-05-09")
KAI = person("lancs-police", "PN-60", given_name="Kai", birth_date="2010-03-14")
FATHER = person("lancs-police", "PN-1", given_name="Jason", birth_date="1986-02-11")
# As in the Lancashire case: recorded Friday 8 November 2019, 18:50; one working day later is
# Monday 11 November, 18:50.
ALLEGATION = event(
    "lancs-police", "LC-1502", "allegation", "2019-11-08T18:05:00", ("PN-60", "reporter"),
    ("PN-7", "victim"), ("PN-1", "alleged_perpetrator"), recorded_at="2019-11-08T18:50:00",
    summary="Kai says his dad puts needles in Chloe's legs to make her sleep.",
    details={"harm": "drug_administration", "made_by": "sibling"},
)  # fmt: skip


def strategy_discussion(recorded_at, event_id="SD-1"):
    return event("csc-lancs", event_id, "strategy_discussion", recorded_at, ("C-7", "child"),
                 details={"outcome": "section_47"})  # fmt: skip


CHLOE_CSC = person("csc-lancs", "C-7", given_name="Chloe", birth_date="2018-05-09")


def linked(*lines):
    """Chloe's police and social care records, linked by one NHS number."""
    both = {"family_name": "Ashworth", "nhs_number": "9434765919", "sex": "female"}
    return [{**CHLOE, **both}, {**CHLOE_CSC, **both}, KAI, FATHER, *lines]


def test_a_siblings_allegation_unanswered_for_a_working_day_raises_it_when_the_day_ends(tmp_path):
    [alert] = alerts_for(tmp_path, linked(ALLEGATION, strategy_discussion("2019-11-12T13:00")),
                         RULE)  # fmt: skip
    assert (alert["raised_at"], alert["severity"]) == ("2019-11-11T18:50:00", "urgent")
    assert alert["evidence"] == [["lancs-police", "LC-1502"]]
    assert ["lancs-police", "PN-7"] in alert["subjects"]
    assert "a sibling" in alert["explanation"] and "11/11/2019 18:50" in alert["explanation"]


def test_a_strategy_discussion_recorded_within_the_working_day_raises_nothing(tmp_path):
    lines = linked(ALLEGATION, strategy_discussion("2019-11-11T12:00"))
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_recorded_decision_with_its_rationale_also_answers_it(tmp_path):
    details = {"decision": "no_strategy_discussion", "rationale": "seen by police"}
    decision = event("csc-lancs", "D-1", "decision", "2019-11-11T10:00", ("C-7", "child"),
                     details=details)  # fmt: skip
    assert alerts_for(tmp_path, linked(ALLEGATION, decision), RULE) == []


def test_it_is_not_raised_before_the_working_day_has_passed(tmp_path):
    before = datetime(2019, 11, 11, 18, 0, tzinfo=UK)
    assert alerts_for(tmp_path, linked(ALLEGATION), RULE, as_of=before) == []


def test_an_allegation_made_by_a_professional_is_left_to_the_strategy_discussion_rule(tmp_path):
    professional = {**ALLEGATION, "details": {"harm": "physical", "made_by": "professional"}}
    assert alerts_for(tmp_path, linked(professional), RULE) == []


def test_a_referral_whose_note_names_a_grandmother_as_the_source_raises_it(tmp_path):
    referral = event("csc-lancs", "R-1", "referral", "2020-03-02T10:00", ("C-7", "child"),
                     summary="Grandmother phoned: bruising on Chloe's arms, says dad hits her.",
                     details={"concerns": ["physical"]})  # fmt: skip
    [alert] = alerts_for(tmp_path, [CHLOE_CSC, referral], RULE)
    assert alert["raised_at"] == "2020-03-03T10:00:00" and "grandmother" in alert["explanation"]


def test_a_disclosure_by_the_child_raises_it(tmp_path):
    disclosure = event("csc-lancs", "X-1", "disclosure", "2020-03-02T10:00", ("C-7", "child"),
                       details={"harm": "physical"})  # fmt: skip
    assert len(alerts_for(tmp_path, [CHLOE_CSC, disclosure], RULE)) == 1


def test_the_same_concern_reported_again_before_an_answer_is_one_alert(tmp_path):
    referral = event("csc-lancs", "R-2", "referral", "2019-11-08T22:30", ("C-7", "child"),
                     recorded_at="2019-11-08T22:45", details={"made_by": "sibling"})  # fmt: skip
    alerts = alerts_for(tmp_path, linked(ALLEGATION, referral), RULE)
    assert [a["evidence"] for a in alerts] == [[["lancs-police", "LC-1502"]]]


def test_an_allegation_entered_in_error_was_never_knowable(tmp_path):
    retraction = {"kind": "retraction", "agency": "lancs-police", "target_kind": "event",
                  "id": "LC-1502", "reason": "wrong family"}  # fmt: skip
    assert alerts_for(tmp_path, linked(ALLEGATION, retraction), RULE) == []


def test_a_referral_whose_reporter_is_a_half_sibling_raises_it(tmp_path):
    kai = person("csc-lancs", "C-60", given_name="Kai", birth_date="2010-03-14")
    half_sibling = {"kind": "relationship", "agency": "csc-lancs", "person": "C-60",
                    "relative": "C-7", "type": "half_sibling"}  # fmt: skip
    referral = event("csc-lancs", "R-3", "referral", "2019-11-08T22:30", ("C-7", "child"),
                     ("C-60", "reporter"), recorded_at="2019-11-08T22:45",
                     summary="EDT: police notification of an allegation about Chloe.",
                     details={"concerns": ["physical"], "referrer_sector": "police"})  # fmt: skip
    [alert] = alerts_for(tmp_path, [CHLOE_CSC, kai, half_sibling, referral], RULE)
    assert alert["raised_at"] == "2019-11-11T22:45:00"
    assert "half-sibling" in alert["explanation"]


def test_a_reporter_with_no_known_connection_to_the_child_is_not_a_third_party(tmp_path):
    teacher = person("csc-lancs", "C-90", given_name="Sam", birth_date="1980-01-01")
    referral = event("csc-lancs", "R-3", "referral", "2019-11-08T22:30", ("C-7", "child"),
                     ("C-90", "reporter"), details={"concerns": ["physical"]})  # fmt: skip
    assert alerts_for(tmp_path, [CHLOE_CSC, teacher, referral], RULE) == []


def test_a_referral_that_only_mentions_siblings_is_not_made_by_one(tmp_path):
    referral = event("csc-lancs", "R-1", "referral", "2020-03-02T10:00", ("C-7", "child"),
                     summary="Pre-birth referral from the midwife. Siblings on plans for neglect.",
                     details={"concerns": ["neglect"], "referrer_sector": "health"})  # fmt: skip
    assert alerts_for(tmp_path, [CHLOE_CSC, referral], RULE) == []
