import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
BABY = person("nhs-east", "H-1", given_name="Chloe", birth_date="2018-05-08")
SISTER = person("nhs-east", "H-2", given_name="Ava", birth_date="2014-02-01")


def birth(**details):
    return event(
        "nhs-east",
        "B-1",
        "birth",
        "2018-05-08T04:00:00",
        ("H-1", "child"),
        recorded_at="2018-05-08T09:00:00",
        details=details,
    )


def test_a_birth_with_neonatal_abstinence_raises_an_urgent_alert(tmp_path):
    [alert] = alerts_for(tmp_path, [BABY, birth(neonatal_abstinence=True)], "neonatal_abstinence")
    assert (alert["severity"], alert["raised_at"]) == ("urgent", "2018-05-08T09:00:00")
    assert alert["evidence"] == [["nhs-east", "B-1"]]
    assert alert["subjects"] == [["nhs-east", "H-1"]]


def test_a_birth_without_withdrawal_raises_nothing(tmp_path):
    assert (
        alerts_for(tmp_path, [BABY, birth(neonatal_abstinence=False)], "neonatal_abstinence") == []
    )


def test_a_note_that_the_baby_is_withdrawing_raises_it_when_the_note_was_recorded(tmp_path):
    note = event(
        "nhs-east",
        "N-1",
        "note",
        "2018-05-09T22:00:00",
        ("H-1", "child"),
        recorded_at="2018-05-10T09:45:00",
        summary="Baby showing signs of neonatal abstinence syndrome, started on morphine.",
    )
    [alert] = alerts_for(tmp_path, [BABY, birth(), note], "neonatal_abstinence")
    assert alert["raised_at"] == "2018-05-10T09:45:00"


def test_a_note_that_rules_withdrawal_out_raises_nothing(tmp_path):
    note = event(
        "nhs-east",
        "N-1",
        "note",
        "2018-05-09T22:00:00",
        ("H-1", "child"),
        summary="No signs of withdrawal overnight, feeding well.",
    )
    assert alerts_for(tmp_path, [BABY, birth(), note], "neonatal_abstinence") == []


def test_an_older_sibling_named_in_the_same_note_is_not_a_newborn(tmp_path):
    note = event(
        "nhs-east",
        "N-1",
        "note",
        "2018-05-09T22:00:00",
        ("H-1", "child"),
        ("H-2", "child"),
        summary="Baby withdrawing (NAS); Ava visited.",
    )
    alerts = alerts_for(tmp_path, [BABY, SISTER, birth(), note], "neonatal_abstinence")
    assert [a["subjects"] for a in alerts] == [[["nhs-east", "H-1"]]]


def diagnosis(display, code="", **fields):
    return event(
        "nhs-east",
        "DX-1",
        "diagnosis",
        "2018-05-10T02:00:00",
        ("H-1", "subject"),
        recorded_at="2018-05-10T09:45:00",
        details={"code": code, "system": "icd10", "display": display},
        **fields,
    )


def test_a_birth_record_of_exposure_alone_waits_for_the_diagnosis(tmp_path):
    exposed = event(
        "nhs-east",
        "B-1",
        "birth",
        "2018-05-09T04:32:00",
        ("H-1", "subject"),
        recorded_at="2018-05-09T07:10:00",
        summary="SVD at 38+2. Mum on methadone 60 ml, last heroin use reported 2 "
        "days ago. Baby to transitional care for observation on the "
        "substance-exposed baby pathway.",
    )
    dx = diagnosis("Neonatal withdrawal symptoms from maternal use of drugs of addiction", "P96.1")
    [alert] = alerts_for(tmp_path, [BABY, exposed, dx], "neonatal_abstinence")
    assert (alert["raised_at"], alert["evidence"]) == (
        "2018-05-10T09:45:00",
        [["nhs-east", "DX-1"]],
    )


def test_a_diagnosis_by_code_alone_is_raised(tmp_path):
    assert len(alerts_for(tmp_path, [BABY, diagnosis("", "P96.1")], "neonatal_abstinence")) == 1


def test_nasal_congestion_or_withdrawal_from_treatment_is_not_withdrawal_from_drugs(tmp_path):
    lines = [
        BABY,
        diagnosis("Nasal congestion"),
        event(
            "nhs-east",
            "DX-2",
            "diagnosis",
            "2018-05-20T02:00:00",
            ("H-1", "subject"),
            details={
                "code": "P96.2",
                "display": "Withdrawal symptoms from therapeutic use of drugs in newborn",
            },
        ),
    ]
    assert alerts_for(tmp_path, lines, "neonatal_abstinence") == []


def test_a_positive_toxicology_of_the_newborn_is_raised(tmp_path):
    tox = event(
        "nhs-east",
        "T-1",
        "toxicology",
        "2018-05-09T12:00:00",
        ("H-1", "subject"),
        details={"substance": "opiates", "result": "positive"},
    )
    [alert] = alerts_for(tmp_path, [BABY, tox], "neonatal_abstinence")
    assert "opiates" in alert["explanation"]


def test_the_mother_positive_at_delivery_in_the_birth_note_is_raised(tmp_path):
    note = event(
        "nhs-east",
        "N-1",
        "note",
        "2018-05-08T06:00:00",
        ("H-1", "child"),
        summary="Mother tested positive for opiates at delivery.",
    )
    assert len(alerts_for(tmp_path, [BABY, note], "neonatal_abstinence")) == 1


def test_the_mother_positive_at_booking_is_not_a_newborn_finding(tmp_path):
    note = event(
        "nhs-east",
        "N-1",
        "note",
        "2018-05-08T06:00:00",
        ("H-1", "child"),
        summary="Mother tested positive for cannabis at booking in January.",
    )
    assert alerts_for(tmp_path, [BABY, note], "neonatal_abstinence") == []
