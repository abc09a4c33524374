"""The same child under a nickname, a misspelt surname, or a married name is one person."""

import pytest

from kinsight.people.models import PersonRecord
from kinsight.people.tests.linkcase import child, ingest, person_of

pytestmark = pytest.mark.django_db


def test_a_nickname_and_a_misspelt_surname_are_joined(tmp_path):
    ingest(tmp_path, [
        child("nhs-east", "H-1", "Elizabeth", "Walsh"),
        child("csc-lancs", "C-1", "Liz", "Walsh"),
        child("school-1", "S-1", "Elizabeth", "Walshe"),
    ])  # fmt: skip
    assert person_of("nhs-east", "H-1") == person_of("csc-lancs", "C-1")
    assert person_of("nhs-east", "H-1") == person_of("school-1", "S-1")


def test_a_married_name_is_joined_through_other_names(tmp_path):
    ingest(tmp_path, [
        child("nhs-east", "H-1", "Chloe", "Jones", other_names=["Chloe Smith"],
              birth_date="1990-05-17"),
        child("csc-lancs", "C-1", "Chloe", "Smith", birth_date="1990-05-17",
              address={"text": "3 Park Road, Nelson", "postcode": "BB9 7XY"}),
    ])  # fmt: skip
    assert person_of("nhs-east", "H-1") == person_of("csc-lancs", "C-1")


def test_every_link_explains_itself_with_levels_and_weights(tmp_path):
    ingest(tmp_path, [
        child("nhs-east", "H-1", "Elizabeth", "Walsh"),
        child("csc-lancs", "C-1", "Liz", "Walsh"),
    ])  # fmt: skip
    reasons = [r.link_reason for r in PersonRecord.objects.all()]
    joined = next(r for r in reasons if r["rule"] == "model")
    levels = {c["comparison"]: c["level"] for c in joined["comparisons"]}
    assert levels["given name"] == "a nickname of the other"
    assert levels["birth date"] == "exact"
    assert joined["match_weight"] > 0
    assert all("match_weight" in c for c in joined["comparisons"])


def test_two_ids_at_one_agency_are_never_joined(tmp_path):
    ingest(tmp_path, [
        child("csc-lancs", "C-1", "Ruby", "Smith"),
        child("csc-lancs", "C-2", "Ruby", "Smith"),
    ])  # fmt: skip
    assert person_of("csc-lancs", "C-1") != person_of("csc-lancs", "C-2")
