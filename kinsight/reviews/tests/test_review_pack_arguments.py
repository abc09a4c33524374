"""`kinsight review-pack` refuses what it cannot use with one line and exit code 2 (1 when the
record is unknown), never a traceback."""

from __future__ import annotations

import pytest

from kinsight.testing import run_kinsight


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["csc-lancs", "--from", "2019-01-01", "--to", "2019-12-31", "--out", "p.pdf"],
         "expected AGENCY:ID"),
        (["csc-lancs:C-1", "--from", "01/01/2019", "--to", "2019-12-31", "--out", "p.pdf"],
         "--from: '01/01/2019' is not a date"),
        (["csc-lancs:C-1", "--from", "2019-12-31", "--to", "2019-01-01", "--out", "p.pdf"],
         "--to: the period ends before it starts"),
        (["csc-lancs:C-1", "--from", "2019-01-01", "--to", "2019-12-31", "--out", "p.odt"],
         "the file must end in .docx, .pdf or .json"),
        (["csc-lancs:C-1", "--from", "2019-01-01", "--to", "2019-12-31", "--out",
          "no/such/dir/p.pdf"], "no such directory"),
    ],
)  # fmt: skip
def test_unusable_arguments_exit_2_with_one_line(tmp_path, args, message):
    done = run_kinsight("review-pack", *args, cwd=tmp_path)

    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_an_unknown_record_exits_1_with_one_line(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/store.sqlite3"}
    done = run_kinsight("review-pack", "csc-lancs:C-404", "--from", "2019-01-01", "--to",
                        "2019-12-31", "--out", str(tmp_path / "p.json"), env=env)  # fmt: skip

    assert done.returncode == 1
    assert done.stderr.strip() == "kinsight: csc-lancs:C-404: no such record"
    assert not (tmp_path / "p.json").exists()
