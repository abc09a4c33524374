"""Historical: findings that belong to the past, not to the present episode."""

from __future__ import annotations

from kinsight.text.tests.helpers import only


def test_history_of_makes_a_finding_historical() -> None:
    assert only("Mum has a history of depression.", "mental_ill_health").historical


def test_previously_makes_a_finding_historical() -> None:
    assert only("Mum previously used heroin.", "substance_misuse").historical


def test_a_year_makes_a_finding_historical() -> None:
    assert only("Mum used heroin in 2015.", "substance_misuse").historical


def test_a_year_before_the_finding_makes_it_historical() -> None:
    assert only("In 2015 dad was arrested for assault.", "criminal_behaviour").historical


def test_used_to_makes_a_finding_historical() -> None:
    assert only("Mum used to drink heavily.", "substance_misuse").historical


def test_last_year_makes_a_finding_historical() -> None:
    assert only("Dad relapsed last year.", "substance_misuse").historical


def test_a_time_of_life_makes_a_finding_historical() -> None:
    assert only("Dad self-harmed as a teenager.", "mental_ill_health").historical


def test_no_longer_makes_a_finding_historical_not_negated() -> None:
    finding = only("Mum says her new partner is no longer on the scene.", "new_adult")
    assert finding.historical and not finding.negated


def test_now_ends_the_reach_of_a_past_time() -> None:
    text = "Mum says she miscarried last year and is now pregnant again."
    assert not only(text, "pregnancy").historical


def test_a_scar_is_an_old_injury() -> None:
    assert only("Mum has a burn scar on her hand.", "burn").historical


def test_last_week_is_this_episode_not_history() -> None:
    assert not only("Paternal uncle was arrested last week.", "criminal_behaviour").historical


def test_an_old_fracture_is_historical() -> None:
    assert only("X-ray showed an old fracture of the clavicle.", "fracture").historical


def test_a_learning_disability_is_never_history() -> None:
    text = "Mum went to a special school as a child for her learning difficulties."
    assert not only(text, "learning_disability").historical
