"""Acknowledging, recording action on and closing an alert: each step audited and kept."""

from __future__ import annotations

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.rules.actions import (
    AlertActionError,
    do_acknowledge_alert,
    do_close_alert,
    do_record_alert_action,
)
from kinsight.rules.models import Alert
from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(tmp_path):
    baby = person("nhs-east", "H-1", given_name="Mia", birth_date="2019-06-01")
    injury = event("nhs-east", "I-1", "injury", "2019-07-01T10:00:00", ("H-1", "child"),
                   details={"injury": "bruise"})  # fmt: skip
    do_ingest_feeds([write_feed(tmp_path / "a.jsonl", [*AGENCIES, baby, injury])], acting="test")
    return Alert.objects.get(rule="non_mobile_infant_injury")


def test_each_step_of_an_alert_is_audited_with_who_and_why(alert):
    do_acknowledge_alert(alert, by="sw1")
    do_record_alert_action(alert, by="sw1", note="Paediatric appraisal booked for 14:00.")
    do_close_alert(alert, by="tm1", reason="Appraisal found a birth mark; no concern.")

    entries = AuditEntry.objects.filter(object_type="alert", object_id=str(alert.pk))
    assert [(e.actor, e.action) for e in entries.order_by("pk")] == [
        ("sw1", "alert_acknowledged"), ("sw1", "alert_actioned"), ("tm1", "alert_closed"),
    ]  # fmt: skip
    assert entries.order_by("pk").last().reason == "Appraisal found a birth mark; no concern."
    assert Alert.objects.get(pk=alert.pk).status == "closed"


def test_closing_an_alert_needs_a_reason(alert):
    with pytest.raises(AlertActionError, match="reason"):
        do_close_alert(alert, by="tm1", reason="  ")
    assert Alert.objects.get(pk=alert.pk).status == "open"


def test_recording_an_action_needs_a_note_of_what_was_done(alert):
    with pytest.raises(AlertActionError, match="note"):
        do_record_alert_action(alert, by="sw1", note="")


def test_a_closed_alert_cannot_be_closed_again(alert):
    do_close_alert(alert, by="tm1", reason="No concern.")
    with pytest.raises(AlertActionError, match="closed"):
        do_close_alert(alert, by="tm1", reason="Again.")
