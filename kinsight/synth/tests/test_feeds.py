from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from kinsight.synth.agencies import AGENCIES
from kinsight.synth.identity import is_valid_nhs_number
from kinsight.synth.tests import audit

SCHEMA = Path(__file__).resolve().parents[2] / "feeds" / "spec" / "feed.schema.json"


def test_every_line_validates_against_the_feed_schema(
    mixed_population: audit.Population,
) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    whole = Draft202012Validator(schema)
    # The schema is a oneOf over kinds told apart by a `const`, so a line is valid exactly when
    # it is valid against its own kind's branch; checking that branch alone is several times
    # faster. A sample also goes through the whole schema, to keep that reasoning honest.
    branches = {
        kind: Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]})
        for kind in ("agency", "person", "relationship", "event", "retraction")
    }
    failures = []
    for index, (name, line) in enumerate(mixed_population.lines):
        written = _as_written(line)
        validator = whole if index % 50 == 0 else branches[written["kind"]]
        failures += [f"{name}: {error.message}" for error in validator.iter_errors(written)]
    assert failures == []


def _as_written(line: dict[str, Any]) -> dict[str, Any]:
    """The line without the annotations the audit adds in memory."""
    written = {k: v for k, v in line.items() if not k.startswith("_")}
    if written.get("kind") == "event":
        written["subjects"] = [
            {k: v for k, v in s.items() if not k.startswith("_")} for s in written["subjects"]
        ]
    return written


def test_each_agency_writes_one_feed_that_opens_with_its_agency_line(
    mixed: tuple[Path, dict[str, int]],
) -> None:
    out, _ = mixed
    for agency in AGENCIES:
        first = json.loads((out / f"{agency.code}.jsonl").open(encoding="utf-8").readline())
        assert first == {
            "kind": "agency",
            "code": agency.code,
            "name": agency.name,
            "sector": agency.sector,
        }


def test_the_counts_returned_match_the_files(
    mixed: tuple[Path, dict[str, int]], mixed_population: audit.Population
) -> None:
    _, counts = mixed
    kinds = Counter(line["kind"] for _, line in mixed_population.lines)
    assert counts["lines"] == len(mixed_population.lines)
    assert counts["events"] == kinds["event"]
    assert counts["persons"] == len(mixed_population.truth["persons"])
    assert counts["records"] == len(
        {
            (line["agency"], line["id"])
            for _, line in mixed_population.lines
            if line["kind"] == "person"
        }
    )


def test_every_nhs_number_passes_the_modulus_11_check(
    mixed_population: audit.Population,
) -> None:
    numbers = [line["nhs_number"] for _, line in mixed_population.lines if line.get("nhs_number")]
    assert numbers
    assert [n for n in numbers if not is_valid_nhs_number(n)] == []


def test_two_people_never_share_an_nhs_number(mixed_population: audit.Population) -> None:
    holders: dict[str, set[str]] = {}
    for _, line in mixed_population.lines:
        if line.get("nhs_number"):
            owner = mixed_population.owner[(line["agency"], line["id"])]
            holders.setdefault(line["nhs_number"], set()).add(owner)
    assert all(len(owners) == 1 for owners in holders.values())


def test_every_reference_names_a_person_line_of_the_same_agency(
    mixed_population: audit.Population,
) -> None:
    assert audit.references(mixed_population) == []


def test_events_are_recorded_no_earlier_than_they_happened(
    mixed_population: audit.Population,
) -> None:
    early = [
        e["id"]
        for e in mixed_population.events
        if audit.moment(e["recorded_at"]) < audit.moment(e["occurred_at"])
    ]
    assert early == []


def test_some_events_are_recorded_days_after_they_happened(
    mixed_population: audit.Population,
) -> None:
    late = [
        e
        for e in mixed_population.events
        if audit.moment(e["recorded_at"]) - audit.moment(e["occurred_at"]) > 24 * 60
    ]
    assert len(late) > 0.01 * len(mixed_population.events)


def test_most_summaries_are_routine(mixed_population: audit.Population) -> None:
    summaries = [e["summary"] for e in mixed_population.events]
    assert len(set(summaries)) > 50
    findings = [s for s in summaries if audit.INJURY_WORDS.search(s)]
    assert len(findings) < 0.05 * len(summaries)
