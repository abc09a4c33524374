from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "missing_from_health"
NHS = "9434765919"


def gp(event_id, occurred, **fields):
    return event(
        "nhs-east",
        event_id,
        "note",
        occurred,
        ("H-1", "child"),
        summary="Seen in surgery, well.",
        **fields,
    )


def child(born="2018-01-10"):
    return person("nhs-east", "H-1", given_name="Ava", birth_date=born, nhs_number=NHS)


def test_a_year_without_a_health_contact_is_raised_when_it_passes(tmp_path):
    lines = [child(), gp("G-1", "2018-03-01T10:00:00", recorded_at="2018-03-01T11:00:00")]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert (alert["severity"], alert["raised_at"]) == ("warning", "2019-03-01T11:00:00")
    assert alert["evidence"] == [["nhs-east", "G-1"]]


def test_contacts_less_than_a_year_apart_raise_nothing_until_the_last_is_a_year_old(tmp_path):
    lines = [child(), gp("G-1", "2018-03-01T10:00:00"), gp("G-2", "2019-01-01T10:00:00")]
    assert alerts_for(tmp_path, lines, RULE, as_of=datetime(2019, 12, 31, tzinfo=UK)) == []
    [alert] = alerts_for(tmp_path, lines, RULE, as_of=datetime(2020, 1, 2, tzinfo=UK))
    assert alert["raised_at"] == "2020-01-01T10:00:00"


def test_a_missed_appointment_is_not_a_health_contact(tmp_path):
    missed = event(
        "nhs-east",
        "M-1",
        "appointment_missed",
        "2018-12-01T10:00:00",
        ("H-1", "child"),
        details={"was_not_brought": True},
    )
    lines = [child(), gp("G-1", "2018-03-01T10:00:00"), missed]
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_a_child_with_no_contact_since_birth_is_raised_at_the_first_birthday(tmp_path):
    school = event("csc-lancs", "R-1", "referral", "2018-02-01T10:00:00", ("C-1", "child"))
    csc = person("csc-lancs", "C-1", given_name="Ava", birth_date="2018-01-10", nhs_number=NHS)
    [alert] = alerts_for(tmp_path, [child(), csc, school], RULE)
    assert alert["raised_at"] == "2019-01-10T00:00:00"
    assert "since the birth" in alert["explanation"]


def test_a_child_of_five_is_not_raised(tmp_path):
    lines = [child("2012-01-10"), gp("G-1", "2016-03-01T10:00:00")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_child_taken_off_the_gp_list_while_known_to_social_care_is_raised(tmp_path):
    csc = [
        person("csc-lancs", "C-1", given_name="Ava", birth_date="2010-01-10", nhs_number=NHS),
        event("csc-lancs", "R-1", "referral", "2019-02-01T10:00:00", ("C-1", "child")),
    ]
    off = event(
        "nhs-east",
        "GP-9",
        "gp_registration",
        "2019-05-01T10:00:00",
        ("H-1", "subject"),
        details={"status": "deregistered", "practice": "Millbrook"},
    )
    [alert] = alerts_for(tmp_path, [child("2010-01-10"), *csc, off], RULE)
    assert (alert["raised_at"], alert["evidence"]) == (
        "2019-05-01T10:00:00",
        [["nhs-east", "GP-9"]],
    )


def test_a_deregistration_unknown_to_social_care_is_not_raised(tmp_path):
    off = event(
        "nhs-east",
        "GP-9",
        "gp_registration",
        "2019-05-01T10:00:00",
        ("H-1", "subject"),
        details={"status": "deregistered"},
    )
    assert alerts_for(tmp_path, [child("2010-01-10"), gp("G-1", "2019-01-01"), off], RULE) == []
