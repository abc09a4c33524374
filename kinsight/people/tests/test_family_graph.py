"""The family graph on persons, as it was known at a moment."""

from datetime import datetime

import pytest

from kinsight.people.family import connected_children, household_of, siblings_of
from kinsight.people.tests.linkcase import child, ingest, person_of

pytestmark = pytest.mark.django_db


def rel(agency, person, relative, type_, **fields):
    return {"kind": "relationship", "agency": agency, "person": person, "relative": relative,
            "type": type_, **fields}  # fmt: skip


def moment(text):
    return datetime.fromisoformat(text + "T00:00:00+00:00")


FAMILIES = [
    # Dan is the father of Ruby (with Amy) and, in another household, of Leo (with Kim).
    child("csc-lancs", "C-DAN", "Dan", "Hill", sex="male", birth_date="1985-01-01",
          address={"text": "1 Oak St", "postcode": "BB1 1AA"}),
    child("csc-lancs", "C-AMY", "Amy", "Hill", birth_date="1987-01-01"),
    child("csc-lancs", "C-RUBY", "Ruby", "Hill", birth_date="2016-01-01"),
    child("nhs-east", "H-KIM", "Kim", "Shaw", birth_date="1990-02-02",
          address={"text": "9 Elm Rd", "postcode": "BB2 2BB"}),
    child("nhs-east", "H-LEO", "Leo", "Shaw", sex="male", birth_date="2019-05-05",
          address={"text": "9 Elm Rd", "postcode": "BB2 2BB"}),
    child("nhs-east", "H-DAN", "Daniel", "Hill", sex="male", birth_date="1985-01-01",
          address={"text": "1 Oak St", "postcode": "BB1 1AA"}),
    rel("csc-lancs", "C-RUBY", "C-DAN", "father"),
    rel("csc-lancs", "C-RUBY", "C-AMY", "mother"),
    rel("csc-lancs", "C-AMY", "C-DAN", "partner"),
    rel("nhs-east", "H-LEO", "H-DAN", "father"),
    rel("nhs-east", "H-LEO", "H-KIM", "mother"),
    # Kim's new partner, recorded in March 2020.
    child("nhs-east", "H-MAX", "Max", "Cole", sex="male", birth_date="1980-03-03"),
    rel("nhs-east", "H-KIM", "H-MAX", "partner", start="2020-01-01",
        recorded_at="2020-03-01T09:00:00"),
]  # fmt: skip


def test_an_adult_is_connected_to_his_children_in_every_household(tmp_path):
    ingest(tmp_path, FAMILIES)
    dan = person_of("csc-lancs", "C-DAN")
    assert dan == person_of("nhs-east", "H-DAN")
    children = connected_children(dan, moment("2021-01-01"))
    assert children == {person_of("csc-lancs", "C-RUBY"), person_of("nhs-east", "H-LEO")}


def test_half_siblings_in_another_household_are_found(tmp_path):
    ingest(tmp_path, FAMILIES)
    ruby, leo = person_of("csc-lancs", "C-RUBY"), person_of("nhs-east", "H-LEO")
    assert siblings_of(ruby, moment("2021-01-01")) == {leo: "half_sibling"}


def test_a_partner_is_not_known_before_he_was_recorded(tmp_path):
    ingest(tmp_path, FAMILIES)
    kim, max_ = person_of("nhs-east", "H-KIM"), person_of("nhs-east", "H-MAX")
    leo = person_of("nhs-east", "H-LEO")
    assert max_ not in household_of(kim, moment("2020-02-01"))
    assert max_ in household_of(kim, moment("2020-04-01"))
    assert connected_children(max_, moment("2020-02-01")) == set()
    assert connected_children(max_, moment("2020-04-01")) == {leo}
