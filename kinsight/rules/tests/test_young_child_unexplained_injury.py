import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "young_child_unexplained_injury"


def child(born):
    return person("nhs-east", "H-1", given_name="Ellie", birth_date=born)


def injury(kind, occurred="2020-03-02T11:55:00", **details):
    return event(
        "nhs-east",
        "X-1",
        "injury",
        occurred,
        ("H-1", "subject"),
        recorded_at="2020-03-02T12:40:00",
        details={"injury": kind, **details},
    )


def test_a_fracture_in_a_fourteen_week_old_raises_an_urgent_alert_when_recorded(tmp_path):
    triage = event(
        "nhs-east",
        "ED-1",
        "hospital_attendance",
        "2020-03-02T09:35:00",
        ("H-1", "subject"),
        recorded_at="2020-03-02T09:50:00",
        summary="ED triage: baby unsettled, not moving her left leg as much.",
    )
    [alert] = alerts_for(
        tmp_path, [child("2019-11-25"), triage, injury("fracture", explained=False)], RULE
    )
    assert (alert["severity"], alert["raised_at"]) == ("urgent", "2020-03-02T12:40:00")
    assert alert["evidence"] == [["nhs-east", "X-1"]]
    assert "skeletal survey" in alert["explanation"] and "14-week-old" in alert["explanation"]


def test_an_explained_fracture_under_18_months_is_still_raised(tmp_path):
    alerts = alerts_for(tmp_path, [child("2019-03-01"), injury("fracture", explained=True)], RULE)
    assert len(alerts) == 1


def test_a_fracture_at_two_years_with_an_explanation_is_not(tmp_path):
    alerts = alerts_for(tmp_path, [child("2018-01-01"), injury("fracture", explained=True)], RULE)
    assert alerts == []


def test_a_head_injury_under_two_is_raised(tmp_path):
    note = event(
        "nhs-east",
        "N-1",
        "note",
        "2020-03-02T10:00:00",
        ("H-1", "child"),
        summary="Dad said Ellie hit her head on the table.",
    )
    assert len(alerts_for(tmp_path, [child("2018-06-01"), note], RULE)) == 1


def test_an_unexplained_bruise_on_a_four_year_old_is_raised(tmp_path):
    note = event(
        "nhs-east",
        "N-1",
        "note",
        "2020-03-02T10:00:00",
        ("H-1", "child"),
        summary="Bruise on his forehead, no explanation given.",
    )
    [alert] = alerts_for(tmp_path, [child("2016-01-01"), note], RULE)
    assert "unexplained" in alert["explanation"]


def test_the_explained_accidental_injury_of_a_walking_toddler_raises_nothing(tmp_path):
    walking = event(
        "nhs-east",
        "D-1",
        "development",
        "2019-12-01",
        ("H-1", "child"),
        details={"mobility": "walking"},
    )
    lines = [
        child("2018-09-01"),
        walking,
        injury(
            "bruise", body_site="shin", explained=True, explanation="fell off the slide at the park"
        ),
    ]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_an_unexplained_injury_at_six_is_not_raised(tmp_path):
    alerts = alerts_for(tmp_path, [child("2014-01-01"), injury("bruise", explained=False)], RULE)
    assert alerts == []


def test_a_fracture_recorded_late_is_raised_when_it_was_recorded(tmp_path):
    late = event(
        "nhs-east",
        "X-1",
        "injury",
        "2020-03-02T11:55:00",
        ("H-1", "subject"),
        recorded_at="2020-03-05T08:00:00",
        details={"injury": "fracture"},
    )
    [alert] = alerts_for(tmp_path, [child("2019-11-25"), late], RULE)
    assert alert["raised_at"] == "2020-03-05T08:00:00"
