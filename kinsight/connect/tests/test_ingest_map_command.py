"""`kinsight ingest --map MAPPING.yaml EXPORT.csv` on the command line."""

import json
from pathlib import Path

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.chronology.models import Event
from kinsight.cli import main
from kinsight.feeds.models import Agency, QuarantinedLine
from kinsight.people.models import PersonRecord

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
SSD = ROOT / "examples" / "mappings" / "ssd"


def test_it_takes_a_sample_export_and_prints_a_summary(capsys):
    assert main(["ingest", "--map", str(SSD / "ssd_person.yaml"), str(SSD / "ssd_person.csv")]) == 0
    out = capsys.readouterr().out
    assert "6 lines: 6 taken, 0 updated, 0 unchanged, 0 rejected" in out
    assert Agency.objects.get(code="csc-northfield").sector == "social_care"
    assert PersonRecord.objects.get(record_id="C1005").unborn is True


def test_a_bad_row_is_reported_with_row_column_and_value_and_the_rest_is_taken(tmp_path, capsys):
    export = tmp_path / "referrals.csv"
    rows = (SSD / "ssd_cin_episodes.csv").read_text().splitlines()
    rows[2] = rows[2].replace("04/03/2024 11:00", "2024-13-45")
    export.write_text("\n".join(rows) + "\n")
    assert main(["ingest", "--map", str(SSD / "ssd_cin_episodes.yaml"), str(export)]) == 0
    out, err = capsys.readouterr()
    assert (
        f"{export}:3: column 'cine_referral_date': value '2024-13-45': occurred_at: not a date"
        in err
    )
    assert "1 rejected" in out
    assert set(Event.objects.values_list("event_id", flat=True)) == {
        "REF-R501", "REF-R503", "REF-R503-NFA", "REF-R503-CLOSED", "REF-R504",
    }  # fmt: skip
    kept = QuarantinedLine.objects.get(file_name=str(export))
    assert kept.line_no == 3
    assert json.loads(kept.raw)["cine_referral_id"] == "R502"
    assert AuditEntry.objects.filter(action="map_csv", object_id=str(export)).exists()


def test_running_the_same_export_again_changes_nothing(capsys):
    args = ["ingest", "--map", str(SSD / "ssd_cp_visits.yaml"), str(SSD / "ssd_cp_visits.csv")]
    main(args)
    capsys.readouterr()
    main(args)
    assert "0 taken, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_a_broken_mapping_is_a_usage_error_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "agency: csc-x\nlines: [{kind: person, fields: {id: {colum: a, required: true}}}]\n"
    )
    assert main(["ingest", "--map", str(bad), str(SSD / "ssd_person.csv")]) == 2
    err = capsys.readouterr().err
    assert err == f"kinsight: {bad}: lines[0].fields.id: needs a column, value or template\n"


def test_an_export_without_a_column_the_mapping_reads_is_a_usage_error(tmp_path, capsys):
    export = tmp_path / "people.csv"
    export.write_text("pers_person_id\nC1\n")
    assert main(["ingest", "--map", str(SSD / "ssd_person.yaml"), str(export)]) == 2
    assert "no column 'pers_common_child_id'" in capsys.readouterr().err


def test_a_missing_mapping_file_is_a_usage_error(tmp_path, capsys):
    assert main(["ingest", "--map", str(tmp_path / "nope.yaml"), str(SSD / "ssd_person.csv")]) == 2
    assert "nope.yaml: cannot read: no such file" in capsys.readouterr().err
