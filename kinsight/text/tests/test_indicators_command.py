"""The `kinsight indicators` command: JSON Lines in, one line of indicators per note out."""

from __future__ import annotations

import io
import json

from kinsight.text.command import indicators_command


def run(text: str) -> tuple[int, list[dict[str, object]], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    status = indicators_command(io.StringIO(text), out, err)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return status, lines, err.getvalue().splitlines()


def test_it_writes_one_line_per_note_in_input_order() -> None:
    status, lines, errors = run(
        '{"id": "n1", "text": "No bruising seen."}\n'
        '{"id": "n2", "text": "Telephone call to arrange a visit."}\n'
        '{"id": "n3", "text": "Mum has relapsed."}\n'
    )
    assert status == 0 and errors == []
    assert [line["id"] for line in lines] == ["n1", "n2", "n3"]
    assert lines[1]["indicators"] == []


def test_each_indicator_has_exactly_the_documented_shape() -> None:
    _, lines, _ = run('{"id": "n1", "text": "Bruise to left cheek, mum says he fell."}\n')
    assert lines[0]["indicators"] == [
        {
            "indicator": "bruise",
            "text": "Bruise",
            "start": 0,
            "end": 6,
            "negated": False,
            "hypothetical": False,
            "historical": False,
            "uncertain": False,
            "experiencer": "child",
        }
    ]


def test_indicators_come_in_text_order() -> None:
    _, lines, _ = run('{"id": "n1", "text": "Mum has relapsed; no bruising seen on Jack."}\n')
    starts = [item["start"] for item in lines[0]["indicators"]]
    assert starts == sorted(starts) and len(starts) == 2


def test_offsets_point_into_the_text() -> None:
    text = "Police notified of a DV incident.\\nHV visit: no access."
    _, lines, _ = run(json.dumps({"id": "n1", "text": text.replace("\\\\n", "\\n")}) + "\n")
    note = text.replace("\\\\n", "\\n")
    for item in lines[0]["indicators"]:
        assert note[item["start"] : item["end"]] == item["text"]


def test_a_missing_field_is_reported_with_its_line_and_the_rest_is_read() -> None:
    status, lines, errors = run(
        '{"id": "n1", "text": "Mum has relapsed."}\n'
        '{"id": "n2"}\n'
        '{"id": "n3", "text": "Dad has relapsed."}\n'
    )
    assert status == 1
    assert errors == ["line 2: text: missing"]
    assert [line["id"] for line in lines] == ["n1", "n3"]


def test_a_line_that_is_not_json_is_reported() -> None:
    status, lines, errors = run('not json\n{"id": "n2", "text": "Nil concerns."}\n')
    assert status == 1 and len(errors) == 1 and errors[0].startswith("line 1: ")
    assert [line["id"] for line in lines] == ["n2"]


def test_a_missing_id_is_reported() -> None:
    _, _, errors = run('{"text": "Nil concerns."}\n')
    assert errors == ["line 1: id: missing"]


def test_a_text_that_is_not_a_string_is_reported() -> None:
    _, _, errors = run('{"id": "n1", "text": 42}\n')
    assert errors == ["line 1: text: must be a string"]


def test_blank_lines_are_skipped_without_complaint() -> None:
    status, lines, errors = run('\n{"id": "n1", "text": "Nil concerns."}\n\n')
    assert (status, len(lines), errors) == (0, 1, [])


def test_subjects_are_optional_and_resolve_the_subject() -> None:
    note = {
        "id": "n1",
        "text": "Bruise to left cheek.",
        "subjects": [{"ref": "C-1", "role": "child"}],
    }
    status, lines, _ = run(json.dumps(note) + "\n")
    assert status == 0 and lines[0]["indicators"][0]["experiencer"] == "child"
