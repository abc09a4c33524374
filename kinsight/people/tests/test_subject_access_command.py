import json

import pytest

from kinsight.testing import AGENCIES, event, person, run_kinsight, write_feed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_subject_access_exports_every_version_and_audits_the_export(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite3'}", "KINSIGHT_ACTOR": "dpo"}
    first = person("nhs-east", "H-1", given_name="Mia", birth_date="2019-06-01")
    second = {**first, "family_name": "Jones", "recorded_at": "2019-08-01T09:00:00"}
    injury = event("nhs-east", "I-1", "injury", "2019-07-01T10:00:00", ("H-1", "child"),
                   details={"injury": "bruise"})  # fmt: skip
    feed = write_feed(tmp_path / "feed.jsonl", [*AGENCIES, first, injury, second])
    assert run_kinsight("ingest", str(feed), env=env).returncode == 0
    out = tmp_path / "sar.json"

    result = run_kinsight("subject-access", "nhs-east:H-1", "--reason", "SAR-2026-17",
                          "--out", str(out), env=env)  # fmt: skip

    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    [record] = data["records"]
    assert '"Jones"' in record["as_sent"] and len(record["earlier_versions"]) == 1
    assert [e["id"] for e in data["events"]] == ["I-1"]
    assert "non_mobile_infant_injury" in {a["rule"] for a in data["alerts"]}
    again = run_kinsight("subject-access", "nhs-east:H-1", "--reason", "SAR-2026-17",
                         "--out", str(out), env=env)  # fmt: skip
    assert again.returncode == 0
    looked = json.loads(out.read_text())["who_looked"]
    assert {"who": "dpo", "did": "subject_access_export", "why": "SAR-2026-17"}.items() <= (
        looked[-1].items()
    )


def test_subject_access_needs_a_known_record(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite3'}"}
    result = run_kinsight("subject-access", "nhs-east:NOPE", "--reason", "x", "--out",
                          str(tmp_path / "o.json"), env=env)  # fmt: skip
    assert result.returncode == 1
    assert "nhs-east:NOPE: no such record" in result.stderr
