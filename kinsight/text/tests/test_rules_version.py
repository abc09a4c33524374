"""RULES_VERSION tells the store when indicators must be read again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kinsight.text import INDICATOR_IDS, RULES_VERSION, _rules


def test_it_names_both_rule_file_versions() -> None:
    targets = json.loads(_rules.TARGETS_FILE.read_text())["version"]
    context = json.loads(_rules.CONTEXT_FILE.read_text())["version"]
    assert RULES_VERSION.startswith(f"targets-{targets}+context-{context}+")


def test_it_changes_when_a_phrase_is_added_without_a_version_bump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = tmp_path / "targets.json"
    shutil.copy(_rules.TARGETS_FILE, targets)
    monkeypatch.setattr(_rules, "TARGETS_FILE", targets)
    before = _rules.rules_version.__wrapped__()
    data = json.loads(targets.read_text())
    data["indicators"]["bruise"]["phrases"].append("purple patch")
    targets.write_text(json.dumps(data))
    assert _rules.rules_version.__wrapped__() != before


def test_the_targets_file_has_exactly_the_indicator_ids_of_indicators_md() -> None:
    data = json.loads(_rules.TARGETS_FILE.read_text())
    assert list(data["indicators"]) == list(INDICATOR_IDS)
    assert len(INDICATOR_IDS) == 24 and "delayed_care" in INDICATOR_IDS
