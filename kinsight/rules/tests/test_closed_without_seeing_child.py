import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "closed_without_seeing_child"
CHILD = person("csc-lancs", "C-1", given_name="Lucas", birth_date="2012-04-02")
REFERRAL = event("csc-lancs", "R-1", "referral", "2020-02-03T10:00", ("C-1", "child"),
                 details={"concerns": ["neglect"]})  # fmt: skip
CLOSED = event("csc-lancs", "X-1", "case_closed", "2020-02-20T15:00", ("C-1", "child"),
               recorded_at="2020-02-20T16:30", details={"reason": "no further action"})  # fmt: skip


def visit(agency, occurred, seen=True, **fields):
    return event(agency, f"V-{occurred}", "home_visit", occurred, ("C-1", "child"),
                 details={"child_seen": seen}, **fields)  # fmt: skip


def test_a_case_closed_without_the_child_being_seen_raises_it_at_the_closure(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, REFERRAL, CLOSED], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-02-20T16:30:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "R-1"], ["csc-lancs", "X-1"]]
    assert "R-1 of 03/02/2020" in alert["explanation"]


def test_a_visit_that_saw_the_child_after_the_referral_raises_nothing(tmp_path):
    lines = [CHILD, REFERRAL, visit("csc-lancs", "2020-02-10T11:00"), CLOSED]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_visit_that_did_not_see_the_child_does_not_count(tmp_path):
    lines = [CHILD, REFERRAL, visit("csc-lancs", "2020-02-10T11:00", seen=False), CLOSED]
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_a_note_recording_that_the_children_were_seen_counts(tmp_path):
    note = event("csc-lancs", "N-1", "note", "2020-02-11T11:00", ("C-1", "child"),
                 summary="Assessment visit. Both children seen and spoken to.")  # fmt: skip
    assert alerts_for(tmp_path, [CHILD, REFERRAL, note, CLOSED], RULE) == []


def test_seeing_the_child_before_the_referral_does_not_count(tmp_path):
    lines = [CHILD, visit("csc-lancs", "2020-01-10T11:00"), REFERRAL, CLOSED]
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_only_social_care_seeing_the_child_counts(tmp_path):
    police = person("lancs-police", "P-1", given_name="Lucas")
    lines = [CHILD, police, REFERRAL,
             event("lancs-police", "V-1", "home_visit", "2020-02-10T11:00", ("P-1", "child"),
                   details={"child_seen": True}), CLOSED]  # fmt: skip
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_a_strategy_discussion_with_no_further_action_is_a_closure(tmp_path):
    discussion = event("csc-lancs", "SD-1", "strategy_discussion", "2020-02-04T10:00",
                       ("C-1", "child"), details={"outcome": "no_further_action"})  # fmt: skip
    [alert] = alerts_for(tmp_path, [CHILD, REFERRAL, discussion], RULE)
    assert alert["evidence"][-1] == ["csc-lancs", "SD-1"]


def test_a_visit_recorded_only_after_the_closure_does_not_stop_it(tmp_path):
    late = visit("csc-lancs", "2020-02-10T11:00", recorded_at="2020-02-21T09:00")
    [alert] = alerts_for(tmp_path, [CHILD, REFERRAL, late, CLOSED], RULE)
    assert alert["raised_at"] == "2020-02-20T16:30:00"
