import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "household_record_conflict"
AVA = {"given_name": "Ava", "birth_date": "2013-09-19", "nhs_number": "9434765919"}
HOME = {"text": "7 Larkhill Close, Burnley", "postcode": "BB5 9QX"}
ELSEWHERE = {"text": "22 Moorfield Road, Accrington", "postcode": "BB4 7HT"}


def ava(agency, record_id, address, recorded_at):
    return person(agency, record_id, **AVA, address=address, recorded_at=recorded_at)


def test_two_agencies_recording_different_addresses_within_30_days_raise_it(tmp_path):
    lines = [ava("csc-lancs", "C-1", HOME, "2020-03-01T10:00"),
             ava("lancs-police", "P-1", ELSEWHERE, "2020-03-20T23:00")]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-03-20T23:00:00", "warning")
    assert (
        "22 Moorfield Road" in alert["explanation"] and "7 Larkhill Close" in alert["explanation"]
    )


def test_the_same_address_written_differently_raises_nothing(tmp_path):
    same = {"text": "7 LARKHILL CLOSE., Burnley, Lancs", "postcode": "bb59qx"}
    lines = [ava("csc-lancs", "C-1", HOME, "2020-03-01T10:00"),
             ava("lancs-police", "P-1", same, "2020-03-20T23:00")]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE) == []


def test_addresses_recorded_45_days_apart_raise_nothing(tmp_path):
    lines = [ava("csc-lancs", "C-1", HOME, "2020-03-01T10:00"),
             ava("lancs-police", "P-1", ELSEWHERE, "2020-04-15T23:00")]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE) == []


def test_one_agency_updating_its_own_address_is_not_a_conflict(tmp_path):
    lines = [ava("csc-lancs", "C-1", HOME, "2020-03-01T10:00"),
             ava("csc-lancs", "C-1", ELSEWHERE, "2020-03-20T10:00")]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE) == []


def test_an_adult_recorded_at_the_home_after_social_care_recorded_him_leaving_raises_it(
    tmp_path,
):
    dad = {"given_name": "Jason", "birth_date": "1986-02-11", "nhs_number": "9434765870"}
    left = event("csc-lancs", "HC-1", "household_change", "2020-03-01T10:00",
                 ("C-D", "subject"), ("C-1", "child"), recorded_at="2020-03-02T09:00",
                 details={"change": "left"})  # fmt: skip
    lines = [ava("csc-lancs", "C-1", HOME, None),
             person("csc-lancs", "C-D", **dad),
             {"kind": "relationship", "agency": "csc-lancs", "person": "C-1", "relative": "C-D",
              "type": "father"},
             left,
             person("lancs-police", "P-D", **dad, address=HOME,
                    recorded_at="2020-03-15T02:00")]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2020-03-15T02:00:00"
    assert alert["evidence"] == [["csc-lancs", "HC-1"]]


def test_a_third_agency_holding_one_of_the_two_addresses_adds_no_alert(tmp_path):
    lines = [ava("csc-lancs", "C-1", HOME, "2020-03-01T10:00"),
             ava("nhs-east", "H-1", HOME, "2020-03-05T10:00"),
             ava("lancs-police", "P-1", ELSEWHERE, "2020-03-20T23:00")]  # fmt: skip
    assert len(alerts_for(tmp_path, lines, RULE)) == 1
