"""The rule registry: every rule is a small class that registers itself by subclassing `Rule`.

A rule's docstring is the plain explanation a practitioner reads; `guidance` names the published
guidance or review lessons behind it (../shared/research/rules_catalogue.md); `consider` is what a
professional might think about next, never an instruction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from kinsight.rules.context import ChildContext, Fact


@dataclass
class Draft:
    """An alert a rule would raise: the engine turns drafts into the replay's alerts."""

    rule: str
    severity: str
    raised_at: datetime
    episode: str
    evidence: list[Fact]
    explanation: str
    adults: list[int] = field(default_factory=list)


class Rule:
    """Base of every alert rule: subclasses set the class variables and `evaluate`."""

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    severity: ClassVar[str] = "warning"
    guidance: ClassVar[str] = ""
    consider: ClassVar[str] = ""
    # Thresholds a safeguarding partnership may change (KINSIGHT_RULES_FILE), with the defaults
    # of rules.md: {"within_working_days": 1}, say. Read them with `self.setting(name)`.
    defaults: ClassVar[dict[str, int | float]] = {}
    registry: ClassVar[dict[str, type[Rule]]] = {}

    def __init__(self, overrides: dict[str, int | float] | None = None) -> None:
        unknown = set(overrides or {}) - set(self.defaults)
        if unknown:
            raise ValueError(f"rule {self.id}: unknown setting {', '.join(sorted(unknown))}")
        self.settings = {**self.defaults, **(overrides or {})}

    def setting(self, name: str) -> int | float:
        return self.settings[name]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.id:
            if cls.id in Rule.registry:
                raise ValueError(f"rule {cls.id!r} is registered twice")
            Rule.registry[cls.id] = cls

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        raise NotImplementedError

    def draft(
        self, *, raised_at: datetime, episode: str, evidence: list[Fact], what: str,
        severity: str | None = None,
    ) -> Draft:  # fmt: skip
        explanation = f"{what} {self.consider}".strip()
        return Draft(self.id, severity or self.severity, raised_at, episode, evidence, explanation)


def configured_rules() -> list[Rule]:
    """Every rule, with the partnership's thresholds applied."""
    from kinsight.rules.thresholds import partnership_thresholds

    overrides = partnership_thresholds()
    return [rule(overrides.get(rule.id)) for rule in all_rules()]


def all_rules() -> list[type[Rule]]:
    from kinsight.rules import catalogue  # noqa: F401 - importing it registers the rules

    return [Rule.registry[key] for key in sorted(Rule.registry)]
