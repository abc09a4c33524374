import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "child_moves_to_risk_adult"
AVA = person("csc-lancs", "C-1", given_name="Ava", birth_date="2013-09-19")
MOTHER = person("csc-lancs", "C-2", given_name="Kayleigh", birth_date="1991-08-23")
PARTNER = person("csc-lancs", "C-3", given_name="Liam", birth_date="1988-01-05")
MOTHER_OF_AVA = {"kind": "relationship", "agency": "csc-lancs", "person": "C-1",
                 "relative": "C-2", "type": "mother"}  # fmt: skip
DOMESTIC = event("csc-lancs", "DA-1", "domestic_abuse_incident", "2019-06-01T22:00",
                 ("C-3", "alleged_perpetrator"), recorded_at="2019-06-02T09:00")  # fmt: skip
JOINED = event("csc-lancs", "HC-1", "household_change", "2020-02-01T10:00", ("C-3", "subject"),
               ("C-1", "child"), recorded_at="2020-02-03T11:00",
               details={"change": "joined"})  # fmt: skip


def test_an_adult_with_a_domestic_abuse_history_joining_the_household_raises_it(tmp_path):
    [alert] = alerts_for(tmp_path, [AVA, MOTHER, PARTNER, MOTHER_OF_AVA, DOMESTIC, JOINED], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-02-03T11:00:00", "warning")
    assert alert["evidence"] == [["csc-lancs", "HC-1"], ["csc-lancs", "DA-1"]]
    assert "alleged perpetrator" in alert["explanation"]


def test_an_adult_with_no_history_joining_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [AVA, MOTHER, PARTNER, MOTHER_OF_AVA, JOINED], RULE) == []


def test_a_history_recorded_after_the_move_raises_it_when_recorded(tmp_path):
    later = {**DOMESTIC, "occurred_at": "2020-03-01T22:00", "recorded_at": "2020-03-02T09:00"}
    [alert] = alerts_for(tmp_path, [AVA, MOTHER, PARTNER, MOTHER_OF_AVA, JOINED, later], RULE)
    assert alert["raised_at"] == "2020-03-02T09:00:00"


def test_a_note_that_the_child_moved_in_with_her_father_raises_it(tmp_path):
    father = person("csc-lancs", "C-4", given_name="Jason", birth_date="1986-02-11")
    father_of_ava = {**MOTHER_OF_AVA, "relative": "C-4", "type": "father"}
    arrest = event(
        "csc-lancs",
        "A-1",
        "arrest",
        "2018-09-16T00:10",
        ("C-4", "subject"),
        details={"offence": "assault occasioning actual bodily harm (domestic)"},
    )
    note = event(
        "csc-lancs",
        "N-1",
        "note",
        "2020-05-04T10:00",
        ("C-1", "child"),
        recorded_at="2020-05-04T12:00",
        summary="School report that Ava has moved in with her father this weekend.",
    )
    [alert] = alerts_for(tmp_path, [AVA, father, father_of_ava, arrest, note], RULE)
    assert alert["raised_at"] == "2020-05-04T12:00:00"
    assert alert["evidence"] == [["csc-lancs", "N-1"], ["csc-lancs", "A-1"]]


def test_a_father_with_a_history_the_child_does_not_move_to_raises_nothing(tmp_path):
    father = person("csc-lancs", "C-4", given_name="Jason", birth_date="1986-02-11")
    father_of_ava = {**MOTHER_OF_AVA, "relative": "C-4", "type": "father"}
    arrest = event(
        "csc-lancs",
        "A-1",
        "arrest",
        "2018-09-16T00:10",
        ("C-4", "subject"),
        details={"offence": "assault occasioning actual bodily harm (domestic)"},
    )
    assert alerts_for(tmp_path, [AVA, father, father_of_ava, arrest], RULE) == []


def test_a_parents_new_partner_with_a_start_date_is_a_move(tmp_path):
    partner = {
        "kind": "relationship",
        "agency": "csc-lancs",
        "person": "C-2",
        "relative": "C-3",
        "type": "partner",
        "start": "2020-01-15",
        "recorded_at": "2020-01-20T10:00",
    }
    lines = [AVA, MOTHER, PARTNER, MOTHER_OF_AVA, DOMESTIC, partner]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2020-01-20T10:00:00"


def test_a_note_that_another_child_lives_with_his_mum_is_not_a_move(tmp_path):
    father = person("csc-lancs", "C-4", given_name="Jason", birth_date="1986-02-11")
    father_of_ava = {**MOTHER_OF_AVA, "relative": "C-4", "type": "father"}
    referral = event(
        "csc-lancs",
        "R-1",
        "referral",
        "2019-11-08T22:30",
        ("C-1", "child"),
        ("C-4", "alleged_perpetrator"),
        summary="Kai, Jason's son who lives with his mum, says his dad hurts Ava.",
    )
    assert alerts_for(tmp_path, [AVA, father, father_of_ava, referral], RULE) == []


def test_a_partnership_of_years_recorded_late_is_not_a_move(tmp_path):
    partner = {
        "kind": "relationship",
        "agency": "csc-lancs",
        "person": "C-2",
        "relative": "C-3",
        "type": "partner",
        "start": "2014-01-15",
        "recorded_at": "2020-01-20T10:00",
    }
    lines = [AVA, MOTHER, PARTNER, MOTHER_OF_AVA, DOMESTIC, partner]
    assert alerts_for(tmp_path, lines, RULE) == []
