import pytest

from kinsight.feeds.actions import do_ingest_feeds
from kinsight.people.models import PersonRecord
from kinsight.rules.engine import replay_alerts
from kinsight.rules.tests.rulecase import NOW, alerts_for
from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = pytest.mark.django_db
RULE = "missing_consistent_identifier"
AVA = {"given_name": "Ava", "family_name": "Dobson", "birth_date": "2013-09-19"}
SOCIAL_CARE = person("csc-lancs", "C-1", **AVA)
HOSPITAL = person("nhs-east", "H-1", **AVA)
REFERRAL = event("csc-lancs", "R-1", "referral", "2020-02-03T10:00", ("C-1", "child"))
ATTENDANCE = event("nhs-east", "A-1", "hospital_attendance", "2020-03-04T21:00", ("H-1", "child"),
                   recorded_at="2020-03-04T23:10")  # fmt: skip


def linked_alerts(tmp_path, lines):
    """Ingest, then join Ava's two records as a practitioner's link decision would."""
    do_ingest_feeds([write_feed(tmp_path / "feed.jsonl", [*AGENCIES, *lines])], acting="test")
    records = PersonRecord.objects.filter(record_id__in=["C-1", "H-1"]).order_by("pk")
    records.update(person_id=records[0].person_id)
    return [a for a in replay_alerts(NOW) if a["rule"] == RULE]


def test_a_child_known_to_two_agencies_without_an_nhs_number_raises_it_at_the_second(tmp_path):
    [alert] = linked_alerts(tmp_path, [SOCIAL_CARE, HOSPITAL, REFERRAL, ATTENDANCE])
    assert (alert["raised_at"], alert["severity"]) == ("2020-03-04T23:10:00", "info")
    assert alert["evidence"] == [["csc-lancs", "R-1"], ["nhs-east", "A-1"]]


def test_an_nhs_number_on_one_record_is_enough(tmp_path):
    numbered = {**HOSPITAL, "nhs_number": "9434765919"}
    assert linked_alerts(tmp_path, [SOCIAL_CARE, numbered, REFERRAL, ATTENDANCE]) == []


def test_a_child_known_to_one_agency_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [SOCIAL_CARE, REFERRAL], RULE) == []


def test_a_child_on_a_plan_makes_it_a_warning(tmp_path):
    plan = event("csc-lancs", "P-1", "plan", "2020-02-20T10:00", ("C-1", "child"),
                 details={"plan": "child_protection", "status": "started"})  # fmt: skip
    [alert] = linked_alerts(tmp_path, [SOCIAL_CARE, HOSPITAL, REFERRAL, plan, ATTENDANCE])
    assert alert["severity"] == "warning"


def test_a_plan_starting_later_while_the_number_is_still_missing_makes_it_a_warning(tmp_path):
    plan = event("csc-lancs", "P-1", "plan", "2020-04-20T10:00", ("C-1", "child"),
                 details={"plan": "child_protection", "status": "started"})  # fmt: skip
    [alert] = linked_alerts(tmp_path, [SOCIAL_CARE, HOSPITAL, REFERRAL, ATTENDANCE, plan])
    assert (alert["raised_at"], alert["severity"]) == ("2020-03-04T23:10:00", "warning")


def test_an_nhs_number_recorded_after_the_second_agency_came_does_not_stop_it(tmp_path):
    later = {**HOSPITAL, "nhs_number": "9434765919", "recorded_at": "2020-03-10T09:00"}
    lines = [SOCIAL_CARE, {**HOSPITAL, "recorded_at": "2020-03-01T09:00"}, later, REFERRAL,
             ATTENDANCE]  # fmt: skip
    assert len(linked_alerts(tmp_path, lines)) == 1


def test_two_records_with_different_nhs_numbers_raise_it(tmp_path):
    lines = [{**SOCIAL_CARE, "nhs_number": "9434765870"}, {**HOSPITAL, "nhs_number": "9434765919"},
             REFERRAL, ATTENDANCE]  # fmt: skip
    [alert] = linked_alerts(tmp_path, lines)
    assert "9434765870" in alert["explanation"] and "9434765919" in alert["explanation"]


def test_an_unborn_child_is_checked_when_the_birth_is_recorded(tmp_path):
    unborn = {"unborn": True, "expected_birth_date": "2020-06-01"}
    born = {"birth_date": "2020-05-20", "recorded_at": "2020-05-20T09:00"}
    lines = [person("csc-lancs", "C-1", **unborn), person("nhs-east", "H-1", **unborn),
             REFERRAL, ATTENDANCE, person("nhs-east", "H-1", **born),
             event("nhs-east", "B-1", "birth", "2020-05-20T03:00", ("H-1", "child"),
                   recorded_at="2020-05-20T09:00")]  # fmt: skip
    [alert] = linked_alerts(tmp_path, lines)
    assert alert["raised_at"] == "2020-05-20T09:00:00"


def test_a_baby_given_an_nhs_number_at_birth_raises_nothing(tmp_path):
    unborn = {"unborn": True, "expected_birth_date": "2020-06-01"}
    born = {"birth_date": "2020-05-20", "recorded_at": "2020-05-20T09:00",
            "nhs_number": "9434765919"}  # fmt: skip
    lines = [person("csc-lancs", "C-1", **unborn), person("nhs-east", "H-1", **unborn),
             REFERRAL, ATTENDANCE, person("nhs-east", "H-1", **born),
             event("nhs-east", "B-1", "birth", "2020-05-20T03:00", ("H-1", "child"),
                   recorded_at="2020-05-20T09:00")]  # fmt: skip
    assert linked_alerts(tmp_path, lines) == []
