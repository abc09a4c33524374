"""The people endpoints: search, person, chronology, who knew what; 404 when forbidden."""

import pytest

from kinsight.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_it_needs_a_signed_in_user(cast, client):
    assert client.get("/api/people", {"name": "Chloe"}).status_code == 401


def test_search_answers_only_people_the_caller_may_see(cast, signed_in):
    found = signed_in("sam").get("/api/people", {"name": "Chloe Walsh"}).json()
    assert [(f["person"], f["birth_date"]) for f in found] == [(cast.chloe.public_id, "2018-03-02")]
    assert set(found[0]) == {"person", "name", "birth_date", "sex", "postcode_area", "agencies"}
    assert AuditEntry.objects.filter(actor="sam", action="read_search").exists()


def test_search_by_birth_date(cast, signed_in):
    found = signed_in("rita").get("/api/people", {"birth_date": "2018-03-02"}).json()
    assert [f["person"] for f in found] == [cast.chloe.public_id]


def test_the_person_carries_records_alerts_deadlines_and_family(cast, signed_in):
    data = signed_in("sam").get(f"/api/people/{cast.chloe.public_id}").json()
    assert [(r["agency"], r["id"]) for r in data["records"]] == [
        ("csc-lancs", "C-10"), ("nhs-east", "H-1"),
    ]  # fmt: skip
    assert {a["rule"] for a in data["alerts"]} >= {
        "referral_decision_overdue", "non_mobile_infant_injury",
    }  # fmt: skip
    assert data["deadlines"][0]["what"] == "Decision on the referral"
    assert {m["name"] for m in data["family"]} == {"Kerry Walsh", "Ava Walsh"}


def test_a_forbidden_person_is_404_like_a_missing_one(cast, signed_in):
    client = signed_in("nina")
    assert client.get(f"/api/people/{cast.chloe.pk}").status_code == 404
    assert client.get("/api/people/p-999999").status_code == 404
    assert client.get("/api/people/nonsense").status_code == 404


def test_the_chronology_filters_like_the_page(cast, signed_in):
    client = signed_in("sam")
    data = client.get(f"/api/people/{cast.chloe.pk}/chronology", {"family": "true"}).json()
    assert [e["id"] for e in data["events"]] == ["M-1", "B-1", "R-1", "A-1", "INC-1", "I-1"]
    data = client.get(
        f"/api/people/{cast.chloe.pk}/chronology", {"agency": "nhs-east", "since": "2018-04-01"}
    ).json()
    assert [e["id"] for e in data["events"]] == ["I-1"]
    assert AuditEntry.objects.filter(actor="sam", action="read_chronology").exists()


def test_who_knew_what(cast, signed_in):
    rows = signed_in("sam").get(f"/api/people/{cast.chloe.pk}/who-knew-what").json()
    referral = next(r for r in rows if r["event"] == "R-1")
    assert referral["knew"] == {
        "csc-lancs": {"how": "recorded", "when": "2018-03-05T10:00:00"},
        "nhs-east": {"how": "told", "when": ""},
    }


def test_nul_characters_harm_nothing(cast, signed_in):
    client = signed_in("sam")
    response = client.get("/api/people", {"name": "Chlo\x00e Walsh", "agency_id": "C-\x0010"})
    assert response.status_code == 200
    assert client.get("/api/people/p-1\x00").status_code == 404
