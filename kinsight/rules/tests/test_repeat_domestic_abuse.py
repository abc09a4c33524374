import pytest

from kinsight.rules.tests.family import FAMILY, POLICE, incident, records
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "repeat_domestic_abuse"
CHLOE = ["csc-lancs", "CS-chloe"]
POLICE_EARLY = records("lancs-police", "PN", "2018-05-10T11:20:00")


def chloes(alerts):
    return [a for a in alerts if CHLOE in a["subjects"]]


def test_a_second_incident_within_twelve_months_raises_it_when_recorded(tmp_path):
    first = incident("DA-1", "2018-06-01T22:00:00", "2018-06-02T01:00:00")
    second = incident("DA-2", "2019-04-01T22:00:00", "2019-04-02T08:30:00")
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *POLICE_EARLY, first, second], RULE))

    assert (alert["raised_at"], alert["severity"]) == ("2019-04-02T08:30:00", "warning")
    assert alert["evidence"] == [["lancs-police", "DA-1"], ["lancs-police", "DA-2"]]
    assert "1 June 2018" in alert["explanation"]


def test_incidents_more_than_twelve_months_apart_raise_nothing(tmp_path):
    first = incident("DA-1", "2018-06-01T22:00:00", "2018-06-02T01:00:00")
    second = incident("DA-2", "2019-07-01T22:00:00", "2019-07-02T08:30:00")
    assert chloes(alerts_for(tmp_path, [*FAMILY, *POLICE_EARLY, first, second], RULE)) == []


def test_two_agencies_records_of_one_incident_count_once(tmp_path):
    police = incident("DA-1", "2018-09-15T23:40:00", "2018-09-16T02:15:00")
    social_care = event("csc-lancs", "CS-DA-1", "domestic_abuse_incident", "2018-09-15T23:40:00",
                        ("CS-mother", "victim"), recorded_at="2018-09-17T09:40:00")  # fmt: skip
    assert chloes(alerts_for(tmp_path, [*FAMILY, *POLICE, police, social_care], RULE)) == []


def test_a_third_incident_in_the_same_year_does_not_raise_it_again(tmp_path):
    lines = [
        incident("DA-1", "2018-06-01T22:00:00", "2018-06-02T01:00:00"),
        incident("DA-2", "2018-08-01T22:00:00", "2018-08-02T01:00:00"),
        incident("DA-3", "2018-10-01T22:00:00", "2018-10-02T01:00:00"),
    ]
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *POLICE_EARLY, *lines], RULE))
    assert alert["raised_at"] == "2018-08-02T01:00:00"


def test_an_incident_involving_an_adult_not_yet_known_to_be_in_the_household_waits(tmp_path):
    dean = [
        person("lancs-police", "PN-dean", given_name="Dean", sex="male", birth_date="1990-01-01",
               nhs_number="9994312014", recorded_at="2018-06-01T10:00:00"),
        person("csc-lancs", "CS-dean", given_name="Dean", sex="male", birth_date="1990-01-01",
               nhs_number="9994312014", recorded_at="2018-09-01T09:00:00"),
        {"kind": "relationship", "agency": "csc-lancs", "person": "CS-chloe",
         "relative": "CS-dean", "type": "household_member", "start": "2018-01-01",
         "recorded_at": "2018-09-01T09:00:00"},
    ]  # fmt: skip
    first = event("lancs-police", "DA-1", "domestic_abuse_incident", "2018-06-01T09:00:00",
                  ("PN-dean", "alleged_perpetrator"),
                  recorded_at="2018-06-01T10:00:00")  # fmt: skip
    second = incident("DA-2", "2018-08-01T22:00:00", "2018-08-02T01:00:00")
    [alert] = chloes(alerts_for(tmp_path, [*FAMILY, *POLICE_EARLY, *dean, first, second], RULE))
    assert alert["raised_at"] == "2018-09-01T09:00:00"
