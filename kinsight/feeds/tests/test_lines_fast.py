"""The fast path takes only what the tables take whole, with the same values."""

import json

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from kinsight.feeds.lines import _FAST, FeedLine, LineRejected, _read_checked, read_line

EVENT = {
    "kind": "event", "agency": "csc-bwd", "id": "BWD-1", "type": "home_visit",
    "occurred_at": "2020-06-04T12:50:00", "recorded_at": "2020-06-04T14:00:00",
    "subjects": [{"ref": "BWD3", "role": "child"}, {"ref": "BWD1"}],
    "summary": "Home visit, children seen.", "details": {"child_seen": True, "extra": [1]},
}  # fmt: skip
PERSON = {
    "kind": "person", "agency": "lth", "id": "RXN1", "given_name": "Kelly", "sex": "female",
    "family_name": "Ashworth", "birth_date": "1988-08", "nhs_number": "946 287 6134",
    "address": {"text": "34 Heather Close", "postcode": "LA3 3BX"}, "other_names": ["Kel"],
    "expected_birth_date": "2024-02-29", "unborn": False, "recorded_at": "2016-05-14",
}  # fmt: skip
RELATIONSHIP = {
    "kind": "relationship", "agency": "lth", "person": "RXN2", "relative": "RXN1",
    "type": "mother", "start": "2016-05-14", "recorded_at": "2016-05-14T07:26:00Z",
}  # fmt: skip

# Values near every rule's edge: wrong types, nulls, bad dates, bad codes, long strings.
odd_values = st.sampled_from([
    None, "", "x", "Not-A-Code", "lth\n", "a" * 129, "2020-13-01", "2020-02-30T10:00", "2020-02",
    "2020", "2020-06-04T12:50:00+01:00", "2020-06-04 12:50", "9462876135", "9462876134", 0, 1.5,
    True, [], ["x", 1], {}, {"text": 5}, {"ref": "a"}, [{"ref": ""}], [{"ref": "a", "role": 1}],
    "mother", "female", "bruise", {"child_seen": "yes"}, {"assessment": "pre_birth"},
])  # fmt: skip


def both(obj):
    raw = json.dumps(obj)
    try:
        checked = _read_checked(raw, orjson.loads(raw), obj.get("kind"))
    except LineRejected:
        checked = None
    return raw, checked


def test_a_faultless_line_of_each_kind_takes_the_fast_path_with_the_tables_values():
    for obj in (EVENT, PERSON, RELATIONSHIP):
        raw, checked = both(obj)
        assert _FAST[obj["kind"]](orjson.loads(raw)) is not None
        fast = read_line(raw)
        assert fast == checked and list(fast.values) == list(checked.values)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([EVENT, PERSON, RELATIONSHIP]),
    st.dictionaries(
        st.sampled_from(sorted({*EVENT, *PERSON, *RELATIONSHIP} - {"kind"}) + ["details"]),
        odd_values,
        max_size=3,
    ),
)
def test_an_odd_line_is_read_as_the_tables_read_it(base, changes):
    raw, checked = both({**base, **changes})
    if checked is None:
        try:
            read_line(raw)
        except LineRejected:
            return
        raise AssertionError("the fast path took a line the tables reject")
    taken = read_line(raw)
    assert isinstance(taken, FeedLine)
    assert taken == checked and list(taken.values) == list(checked.values)
