"""Estimating the linkage model with Splink 5 on DuckDB (`kinsight link train`).

u comes from random sampling (pairs of random records are almost all two different people); m
comes from expectation maximisation over pairs blocked first on birth date and then on name, so
that each comparison is estimated from pairs not chosen for agreeing on it. Splink writes its
model as JSON; Kinsight keeps that JSON, adding its thresholds, and scores with it in Python.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from kinsight.people.comparisons import COMPARISONS, JOIN, REVIEW, splink_comparisons
from kinsight.people.features import Features

# DuckDB takes 80% of the machine's memory by default; a training run shares the machine.
DUCKDB_MEMORY = "2GB"


def complete_levels(model: dict[str, Any]) -> dict[str, Any]:
    """A level the data never showed (so Splink could not estimate its m or u) weighs nothing:
    written out as m = u, so that Splink and the Python scorer read the same model."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if level.get("m_probability") is None or level.get("u_probability") is None:
                u = level.get("u_probability") or level.get("m_probability") or 1e-6
                level["m_probability"] = level["u_probability"] = u
    return model


def neutralise_levels(model: dict[str, Any]) -> dict[str, Any]:
    """The levels a comparison declares neutral weigh nothing: m written equal to u."""
    neutral = {c.column: set(c.neutral) for c in COMPARISONS}
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("label_for_charts") in neutral.get(comparison["output_column_name"], ()):
                level["m_probability"] = level["u_probability"]
    return model


def arrow_schema() -> Any:
    """The columns Splink reads, typed: a column nobody filled in is still text."""
    import pyarrow as pa

    numbers = ("unique_id", "agency", "y", "m", "d", "day")
    lists = ("given_variants", "family_names", "places")
    fields = []
    for name in Features().as_row_columns():
        if name in numbers:
            fields.append(pa.field(name, pa.int64()))
        elif name in lists:
            fields.append(pa.field(name, pa.list_(pa.string())))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def train_model(
    records: Iterable[Features],
    *,
    max_pairs: float = 2e6,
    seed: int = 42,
    join: float = JOIN,
    review: float = REVIEW,
) -> dict[str, Any]:
    """Train on the records and return the model as Splink's JSON plus Kinsight's thresholds."""
    import duckdb
    import pyarrow as pa
    from splink import DuckDBAPI, Linker, block_on

    rows = [record.as_row() for record in records]
    if len(rows) < 10:
        raise ValueError(f"link train: {len(rows)} records are too few to estimate a model")
    table = pa.Table.from_pylist(rows, schema=arrow_schema())
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    db_api = DuckDBAPI(connection=con)
    frame = db_api.register(table, dataset_display_name="records")
    settings = {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": splink_comparisons(),
        "blocking_rules_to_generate_predictions": [],
        "retain_intermediate_calculation_columns": False,
    }
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.WARNING)
    linker = Linker(frame, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nhs"), block_on("given", "family", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given", "family"), estimate_without_term_frequencies=True
    )
    model = neutralise_levels(complete_levels(linker.misc.save_model_to_json()))
    model["kinsight"] = {"join": join, "review": review, "records": len(rows)}
    con.close()
    return model
