"""Negation: a finding the text says is absent is read as negated, and nothing else is."""

from __future__ import annotations

from kinsight.text import read_text
from kinsight.text.tests.helpers import only


def test_no_before_a_finding_negates_it() -> None:
    assert only("No bruising seen.", "bruise").negated


def test_no_signs_of_negates_the_finding() -> None:
    assert only("No signs of injury.", "other_injury").negated


def test_not_negates_what_follows() -> None:
    assert only("Mum is not pregnant.", "pregnancy").negated


def test_a_contraction_negates_like_not() -> None:
    assert only("Dad didn't seem hostile today.", "non_engagement").negated


def test_nil_concerns_negates_the_finding_it_names() -> None:
    assert only("Nil concerns regarding home conditions.", "neglect_home").negated


def test_no_current_concerns_negates_and_is_not_doubt() -> None:
    finding = only("No current concerns regarding his substance use.", "substance_misuse")
    assert finding.negated and not finding.uncertain


def test_a_negative_test_negates_the_drug() -> None:
    assert only("Dad's hair strand test was negative for cocaine.", "substance_misuse").negated


def test_ruled_out_after_the_finding_negates_it() -> None:
    assert only("Fracture ruled out on X-ray.", "fracture").negated


def test_a_denial_is_not_a_negation() -> None:
    # "Mother denies domestic violence" reports someone else's concern and her answer to it:
    # the concern stays, marked uncertain, not absent.
    finding = only("Mother denies domestic violence.", "domestic_abuse")
    assert not finding.negated
    assert finding.uncertain


def test_negation_stops_at_a_semicolon() -> None:
    finding = only("Mum's partner has not been checked; he refused entry.", "non_engagement")
    assert not finding.negated


def test_negation_stops_at_but() -> None:
    finding = only("No concerns at nursery but Jack has a bruise on his arm.", "bruise")
    assert not finding.negated


def test_negation_stops_at_a_new_clause_about_someone_else() -> None:
    finding = only("No bruising seen, and mum says she has relapsed.", "substance_misuse")
    assert not finding.negated


def test_negation_inside_a_target_belongs_to_the_target() -> None:
    finding = only("Jack was not brought to his appointment.", "missed_appointment")
    assert not finding.negated


def test_no_food_is_a_finding_and_does_not_negate_the_next_one() -> None:
    found = {
        finding.indicator: finding
        for finding in read_text("There was no food in the fridge; the children appeared hungry.")
    }
    assert not found["neglect_home"].negated
    assert not found["neglect_care"].negated


def test_a_negation_in_a_relative_clause_does_not_reach_outside_it() -> None:
    text = "Mum's new partner, who she does not trust, has moved in."
    found = [finding for finding in read_text(text) if finding.indicator == "new_adult"]
    assert found and not any(finding.negated for finding in found)


def test_does_not_explain_the_injury_does_not_negate_it() -> None:
    finding = only("Mechanism given does not explain the injury.", "other_injury")
    assert not finding.negated
