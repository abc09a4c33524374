import json

import pytest

from kinsight.testing import AGENCIES, event, person, run_kinsight, write_feed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_alerts_lists_what_ingest_raised_as_it_stood_at_a_moment(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite3'}"}
    baby = person("nhs-east", "H-1", given_name="Mia", birth_date="2019-06-01")
    injury = event("nhs-east", "I-1", "injury", "2019-07-01T10:00:00", ("H-1", "child"),
                   recorded_at="2019-07-01T11:00:00", details={"injury": "bruise"})  # fmt: skip
    feed = write_feed(tmp_path / "feed.jsonl", [*AGENCIES, baby, injury])
    assert run_kinsight("ingest", str(feed), env=env).returncode == 0

    before = run_kinsight("alerts", "--as-of", "2019-07-01T10:59:00", "--json", env=env)
    after = run_kinsight("alerts", "--as-of", "2019-07-01T11:00:00", "--json", env=env)

    assert json.loads(before.stdout) == {"alerts": []}
    [alert] = [
        a for a in json.loads(after.stdout)["alerts"] if a["rule"] == "non_mobile_infant_injury"
    ]
    assert (alert["rule"], alert["status"], alert["raised_at"]) == (
        "non_mobile_infant_injury", "open", "2019-07-01T11:00:00",
    )  # fmt: skip
    assert alert["subjects"] == [["nhs-east", "H-1"]] and isinstance(alert["id"], int)


def test_alerts_names_a_moment_it_cannot_read(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite3'}"}
    result = run_kinsight("alerts", "--as-of", "next tuesday", env=env)
    assert result.returncode == 2
    assert "--as-of" in result.stderr and "Traceback" not in result.stderr
