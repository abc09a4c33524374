"""How one real person turns into many agency records that do not quite agree.

Each agency writes down what it was told, in its own way: the police take the name given at the
door and often guess a birth year; a school knows a child by the name she uses; a GP holds the NHS
number. The corruption rates below are per sector and loosely follow what record-linkage studies
report for English administrative data (see `research/linkage.md`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kinsight.synth.names import NICKNAMES

_VOWELS = "aeiou"


def nhs_check_digit(nine_digits: str) -> int | None:
    """The modulus-11 check digit, or None when the nine digits cannot make a valid number."""
    total = sum(int(digit) * (10 - position) for position, digit in enumerate(nine_digits))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    if len(value) != 10 or not value.isdigit():
        return False
    return nhs_check_digit(value[:9]) == int(value[9])


class NhsNumbers:
    """Unique, valid NHS numbers.

    The nine leading digits walk a permutation of 900000000-999999999 (multiplying by a number
    prime to 10 modulo 10**8 never repeats), so two people never share a number and no set of
    issued numbers needs to be kept.
    """

    _SPACE = 100_000_000
    _STEP = 7_654_321

    def __init__(self, seed: int) -> None:
        self._offset = (seed * 2_654_435_761) % self._SPACE
        self._n = 0

    def issue(self) -> str:
        while True:
            self._n += 1
            body = str(900_000_000 + (self._n * self._STEP + self._offset) % self._SPACE)
            check = nhs_check_digit(body)
            if check is not None:
                return body + str(check)


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip: a dropped, doubled, swapped or wrong vowel letter."""
    if len(word) < 4:
        return word
    # The first letter survives: people rarely mistype it, and blocking on it is common.
    position = rng.randrange(2, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:position] + word[position + 1 :]
    if kind == 1:
        return word[:position] + word[position] + word[position:]
    if kind == 2:
        return word[: position - 1] + word[position] + word[position - 1] + word[position + 1 :]
    vowels = [i for i, letter in enumerate(word) if letter in _VOWELS and i > 0]
    if not vowels:
        return word[:position] + word[position + 1 :]
    i = rng.choice(vowels)
    replacement = rng.choice([v for v in _VOWELS if v != word[i]])
    return word[:i] + replacement + word[i + 1 :]


def nickname(rng: random.Random, given: str) -> str:
    options = NICKNAMES.get(given)
    return rng.choice(options) if options else given


@dataclass(frozen=True, slots=True)
class Rates:
    """Chances, per record, of each way a sector's record departs from the truth."""

    nickname: float
    typo: float
    swap: float  # given and family name recorded the wrong way round
    partial_birth: float  # only the year, or the year and month
    missing_birth: float
    day_month_swap: float
    nhs_adult: float
    nhs_child: float
    missing_address: float
    stale_address: float
    missing_sex: float


RATES: dict[str, Rates] = {
    "social_care": Rates(0.08, 0.03, 0.01, 0.02, 0.02, 0.02, 0.15, 0.35, 0.03, 0.06, 0.01),
    "police": Rates(0.20, 0.06, 0.03, 0.10, 0.06, 0.02, 0.0, 0.0, 0.06, 0.10, 0.02),
    "health": Rates(0.03, 0.02, 0.005, 0.0, 0.005, 0.01, 0.95, 0.97, 0.02, 0.08, 0.005),
    "education": Rates(0.05, 0.02, 0.005, 0.0, 0.0, 0.005, 0.0, 0.0, 0.01, 0.05, 0.0),
    "early_years": Rates(0.05, 0.03, 0.005, 0.0, 0.01, 0.01, 0.0, 0.05, 0.02, 0.05, 0.01),
    "substance_misuse": Rates(0.10, 0.04, 0.01, 0.03, 0.02, 0.01, 0.8, 0.8, 0.05, 0.1, 0.01),
    "mental_health": Rates(0.05, 0.02, 0.005, 0.0, 0.01, 0.01, 0.95, 0.95, 0.03, 0.08, 0.0),
    "probation": Rates(0.10, 0.03, 0.01, 0.0, 0.0, 0.01, 0.0, 0.0, 0.03, 0.1, 0.0),
}

# Families carrying an injected pattern: their alerts must be computable, so the records that
# decide a child's age or join a household keep full birth dates and names a linker can match.
CAREFUL = Rates(0.05, 0.01, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
