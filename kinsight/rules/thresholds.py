"""A safeguarding partnership's own thresholds, from the TOML file named by KINSIGHT_RULES_FILE.

    [non_mobile_infant_injury]
    under_months = 6

A rule or a setting the file names that does not exist is an error naming it: a typo must not
quietly leave the default in force.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def partnership_thresholds() -> dict[str, dict[str, int | float]]:
    from kinsight.rules.registry import all_rules

    path = settings.KINSIGHT_RULES_FILE
    if not path:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ImproperlyConfigured(f"KINSIGHT_RULES_FILE: cannot read {path}: {exc}") from None
    rules = {rule.id: rule for rule in all_rules()}
    found: dict[str, dict[str, int | float]] = {}
    for rule_id, values in data.items():
        if rule_id not in rules or not isinstance(values, dict):
            raise ImproperlyConfigured(f"KINSIGHT_RULES_FILE: {path}: no rule called {rule_id!r}")
        for name, value in values.items():
            if name not in rules[rule_id].defaults:
                raise ImproperlyConfigured(
                    f"KINSIGHT_RULES_FILE: {path}: [{rule_id}] has no setting {name!r}"
                )
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ImproperlyConfigured(
                    f"KINSIGHT_RULES_FILE: {path}: [{rule_id}] {name} must be a number"
                )
        found[rule_id] = dict(values)
    return found
