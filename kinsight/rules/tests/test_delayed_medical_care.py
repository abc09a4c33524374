import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "delayed_medical_care"
CHILD = person("nhs-east", "H-1", given_name="Ellie", birth_date="2017-01-01")


def note(summary, event_id="N-1", occurred="2020-03-02T10:00:00", **fields):
    return event(
        "nhs-east",
        event_id,
        "hospital_attendance",
        occurred,
        ("H-1", "child"),
        summary=summary,
        **fields,
    )


def test_a_burn_brought_days_late_is_raised_when_recorded(tmp_path):
    line = note(
        "Burn on the hand, mum says it was several days ago, did not seek treatment until today.",
        recorded_at="2020-03-02T11:00:00",
    )
    [alert] = alerts_for(tmp_path, [CHILD, line], RULE)
    assert (alert["severity"], alert["raised_at"]) == ("warning", "2020-03-02T11:00:00")
    assert "did not seek treatment" in alert["explanation"]


def test_an_injury_brought_the_same_hour_is_not(tmp_path):
    line = note("Fell off the swing at 09:30, brought straight to ED by mum.")
    assert alerts_for(tmp_path, [CHILD, line], RULE) == []


def test_two_records_of_the_delay_that_day_are_one_alert(tmp_path):
    lines = [
        CHILD,
        note("Injury several days old.", "N-1"),
        note("Injury several days old per ED.", "N-2", occurred="2020-03-02T15:00:00"),
    ]
    assert len(alerts_for(tmp_path, lines, RULE)) == 1


def test_a_babys_age_is_not_a_delay(tmp_path):
    baby = person("nhs-east", "H-1", given_name="Ellie", birth_date="2020-02-05")
    line = note("New birth visit (twins, 26 days old, born at 35 weeks). Both babies seen.")
    assert alerts_for(tmp_path, [baby, line], RULE) == []
