"""Alerts depend on what was recorded and when, never on the order lines arrive in, and never on
what was recorded later (issue 5: the two properties of "no hindsight")."""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinsight.feeds.replay import replay_paths
from kinsight.synth import generate_population

pytestmark = pytest.mark.slow
SETTINGS = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def population(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("population")
    generate_population(out, families=16, seed=11, harm_share=0.5)
    return sorted(out.glob("*.jsonl"))


@pytest.fixture(scope="module")
def replayed(population) -> list[dict[str, Any]]:
    alerts: list[dict[str, Any]] = replay_paths(population)["alerts"]
    return alerts


def recorded(line: dict[str, Any]) -> str:
    moment = line.get("recorded_at") or line.get("occurred_at") or ""
    return moment if "T" in moment else f"{moment}T00:00:00"


def read(paths: list[Path]) -> dict[str, list[dict[str, Any]]]:
    return {
        path.name: [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
        for path in paths
    }


def write(lines: dict[str, list[dict[str, Any]]], out: Path) -> list[Path]:
    out.mkdir()
    for name, objects in lines.items():
        (out / name).write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return sorted(out.glob("*.jsonl"))


def signature(alerts: list[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    return Counter((a["rule"], a["raised_at"], json.dumps(sorted(a["evidence"]))) for a in alerts)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_events_shuffled_within_the_same_recorded_at_raise_the_same_alerts(
    population, replayed, tmp_path_factory, seed
):
    rng = random.Random(seed)
    shuffled: dict[str, list[dict[str, Any]]] = {}
    for name, lines in read(population).items():
        # Agency lines and person lines stay ahead of the events that name them; events that
        # were recorded at the same moment trade places.
        head = [line for line in lines if line["kind"] != "event"]
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for line in lines:
            if line["kind"] == "event":
                groups[recorded(line)].append(line)
        for group in groups.values():
            rng.shuffle(group)
        shuffled[name] = head + [line for key in sorted(groups) for line in groups[key]]
    original = replayed

    again = replay_paths(write(shuffled, tmp_path_factory.mktemp("shuffled") / "feeds"))["alerts"]

    assert signature(again) == signature(original)
    assert original, "the population raised no alert: the property says nothing"


@SETTINGS
@given(cut=st.floats(0.2, 0.9))
def test_truncating_the_feeds_never_changes_the_alerts_raised_before_the_cut(
    population, replayed, tmp_path_factory, cut
):
    lines = read(population)
    moments = sorted(recorded(line) for objects in lines.values() for line in objects
                     if line["kind"] == "event")  # fmt: skip
    moment = moments[int(cut * len(moments))]
    kept = {
        name: [line for line in objects if line["kind"] == "agency" or recorded(line) <= moment
               or (line["kind"] != "event" and not line.get("recorded_at"))]
        for name, objects in lines.items()
    }  # fmt: skip
    full = replayed

    truncated = replay_paths(write(kept, tmp_path_factory.mktemp("cut") / "feeds"))["alerts"]

    def before(alerts: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
        return Counter((a["rule"], a["raised_at"]) for a in alerts if a["raised_at"] <= moment)

    assert before(truncated) == before(full)
