import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "risk_adult_linked_children"
# As in the Lancashire case, from the police's records: the father of Chloe and of Kai, who
# lives with his mother in another household.
FATHER = person("lancs-police", "PN-1", given_name="Jason", birth_date="1986-02-11",
                recorded_at="2016-11-03T02:00")  # fmt: skip
CHLOE = person("lancs-police", "PN-7", given_name="Chloe", birth_date="2018-05-09",
               recorded_at="2018-09-16T02:15")  # fmt: skip
KAI = person("lancs-police", "PN-60", given_name="Kai", birth_date="2010-03-14",
             recorded_at="2019-11-08T18:50")  # fmt: skip
DOMESTIC = event("lancs-police", "LC-1187", "domestic_abuse_incident", "2018-09-15T23:40",
                 ("PN-1", "alleged_perpetrator"), ("PN-7", "child_present"),
                 recorded_at="2018-09-16T02:15", details={"risk": "high"})  # fmt: skip


def father_of(child, recorded_at):
    return {"kind": "relationship", "agency": "lancs-police", "person": child,
            "relative": "PN-1", "type": "father", "recorded_at": recorded_at}  # fmt: skip


def raised(alerts):
    return {a["subjects"][0][1]: a["raised_at"] for a in alerts}


def test_a_child_in_another_household_is_raised_when_the_link_to_the_father_is_recorded(
    tmp_path,
):
    lines = [FATHER, CHLOE, KAI, DOMESTIC, father_of("PN-7", "2018-09-16T02:15"),
             father_of("PN-60", "2019-11-08T18:50")]  # fmt: skip
    alerts = alerts_for(tmp_path, lines, RULE)
    assert raised(alerts) == {"PN-7": "2018-09-16T02:15:00", "PN-60": "2019-11-08T18:50:00"}
    kai = next(a for a in alerts if a["subjects"][0][1] == "PN-60")
    assert kai["evidence"] == [["lancs-police", "LC-1187"]]
    assert "father" in kai["explanation"] and "alleged perpetrator" in kai["explanation"]


def test_a_history_recorded_after_the_link_raises_it_when_the_history_is_recorded(tmp_path):
    lines = [FATHER, KAI, father_of("PN-60", "2019-01-07T10:00"),
             event("lancs-police", "LC-2", "allegation", "2019-11-08T18:05",
                   ("PN-1", "alleged_perpetrator"), recorded_at="2019-11-08T18:50",
                   details={"harm": "physical", "made_by": "public"})]  # fmt: skip
    assert raised(alerts_for(tmp_path, lines, RULE)) == {"PN-60": "2019-11-08T18:50:00"}


def test_an_arrest_for_domestic_assault_is_a_history(tmp_path):
    arrest = event("lancs-police", "LC-3", "arrest", "2018-09-16T00:10", ("PN-1", "subject"),
                   details={"offence": "actual bodily harm (domestic)"})  # fmt: skip
    lines = [FATHER, KAI, arrest, father_of("PN-60", "2019-11-08T18:50")]
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_an_arrest_for_drug_possession_is_not(tmp_path):
    arrest = event("lancs-police", "LC-3", "arrest", "2016-11-03T00:40", ("PN-1", "subject"),
                   details={"offence": "possession of a controlled drug, Class A"})  # fmt: skip
    lines = [FATHER, KAI, arrest, father_of("PN-60", "2019-11-08T18:50")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_grandparent_with_a_history_is_not_a_parent_or_household_member(tmp_path):
    grandparent = {**father_of("PN-60", "2019-11-08T18:50"), "type": "grandparent"}
    assert alerts_for(tmp_path, [FATHER, KAI, DOMESTIC, grandparent], RULE) == []


def test_nothing_is_raised_before_the_connection_was_recorded(tmp_path):
    lines = [FATHER, KAI, DOMESTIC, father_of("PN-60", "2019-11-08T18:50")]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2019-11-08T18:50:00"
