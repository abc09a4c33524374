"""Find a person: by name (nicknames, misspellings), date of birth, NHS number or agency id."""

import pytest

from kinsight.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def found(client, **query):
    response = client.get("/search/", query)
    assert response.status_code == 200
    return response.context["results"]


def names(results):
    return sorted((f.name, f.birth_date) for f in results)


def test_it_finds_a_child_by_name_and_tells_two_namesakes_apart(cast, signed_in):
    results = found(signed_in("hana"), name="Chloe Walsh")
    assert names(results) == [("Chloe Walsh", "2018-03-02"), ("Chloe Walsh", "2019-11-20")]


def test_it_forgives_a_misspelt_family_name(cast, signed_in):
    assert names(found(signed_in("sam"), name="chloe welsh")) == [("Chloe Walsh", "2018-03-02")]


def test_it_finds_a_nickname(cast, signed_in):
    assert names(found(signed_in("nina"), name="Olly Smyth")) == [("Oliver Smyth", "2015-01-05")]


def test_it_finds_by_birth_date(cast, signed_in):
    client = signed_in("rita")
    results = found(client, **{"birth_date-day": "2", "birth_date-month": "3",
                               "birth_date-year": "2018"})  # fmt: skip
    assert [r.person_id for r in results] == [cast.chloe.pk]


def test_it_finds_by_nhs_number_written_with_spaces(cast, signed_in):
    results = found(signed_in("sam"), nhs_number="943 476 5919")
    assert [r.person_id for r in results] == [cast.chloe.pk]


def test_it_finds_by_an_agency_id_with_or_without_the_agency(cast, signed_in):
    client = signed_in("sam")
    assert [r.person_id for r in found(client, agency_id="C-10")] == [cast.chloe.pk]
    assert [r.person_id for r in found(client, agency_id="nhs-east:H-1")] == [cast.chloe.pk]


def test_it_shows_only_people_the_user_may_see(cast, signed_in):
    assert names(found(signed_in("sam"), name="Chloe Walsh")) == [("Chloe Walsh", "2018-03-02")]
    assert found(signed_in("nina"), name="Chloe Walsh") == []


def test_results_show_no_address_and_no_nhs_number(cast, signed_in):
    html = signed_in("sam").get("/search/", {"name": "Chloe Walsh"}).content.decode()
    assert "Mill Street" not in html
    assert "9434765919" not in html
    assert "BB1" in html  # the postcode area helps tell two children apart


def test_a_wrong_nhs_number_is_explained(cast, signed_in):
    response = signed_in("sam").get("/search/", {"nhs_number": "1234567890"})
    assert "Enter an NHS number of 10 digits" in response.content.decode()
    assert response.context["results"] is None


def test_an_impossible_date_is_explained(cast, signed_in):
    response = signed_in("sam").get(
        "/search/", {"birth_date-day": "31", "birth_date-month": "2", "birth_date-year": "2018"}
    )
    assert "A date of birth must be a real date" in response.content.decode()


def test_every_search_is_audited_with_what_it_found(cast, signed_in):
    found(signed_in("sam"), name="Chloe Walsh")
    entry = AuditEntry.objects.get(action="read_search")
    assert entry.actor == "sam"
    assert entry.detail["criteria"]["name"] == "Chloe Walsh"
    assert entry.detail["found"] == [cast.chloe.public_id]


def test_a_stranger_is_asked_to_sign_in(client):
    assert client.get("/search/").status_code == 302
