import pytest

from kinsight.rules.context import ChildContext
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "non_mobile_infant_injury"
BABY = person("csc-lancs", "C-1", given_name="Harper", birth_date="2019-06-01")


def injury(occurred, injury="bruise", **fields):
    return event(
        "csc-lancs",
        f"I-{occurred}",
        "injury",
        occurred,
        ("C-1", "child"),
        details={"injury": injury},
        **fields,
    )


def test_a_bruise_on_a_four_month_old_raises_an_urgent_alert(tmp_path):
    [alert] = alerts_for(
        tmp_path, [BABY, injury("2019-10-01T10:00:00", recorded_at="2019-10-01T12:00:00")], RULE
    )
    assert (alert["severity"], alert["raised_at"]) == ("urgent", "2019-10-01T12:00:00")
    assert "paediatric appraisal" in alert["explanation"]
    assert "csc-lancs" in alert["explanation"] and "4-month-old" in alert["explanation"]


def test_the_explained_injury_of_a_walking_toddler_raises_nothing(tmp_path):
    toddler = person("csc-lancs", "C-1", given_name="Harper", birth_date="2018-01-01")
    walking = event(
        "csc-lancs",
        "D-1",
        "development",
        "2019-06-01",
        ("C-1", "child"),
        details={"mobility": "walking"},
    )
    lines = [
        toddler,
        walking,
        event(
            "csc-lancs",
            "I-1",
            "injury",
            "2019-10-01T10:00:00",
            ("C-1", "child"),
            details={"injury": "bruise", "explained": True},
        ),
    ]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_an_older_baby_recorded_as_not_mobile_still_counts(tmp_path):
    older = person("csc-lancs", "C-1", given_name="Harper", birth_date="2019-01-01")
    not_mobile = event(
        "csc-lancs",
        "D-1",
        "development",
        "2019-08-01",
        ("C-1", "child"),
        details={"mobility": "not_mobile"},
    )
    [alert] = alerts_for(tmp_path, [older, not_mobile, injury("2019-09-01T10:00:00")], RULE)
    assert "recorded as not mobile" in alert["explanation"]


def test_a_baby_who_has_since_started_crawling_is_not_raised(tmp_path):
    older = person("csc-lancs", "C-1", given_name="Harper", birth_date="2019-01-01")
    lines = [
        older,
        event(
            "csc-lancs",
            "D-1",
            "development",
            "2019-07-01",
            ("C-1", "child"),
            details={"mobility": "not_mobile"},
        ),
        event(
            "csc-lancs",
            "D-2",
            "development",
            "2019-08-20",
            ("C-1", "child"),
            details={"mobility": "crawling"},
        ),
        injury("2019-09-01T10:00:00"),
    ]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_not_mobile_record_made_after_the_injury_does_not_count_before_it_is_recorded(
    tmp_path,
):
    older = person("csc-lancs", "C-1", given_name="Harper", birth_date="2019-01-01")
    lines = [
        older,
        injury("2019-09-01T10:00:00", recorded_at="2019-09-01T11:00:00"),
        event(
            "csc-lancs",
            "D-1",
            "development",
            "2019-08-01",
            ("C-1", "child"),
            recorded_at="2019-09-03T09:00:00",
            details={"mobility": "not_mobile"},
        ),
    ]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_bruise_read_in_a_nursery_note_raises_it(tmp_path):
    note = event(
        "csc-lancs",
        "O-1",
        "observation",
        "2019-10-01T09:00:00",
        ("C-1", "child"),
        summary="Small bruise noted on Harper's left cheek at drop-off.",
    )
    assert len(alerts_for(tmp_path, [BABY, note], RULE)) == 1


def test_no_bruising_seen_raises_nothing(tmp_path):
    note = event(
        "csc-lancs",
        "O-1",
        "observation",
        "2019-10-01T09:00:00",
        ("C-1", "child"),
        summary="Nappy change, no bruising or marks seen.",
    )
    assert alerts_for(tmp_path, [BABY, note], RULE) == []


def test_an_injury_in_the_babys_history_is_not_a_new_one(tmp_path):
    note = event(
        "csc-lancs",
        "O-1",
        "note",
        "2019-10-01T09:00:00",
        ("C-1", "child"),
        summary="History of a fractured arm at birth.",
    )
    assert alerts_for(tmp_path, [BABY, note], RULE) == []


def test_a_bruise_on_the_mother_named_in_the_babys_record_is_not_the_babys(tmp_path):
    mother = person("csc-lancs", "C-2", given_name="Kayleigh", birth_date="1995-01-01")
    note = event(
        "csc-lancs",
        "O-1",
        "note",
        "2019-10-01T09:00:00",
        ("C-1", "child"),
        ("C-2", "parent"),
        summary="Mum has a bruise on her arm.",
    )
    assert alerts_for(tmp_path, [BABY, mother, note], RULE) == []


def test_same_day_mentions_of_one_injury_raise_one_alert_at_the_first(tmp_path):
    lines = [
        BABY,
        injury("2019-10-01T10:00:00", recorded_at="2019-10-01T12:00:00"),
        event(
            "csc-lancs",
            "S-1",
            "note",
            "2019-10-01T15:00:00",
            ("C-1", "child"),
            summary="Strategy discussion about the bruise to Harper's cheek.",
        ),
    ]
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2019-10-01T12:00:00"


def test_an_injury_on_another_day_is_another_alert(tmp_path):
    lines = [BABY, injury("2019-10-01T10:00:00"), injury("2019-10-20T10:00:00")]
    assert len(alerts_for(tmp_path, lines, RULE)) == 2


def test_an_injury_entered_in_error_was_never_knowable(tmp_path):
    lines = [
        BABY,
        injury("2019-10-01T10:00:00"),
        {
            "kind": "retraction",
            "agency": "csc-lancs",
            "target_kind": "event",
            "id": "I-2019-10-01T10:00:00",
            "reason": "wrong child",
        },
    ]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_next_day_mentions_of_the_injury_by_other_agencies_are_the_same_alert(tmp_path):
    baby = {**BABY, "nhs_number": "9434765919"}
    police = person("lancs-police", "PN-1", given_name="Harper", nhs_number="9434765919")
    lines = [
        baby,
        police,
        injury("2019-10-01T10:00:00", recorded_at="2019-10-01T12:00:00"),
        event("lancs-police", "P-1", "note", "2019-10-02T09:00:00", ("PN-1", "victim"),
              summary="Bruise to the baby's cheek reported yesterday; officers attended."),
    ]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, RULE)
    assert alert["raised_at"] == "2019-10-01T12:00:00"
    assert ["lancs-police", "PN-1"] in alert["subjects"]


def test_a_further_coded_injury_the_next_day_is_a_new_injury(tmp_path):
    lines = [BABY, injury("2019-10-01T10:00:00"), injury("2019-10-02T10:00:00")]
    assert len(alerts_for(tmp_path, lines, RULE)) == 2


HOUSEHOLD = pytest.mark.skipif(
    "household_facts" not in ChildContext.__dataclass_fields__,
    reason="needs the household of rules-pattern",
)
MUM_NHS = "9434765927"


def family(*children):
    lines = [person("csc-lancs", "C-9", given_name="Kayleigh", birth_date="1995-01-01",
                    nhs_number=MUM_NHS),
             person("lancs-police", "PN-9", given_name="Kayleigh", birth_date="1995-01-01",
                    nhs_number=MUM_NHS)]  # fmt: skip
    for ref in children:
        lines.append({"kind": "relationship", "agency": "csc-lancs", "person": ref,
                      "relative": "C-9", "type": "mother"})  # fmt: skip
    return lines


POLICE_NOTE = event("lancs-police", "P-1", "note", "2019-10-01T21:00:00", ("PN-9", "victim"),
                    recorded_at="2019-10-01T23:00:00",
                    summary="Officers attended. The baby had a bruise on his cheek.")  # fmt: skip


@HOUSEHOLD
def test_a_bruise_on_the_baby_in_a_household_note_naming_no_child_is_the_only_childs(tmp_path):
    [alert] = alerts_for(tmp_path, [BABY, *family("C-1"), POLICE_NOTE], RULE)
    assert (alert["raised_at"], alert["evidence"]) == (
        "2019-10-01T23:00:00",
        [["lancs-police", "P-1"]],
    )


@HOUSEHOLD
def test_with_two_children_in_the_household_the_bruise_is_nobodys(tmp_path):
    sister = person("csc-lancs", "C-2", given_name="Ava", birth_date="2016-02-01")
    alerts = alerts_for(tmp_path, [BABY, sister, *family("C-1", "C-2"), POLICE_NOTE], RULE)
    assert alerts == []
