import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
BABY = person("nhs-east", "H-1", given_name="Chloe", birth_date="2018-05-08")
SISTER = person("nhs-east", "H-2", given_name="Ava", birth_date="2014-02-01")


def birth(**details):
    return event("nhs-east", "B-1", "birth", "2018-05-08T04:00:00", ("H-1", "child"),
                 recorded_at="2018-05-08T09:00:00", details=details)  # fmt: skip


def test_a_birth_with_neonatal_abstinence_raises_an_urgent_alert(tmp_path):
    [alert] = alerts_for(tmp_path, [BABY, birth(neonatal_abstinence=True)], "neonatal_abstinence")
    assert (alert["severity"], alert["raised_at"]) == ("urgent", "2018-05-08T09:00:00")
    assert alert["evidence"] == [["nhs-east", "B-1"]]
    assert alert["subjects"] == [["nhs-east", "H-1"]]


def test_a_birth_without_withdrawal_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [BABY, birth(neonatal_abstinence=False)],
                      "neonatal_abstinence") == []  # fmt: skip


def test_a_note_that_the_baby_is_withdrawing_raises_it_when_the_note_was_recorded(tmp_path):
    note = event("nhs-east", "N-1", "note", "2018-05-09T22:00:00", ("H-1", "child"),
                 recorded_at="2018-05-10T09:45:00",
                 summary="Baby showing signs of neonatal abstinence syndrome, started on "
                         "morphine.")  # fmt: skip
    [alert] = alerts_for(tmp_path, [BABY, birth(), note], "neonatal_abstinence")
    assert alert["raised_at"] == "2018-05-10T09:45:00"


def test_a_note_that_rules_withdrawal_out_raises_nothing(tmp_path):
    note = event("nhs-east", "N-1", "note", "2018-05-09T22:00:00", ("H-1", "child"),
                 summary="No signs of withdrawal overnight, feeding well.")  # fmt: skip
    assert alerts_for(tmp_path, [BABY, birth(), note], "neonatal_abstinence") == []


def test_an_older_sibling_named_in_the_same_note_is_not_a_newborn(tmp_path):
    note = event("nhs-east", "N-1", "note", "2018-05-09T22:00:00", ("H-1", "child"),
                 ("H-2", "child"), summary="Baby withdrawing (NAS); Ava visited.")  # fmt: skip
    alerts = alerts_for(tmp_path, [BABY, SISTER, birth(), note], "neonatal_abstinence")
    assert [a["subjects"] for a in alerts] == [[["nhs-east", "H-1"]]]
