"""Evaluating the registered rules over what had been recorded by each moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from kinsight.lib.moments import format_moment
from kinsight.rules.context import ChildContext, child_contexts
from kinsight.rules.registry import Draft, configured_rules


def replay_alerts(as_of: datetime | None = None) -> list[dict[str, Any]]:
    """Every alert the store raises, as the replay contract lists them.

    `as_of` is the moment up to which deadlines may have passed (default: now).
    """
    rules = configured_rules()
    chosen: dict[tuple[str, int, str], tuple[Draft, ChildContext]] = {}
    for child in child_contexts(as_of or timezone.now()):
        for rule in rules:
            for draft in rule.evaluate(child):
                key = (draft.rule, child.person_id, draft.episode)
                # One alert per rule, child and episode: the earliest moment it could be raised.
                if key not in chosen or draft.raised_at < chosen[key][0].raised_at:
                    chosen[key] = (draft, child)
    alerts = [_as_json(draft, child) for draft, child in chosen.values()]
    return sorted(alerts, key=lambda a: (a["raised_at"], a["rule"], a["subjects"]))


def _as_json(draft: Draft, child: ChildContext) -> dict[str, Any]:
    alert: dict[str, Any] = {
        "rule": draft.rule,
        "severity": draft.severity,
        "raised_at": format_moment(draft.raised_at),
        "subjects": [list(record) for record in child.records],
        "evidence": [list(fact.key) for fact in draft.evidence],
        "explanation": draft.explanation,
    }
    withdrawn = [fact.retracted_at for fact in draft.evidence]
    if withdrawn and all(moment is not None for moment in withdrawn):
        alert["withdrawn_at"] = format_moment(max(m for m in withdrawn if m is not None))
    return alert
