import pytest

from kinsight.audit.models import AuditEntry, verify_chain
from kinsight.chronology.models import Event, EventSubject
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.feeds.models import QuarantinedLine
from kinsight.feeds.retention import do_remove_past_retention
from kinsight.testing import AGENCIES, event, person, run_kinsight, write_feed

pytestmark = pytest.mark.django_db
ADULT = person("nhs-east", "H-9", given_name="Ada", birth_date="1930-01-01")
OLD = event("nhs-east", "E-OLD", "note", "1945-03-01T10:00:00", ("H-9", "subject"),
            summary="Seen in clinic.")  # fmt: skip
NEW = event("nhs-east", "E-NEW", "note", "2020-03-01T10:00:00", ("H-9", "subject"),
            summary="Seen in clinic.")  # fmt: skip


@pytest.fixture
def periods(tmp_path, settings):
    path = tmp_path / "retention.toml"
    path.write_text("[retention]\nevent = 75\n")
    settings.KINSIGHT_RETENTION_FILE = str(path)
    return path


def test_what_is_past_retention_is_removed_and_the_removal_is_audited(tmp_path, periods):
    do_ingest_feeds([write_feed(tmp_path / "f.jsonl", [*AGENCIES, ADULT, OLD, NEW])], acting="t")

    removed = do_remove_past_retention(acting="dpo")

    assert removed == {"event": 1}
    assert list(Event.objects.values_list("event_id", flat=True)) == ["E-NEW"]
    entry = AuditEntry.objects.get(action="remove_past_retention")
    assert entry.actor == "dpo" and len(entry.detail["removed"]) == 1
    assert verify_chain() is None


def test_an_event_past_retention_takes_the_people_it_named_with_it(tmp_path, periods):
    # No database constraint ties a subject to its event (docs/adr/0005-*): the ORM's delete
    # must take them together.
    do_ingest_feeds([write_feed(tmp_path / "f.jsonl", [*AGENCIES, ADULT, OLD, NEW])], acting="t")

    do_remove_past_retention(acting="dpo")

    remaining = list(Event.objects.values_list("pk", flat=True))
    assert list(EventSubject.objects.values_list("event_id", flat=True)) == remaining


def test_a_kind_with_no_period_is_kept_for_ever(tmp_path, periods):
    do_ingest_feeds([write_feed(tmp_path / "f.jsonl", [*AGENCIES, "not json"])], acting="t")

    do_remove_past_retention(acting="dpo")

    assert QuarantinedLine.objects.count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_retention_reports_without_removing_unless_told(tmp_path):
    (tmp_path / "retention.toml").write_text("[retention]\nevent = 75\n")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}",
           "KINSIGHT_RETENTION_FILE": str(tmp_path / "retention.toml")}  # fmt: skip
    feed = write_feed(tmp_path / "f.jsonl", [*AGENCIES, ADULT, OLD, NEW])
    assert run_kinsight("ingest", str(feed), env=env).returncode == 0

    report = run_kinsight("retention", env=env)
    removal = run_kinsight("retention", "--remove", env=env)
    after = run_kinsight("retention", env=env)

    assert "event: 1 past 75 years" in report.stdout
    assert "removed: 1 event" in removal.stdout
    assert "event: 0 past 75 years" in after.stdout


def test_a_mistake_in_the_retention_file_names_it(tmp_path):
    (tmp_path / "retention.toml").write_text("[retention]\nevents = 75\n")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}",
           "KINSIGHT_RETENTION_FILE": str(tmp_path / "retention.toml")}  # fmt: skip
    result = run_kinsight("retention", env=env)
    assert result.returncode == 2
    assert "unknown kind 'events'" in result.stderr
