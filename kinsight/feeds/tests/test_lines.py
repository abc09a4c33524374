"""Each rule of feed-format.md's "Bad input", one line at a time."""

import json

import pytest

from kinsight.feeds.lines import LineRejected, read_line

EVENT = {
    "kind": "event", "agency": "csc-lancs", "id": "X-9", "type": "note",
    "occurred_at": "2019-01-02T10:00:00",
}  # fmt: skip


def rejected(line):
    with pytest.raises(LineRejected) as caught:
        read_line(line if isinstance(line, str) else json.dumps(line))
    return str(caught.value)


def taken(obj):
    return read_line(json.dumps(obj))


def test_a_line_that_is_not_json_is_rejected():
    assert rejected('{"kind": "event",').startswith("not valid JSON")


def test_a_json_value_that_is_not_an_object_is_rejected():
    assert rejected("[1, 2]") == "not a JSON object"


def test_a_line_without_kind_is_rejected_naming_kind():
    assert rejected({"agency": "x"}) == "kind: missing"


def test_an_unknown_kind_is_rejected_naming_it():
    assert rejected({"kind": "invoice"}) == "kind: unknown kind 'invoice'"


def test_an_impossible_occurred_at_is_rejected_with_the_specs_own_message():
    assert rejected({**EVENT, "occurred_at": "2018-13-45"}) == (
        "event 'X-9': occurred_at: not a date"
    )


@pytest.mark.parametrize("field", ["agency", "id", "type", "occurred_at"])
def test_an_event_missing_a_required_field_is_rejected_naming_it(field):
    line = {k: v for k, v in EVENT.items() if k != field}
    assert rejected(line).endswith(f"{field}: missing")


def test_a_person_without_an_id_is_rejected():
    assert rejected({"kind": "person", "agency": "nhs-east"}) == "person: id: missing"


def test_a_bad_agency_code_is_rejected():
    message = rejected({"kind": "person", "agency": "NHS East", "id": "H-1"})
    assert message.startswith("person 'H-1': agency: not an agency code")


def test_a_relationship_of_unknown_type_is_rejected():
    line = {"kind": "relationship", "agency": "csc", "person": "C-1", "relative": "C-2",
            "type": "uncle"}  # fmt: skip
    assert "type: 'uncle' is not one of" in rejected(line)


def test_a_required_detail_of_an_event_type_is_checked():
    line = {**EVENT, "type": "assessment", "details": {"assessment": "pre_birth"}}
    assert rejected(line) == "event 'X-9': details.status: missing"


def test_a_retraction_of_an_unknown_target_kind_is_rejected():
    line = {"kind": "retraction", "agency": "csc", "target_kind": "relationship", "id": "R-1"}
    assert "target_kind" in rejected(line)


def test_an_impossible_birth_date_is_dropped_with_a_warning():
    line = taken({"kind": "person", "agency": "csc", "id": "C-1", "birth_date": "2018-02-30"})
    assert "birth_date" not in line.values
    assert line.warnings == ["person 'C-1': birth_date: not a date; taken without it"]


def test_an_nhs_number_failing_modulus_11_is_dropped_with_a_warning():
    line = taken({"kind": "person", "agency": "csc", "id": "C-1", "nhs_number": "9434765918"})
    assert "nhs_number" not in line.values
    assert "modulus 11" in line.warnings[0]


def test_a_value_outside_an_enumeration_is_dropped_with_a_warning():
    line = taken({**EVENT, "type": "domestic_abuse_incident", "details": {"risk": "extreme"}})
    assert "risk" not in line.values["details"]
    assert line.warnings[0].startswith("event 'X-9': details.risk: 'extreme' is not one of")


def test_unknown_fields_and_event_types_are_kept():
    line = taken({**EVENT, "type": "sports_day", "details": {"medal": "gold"}})
    assert line.values["type"] == "sports_day"
    assert line.values["details"] == {"medal": "gold"}


def test_a_subject_without_ref_is_dropped_with_a_warning():
    line = taken({**EVENT, "subjects": [{"role": "child"}, {"ref": "C-1", "role": "child"}]})
    assert line.values["subjects"] == [{"ref": "C-1", "role": "child"}]
    assert "subjects[0].ref" in line.warnings[0]


def test_two_lines_equal_as_json_objects_have_the_same_digest():
    a = read_line('{"kind": "agency", "code": "csc", "name": "A"}')
    b = read_line('{"name":"A","code":"csc","kind":"agency"}')
    assert a.digest == b.digest


def test_a_nul_character_is_refused_rather_than_altered():
    assert "NUL" in rejected('{"kind": "agency", "code": "csc", "name": "A\\u0000B"}')


def test_an_unpaired_surrogate_is_refused():
    assert "surrogate" in rejected('{"kind": "agency", "code": "csc", "name": "\\ud800"}')


def test_an_event_type_longer_than_64_characters_is_rejected():
    assert "type: not an event type" in rejected({**EVENT, "type": "x" * 65})
