"""A Finding keeps its evidence and speaks the indicators.md shape."""

from __future__ import annotations

from kinsight.text import Finding
from kinsight.text.tests.helpers import only


def finding(**flags: bool) -> Finding:
    values = {"negated": False, "hypothetical": False, "historical": False, "uncertain": False}
    values.update(flags)
    return Finding(
        "bruise", "bruise", 0, 6, experiencer="child", subject_ref=None, modifiers=(), **values
    )


def test_a_finding_is_present_unless_negated_or_hypothetical() -> None:
    assert finding().present()
    assert finding(historical=True, uncertain=True).present()
    assert not finding(negated=True).present()
    assert not finding(hypothetical=True).present()


def test_as_json_has_exactly_the_keys_of_indicators_md() -> None:
    assert list(finding().as_json()) == [
        "indicator",
        "text",
        "start",
        "end",
        "negated",
        "hypothetical",
        "historical",
        "uncertain",
        "experiencer",
    ]


def test_a_finding_keeps_the_words_that_changed_it() -> None:
    read = only("Mum has a history of depression.", "mental_ill_health")
    assert "historical: history of" in read.modifiers
    assert "experiencer mother: Mum" in read.modifiers


def test_a_finding_keeps_its_span_in_the_text() -> None:
    text = "Seen today. No bruising seen."
    read = only(text, "bruise")
    assert text[read.start : read.end] == read.text == "bruising"
