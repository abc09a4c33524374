"""Hypothetical: conditions, plans, advice and risks are not findings that happened."""

from __future__ import annotations

from kinsight.text.tests.helpers import only


def test_if_makes_a_finding_hypothetical() -> None:
    assert only("If mum drinks again the baby is at risk.", "substance_misuse").hypothetical


def test_should_she_makes_a_finding_hypothetical() -> None:
    text = "Should she relapse, the children will stay with nan."
    assert only(text, "substance_misuse").hypothetical


def test_if_reaches_the_consequence_of_its_sentence() -> None:
    text = "If mum cannot manage, the children may be left in dirty clothes again."
    assert only(text, "neglect_care").hypothetical


def test_unless_makes_a_finding_hypothetical() -> None:
    text = "Unless mum stops drinking, the children cannot go home."
    assert only(text, "substance_misuse").hypothetical


def test_risk_of_makes_a_finding_hypothetical() -> None:
    text = "Discussed with mum the risk of co-sleeping after drinking alcohol."
    assert only(text, "substance_misuse").hypothetical


def test_an_agreement_not_to_is_hypothetical_not_negated() -> None:
    text = "Mum agreed not to drink alcohol while caring for the children."
    finding = only(text, "substance_misuse")
    assert finding.hypothetical and not finding.negated


def test_advice_about_any_future_finding_is_hypothetical() -> None:
    text = "Mum was advised that any bruising on a non-mobile baby must be reported."
    assert only(text, "bruise").hypothetical


def test_a_result_that_would_trigger_action_is_hypothetical() -> None:
    text = "Meconium result awaited; a positive toxicology would trigger a strategy discussion."
    assert only(text, "positive_toxicology").hypothetical


def test_may_be_at_risk_of_is_hypothetical_not_uncertain() -> None:
    finding = only("Baby may be at risk of withdrawal.", "neonatal_abstinence")
    assert finding.hypothetical and not finding.uncertain


def test_a_hypothetical_finding_is_not_present() -> None:
    assert not only("If dad drinks, mum will call the police.", "substance_misuse").present()


def test_a_condition_ends_at_as() -> None:
    text = (
        "Mum will call the police if dad comes round, as he is subject to a non-molestation order."
    )
    assert not only(text, "domestic_abuse").hypothetical
