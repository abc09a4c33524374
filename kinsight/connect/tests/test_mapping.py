"""Mapping one CSV row to feed lines (kinsight/connect/mapping.py), without the store."""

import io

import pytest
import yaml

from kinsight.connect.mapping import Mapping, MappingError, map_csv

MAPPING = """
agency: {code: csc-test, name: Test Children's Services, sector: social_care}
dates: ["%d/%m/%Y", "%d/%m/%Y %H:%M"]
codes:
  sex: {F: female, M: male}
lines:
  - kind: person
    fields:
      id: {column: child_id, required: true}
      sex: {column: sex, codes: sex}
      birth_date: {column: dob, as: date}
  - kind: event
    when: {column: referred}
    fields:
      id: {template: "REF-{child_id}"}
      type: referral
      occurred_at: {column: referred, as: moment}
      subjects: [{ref: {column: child_id}, role: child}]
      details.concerns: {column: concerns, split: ";"}
      details.urgent: {column: urgent, as: bool}
"""


def mapping(text=MAPPING):
    return Mapping.parse(yaml.safe_load(text), "m.yaml")


def run(tmp_path, rows, text=MAPPING):
    path = tmp_path / "export.csv"
    path.write_text(rows, encoding="utf-8")
    out = io.StringIO()
    result = map_csv(mapping(text), path, out, "export.csv")
    lines = [yaml.safe_load(line) for line in out.getvalue().splitlines()]
    return result, lines


def test_one_row_becomes_several_lines_with_codes_dates_and_lists(tmp_path):
    result, lines = run(
        tmp_path,
        "child_id,sex,dob,referred,concerns,urgent\n"
        "C1,F,02/03/2024,04/03/2024 09:30,neglect; physical,Y\n",
    )
    assert result.errors == []
    assert lines[0] == {"kind": "agency", "code": "csc-test",
                        "name": "Test Children's Services", "sector": "social_care"}  # fmt: skip
    assert lines[1] == {"kind": "person", "agency": "csc-test", "id": "C1", "sex": "female",
                        "birth_date": "2024-03-02"}  # fmt: skip
    assert lines[2] == {
        "kind": "event", "agency": "csc-test", "id": "REF-C1", "type": "referral",
        "occurred_at": "2024-03-04T09:30:00", "subjects": [{"ref": "C1", "role": "child"}],
        "details": {"concerns": ["neglect", "physical"], "urgent": True},
    }  # fmt: skip


def test_empty_cells_leave_fields_out_and_a_condition_skips_a_line(tmp_path):
    result, lines = run(tmp_path, "child_id,sex,dob,referred,concerns,urgent\nC2,,,,,\n")
    assert result.errors == []
    assert lines[1:] == [{"kind": "person", "agency": "csc-test", "id": "C2"}]


def test_a_bad_row_names_its_row_column_and_value_and_the_rest_is_taken(tmp_path):
    result, lines = run(
        tmp_path,
        "child_id,sex,dob,referred,concerns,urgent\n"
        "C1,F,02/03/2024,,,\n"
        "C2,Q,02/03/2024,,,\n"
        "C3,M,31/02/2024,,,\n"
        "C4,M,01/01/2024,,,\n",
    )
    assert [str(e) for e in result.errors] == [
        "export.csv: row 3: column 'sex': value 'Q': sex: not in code list 'sex'",
        "export.csv: row 4: column 'dob': value '31/02/2024': birth_date: not a date in "
        "%d/%m/%Y, %d/%m/%Y %H:%M",
    ]
    assert [line.get("id") for line in lines[1:]] == ["C1", "C4"]
    assert result.errors[0].raw["child_id"] == "C2"


def test_a_required_column_left_empty_rejects_the_row(tmp_path):
    result, _ = run(tmp_path, "child_id,sex,dob,referred,concerns,urgent\n,F,,,,\n")
    assert str(result.errors[0]) == "export.csv: row 2: column 'child_id': value '': id: empty"


def test_a_line_the_ingest_would_reject_is_reported_with_its_column(tmp_path):
    text = MAPPING.replace("details.urgent: {column: urgent, as: bool}", "")
    text = text.replace("occurred_at: {column: referred, as: moment}",
                        "occurred_at: {column: concerns}")  # fmt: skip
    result, _ = run(tmp_path, "child_id,sex,dob,referred,concerns,urgent\nC1,F,,x,soon,\n", text)
    assert str(result.errors[0]) == (
        "export.csv: row 2: column 'concerns': value 'soon': "
        "event 'REF-C1': occurred_at: not a date"
    )


def test_a_column_the_mapping_reads_but_the_export_lacks_is_a_file_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("child_id,sex\nC1,F\n")
    with pytest.raises(MappingError, match="export.csv: no column 'concerns', which m.yaml reads"):
        map_csv(mapping(), path, io.StringIO(), "export.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lines: []", "m.yaml: agency: expected an agency code"),
        ("agency: a\nlines: []", "m.yaml: lines: expected a list"),
        ("agency: a\nlines: [{kind: thing}]", "m.yaml: lines[0].kind: expected one of"),
        ("agency: a\nlines: [{kind: person, fields: {id: {colum: x, column: y}}}]",
         "m.yaml: lines[0].fields.id: unknown option 'colum'"),
        ("agency: a\nlines: [{kind: person, fields: {sex: {column: s, codes: nope}}}]",
         "m.yaml: lines[0].fields.sex.codes: no code list named 'nope'"),
        ("agency: a\nlines: [{kind: person}]\nextra: 1", "m.yaml: extra: unknown key"),
    ],
)  # fmt: skip
def test_a_broken_mapping_names_the_key(text, message):
    with pytest.raises(MappingError, match=message.replace("[", r"\[").replace("]", r"\]")):
        mapping(text)


def test_a_mapping_that_is_not_yaml_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("agency: [unclosed\n")
    with pytest.raises(MappingError, match="bad.yaml: not valid YAML"):
        Mapping.load(path)
