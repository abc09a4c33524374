"""The NHS number check digit (modulus 11)."""

from __future__ import annotations


def is_valid_nhs_number(value: str) -> bool:
    """True for ten digits whose tenth is the modulus-11 check digit of the first nine.

    >>> is_valid_nhs_number("9434765919")
    True
    >>> is_valid_nhs_number("9434765918")
    False
    """
    if len(value) != 10 or not value.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(value[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(value[9])


def normalise_nhs_number(value: str) -> str:
    """Agencies write NHS numbers as 943 476 5919 or 943-476-5919; keep the digits."""
    return "".join(ch for ch in value if not ch.isspace() and ch != "-")
