"""`POST /api/feeds`: an agency sends a feed with its API token."""

import json

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.chronology.models import Event, EventSubject
from kinsight.connect.actions import do_add_api_token, do_revoke_api_token
from kinsight.feeds.models import Agency, QuarantinedLine
from kinsight.people.models import PersonRecord
from kinsight.testing import event, person, store_fingerprint

pytestmark = pytest.mark.django_db

LANCS = {"kind": "agency", "code": "csc-lancs", "name": "Lancashire CSC", "sector": "social_care"}


def body(*lines):
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


@pytest.fixture
def token():
    return do_add_api_token("csc-lancs", acting="test")[1]


def post(client, token, data):
    return client.post(
        "/api/feeds", data=data, content_type="application/x-ndjson",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip


def test_it_answers_for_every_line_with_its_number(client, token):
    feed = body(
        LANCS,
        person("csc-lancs", "C-1", birth_date="2024-01-02"),
        "",
        "# a comment",
        "oops",
        event("csc-lancs", "R-1", "referral", "2024-03-04T09:00:00", ("C-1", "child")),
    )
    response = post(client, token, feed)
    assert response.status_code == 200
    receipt = response.json()
    assert receipt["agency"] == "csc-lancs"
    assert (receipt["lines"], receipt["taken"], receipt["rejected"]) == (4, 3, 1)
    results = receipt["results"]
    assert [(r["line"], r["outcome"]) for r in results] == [
        (1, "taken"), (2, "taken"), (5, "rejected"), (6, "taken"),
    ]  # fmt: skip
    assert results[2]["message"].startswith("not valid JSON")
    assert EventSubject.objects.get(event__event_id="R-1").record.record_id == "C-1"


def test_a_retry_of_the_same_body_changes_nothing(client, token):
    feed = body(LANCS, person("csc-lancs", "C-1"), "oops")
    post(client, token, feed)
    before = store_fingerprint()
    receipt = post(client, token, feed).json()
    assert [r["outcome"] for r in receipt["results"]] == ["unchanged", "unchanged", "rejected"]
    after = store_fingerprint()
    # The retry is audited as a second receipt of the same body; the records are as they were.
    assert set(after.pop("audited_feeds")) == set(before.pop("audited_feeds"))
    assert after == before


def test_a_changed_line_is_reported_updated(client, token):
    post(client, token, body(person("csc-lancs", "C-1", given_name="Chloe")))
    receipt = post(client, token, body(person("csc-lancs", "C-1", given_name="Cloe"))).json()
    assert receipt["results"] == [{"line": 1, "outcome": "updated"}]


def test_a_token_of_one_agency_cannot_write_a_line_of_another(client, token):
    feed = body(
        person("csc-lancs", "C-1"),
        person("lancs-police", "P-1"),
        {"kind": "agency", "code": "lancs-police", "name": "Not yours", "sector": "police"},
        event("lancs-police", "I-1", "observation", "2024-01-01", ("P-1", "subject")),
    )
    receipt = post(client, token, feed).json()
    assert [r["outcome"] for r in receipt["results"]] == [
        "taken",
        "rejected",
        "rejected",
        "rejected",
    ]
    assert receipt["results"][1]["message"] == (
        "agency 'lancs-police': not this sender's agency ('csc-lancs'); "
        "nothing of the line was written"
    )
    assert not PersonRecord.objects.filter(agency__code="lancs-police").exists()
    assert not Event.objects.filter(agency__code="lancs-police").exists()
    assert not Agency.objects.filter(code="lancs-police").exists()
    assert QuarantinedLine.objects.filter(line_no__in=[2, 3, 4]).count() == 3


def test_warnings_are_given_on_their_line(client, token):
    receipt = post(client, token, body(person("csc-lancs", "C-1", nhs_number="123"))).json()
    assert receipt["results"][0]["warnings"] == [
        "person 'C-1': nhs_number: fails the NHS number check (modulus 11); taken without it"
    ]


def test_it_refuses_a_missing_wrong_or_revoked_token(client):
    feed = body(person("csc-lancs", "C-1"))
    assert (
        client.post("/api/feeds", data=feed, content_type="application/x-ndjson").status_code == 401
    )
    assert post(client, "ks_not-a-token", feed).status_code == 401
    made, secret = do_add_api_token("csc-lancs", acting="test")
    do_revoke_api_token(made, acting="test")
    assert post(client, secret, feed).status_code == 401
    assert not PersonRecord.objects.exists()


def test_it_refuses_a_body_over_the_limit(client, token, settings):
    settings.KINSIGHT_FEED_MAX_BYTES = 100
    response = post(client, token, body(*[person("csc-lancs", f"C-{i}") for i in range(10)]))
    assert response.status_code == 413
    assert not PersonRecord.objects.exists()


def test_each_feed_is_audited_under_the_token(client, token):
    post(client, token, body(person("csc-lancs", "C-1")))
    entry = AuditEntry.objects.get(action="ingest_feed")
    assert entry.actor.startswith("api-token:ks_")
    assert "csc-lancs" in entry.object_id


def test_the_openapi_document_describes_the_route(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/feeds"]
