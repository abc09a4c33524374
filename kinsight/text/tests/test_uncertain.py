"""Uncertain: possible, queried, suspected, alleged or denied findings."""

from __future__ import annotations

from kinsight.text.tests.helpers import only


def test_possible_makes_a_finding_uncertain() -> None:
    assert only("Possible injection mark on thigh.", "injection_mark").uncertain


def test_a_question_mark_before_a_finding_is_a_query() -> None:
    assert only("ED: ?fracture of the right wrist.", "fracture").uncertain


def test_a_question_mark_after_a_finding_is_a_query() -> None:
    assert only("Small bruise? on baby's cheek.", "bruise").uncertain


def test_query_makes_a_finding_uncertain() -> None:
    assert only("Query head injury after the fall.", "head_injury").uncertain


def test_suspected_before_a_finding_makes_it_uncertain() -> None:
    assert only("Suspected fracture of the left arm.", "fracture").uncertain


def test_suspected_after_a_finding_makes_it_uncertain() -> None:
    assert only("Abusive head trauma suspected.", "head_injury").uncertain


def test_concerns_about_a_finding_make_it_uncertain() -> None:
    assert only("HV concerned about mum's drinking.", "substance_misuse").uncertain


def test_unclear_whether_makes_a_finding_uncertain() -> None:
    assert only("It is unclear whether mum's new partner is living there.", "new_adult").uncertain


def test_reportedly_makes_a_finding_uncertain() -> None:
    assert only("Dad is reportedly using cocaine.", "substance_misuse").uncertain


def test_a_denial_makes_a_finding_uncertain() -> None:
    assert only("Mum denies drinking.", "substance_misuse").uncertain


def test_what_an_allegation_says_is_uncertain() -> None:
    text = "Dad has alleged that mum leaves the children alone to go drinking."
    assert only(text, "substance_misuse").uncertain


def test_an_unsubstantiated_allegation_is_uncertain() -> None:
    text = "The allegation from the anonymous caller has not been substantiated."
    assert only(text, "allegation").uncertain


def test_may_have_makes_a_finding_uncertain() -> None:
    assert only("Lily may have disclosed to a friend.", "disclosure").uncertain


def test_an_uncertain_finding_is_still_present() -> None:
    assert only("Possible bruise on his arm.", "bruise").present()


def test_a_cause_in_doubt_does_not_put_the_finding_in_doubt() -> None:
    text = "Baby is withdrawing, possibly due to maternal methadone use."
    assert not only(text, "substance_misuse").uncertain
