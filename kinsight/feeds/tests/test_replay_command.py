"""`kinsight replay FEED... --json`, run as a user runs it."""

import json

from kinsight.testing import AGENCIES, event, person, run_kinsight, write_feed


def feed_with_a_corrupt_line(tmp_path):
    return write_feed(
        tmp_path / "feed.jsonl",
        [
            *AGENCIES,
            person("nhs-east", "H-1001", given_name="Chloe", nhs_number="9434765919"),
            person("csc-lancs", "C-10", given_name="Cloe", nhs_number="943 476 5919"),
            person("csc-lancs", "C-11", given_name="Harper"),
            '{"kind": "event", "agency": "csc-lancs", "id": "X-9", "type": "note", '
            '"occurred_at": "2018-13-45"}',
            event("csc-lancs", "E-1", "note", "2019-01-01", ("C-10", "child")),
        ],
    )


def test_a_feed_with_a_corrupt_line_exits_0_lists_it_and_takes_the_rest(tmp_path):
    done = run_kinsight("replay", str(feed_with_a_corrupt_line(tmp_path)), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["rejected"] == [
        {"file": str(tmp_path / "feed.jsonl"), "line": 7,
         "error": "event 'X-9': occurred_at: not a date"}
    ]  # fmt: skip
    assert result["alerts"] == []


def test_records_sharing_a_valid_nhs_number_are_one_person(tmp_path):
    done = run_kinsight("replay", str(feed_with_a_corrupt_line(tmp_path)), "--json")
    persons = json.loads(done.stdout)["persons"]
    records = sorted(p["records"] for p in persons)
    assert records == [
        [["csc-lancs", "C-10"], ["nhs-east", "H-1001"]],
        [["csc-lancs", "C-11"]],
    ]
    assert all(p["person"].startswith("p-") for p in persons)


def test_records_with_different_nhs_numbers_stay_apart(tmp_path):
    feed = write_feed(
        tmp_path / "feed.jsonl",
        [
            person("nhs-east", "H-1", given_name="Chloe", nhs_number="9434765919"),
            person("csc-lancs", "C-1", given_name="Chloe", nhs_number="4010232137"),
        ],
    )
    persons = json.loads(run_kinsight("replay", str(feed), "--json").stdout)["persons"]
    assert len(persons) == 2


def test_a_file_that_cannot_be_read_exits_2_with_one_line(tmp_path):
    done = run_kinsight("replay", str(tmp_path / "absent.jsonl"), "--json")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"kinsight: {tmp_path / 'absent.jsonl'}: cannot read: no such file"
    )
    assert "Traceback" not in done.stderr


def test_the_replay_output_matches_the_contracts_shape(tmp_path):
    done = run_kinsight("replay", str(feed_with_a_corrupt_line(tmp_path)), "--json")
    result = json.loads(done.stdout)
    assert set(result) == {"persons", "alerts", "rejected"}
    for item in result["persons"]:
        assert set(item) == {"person", "records"}
