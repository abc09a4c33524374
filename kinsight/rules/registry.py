"""The rule registry. Each rule registers itself by subclassing `Rule`.

Rules land with the alerts issue; until then the registry is empty and replays list no alerts.
"""

from __future__ import annotations

from typing import ClassVar


class Rule:
    """Base of every alert rule: subclasses set `id`, `title`, `severity` and `guidance`."""

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    severity: ClassVar[str] = "warning"
    guidance: ClassVar[str] = ""
    registry: ClassVar[dict[str, type[Rule]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.id:
            Rule.registry[cls.id] = cls


def all_rules() -> list[type[Rule]]:
    return [Rule.registry[key] for key in sorted(Rule.registry)]
