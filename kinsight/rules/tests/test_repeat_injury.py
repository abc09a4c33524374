import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "repeat_injury"


def child(born="2018-01-01"):
    return person("csc-lancs", "C-1", given_name="Harper", birth_date=born)


def injury(event_id, occurred, kind="bruise", **fields):
    return event(
        "csc-lancs",
        event_id,
        "injury",
        occurred,
        ("C-1", "child"),
        details={"injury": kind},
        **fields,
    )


def test_a_second_injury_within_six_months_of_a_toddler_is_raised_when_recorded(tmp_path):
    lines = [
        child(),
        injury("I-1", "2020-01-10T10:00:00"),
        injury("I-2", "2020-05-01T10:00:00", recorded_at="2020-05-01T11:30:00"),
    ]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert (alert["severity"], alert["raised_at"]) == ("warning", "2020-05-01T11:30:00")
    assert alert["evidence"] == [["csc-lancs", "I-1"], ["csc-lancs", "I-2"]]


def test_it_is_urgent_under_two_and_raised_afresh_for_each_further_injury(tmp_path):
    lines = [
        child("2019-06-01"),
        injury("I-1", "2020-01-10T10:00:00"),
        injury("I-2", "2020-02-10T10:00:00"),
        injury("I-3", "2020-03-10T10:00:00"),
    ]
    alerts = alerts_for(tmp_path, lines, RULE)
    assert [(a["severity"], a["evidence"][-1][1]) for a in alerts] == [
        ("urgent", "I-2"),
        ("urgent", "I-3"),
    ]


def test_injuries_the_same_day_count_once(tmp_path):
    note = event(
        "csc-lancs",
        "N-1",
        "note",
        "2020-01-10T15:00:00",
        ("C-1", "child"),
        summary="Bruise on Harper's arm discussed with mum.",
    )
    assert alerts_for(tmp_path, [child(), injury("I-1", "2020-01-10T10:00:00"), note], RULE) == []


def test_injuries_more_than_six_months_apart_are_not_raised(tmp_path):
    lines = [child(), injury("I-1", "2020-01-10T10:00:00"), injury("I-2", "2020-07-20T10:00:00")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_an_older_child_is_raised_only_on_or_soon_after_a_plan(tmp_path):
    older = child("2010-01-01")
    two = [injury("I-1", "2020-01-10T10:00:00"), injury("I-2", "2020-03-01T10:00:00")]
    assert alerts_for(tmp_path, [older, *two], RULE) == []


def test_an_older_child_within_six_months_of_a_plan_ending_is_raised(tmp_path):
    plan = [
        event(
            "csc-lancs",
            "PL-1",
            "plan",
            "2019-01-01",
            ("C-1", "child"),
            details={"plan": "child_protection", "status": "started"},
        ),
        event(
            "csc-lancs",
            "PL-2",
            "plan",
            "2019-12-01",
            ("C-1", "child"),
            details={"plan": "child_protection", "status": "ended"},
        ),
    ]
    lines = [
        child("2010-01-01"),
        *plan,
        injury("I-1", "2020-01-10T10:00:00"),
        injury("I-2", "2020-03-01T10:00:00"),
    ]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert "plan ending" in alert["explanation"]


def test_an_earlier_injury_recorded_late_completes_the_pattern_when_recorded(tmp_path):
    lines = [
        child(),
        injury("I-2", "2020-05-01T10:00:00"),
        injury("I-1", "2020-04-01T10:00:00", recorded_at="2020-05-03T09:00:00"),
    ]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2020-05-03T09:00:00"
