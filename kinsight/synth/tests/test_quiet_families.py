"""What the generator promises a rule engine: clocks met, nothing stray, outside the patterns."""

from __future__ import annotations

import pytest

from kinsight.synth.tests import audit


@pytest.mark.parametrize("check", audit.ALL_CHECKS, ids=lambda check: check.__name__)
def test_ordinary_families_stay_below_the_rule_thresholds(
    ordinary: audit.Population, check: audit.Check
) -> None:
    assert check(ordinary) == []


@pytest.mark.parametrize("check", audit.ALL_CHECKS, ids=lambda check: check.__name__)
def test_families_with_patterns_keep_every_other_clock(
    harmed: audit.Population, check: audit.Check
) -> None:
    assert check(harmed) == []


def test_the_audit_notices_a_missing_strategy_discussion(harmed: audit.Population) -> None:
    stripped = audit.Population(
        lines=harmed.lines,
        truth=harmed.truth,
        owner=harmed.owner,
        people=harmed.people,
        events=[e for e in harmed.events if e["type"] != "strategy_discussion"],
        patterns=harmed.patterns,
    )
    assert audit.strategy_responses(stripped)
