"""Small helpers shared by the text tests: find the one finding a test is about."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kinsight.text import Finding, read_text


def only(text: str, indicator: str, subjects: Sequence[Mapping[str, str]] = ()) -> Finding:
    """The single finding of ``indicator`` in ``text``; fails the test if there is not one."""
    found = [finding for finding in read_text(text, subjects) if finding.indicator == indicator]
    assert len(found) == 1, f"expected one {indicator} in {text!r}, read {found}"
    return found[0]


def indicators(text: str) -> list[str]:
    return [finding.indicator for finding in read_text(text)]
