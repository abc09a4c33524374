"""`kinsight ingest FEED...` on the command line."""

import pytest

from kinsight.cli import main
from kinsight.testing import AGENCIES, person, write_feed

pytestmark = pytest.mark.django_db


def test_it_prints_a_summary_of_what_became_of_the_lines(tmp_path, capsys):
    feed = write_feed(tmp_path / "f.jsonl", [*AGENCIES, person("csc-lancs", "C-1"), "oops"])
    assert main(["ingest", str(feed)]) == 0
    out, err = capsys.readouterr()
    assert "5 lines: 4 taken, 0 updated, 0 unchanged, 1 rejected, 0 warnings" in out
    assert f"{feed}:5: not valid JSON" in err


def test_a_second_run_reports_every_line_unchanged(tmp_path, capsys):
    feed = write_feed(tmp_path / "f.jsonl", [*AGENCIES, person("csc-lancs", "C-1")])
    main(["ingest", str(feed)])
    capsys.readouterr()
    main(["ingest", str(feed)])
    assert "0 taken, 0 updated, 4 unchanged" in capsys.readouterr().out


def test_warnings_name_the_file_line_and_field(tmp_path, capsys):
    feed = write_feed(tmp_path / "f.jsonl", [person("csc-lancs", "C-1", nhs_number="123")])
    main(["ingest", str(feed)])
    err = capsys.readouterr().err
    assert f"warning: {feed}:1: person 'C-1': nhs_number: fails the NHS number check" in err


def test_a_missing_file_is_a_usage_error(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nope.jsonl")]) == 2
    assert "nope.jsonl: cannot read: no such file" in capsys.readouterr().err


def test_a_directory_is_a_usage_error(tmp_path, capsys):
    assert main(["ingest", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_jobs_below_one_is_a_usage_error_that_names_the_value(tmp_path, capsys):
    feed = write_feed(tmp_path / "f.jsonl", [*AGENCIES])
    with pytest.raises(SystemExit) as exit_:
        main(["ingest", "--jobs", "0", str(feed)])
    assert exit_.value.code == 2
    assert "--jobs: '0': must be at least 1" in capsys.readouterr().err
