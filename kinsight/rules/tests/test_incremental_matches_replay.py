"""Feeds taken a few lines at a time, each ingest judging only the children it touched, leave the
stored alerts where judging every child would leave them (issue 5, "Incremental").

Alerts stored incrementally are not those of one replay: an alert once raised stays (a
deadline alert is not taken back when the response arrives late), and its subjects are the
records known when it was raised. What must hold is that no ingest left out a child whose
alerts it changed: judging every child afterwards raises, adds and changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kinsight.feeds.actions import do_ingest_feeds
from kinsight.rules.actions import do_raise_alerts
from kinsight.rules.models import Alert
from kinsight.synth import generate_population

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

CHUNK = 60


def recorded(line: dict[str, Any]) -> str:
    moment = line.get("recorded_at") or line.get("occurred_at") or ""
    return moment if "T" in moment else f"{moment}T00:00:00"


def in_recorded_order(paths: list[Path]) -> list[dict[str, Any]]:
    """Every feed's lines as they would arrive: agencies first, then by when each was recorded."""
    lines = [json.loads(text) for path in paths for text in path.read_text("utf-8").splitlines()]
    agencies = [line for line in lines if line["kind"] == "agency"]
    rest = [line for line in lines if line["kind"] != "agency"]
    rest.sort(key=recorded)  # stable: a feed's own order holds within one moment
    return agencies + rest


def stored() -> list[tuple[Any, ...]]:
    return sorted(
        (a.rule, a.child_id, a.episode, a.severity, a.status, a.raised_at, a.withdrawn_at,
         json.dumps(a.subjects), json.dumps(a.evidence), a.explanation)
        for a in Alert.objects.all()
    )  # fmt: skip


def test_feeds_taken_a_few_lines_at_a_time_leave_what_judging_everyone_would(tmp_path):
    generate_population(tmp_path / "synth", families=12, seed=5, harm_share=0.5)
    lines = in_recorded_order(sorted((tmp_path / "synth").glob("*.jsonl")))
    for n, start in enumerate(range(0, len(lines), CHUNK)):
        path = tmp_path / f"chunk-{n:04d}.jsonl"
        path.write_text(
            "".join(json.dumps(line) + "\n" for line in lines[start : start + CHUNK]), "utf-8"
        )
        do_ingest_feeds([path], acting="test")
    incremental = stored()

    everyone = do_raise_alerts(acting="test", person_ids=None)

    assert incremental, "the population raised no alert: the test says nothing"
    assert not any(everyone.counts().values()), everyone.counts()
    assert stored() == incremental
