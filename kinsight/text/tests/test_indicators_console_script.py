"""`kinsight indicators [FILE]` through the console script."""

import json

from kinsight.testing import run_kinsight


def test_it_reads_standard_input_and_writes_one_line_per_note():
    notes = '{"id": "n1", "text": "No bruising seen."}\n{"id": "n2", "text": "Dad has relapsed."}\n'
    done = run_kinsight("indicators", stdin=notes)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["n1", "n2"]
    assert out[0]["indicators"][0]["negated"] is True
    assert out[1]["indicators"][0]["indicator"] == "substance_misuse"


def test_a_bad_line_is_named_and_the_rest_is_read(tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_text('{"id": "n1"}\n{"id": "n2", "text": "Nil concerns."}\n')
    done = run_kinsight("indicators", str(path))
    assert done.returncode == 1
    assert "line 1: text: missing" in done.stderr
    assert json.loads(done.stdout)["id"] == "n2"


def test_a_missing_file_is_a_usage_error(tmp_path):
    done = run_kinsight("indicators", str(tmp_path / "absent.jsonl"))
    assert done.returncode == 2
    assert "absent.jsonl: cannot read" in done.stderr
