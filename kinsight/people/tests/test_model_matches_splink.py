"""The Python scorer puts every pair on the comparison level Splink's SQL puts it on."""

import copy
import itertools
import logging

import pytest

from kinsight.people.comparisons import ALIKE, COMPARISONS, default_model
from kinsight.people.features import features
from kinsight.people.training import arrow_schema

pytestmark = pytest.mark.slow

RECORDS = [
    (1, 1, "Elizabeth", "Walsh", [], "female", "2018-03-02", False, None, "9434765919",
     "12 Mill Lane, Burnley", "BB11 2AB"),
    (2, 2, "Liz", "Walshe", [], "female", "2018-02-03", False, None, "",
     "12 Mill Lnae, Burnley", "BB11 2AD"),
    (3, 2, "Walsh", "Elizabeth", [], "", "2018-03", False, None, "9434765870", "", "bb112ab"),
    (4, 3, "Chloe", "Jones", ["Chloe Smith"], "F", "2017-03-02", False, None, "", "", "BB1 1AA"),
    (5, 1, "Cloe", "Smith", [], "female", "2018", False, None, "", "3 Park Rd", "BB1 2XY"),
    (6, 3, "Baby", "Smith", [], "", "", True, "2018-03-20", "", "", "BB11 2AB"),
    (7, 1, "Child B", "Smyth", [], "male", "2019-03-02", False, None, "", "12 Mill Lane", ""),
    (8, 2, "Chris", "O'Brien-Smith", [], "male", "2018-03-12", False, None, "", "", "M1 1AE"),
    # Spelt alike (Jaro-Winkler) but more than one edit apart; a town mistyped; the street on
    # the other's second line; a street name spelt alike; and the levels not met above.
    (9, 3, "Elisabet", "Walshaw", [], "female", "2018-03-02", False, None, "",
     "Flat 2, 12 Mill Lane, Burnely", ""),
    (10, 1, "Chloe", "Smithers", [], "female", "2018", False, None, "",
     "3 Park Raod, Burnley", "BB1 2XZ"),
    (11, 2, "Cloey", "Smither", [], "", "", False, None, "", "9 Prak Road, Rawtenstall", ""),
    (12, 3, "Kynan", "Dooley", [], "", "1931-09-24", False, None, "",
     "92 mcintyre street, apt 27, woollahra", "6021"),
    (13, 1, "Kynzn", "Doolqey", [], "", "", False, None, "",
     "145 mcintyre street, apt 27, woolahra", "6021"),
    (14, 3, "Liz", "Welch", [], "female", "", False, None, "9434765919", "", "BB11 2QQ"),
    (15, 2, "Ella", "", [], "female", "2020-03-02", False, None, "", "", ""),
]  # fmt: skip


def test_python_and_splink_agree_on_every_level():
    import duckdb
    import pyarrow as pa
    from splink import DuckDBAPI, Linker

    recs = [features(r) for r in RECORDS]
    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    frame = db_api.register(pa.Table.from_pylist([r.as_row() for r in recs], schema=arrow_schema()))
    settings = copy.deepcopy(default_model().data)
    settings.pop("kinsight")
    settings["blocking_rules_to_generate_predictions"] = ["1=1"]
    settings["retain_intermediate_calculation_columns"] = True
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    linker = Linker(frame, settings, log_level=logging.WARNING)
    rows = linker.inference.predict().as_record_list()
    by_id = {r.id: r for r in recs}
    assert len(rows) == len(list(itertools.combinations(recs, 2)))
    model = default_model()
    seen: set[tuple[int, int]] = set()
    for row in rows:
        a, b = by_id[row["unique_id_l"]], by_id[row["unique_id_r"]]
        weight, gammas, _ = model.score(a, b)
        seen.update(enumerate(gammas))
        for index, comparison in enumerate(COMPARISONS):
            levels = len(comparison.levels)
            # Splink numbers levels from the top down, the null level as -1.
            splink_gamma = row[f"gamma_{comparison.column}"]
            expected = -1 if gammas[index] == 0 else levels - 1 - gammas[index]
            assert splink_gamma == expected, (comparison.column, a.id, b.id)
        assert row["match_weight"] == pytest.approx(weight, abs=1e-6), (
            a.id,
            b.id,
            gammas,
            {k: v for k, v in row.items() if k.startswith("mw_")},
        )
    # Every level of every comparison is met by some pair, so none goes unchecked.
    unmet = [(c.column, label) for i, c in enumerate(COMPARISONS)
             for g, (label, _) in enumerate(c.levels) if (i, g) not in seen]  # fmt: skip
    assert not unmet


def test_python_and_duckdb_agree_on_every_jaro_winkler_similarity():
    """The "spelt alike" levels compare jellyfish's Jaro-Winkler in Python with DuckDB's in
    Splink: the two must give the same value, or a pair near the threshold would land on two
    different levels."""
    import random

    import duckdb
    from jellyfish import jaro_winkler_similarity

    words = [
        "elizabeth", "elizabteh", "walsh", "walshaw", "chloe", "cloey", "smithers", "smither",
        "burnley", "burnely", "rawtenstall", "mcintyre street", "mcintyrestreet", "a", "ab",
        "ba", "kynan", "kynzn", "dooley", "doolqey", "woollahra", "woolahra", "o brien smith",
    ]  # fmt: skip
    rng = random.Random(7)
    pairs = [(a, b) for a in words for b in words]
    for _ in range(3000):
        word = rng.choice(words)
        chars = list(word)
        chars[rng.randrange(len(chars))] = rng.choice("aeiouxyz ")
        pairs.append((word, "".join(chars)))
    con = duckdb.connect()
    con.execute("CREATE TABLE p (l VARCHAR, r VARCHAR)")
    con.executemany("INSERT INTO p VALUES (?, ?)", pairs)
    rows = con.execute("SELECT l, r, jaro_winkler_similarity(l, r) FROM p").fetchall()
    for left, right, theirs in rows:
        ours = jaro_winkler_similarity(left, right)
        assert ours == pytest.approx(theirs, abs=1e-12), (left, right)
        assert (ours >= ALIKE) == (theirs >= ALIKE), (left, right)
