import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "cumulative_neglect"
# As in the Kirklees case: Child D, known to the health visitor and the GP (here the hospital
# trust), whose records share her NHS number.
SAME = {"given_name": "Child D", "family_name": "Firth", "birth_date": "2014-07-22",
        "nhs_number": "9434765919"}  # fmt: skip
HEALTH_VISITOR = person("csc-lancs", "C-1", **SAME)
GP = person("nhs-east", "H-1", **SAME)
HOME = "Home conditions poor: dog faeces on the kitchen floor, very little food in the cupboards."
RASH = "Severe nappy rash present for about 3 weeks, untreated. Child D dirty."
LICE = "Child D in dirty clothes, hair matted, head lice. She said she was hungry."
TEETH = "Obvious dental decay of the upper front teeth, not registered with a dentist."


def note(agency, ref, event_id, occurred, summary, **fields):
    return event(agency, event_id, "note", occurred, (ref, "child"), summary=summary, **fields)


def four(last_recorded="2016-08-02T10:50", last_agency=("nhs-east", "H-1")):
    return [
        note("csc-lancs", "C-1", "HV-1", "2016-05-17T14:00", HOME),
        note("nhs-east", "H-1", "GP-1", "2016-06-21T10:40", RASH),
        note("csc-lancs", "C-1", "HV-2", "2016-07-12T13:30", LICE),
        note(*last_agency, "GP-2", "2016-08-02T10:20", TEETH, recorded_at=last_recorded),
    ]


def test_four_indicators_from_two_agencies_raise_it_when_the_fourth_is_recorded(tmp_path):
    [alert] = alerts_for(tmp_path, [HEALTH_VISITOR, GP, *four()], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2016-08-02T10:50:00", "warning")
    assert len(alert["evidence"]) == 4
    assert "csc-lancs, nhs-east" in alert["explanation"]


def test_three_indicators_raise_nothing(tmp_path):
    assert alerts_for(tmp_path, [HEALTH_VISITOR, GP, *four()[:3]], RULE) == []


def test_four_indicators_from_one_agency_raise_nothing(tmp_path):
    lines = [HEALTH_VISITOR, *four(last_agency=("csc-lancs", "C-1"))]
    lines = [{**line, "agency": "csc-lancs", "subjects": [{"ref": "C-1", "role": "child"}]}
             if line.get("kind") == "event" else line for line in lines]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE) == []


def test_indicators_more_than_six_months_apart_raise_nothing(tmp_path):
    lines = four()
    lines[0] = note("csc-lancs", "C-1", "HV-1", "2015-12-01T14:00", HOME)
    assert alerts_for(tmp_path, [HEALTH_VISITOR, GP, *lines], RULE) == []


def test_a_note_that_finds_the_home_clean_is_no_indicator(tmp_path):
    lines = four()
    lines[0] = note("csc-lancs", "C-1", "HV-1", "2016-05-17T14:00",
                    "Home clean and tidy, no concerns about home conditions.")  # fmt: skip
    assert alerts_for(tmp_path, [HEALTH_VISITOR, GP, *lines], RULE) == []


def test_it_waits_for_the_fourth_indicator_to_be_recorded(tmp_path):
    [alert] = alerts_for(tmp_path, [HEALTH_VISITOR, GP, *four("2016-08-20T09:00")], RULE)
    assert alert["raised_at"] == "2016-08-20T09:00:00"


def core_group(event_id, occurred, progress):
    return event("csc-lancs", event_id, "core_group", occurred, ("C-1", "child"),
                 recorded_at=f"{occurred[:10]}T16:00", details={"progress": progress})  # fmt: skip


def plan_for(category):
    return event("csc-lancs", "P-1", "plan", "2016-10-04T10:00", ("C-1", "child"),
                 details={"plan": "child_protection", "status": "started",
                          "category": category})  # fmt: skip


def test_two_core_groups_in_a_row_without_change_on_a_neglect_plan_raise_it(tmp_path):
    lines = [HEALTH_VISITOR, plan_for("neglect"), core_group("CG-1", "2016-10-18", "no_change"),
             core_group("CG-2", "2016-11-29", "no_change")]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2016-11-29T16:00:00"
    assert alert["evidence"] == [["csc-lancs", "CG-1"], ["csc-lancs", "CG-2"]]


def test_an_improvement_between_them_raises_nothing(tmp_path):
    lines = [HEALTH_VISITOR, plan_for("neglect"), core_group("CG-1", "2016-10-18", "no_change"),
             core_group("CG-2", "2016-11-29", "improved"),
             core_group("CG-3", "2017-01-10", "no_change")]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_plan_for_another_category_raises_nothing(tmp_path):
    lines = [HEALTH_VISITOR, plan_for("physical"), core_group("CG-1", "2016-10-18", "no_change"),
             core_group("CG-2", "2016-11-29", "no_change")]  # fmt: skip
    assert alerts_for(tmp_path, lines, RULE) == []


def test_conferences_and_plans_naming_the_category_are_not_indicators(tmp_path):
    lines = four()[:3] + [
        event("csc-lancs", "CP-1", "child_protection_conference", "2016-08-01T10:00",
              ("C-1", "child"), summary="Child D made subject to a plan, category neglect.",
              details={"conference": "initial", "outcome": "plan"}),
    ]  # fmt: skip
    assert alerts_for(tmp_path, [HEALTH_VISITOR, GP, *lines], RULE) == []


def test_the_childs_mother_is_not_raised_for_the_childs_core_groups(tmp_path):
    mother = person("csc-lancs", "C-M", given_name="Leanne", birth_date="1993-02-17")
    both = [{"ref": "C-1", "role": "child"}, {"ref": "C-M", "role": "parent"}]
    lines = [HEALTH_VISITOR, mother, plan_for("neglect"),
             {**core_group("CG-1", "2016-10-18", "no_change"), "subjects": both},
             {**core_group("CG-2", "2016-11-29", "no_change"), "subjects": both}]  # fmt: skip
    alerts = alerts_for(tmp_path, lines, RULE)
    assert [a["subjects"] for a in alerts] == [[["csc-lancs", "C-1"]]]
