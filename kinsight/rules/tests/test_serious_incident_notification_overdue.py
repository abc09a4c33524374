from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "serious_incident_notification_overdue"
CHILD = person("csc-lancs", "C-1", given_name="Harper", birth_date="2019-06-01")
# Wednesday 8 April 2020, 09:00: Good Friday and Easter Monday are bank holidays, so 5 working
# days later is Friday 17 April, 09:00.
HARM = event("csc-lancs", "SH-1", "serious_harm", "2020-04-07T22:00:00", ("C-1", "victim"),
             recorded_at="2020-04-08T09:00:00",
             details={"harm": "serious_harm", "abuse_suspected": True})  # fmt: skip


def notification(occurred_at):
    return event("csc-lancs", "SIN-1", "serious_incident_notification", occurred_at,
                 ("C-1", "child"), details={"harm": "serious_harm"})  # fmt: skip


def test_serious_harm_with_abuse_suspected_and_no_notification_raises_it(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, HARM], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-04-17T09:00:00", "urgent")
    assert "Fri 17 Apr 2020 09:00" in alert["explanation"]


def test_a_notification_in_time_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [CHILD, HARM, notification("2020-04-15T10:00:00")], RULE) == []


def test_a_late_notification_does_not_stop_it(tmp_path):
    assert len(alerts_for(tmp_path, [CHILD, HARM, notification("2020-04-20T10:00:00")], RULE)) == 1


def test_it_is_not_raised_before_the_deadline(tmp_path):
    before = datetime(2020, 4, 17, 8, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [CHILD, HARM], RULE, before) == []


def test_serious_harm_without_suspected_abuse_raises_nothing(tmp_path):
    accident = {**HARM, "details": {"harm": "serious_harm", "abuse_suspected": False}}
    assert alerts_for(tmp_path, [CHILD, accident], RULE) == []


def test_a_note_of_a_death_with_abuse_suspected_raises_it(tmp_path):
    summary = "Harper died in hospital; non-accidental head injury suspected."
    note = event("csc-lancs", "N-1", "note", "2020-04-08T09:00:00", ("C-1", "child"),
                 summary=summary)  # fmt: skip
    [alert] = alerts_for(tmp_path, [CHILD, note], RULE)
    assert alert["evidence"] == [["csc-lancs", "N-1"]]


def test_two_records_of_one_incident_raise_one_alert(tmp_path):
    note = event("csc-lancs", "N-1", "note", "2020-04-07T23:00:00", ("C-1", "child"),
                 recorded_at="2020-04-09T09:00:00",
                 summary="Harper seriously injured; abuse suspected.")  # fmt: skip
    [alert] = alerts_for(tmp_path, [CHILD, HARM, note], RULE)
    assert alert["raised_at"] == "2020-04-17T09:00:00"
