"""Alerts are stored as the rules raise them on ingest: once, with their evidence growing."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from kinsight.feeds.actions import do_ingest_feeds
from kinsight.lib.moments import UK
from kinsight.people.models import Person, PersonRecord
from kinsight.rules.actions import do_close_alert, do_raise_alerts
from kinsight.rules.models import Alert, AlertChange
from kinsight.rules.queries import alerts_as_of
from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = pytest.mark.django_db
RULE = "non_mobile_infant_injury"


def injury_alerts():
    return Alert.objects.filter(rule=RULE)


BABY = person("nhs-east", "H-1", given_name="Mia", birth_date="2019-06-01")
INJURY = event("nhs-east", "I-1", "injury", "2019-07-01T10:00:00", ("H-1", "child"),
               recorded_at="2019-07-01T11:00:00", details={"injury": "bruise"})  # fmt: skip
SAME_INJURY = event("nhs-east", "N-1", "note", "2019-07-01T15:00:00", ("H-1", "child"),
                    summary="Bruise to the left cheek seen at clinic.")  # fmt: skip


def ingest(tmp_path, name, lines):
    return do_ingest_feeds([write_feed(tmp_path / name, [*AGENCIES, *lines])], acting="test")


def test_an_ingest_stores_the_alert_the_rules_raise(tmp_path):
    summary = ingest(tmp_path, "a.jsonl", [BABY, INJURY])

    [alert] = injury_alerts()
    assert (alert.rule, alert.status, alert.evidence) == (
        "non_mobile_infant_injury", "open", [["nhs-east", "I-1"]],
    )  # fmt: skip
    assert summary.alerts is not None and alert.pk in summary.alerts.raised
    assert list(alert.changes.values_list("kind", flat=True)) == ["raised"]


def test_the_same_feed_twice_raises_nothing_new(tmp_path):
    ingest(tmp_path, "a.jsonl", [BABY, INJURY])
    alerts, changes = Alert.objects.count(), AlertChange.objects.count()
    ingest(tmp_path, "a.jsonl", [BABY, INJURY])
    do_raise_alerts(acting="test")

    assert (Alert.objects.count(), AlertChange.objects.count()) == (alerts, changes)


def test_new_evidence_of_the_same_episode_is_added_to_the_open_alert(tmp_path):
    ingest(tmp_path, "a.jsonl", [BABY, INJURY])
    ingest(tmp_path, "b.jsonl", [BABY, SAME_INJURY])

    [alert] = injury_alerts()
    assert alert.evidence == [["nhs-east", "I-1"], ["nhs-east", "N-1"]]
    assert alert.status == "open"


def test_a_closed_alert_reopens_only_when_new_evidence_arrives(tmp_path):
    ingest(tmp_path, "a.jsonl", [BABY, INJURY])
    do_close_alert(injury_alerts().get(), by="sw1", reason="Seen by paediatrician; birth mark.")
    do_raise_alerts(acting="test")
    assert injury_alerts().get().status == "closed"

    ingest(tmp_path, "b.jsonl", [BABY, SAME_INJURY])

    alert = injury_alerts().get()
    assert alert.status == "open"
    assert list(alert.changes.order_by("pk").values_list("kind", flat=True)) == [
        "raised", "closed", "evidence", "reopened",
    ]  # fmt: skip


def test_a_deadline_not_yet_passed_is_not_listed_until_it_passes(tmp_path):
    child = person("csc-lancs", "C-1", given_name="Ava", birth_date="2015-02-01")
    # Friday 26 November 2026 at 10:00: one working day later is Monday 30 November.
    referral = event("csc-lancs", "R-1", "referral", "2026-11-27T10:00:00", ("C-1", "child"))
    with time_machine.travel(datetime(2026, 11, 27, 12, 0, tzinfo=UK), tick=False):
        ingest(tmp_path, "a.jsonl", [child, referral])
        assert alerts_as_of() == []

    [listed] = alerts_as_of(datetime(2026, 11, 30, 10, 0, tzinfo=UK))
    assert (listed["rule"], listed["raised_at"]) == (
        "referral_decision_overdue", "2026-11-30T10:00:00",
    )  # fmt: skip


def test_a_response_in_time_cancels_the_deadline_before_anyone_saw_it(tmp_path):
    child = person("csc-lancs", "C-1", given_name="Ava", birth_date="2015-02-01")
    referral = event("csc-lancs", "R-1", "referral", "2026-11-27T10:00:00", ("C-1", "child"))
    decision = event("csc-lancs", "D-1", "decision", "2026-11-30T09:00:00", ("C-1", "child"),
                     details={"decision": "no_referral", "rationale": "Known."})  # fmt: skip
    with time_machine.travel(datetime(2026, 11, 27, 12, 0, tzinfo=UK), tick=False):
        ingest(tmp_path, "a.jsonl", [child, referral])
    with time_machine.travel(datetime(2026, 11, 30, 9, 30, tzinfo=UK), tick=False):
        summary = ingest(tmp_path, "b.jsonl", [child, decision])

    assert Alert.objects.count() == 0
    assert summary.alerts is not None and summary.alerts.cancelled == 1


def test_alerts_of_a_person_joined_into_another_follow_the_records(tmp_path):
    ingest(tmp_path, "a.jsonl", [BABY, INJURY])
    alert = injury_alerts().get()
    kept = Person.objects.create()
    PersonRecord.objects.update(person=kept)
    Person.objects.filter(pk=alert.child_id).update(merged_into=kept)

    summary = do_raise_alerts(acting="test")

    assert injury_alerts().get().child_id == kept.pk
    assert summary.repointed >= 1


def test_judging_a_parent_judges_her_children_without_raising_their_alerts_twice(tmp_path):
    mother = person("nhs-east", "H-2", given_name="Kim", birth_date="1990-01-01", sex="female")
    mothers = {"kind": "relationship", "agency": "nhs-east", "person": "H-1", "relative": "H-2",
               "type": "mother"}  # fmt: skip
    ingest(tmp_path, "a.jsonl", [BABY, mother, mothers, INJURY])
    before = Alert.objects.count()
    kim = PersonRecord.objects.get(record_id="H-2").person_id

    summary = do_raise_alerts(acting="test", person_ids=[kim])

    assert summary.raised == []
    assert Alert.objects.count() == before
