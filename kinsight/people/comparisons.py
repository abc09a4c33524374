"""The linkage model: how two records are compared, and what each agreement weighs.

The comparisons are written twice, once as Python (scoring on ingest and in `link run`) and once
as Splink SQL (training with Splink on DuckDB); `tests/test_model_matches_splink.py` holds the two
to the same comparison levels. A model is Splink's own JSON (m and u per level, the prior), plus
Kinsight's thresholds under the `kinsight` key; `default_model.json` is shipped for a fresh store.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jellyfish import damerau_levenshtein_distance, jaro_winkler_similarity

from kinsight.people.features import Features

DEFAULT_MODEL = Path(__file__).with_name("default_model.json")
# Above JOIN records join; from REVIEW up to JOIN the pair waits in the review queue.
JOIN, REVIEW = 6.0, 4.0
# Jaro-Winkler similarity at or above which two names or places are "spelt alike". Python's
# jellyfish and DuckDB's jaro_winkler_similarity give the same value (checked in the tests).
ALIKE = 0.9


def _one_edit(a: str, b: str) -> bool:
    """At most one insertion, deletion, substitution or swap of neighbours, in one pass."""
    la, lb = len(a), len(b)
    if la > lb:
        a, b, la, lb = b, a, lb, la
    if lb - la > 1:
        return False
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if i == la:
        return True
    if la == lb:
        return a[i + 1 :] == b[i + 1 :] or (
            i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    return a[i:] == b[i + 1 :]


def _within(a: str, b: str, edits: int) -> bool:
    """Damerau-Levenshtein distance (DuckDB's, with unrestricted swaps) at most `edits`."""
    if abs(len(a) - len(b)) > edits:
        return False
    if _one_edit(a, b):
        return True
    return edits > 1 and damerau_levenshtein_distance(a, b) <= edits


def _alike(a: str, b: str) -> bool:
    return jaro_winkler_similarity(a, b) >= ALIKE


# -- the levels, in Python; each function returns the index of the first level that holds ------
def _given(a: Features, b: Features) -> int:
    if not a.given or not b.given:
        return 0
    if a.given == b.given:
        return 1
    if a.family and a.given == b.family and a.family == b.given:
        return 2
    if b.given in a.variants:
        return 3
    if _within(a.given, b.given, 1):
        return 4
    if _alike(a.given, b.given):
        return 5
    if (b.family and _within(a.given, b.family, 1)) or (a.family and _within(b.given, a.family, 1)):
        return 6
    if _within(a.given, b.given, 2) or a.given_sx == b.given_sx:
        return 7
    return 8


def _family(a: Features, b: Features) -> int:
    if not a.family or not b.family:
        return 0
    if a.family == b.family:
        return 1
    if a.given and a.given == b.family and a.family == b.given:
        return 2
    if not a.families.isdisjoint(b.families):
        return 3
    if _within(a.family, b.family, 1):
        return 4
    if _alike(a.family, b.family):
        return 5
    if a.family_sx == b.family_sx:
        return 6
    return 7


def _birth(a: Features, b: Features) -> int:
    if (not a.y and not a.day) or (not b.y and not b.day):
        return 0
    if a.dob and a.dob == b.dob:
        return 1
    if a.y and a.y == b.y and (not a.dob or not b.dob) and (not a.m or not b.m or a.m == b.m):
        return 2
    if a.dob and b.dob and a.y == b.y and a.m == b.d and a.d == b.m:
        return 3
    if a.dob and b.dob and _within(a.dob, b.dob, 1):
        return 4
    if a.day and b.day and abs(a.day - b.day) <= 42:
        return 5
    if a.dob and b.dob and a.m == b.m and a.d == b.d and abs(a.y - b.y) == 1:
        return 6
    return 7


birth_level = _birth
BORN_APART = 7  # the birth-date level "different"


def _sex(a: Features, b: Features) -> int:
    if not a.sex or not b.sex:
        return 0
    return 1 if a.sex == b.sex else 2


def _postcode(a: Features, b: Features) -> int:
    if not a.postcode or not b.postcode:
        return 0
    if a.postcode == b.postcode:
        return 1
    if _within(a.postcode, b.postcode, 1):
        return 2
    if a.sector == b.sector:
        return 3
    if a.district == b.district:
        return 4
    return 5


def _place(a: Features, b: Features) -> int:
    """The town, district or village named after the street, apart from the postcode: a
    mistyped postcode or street leaves it, and it says where a record without a postcode is."""
    if not a.places or not b.places:
        return 0
    if not a.places.isdisjoint(b.places):
        return 1
    if any(_alike(x, y) for x in a.places for y in b.places):
        return 2
    return 3


def _street(a: Features, b: Features) -> int:
    if not a.street or not b.street:
        return 0
    if a.street == b.street:
        return 1
    if _within(a.street, b.street, 2):
        return 2
    if a.street_name and a.street_name == b.street_name:
        return 3
    if (
        a.street in b.places
        or b.street in a.places
        or (a.street_name and a.street_name in b.places)
        or (b.street_name and b.street_name in a.places)
    ):
        return 4
    if a.street_name and b.street_name and _alike(a.street_name, b.street_name):
        return 5
    return 6


def _nhs(a: Features, b: Features) -> int:
    if not a.nhs or not b.nhs:
        return 0
    return 1 if a.nhs == b.nhs else 2


def _dl(column: str, edits: int) -> str:
    return f"damerau_levenshtein({column}_l, {column}_r) <= {edits}"


def _jw(column: str) -> str:
    return f"jaro_winkler_similarity({column}_l, {column}_r) >= {ALIKE}"


@dataclass(frozen=True)
class Comparison:
    column: str  # Splink's output_column_name
    title: str
    level: Callable[[Features, Features], int]
    # (label, SQL condition); the first level is the null level.
    levels: tuple[tuple[str, str], ...]
    tf_column: str = ""  # term-frequency adjustment on the exact level (index 1)
    # Levels that weigh nothing whatever the data says (m set equal to u after training).
    neutral: tuple[str, ...] = ()


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("given", "given name", _given, (
        ("not known", "given_l IS NULL OR given_r IS NULL"),
        ("exact", "given_l = given_r"),
        ("given and family names swapped", "given_l = family_r AND family_l = given_r"),
        ("a nickname of the other", "list_contains(given_variants_l, given_r)"),
        ("one edit apart", _dl("given", 1)),
        ("spelt alike", _jw("given")),
        ("the other's family name", "damerau_levenshtein(given_l, family_r) <= 1"
         " OR damerau_levenshtein(given_r, family_l) <= 1"),
        ("two edits apart or sounds alike", f"{_dl('given', 2)} OR given_sx_l = given_sx_r"),
        ("different", "ELSE"),
    ), tf_column="given"),
    Comparison("family", "family name", _family, (
        ("not known", "family_l IS NULL OR family_r IS NULL"),
        ("exact", "family_l = family_r"),
        ("given and family names swapped", "given_l = family_r AND family_l = given_r"),
        ("a name the other has gone by", "list_has_any(family_names_l, family_names_r)"),
        ("one edit apart", _dl("family", 1)),
        ("spelt alike", _jw("family")),
        ("sounds alike", "family_sx_l = family_sx_r"),
        ("different", "ELSE"),
    ), tf_column="family"),
    Comparison("birth", "birth date", _birth, (
        ("not known", "(y_l IS NULL AND day_l IS NULL) OR (y_r IS NULL AND day_r IS NULL)"),
        ("exact", "dob_l = dob_r"),
        ("agrees as far as a partial date goes",
         "y_l = y_r AND (dob_l IS NULL OR dob_r IS NULL) AND (m_l IS NULL OR m_r IS NULL"
         " OR m_l = m_r)"),
        ("day and month swapped", "y_l = y_r AND m_l = d_r AND d_l = m_r"),
        ("one character apart", _dl("dob", 1)),
        ("within six weeks", "abs(day_l - day_r) <= 42"),
        ("year one apart", "m_l = m_r AND d_l = d_r AND abs(y_l - y_r) = 1"),
        ("different", "ELSE"),
    )),  # fmt: skip
    Comparison("sex", "sex", _sex, (
        ("not known", "sex_l IS NULL OR sex_r IS NULL"),
        ("same", "sex_l = sex_r"),
        ("different", "ELSE"),
    )),
    Comparison("postcode", "postcode", _postcode, (
        ("not known", "postcode_l IS NULL OR postcode_r IS NULL"),
        ("exact", "postcode_l = postcode_r"),
        ("one edit apart", _dl("postcode", 1)),
        ("same sector", "sector_l = sector_r"),
        ("same district", "district_l = district_r"),
        ("different", "ELSE"),
    ), tf_column="postcode"),
    Comparison("place", "town or village", _place, (
        ("not known", "len(places_l) = 0 OR len(places_r) = 0"),
        ("a town or village in common", "list_has_any(places_l, places_r)"),
        ("a town or village spelt alike",
         "list_bool_or(list_transform(places_l, x -> list_bool_or(list_transform(places_r,"
         f" y -> jaro_winkler_similarity(x, y) >= {ALIKE}))))"),
        ("different", "ELSE"),
        # Families move from town to town, children most of all: two towns are no evidence
        # that two records are two people (trained, "different" took 3 bits from every move).
    ), neutral=("different",)),
    Comparison("street", "street address", _street, (
        ("not known", "street_l IS NULL OR street_r IS NULL"),
        ("exact", "street_l = street_r"),
        ("up to two edits apart", _dl("street", 2)),
        ("same street, another number", "street_name_l = street_name_r"),
        # "Flat 3, 12 Mill Lane": the street one record has on its first line, the other on
        # a later one.
        ("the street on another line of the other",
         "list_contains(places_r, street_l) OR list_contains(places_l, street_r)"
         " OR list_contains(places_r, street_name_l) OR list_contains(places_l, street_name_r)"),
        ("street spelt alike", _jw("street_name")),
        ("different", "ELSE"),
    )),
    Comparison("nhs", "NHS number", _nhs, (
        ("not known", "nhs_l IS NULL OR nhs_r IS NULL"),
        ("same", "nhs_l = nhs_r"),
        ("different", "ELSE"),
    )),
)  # fmt: skip

TF_COLUMNS = tuple(c.tf_column for c in COMPARISONS if c.tf_column)


def splink_comparisons() -> list[dict[str, Any]]:
    """The comparisons as Splink settings (without m and u)."""
    out = []
    for comparison in COMPARISONS:
        levels: list[dict[str, Any]] = []
        for index, (label, sql) in enumerate(comparison.levels):
            level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
            if index == 0:
                level["is_null_level"] = True
            if index == 1 and comparison.tf_column:
                level["tf_adjustment_column"] = comparison.tf_column
                level["tf_adjustment_weight"] = 1.0
            levels.append(level)
        out.append(
            {
                "output_column_name": comparison.column,
                "comparison_description": comparison.title,
                "comparison_levels": levels,
            }
        )
    return out


class Model:
    """A trained model: each level's match weight, the prior, and the thresholds."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        prior = float(data["probability_two_random_records_match"])
        self.prior = math.log2(prior / (1 - prior))
        own = data.get("kinsight", {})
        self.join = float(own.get("join", JOIN))
        self.review = float(own.get("review", REVIEW))
        by_column = {c["output_column_name"]: c for c in data["comparisons"]}
        self.weights: list[list[float]] = []
        self.u_exact: list[float] = []
        for comparison in COMPARISONS:
            levels = by_column[comparison.column]["comparison_levels"]
            if len(levels) != len(comparison.levels):
                raise ValueError(f"model: {comparison.column}: expected {len(comparison.levels)}"
                                 f" levels, found {len(levels)}")  # fmt: skip
            weights = [0.0]
            for level in levels[1:]:
                m, u = level.get("m_probability"), level.get("u_probability")
                # As Splink does: probabilities clamped away from zero.
                weights.append(
                    math.log2(max(m, 1e-300) / max(u, 1e-300)) if m is not None and u is not None
                    else 0.0
                )  # fmt: skip
            self.weights.append(weights)
            self.u_exact.append(float(levels[1].get("u_probability") or 0.0))

    @classmethod
    def from_json(cls, text: str) -> Model:
        return cls(json.loads(text))

    def score(
        self, a: Features, b: Features, tf: Callable[[str, str], float | None] | None = None
    ) -> tuple[float, list[int], float]:
        """The match weight of a pair, its level on each comparison, and the TF adjustment."""
        total = self.prior
        gammas = []
        tf_total = 0.0
        for index, comparison in enumerate(COMPARISONS):
            gamma = comparison.level(a, b)
            gammas.append(gamma)
            total += self.weights[index][gamma]
            if gamma == 1 and comparison.tf_column and tf is not None:
                value = getattr(a, comparison.tf_column)
                frequency = tf(comparison.tf_column, value)
                if frequency and self.u_exact[index]:
                    tf_total += math.log2(self.u_exact[index]) - math.log2(frequency)
        return total + tf_total, gammas, tf_total

    def explain(self, gammas: list[int], tf_adjustment: float) -> list[dict[str, Any]]:
        """Each comparison's level and weight, for a person to read."""
        out = []
        for index, comparison in enumerate(COMPARISONS):
            gamma = gammas[index]
            out.append(
                {
                    "comparison": comparison.title,
                    "level": comparison.levels[gamma][0],
                    "match_weight": round(self.weights[index][gamma], 2),
                }
            )
        if tf_adjustment:
            out.append(self.explain_tf(tf_adjustment))
        return out

    @staticmethod
    def explain_tf(tf_adjustment: float) -> dict[str, Any]:
        return {
            "comparison": "how common the agreeing names and postcode are",
            "level": "term-frequency adjustment",
            "match_weight": round(tf_adjustment, 2),
        }


def probability(match_weight: float) -> float:
    if match_weight > 60:
        return 1.0
    odds = 2.0**match_weight
    return odds / (1 + odds)


@lru_cache(maxsize=1)
def default_model() -> Model:
    return Model.from_json(DEFAULT_MODEL.read_text())
