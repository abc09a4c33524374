"""Whatever a line holds, it is taken or rejected with a message: never an exception."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kinsight.feeds.lines import FIELDS, FeedLine, LineRejected, read_line

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
fields = st.sampled_from(sorted({name for spec in FIELDS.values() for name in spec}
                                | {"subjects", "details", "type"}))  # fmt: skip
kinds = st.sampled_from([*FIELDS, "unknown", 7, None])
lines = st.builds(
    lambda kind, pairs: {"kind": kind, **pairs},
    kinds,
    st.dictionaries(fields, json_values, max_size=10),
)


def outcome(raw):
    try:
        return read_line(raw)
    except LineRejected as exc:
        assert str(exc)
        return None


@settings(max_examples=200, deadline=None)
@given(lines)
def test_a_structured_line_is_taken_or_rejected(obj):
    result = outcome(json.dumps(obj))
    if result is not None:
        assert isinstance(result, FeedLine)
        assert all(isinstance(w, str) and w for w in result.warnings)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_taken_or_rejected(raw):
    outcome(raw)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_value_is_taken_or_rejected(value):
    outcome(json.dumps(value))
