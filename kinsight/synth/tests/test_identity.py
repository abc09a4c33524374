from __future__ import annotations

import random

from kinsight.synth.identity import NhsNumbers, is_valid_nhs_number, nhs_check_digit, typo


def test_nhs_numbers_are_unique_and_pass_the_modulus_11_check() -> None:
    issuer = NhsNumbers(seed=1)
    numbers = [issuer.issue() for _ in range(5000)]
    assert len(set(numbers)) == len(numbers)
    assert all(is_valid_nhs_number(number) for number in numbers)


def test_the_nhs_check_digit_matches_a_published_example() -> None:
    # 943 476 5919 is the NHS number used in NHS Digital's own examples.
    assert nhs_check_digit("943476591") == 9
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918")


def test_a_typo_changes_a_name_by_one_keystroke() -> None:
    rng = random.Random(1)
    for _ in range(200):
        slipped = typo(rng, "Hargreaves")
        assert abs(len(slipped) - len("Hargreaves")) <= 1
        assert slipped[0] == "H"
