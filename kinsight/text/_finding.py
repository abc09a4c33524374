"""What the reader records about one indicator found in a note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One indicator in a note, with the words it rests on and what changed its meaning.

    ``modifiers`` is the evidence trail a practitioner can check: each entry names a flag or the
    experiencer and the words that set it ("negated: no", "experiencer mother: mum").
    """

    indicator: str
    text: str
    start: int
    end: int
    negated: bool
    hypothetical: bool
    historical: bool
    uncertain: bool
    experiencer: str
    subject_ref: str | None
    modifiers: tuple[str, ...]

    def present(self) -> bool:
        """Whether a rule may count this finding: it is neither absent nor only possible."""
        return not self.negated and not self.hypothetical

    def as_json(self) -> dict[str, Any]:
        """The item of the ``indicators`` array, exactly as indicators.md defines it."""
        return indicator_json(self)


# The keys of one item of the ``indicators`` array of indicators.md, in its order.
JSON_KEYS = (
    "indicator", "text", "start", "end", "negated", "hypothetical", "historical", "uncertain",
    "experiencer",
)  # fmt: skip


def indicator_json(finding: Any) -> dict[str, Any]:
    """A finding, read or stored, as indicators.md writes it."""
    return {key: getattr(finding, key) for key in JSON_KEYS}
