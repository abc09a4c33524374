import pytest

from kinsight.rules.tests.family import FAMILY, POLICE, cgl, gp_mother, incident, rel
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "toxic_trio"
# Mother's heroin use, known to her GP before Chloe was born (Lancashire, January 2018).
GP_NOTE = event("gp-lancs", "GP-1", "note", "2018-01-02T10:05:00", ("GP-mother", "subject"),
                summary="Kayleigh smokes heroin daily for about 2 years, some crack.")  # fmt: skip
DA = incident("DA-1", "2018-09-15T23:40:00", "2018-09-16T02:15:00", injuries=True)


def test_domestic_abuse_after_parental_drug_use_raises_it_when_the_incident_is_recorded(tmp_path):
    alerts = alerts_for(tmp_path, [*FAMILY, *POLICE, gp_mother(), GP_NOTE, DA], RULE)

    chloe = [a for a in alerts if ["csc-lancs", "CS-chloe"] in a["subjects"]]
    [alert] = chloe
    assert (alert["raised_at"], alert["severity"]) == ("2018-09-16T02:15:00", "warning")
    assert alert["evidence"] == [["gp-lancs", "GP-1"], ["lancs-police", "DA-1"]]
    assert "domestic abuse" in alert["explanation"]
    assert "parental substance misuse" in alert["explanation"]


def test_a_single_difficulty_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [*FAMILY, gp_mother(), GP_NOTE], RULE) == []


def test_difficulties_more_than_twelve_months_apart_raise_nothing(tmp_path):
    old = event("gp-lancs", "GP-1", "note", "2017-01-02T10:05:00", ("GP-mother", "subject"),
                summary="Kayleigh smokes heroin daily.")  # fmt: skip
    assert alerts_for(tmp_path, [*FAMILY, *POLICE, gp_mother(), old, DA], RULE) == []


def test_a_drug_service_and_a_mental_health_note_about_the_father_raise_it(tmp_path):
    low_mood = event("gp-lancs", "GP-2", "note", "2019-02-01T10:00:00", ("GP-father", "subject"),
                     summary="Jason reports low mood and suicidal thoughts.")  # fmt: skip
    father = person("gp-lancs", "GP-father", given_name="Jason", nhs_number="9994312006",
                    birth_date="1986-02-11")  # fmt: skip
    lines = [*FAMILY, *cgl("father", "CGL-1", "2018-07-12T11:00:00", "engaged"), father, low_mood]

    [alert] = [a for a in alerts_for(tmp_path, lines, RULE) if ["csc-lancs", "CS-chloe"]
               in a["subjects"]]  # fmt: skip
    assert alert["raised_at"] == "2019-02-01T10:00:00"


def test_a_history_read_in_the_text_does_not_count(tmp_path):
    note = event("gp-lancs", "GP-2", "note", "2018-06-01T10:00:00", ("GP-mother", "subject"),
                 summary="History of depression in 2012, none since.")  # fmt: skip
    assert alerts_for(tmp_path, [*FAMILY, gp_mother(), GP_NOTE, note], RULE) == []


def test_an_adult_is_not_counted_before_the_household_link_is_recorded(tmp_path):
    # A new partner with a drug history joins; the incident involving him is known first.
    partner = person("lancs-police", "PN-dean", given_name="Dean", sex="male",
                     birth_date="1990-01-01", recorded_at="2018-09-01T10:00:00")  # fmt: skip
    fight = event("lancs-police", "DA-2", "domestic_abuse_incident", "2018-09-01T09:00:00",
                  ("PN-dean", "alleged_perpetrator"),
                  recorded_at="2018-09-01T10:00:00")  # fmt: skip
    link = rel("csc-lancs", "CS-mother", "CS-dean", "partner", recorded_at="2018-10-01T09:00:00")
    dean = person("csc-lancs", "CS-dean", given_name="Dean", sex="male", birth_date="1990-01-01",
                  nhs_number="9994312014", recorded_at="2018-10-01T09:00:00")  # fmt: skip
    partner["nhs_number"] = "9994312014"
    lines = [*FAMILY, gp_mother(), GP_NOTE, partner, fight, dean, link]

    [alert] = [a for a in alerts_for(tmp_path, lines, RULE) if ["csc-lancs", "CS-chloe"]
               in a["subjects"]]  # fmt: skip
    assert alert["raised_at"] == "2018-10-01T09:00:00"
