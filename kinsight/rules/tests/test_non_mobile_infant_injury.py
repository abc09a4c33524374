import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
BABY = person("csc-lancs", "C-1", given_name="Harper", birth_date="2019-06-01")


def injury(occurred, injury="bruise", **fields):
    return event("csc-lancs", f"I-{occurred}", "injury", occurred, ("C-1", "child"),
                 details={"injury": injury}, **fields)  # fmt: skip


def test_a_bruise_on_a_four_month_old_raises_an_urgent_alert(tmp_path):
    [alert] = alerts_for(tmp_path, [BABY, injury("2019-10-01T10:00:00",
                                                 recorded_at="2019-10-01T12:00:00")],
                         "non_mobile_infant_injury")  # fmt: skip
    assert (alert["severity"], alert["raised_at"]) == ("urgent", "2019-10-01T12:00:00")
    assert "paediatric appraisal" in alert["explanation"]


def test_the_explained_injury_of_a_walking_toddler_raises_nothing(tmp_path):
    toddler = person("csc-lancs", "C-1", given_name="Harper", birth_date="2018-01-01")
    walking = event("csc-lancs", "D-1", "development", "2019-06-01", ("C-1", "child"),
                    details={"mobility": "walking"})  # fmt: skip
    lines = [toddler, walking, event("csc-lancs", "I-1", "injury", "2019-10-01T10:00:00",
             ("C-1", "child"), details={"injury": "bruise", "explained": True})]  # fmt: skip
    assert alerts_for(tmp_path, lines, "non_mobile_infant_injury") == []


def test_an_older_baby_recorded_as_not_mobile_still_counts(tmp_path):
    older = person("csc-lancs", "C-1", given_name="Harper", birth_date="2019-01-01")
    not_mobile = event("csc-lancs", "D-1", "development", "2019-08-01", ("C-1", "child"),
                       details={"mobility": "not_mobile"})  # fmt: skip
    alerts = alerts_for(tmp_path, [older, not_mobile, injury("2019-09-01T10:00:00")],
                        "non_mobile_infant_injury")  # fmt: skip
    assert len(alerts) == 1


def test_a_bruise_read_in_a_nursery_note_raises_it(tmp_path):
    note = event("csc-lancs", "O-1", "observation", "2019-10-01T09:00:00", ("C-1", "child"),
                 summary="Small bruise noted on Harper's left cheek at drop-off.")  # fmt: skip
    assert len(alerts_for(tmp_path, [BABY, note], "non_mobile_infant_injury")) == 1


def test_no_bruising_seen_raises_nothing(tmp_path):
    note = event("csc-lancs", "O-1", "observation", "2019-10-01T09:00:00", ("C-1", "child"),
                 summary="Nappy change, no bruising or marks seen.")  # fmt: skip
    assert alerts_for(tmp_path, [BABY, note], "non_mobile_infant_injury") == []


def test_same_day_mentions_of_one_injury_raise_one_alert_at_the_first(tmp_path):
    lines = [BABY, injury("2019-10-01T10:00:00", recorded_at="2019-10-01T12:00:00"),
             event("csc-lancs", "S-1", "note", "2019-10-01T15:00:00", ("C-1", "child"),
                   summary="Strategy discussion about the bruise to Harper's cheek.")]  # fmt: skip
    [alert] = alerts_for(tmp_path, lines, "non_mobile_infant_injury")
    assert alert["raised_at"] == "2019-10-01T12:00:00"


def test_an_injury_entered_in_error_was_never_knowable(tmp_path):
    lines = [BABY, injury("2019-10-01T10:00:00"),
             {"kind": "retraction", "agency": "csc-lancs", "target_kind": "event",
              "id": "I-2019-10-01T10:00:00", "reason": "wrong child"}]  # fmt: skip
    assert alerts_for(tmp_path, lines, "non_mobile_infant_injury") == []
