"""Evaluating the registered rules over what had been recorded by a moment."""

from __future__ import annotations

from typing import Any

from kinsight.rules.registry import all_rules


def replay_alerts() -> list[dict[str, Any]]:
    """Every alert a replay of the current store raises, in `raised_at` then `rule` order."""
    alerts: list[dict[str, Any]] = []
    for _rule in all_rules():
        pass  # The rules land with the alerts issue.
    return sorted(alerts, key=lambda a: (a["raised_at"], a["rule"]))
