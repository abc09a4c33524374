from kinsight.lib.nhs import is_valid_nhs_number, normalise_nhs_number


def test_a_number_with_the_right_check_digit_is_valid():
    assert is_valid_nhs_number("9434765919")


def test_a_number_with_the_wrong_check_digit_is_not():
    assert not is_valid_nhs_number("9434765918")


def test_a_check_digit_of_ten_makes_the_number_invalid():
    # 1000000010: weights give a remainder of 1, so the check digit would be 10.
    assert not is_valid_nhs_number("1000000010")


def test_short_long_and_non_digit_numbers_are_not_valid():
    for value in ("943476591", "94347659190", "94347659a9", ""):
        assert not is_valid_nhs_number(value)


def test_spaces_and_hyphens_are_removed_before_the_check():
    assert normalise_nhs_number("943 476-5919") == "9434765919"
