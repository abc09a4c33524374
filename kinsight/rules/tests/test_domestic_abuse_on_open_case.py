import pytest

from kinsight.rules.tests.family import FAMILY, FIRST_PLAN, POLICE, incident, plan, records
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event

pytestmark = pytest.mark.django_db
RULE = "domestic_abuse_on_open_case"
CHLOE = ["csc-lancs", "CS-chloe"]


def chloes(alerts):
    return [a for a in alerts if CHLOE in a["subjects"]]


def test_an_incident_six_weeks_after_the_plan_ended_with_children_present_is_urgent(tmp_path):
    da = incident("DA-1", "2018-09-15T23:40:00", "2018-09-16T02:15:00", children_present=True,
                  injuries=True)  # fmt: skip
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *POLICE, *FIRST_PLAN, da], RULE))

    assert (alert["raised_at"], alert["severity"]) == ("2018-09-16T02:15:00", "urgent")
    assert alert["evidence"][0] == ["lancs-police", "DA-1"]
    assert "child in need plan was open" in alert["explanation"]
    assert "child protection plan had ended on 2 August 2018" in alert["explanation"]


def test_an_incident_with_no_child_present_and_no_injury_is_a_warning(tmp_path):
    da = incident("DA-1", "2018-09-15T23:40:00", "2018-09-16T02:15:00", children_present=False,
                  injuries=False)  # fmt: skip
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *POLICE, *FIRST_PLAN, da], RULE))

    assert alert["severity"] == "warning"


def test_an_incident_when_no_case_is_open_raises_nothing(tmp_path):
    da = incident("DA-1", "2018-09-15T23:40:00", "2018-09-16T02:15:00")
    assert chloes(alerts_for(tmp_path, [*FAMILY, *POLICE, da], RULE)) == []


def test_an_incident_more_than_six_months_after_the_plan_ended_raises_nothing(tmp_path):
    first = [*FIRST_PLAN[:4]]  # no child in need plan after it
    da = incident("DA-1", "2019-03-15T23:40:00", "2019-03-16T02:15:00")
    assert chloes(alerts_for(tmp_path, [*FAMILY, *POLICE, *first, da], RULE)) == []


def test_an_incident_before_the_plan_was_recorded_is_not_raised_on_a_later_plan(tmp_path):
    da = incident("DA-1", "2018-05-20T23:40:00", "2018-05-21T02:15:00")
    later = plan("PL-9", "2018-06-01T10:00:00", "started")
    assert chloes(alerts_for(tmp_path, [*FAMILY, *POLICE, da, later], RULE)) == []


def test_a_police_note_recording_domestic_abuse_counts_as_an_incident(tmp_path):
    note = event("lancs-police", "LOG-1", "note", "2018-06-10T22:00:00", ("PN-mother", "subject"),
                 recorded_at="2018-06-10T23:00:00",
                 summary="Kayleigh says Jason punched her and threatened to kill her.")  # fmt: skip
    police = records("lancs-police", "PN", "2018-05-10T11:20:00")
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *police, *FIRST_PLAN, note], RULE))

    assert alert["raised_at"] == "2018-06-10T23:00:00"


def test_a_retracted_incident_raises_nothing(tmp_path):
    da = incident("DA-1", "2018-09-15T23:40:00", "2018-09-16T02:15:00")
    withdrawn = {"kind": "retraction", "agency": "lancs-police", "target_kind": "event",
                 "id": "DA-1", "reason": "wrong address"}  # fmt: skip
    alerts = alerts_for(tmp_path, [*FAMILY, *POLICE, *FIRST_PLAN, da, withdrawn], RULE)
    assert chloes(alerts) == []
