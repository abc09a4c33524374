"""Across reviews: which rules fired and which deadlines were missed, over many children.

Two sources, counted the same way: the store's alerts for a period (every child, or some), and
pack files (`.json`) already written, so that a partnership can count over the reviews it has
made even after the records themselves have moved on.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from kinsight.lib.moments import UK
from kinsight.reviews.pack import DEADLINE_RULES


def _summary(
    alerts: list[tuple[str, str, bool]], children: set[str], source: str
) -> dict[str, Any]:
    """alerts: (rule, child, acted on)."""
    by_rule: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    never = 0
    for rule, child, acted in alerts:
        by_rule[rule].add(child)
        counts[rule] += 1
        never += not acted
    rules = [
        {"rule": rule, "alerts": counts[rule], "children": len(by_rule[rule]),
         "deadline": rule in DEADLINE_RULES}
        for rule in sorted(counts, key=lambda r: (-counts[r], r))
    ]  # fmt: skip
    return {
        "source": source,
        "children": len(children),
        "alerts": sum(counts.values()),
        "never_acted_on": never,
        "rules": rules,
        "deadlines_missed": {r["rule"]: r["alerts"] for r in rules if r["deadline"]},
    }


def themes_in_store(
    date_from: date, date_to: date, person_ids: list[int] | None = None
) -> dict[str, Any]:
    """Alerts raised in the period (for these children, or all), counted by rule."""
    from kinsight.rules.models import Alert, AlertChange

    start = datetime.combine(date_from, time.min, tzinfo=UK)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UK)
    alerts = Alert.objects.filter(raised_at__gte=start, raised_at__lt=end)
    if person_ids is not None:
        alerts = alerts.filter(child_id__in=person_ids)
    acted = set(
        AlertChange.objects.filter(
            alert__in=alerts, kind__in=["acknowledged", "actioned", "closed"]
        ).values_list("alert_id", flat=True)
    )
    rows = [
        (rule, f"p-{child}", pk in acted)
        for pk, rule, child in alerts.values_list("pk", "rule", "child_id")
    ]
    return _summary(rows, {child for _, child, _ in rows}, f"store {date_from}..{date_to}")


def themes_in_packs(paths: list[Path]) -> dict[str, Any]:
    """The alerts raised at the time in each pack's `alerts`, counted by rule; each pack is one
    child (its Child A)."""
    rows: list[tuple[str, str, bool]] = []
    children: set[str] = set()
    for path in paths:
        pack = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(pack, dict) or "alerts" not in pack or "chronology" not in pack:
            raise ValueError(f"{path.name}: not a review pack (.json)")
        child = f"{path.name}:{pack['child']}"
        children.add(child)
        for alert in pack["alerts"]:
            acted = alert.get("outcome") != "never acted on"
            rows.append((alert["rule"], f"{path.name}:{alert['child']}", acted))
    return _summary(rows, children, f"{len(paths)} pack(s)")
