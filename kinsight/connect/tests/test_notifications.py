"""An urgent alert tells exactly the agencies involved with the child in the last 90 days, by
email (a link, no personal data) and signed webhook; a failed delivery is retried from the queue
in the store, and every notification sent is recorded."""

import hashlib
import hmac
import json
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from kinsight.audit.models import AuditEntry
from kinsight.connect.actions import do_set_safeguarding_contact
from kinsight.connect.models import Notification
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.testing import event, person, write_feed

pytestmark = pytest.mark.django_db(transaction=True)

AGENCIES = [
    {"kind": "agency", "code": "csc-n", "name": "Northfield CSC", "sector": "social_care"},
    {"kind": "agency", "code": "police-n", "name": "Northfield Police", "sector": "police"},
    {"kind": "agency", "code": "nhs-n", "name": "Northfield Hospital", "sector": "health"},
]
NHS = "9434765919"


def feed(tmp_path):
    """A baby born in hospital in May; social care's contact in August; then the police see a
    bruise on the baby (non_mobile_infant_injury, urgent). The hospital last saw the child 109
    days before the alert, so it is not told."""
    return write_feed(tmp_path / "f.jsonl", [
        *AGENCIES,
        person("nhs-n", "H-1", birth_date="2024-05-02", nhs_number=NHS),
        person("csc-n", "C-1", birth_date="2024-05-02", nhs_number=NHS),
        person("police-n", "P-1", birth_date="2024-05-02", nhs_number=NHS),
        event("nhs-n", "B-1", "birth", "2024-05-02T03:00:00", ("H-1", "child")),
        event("csc-n", "K-1", "note", "2024-08-01T10:00:00", ("C-1", "child"),
              summary="Contact from the health visitor: mother struggling."),
        event("police-n", "I-1", "injury", "2024-08-19T22:40:00", ("P-1", "child"),
              recorded_at="2024-08-20T07:30:00", details={"injury": "bruise"}),
    ])  # fmt: skip


@pytest.fixture
def contacts():
    for code in ("csc-n", "police-n", "nhs-n"):
        do_set_safeguarding_contact(code, email=f"safeguarding@{code}.example", webhook_url="",
                                    webhook_secret="", acting="test")  # fmt: skip
    do_set_safeguarding_contact(
        "police-n", email="safeguarding@police-n.example",
        webhook_url="https://police-n.example/hooks/kinsight", webhook_secret="s3cret",
        acting="test",
    )  # fmt: skip


@pytest.fixture
def webhook(monkeypatch):
    calls = []

    class Answer:
        status = 204

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def urlopen(request, timeout):
        calls.append(request)
        return Answer()

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    return calls


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def test_an_urgent_alert_tells_exactly_the_agencies_involved(tmp_path, contacts, webhook):
    do_ingest_feeds([feed(tmp_path)], acting="test")
    queued = Notification.objects.order_by("agency_code", "channel")
    assert [(n.agency_code, n.channel) for n in queued] == [
        ("csc-n", "email"), ("police-n", "email"), ("police-n", "webhook"),
    ]  # fmt: skip
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "safeguarding@csc-n.example", "safeguarding@police-n.example",
    ]  # fmt: skip
    assert all(n.status == "sent" and n.sent_at for n in Notification.objects.all())


def test_the_email_holds_a_link_and_no_personal_data(tmp_path, contacts, webhook):
    do_ingest_feeds([feed(tmp_path)], acting="test")
    run_worker()
    message = mail.outbox[0]
    alert_id = Notification.objects.first().alert_id
    assert f"/alerts/{alert_id}/" in message.body
    for personal in (NHS, "2024-05-02", "C-1", "P-1", "bruise", "mother"):
        assert personal not in message.body and personal not in message.subject


def test_the_webhook_body_is_signed_with_the_contacts_secret(tmp_path, contacts, webhook):
    do_ingest_feeds([feed(tmp_path)], acting="test")
    run_worker()
    (request,) = webhook
    expected = hmac.new(b"s3cret", request.data, hashlib.sha256).hexdigest()
    assert request.get_header("X-kinsight-signature") == f"sha256={expected}"
    assert json.loads(request.data)["event"] == "urgent_alert"


def test_a_mail_server_failure_is_retried_from_the_queue(tmp_path, contacts, webhook, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "try again later")

    monkeypatch.setattr("kinsight.connect.notify.send_mail", refuse)
    do_ingest_feeds([feed(tmp_path)], acting="test")
    run_worker()
    failed = Notification.objects.filter(channel="email")
    assert {(n.status, n.attempts) for n in failed} == {("pending", 1)}
    assert all("SMTPConnectError" in n.last_error for n in failed)
    # The retries wait in the store's queue until their moment.
    retries = DBTaskResult.objects.filter(status="READY")
    assert retries.count() == 2
    assert all(r.run_after > r.enqueued_at for r in retries)

    monkeypatch.undo()
    monkeypatch.setattr("urllib.request.urlopen", lambda request, timeout: None)
    retries.update(run_after=retries.first().enqueued_at)  # the moment has come
    run_worker()
    assert {(n.status, n.attempts) for n in Notification.objects.filter(channel="email")} == {
        ("sent", 2)
    }
    assert len(mail.outbox) == 2


def test_every_notification_sent_is_recorded(tmp_path, contacts, webhook):
    do_ingest_feeds([feed(tmp_path)], acting="test")
    run_worker()
    told = AuditEntry.objects.filter(action="notification_sent")
    assert sorted((e.detail["agency"], e.detail["channel"]) for e in told) == [
        ("csc-n", "email"), ("police-n", "email"), ("police-n", "webhook"),
    ]  # fmt: skip


def test_the_chronology_says_which_agency_was_told_when(tmp_path, contacts, webhook):
    from kinsight.chronology.queries import chronology_json, find_record

    do_ingest_feeds([feed(tmp_path)], acting="test")
    run_worker()
    told = chronology_json(find_record("csc-n", "C-1").person)["told"]
    assert sorted((t["agency"], t["channel"], t["reason"]) for t in told) == [
        ("csc-n", "email", "urgent_alert"), ("police-n", "email", "urgent_alert"),
        ("police-n", "webhook", "urgent_alert"),
    ]  # fmt: skip
    assert all(t["at"] for t in told)


def test_a_second_ingest_does_not_tell_anyone_twice(tmp_path, contacts, webhook):
    do_ingest_feeds([feed(tmp_path)], acting="test")
    do_ingest_feeds([feed(tmp_path)], acting="test")
    assert Notification.objects.count() == 3


def test_a_child_on_a_plan_attending_unscheduled_care_is_told_to_the_plan_holder(
    tmp_path, contacts, webhook
):
    first = write_feed(tmp_path / "plan.jsonl", [
        *AGENCIES,
        person("csc-n", "C-9", birth_date="2019-06-01", nhs_number="9434765870"),
        person("nhs-n", "H-9", birth_date="2019-06-01", nhs_number="9434765870"),
        event("csc-n", "CPP-9", "plan", "2024-01-10", ("C-9", "child"),
              details={"plan": "child_protection", "status": "started"}),
    ])  # fmt: skip
    do_ingest_feeds([first], acting="test")
    # (The plan's own missed deadlines may raise urgent alerts; none is about unscheduled care.)
    assert not Notification.objects.filter(reason="unscheduled_care").exists()
    attended = write_feed(tmp_path / "ae.jsonl", [
        event("nhs-n", "AE-9", "hospital_attendance", "2024-03-02T23:50:00", ("H-9", "child"),
              details={"setting": "emergency"}),
    ])  # fmt: skip
    do_ingest_feeds([attended], acting="test")
    told = Notification.objects.filter(reason="unscheduled_care")
    assert [(n.agency_code, n.channel) for n in told] == [("csc-n", "email")]
    run_worker()
    (message,) = [
        m for m in mail.outbox
        if m.to == ["safeguarding@csc-n.example"] and "unscheduled care" in m.body
    ]  # fmt: skip
    assert "attended unscheduled care" in message.body
    assert "9434765870" not in message.body and "C-9" not in message.body
