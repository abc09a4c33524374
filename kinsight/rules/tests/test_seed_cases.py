"""The two seed cases of rules.md ("Replaying the two seed cases"), replayed from their feeds.

`examples/lancashire/` and `examples/kirklees/` hold each case as one JSON Lines feed per agency,
and `expected.json` beside them lists the alerts the case must raise: the rule, one child's record,
and the moment the alert was first knowable. `examples/README.md` explains where each moment comes
from.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples"
SCHEMA = REPO / "kinsight" / "feeds" / "spec" / "feed.schema.json"
CASES = ["lancashire", "kirklees"]


def feed_paths(case: str) -> list[Path]:
    return sorted((EXAMPLES / case).glob("*.jsonl"))


def feed_lines(case: str) -> list[tuple[str, int, dict[str, Any]]]:
    """Every line a replay reads: (file name, line number, object); comments and blanks skipped."""
    lines = []
    for path in feed_paths(case):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip() and not line.startswith("#"):
                lines.append((path.name, number, json.loads(line)))
    return lines


def expected_alerts(case: str) -> list[dict[str, Any]]:
    alerts: list[dict[str, Any]] = json.loads(
        (EXAMPLES / case / "expected.json").read_text(encoding="utf-8")
    )["alerts"]
    return alerts


def moment(value: str) -> str:
    """A feed moment as `YYYY-MM-DDTHH:MM:SS`, which sorts as it reads (a date alone is 00:00)."""
    stamp = value if "T" in value else f"{value}T00:00:00"
    datetime.fromisoformat(stamp)  # raises on a moment that is not one
    return stamp if len(stamp) == 19 else f"{stamp}:00"


@pytest.mark.parametrize("case", CASES)
def test_the_seed_case_feeds_are_read_without_rejected_lines(case):
    from kinsight.feeds.replay import replay_paths

    result = replay_paths(feed_paths(case))

    assert result["rejected"] == []


@pytest.mark.parametrize("case", CASES)
def test_every_line_of_the_seed_cases_matches_the_feed_schema(case):
    validator = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert feed_paths(case), f"no feeds in examples/{case}"

    errors = [
        f"{name}:{number}: {error.message}"
        for name, number, obj in feed_lines(case)
        for error in validator.iter_errors(obj)
    ]

    assert errors == []


@pytest.mark.parametrize("case", CASES)
def test_the_seed_case_feeds_are_internally_consistent(case):
    """Each file is one agency; ids are unique; every reference and expected child is recorded."""
    problems: list[str] = []
    agencies: set[str] = set()
    persons: dict[tuple[str, str], list[dict[str, Any]]] = {}
    events: dict[tuple[str, str], dict[str, Any]] = {}
    relationships: list[dict[str, Any]] = []
    for name, number, obj in feed_lines(case):
        agency = obj.get("agency") or obj.get("code")
        if f"{agency}.jsonl" != name:
            problems.append(f"{name}:{number}: agency {agency} in another agency's file")
        if obj["kind"] == "agency":
            agencies.add(obj["code"])
        elif obj["kind"] == "person":
            persons.setdefault((agency, obj["id"]), []).append(obj)
        elif obj["kind"] == "relationship":
            relationships.append(obj)
        elif obj["kind"] == "event":
            if (agency, obj["id"]) in events:
                problems.append(f"{name}:{number}: event id {obj['id']} used twice")
            events[(agency, obj["id"])] = obj

    def first_known(key: tuple[str, str]) -> str:
        recorded = persons[key][0].get("recorded_at")
        return moment(recorded) if recorded else ""  # no recorded_at: known from the start

    for (agency, record_id), versions in persons.items():
        times = [moment(v["recorded_at"]) for v in versions[1:]]
        if times != sorted(times) or (times and first_known((agency, record_id)) >= times[0]):
            problems.append(f"person {record_id}: later versions must be recorded later")
    for rel in relationships:
        for side in ("person", "relative"):
            if (rel["agency"], rel[side]) not in persons:
                problems.append(f"relationship names unknown {rel['agency']} {rel[side]}")
    for (agency, event_id), event in events.items():
        recorded = moment(event.get("recorded_at") or event["occurred_at"])
        if recorded < moment(event["occurred_at"]):
            problems.append(f"event {event_id}: recorded before it occurred")
        details = event.get("details", {})
        told = event.get("shared_with", []) + details.get("attended_by", []) + details.get("to", [])
        problems += [f"event {event_id}: unknown agency {c}" for c in told if c not in agencies]
        for subject in event.get("subjects", []):
            key = (agency, subject["ref"])
            if key not in persons:
                problems.append(f"event {event_id}: {subject['ref']} has no person line")
            elif first_known(key) > recorded:
                problems.append(f"event {event_id}: {subject['ref']} recorded after the event")
    for alert in expected_alerts(case):
        if tuple(alert["child"]) not in persons:
            problems.append(f"expected {alert['rule']}: no person record {alert['child']}")
        moment(alert["raised_at"])

    assert problems == []


@pytest.mark.parametrize("case", CASES)
def test_the_seed_case_raises_the_alerts_of_rules_md_at_the_moment_they_were_first_knowable(case):
    from kinsight.feeds.replay import replay_paths

    alerts = replay_paths(feed_paths(case))["alerts"]

    def raised(expected: dict[str, Any]) -> bool:
        child = tuple(expected["child"])
        return any(
            alert["rule"] == expected["rule"]
            and child in {tuple(subject) for subject in alert["subjects"]}
            and alert["raised_at"] == expected["raised_at"]
            for alert in alerts
        )

    missing = [
        f"{e['rule']} for {e['child'][0]}:{e['child'][1]} at {e['raised_at']} ({e['why']})"
        for e in expected_alerts(case)
        if not raised(e)
    ]
    assert missing == [], "\n".join(missing)
