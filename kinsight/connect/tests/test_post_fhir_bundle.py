"""`POST /api/fhir`: an agency sends a FHIR R4B Bundle with its API token."""

import json

import pytest

from kinsight.chronology.models import Event
from kinsight.connect.actions import do_add_api_token
from kinsight.connect.tests.fhir_sample import sample_bundle
from kinsight.people.models import PersonRecord, Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def token():
    return do_add_api_token("elht", acting="test")[1]


def post(client, token, data):
    return client.post(
        "/api/fhir", data=json.dumps(data), content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip


def test_the_bundle_is_taken_as_the_tokens_agency_lines(client, token):
    response = post(client, token, sample_bundle())
    assert response.status_code == 200
    receipt = response.json()
    assert (receipt["agency"], receipt["taken"], receipt["rejected"]) == ("elht", 7, 0)
    assert receipt["skipped"] == []
    baby = PersonRecord.objects.get(agency__code="elht", record_id="baby-1")
    assert baby.nhs_number == "9434765919"
    assert Relationship.objects.get(type="mother").person_record == baby
    assert set(Event.objects.values_list("type", flat=True)) == {
        "hospital_attendance", "diagnosis", "observation", "flag",
    }  # fmt: skip


def test_sending_it_again_changes_nothing(client, token):
    post(client, token, sample_bundle())
    receipt = post(client, token, sample_bundle()).json()
    assert (receipt["taken"], receipt["unchanged"]) == (0, 7)


def test_resources_it_cannot_read_are_listed_and_the_rest_taken(client, token):
    data = sample_bundle()
    data["entry"].append({"resource": {"resourceType": "Medication", "id": "m-1"}})
    receipt = post(client, token, data).json()
    assert receipt["skipped"] == [
        {"entry": 6, "resource": "Medication/m-1", "message": "Medication resources are not read"}
    ]
    assert receipt["taken"] == 7


def test_a_body_that_is_not_a_bundle_is_refused_with_an_operation_outcome(client, token):
    response = post(client, token, {"resourceType": "Patient", "id": "x"})
    assert response.status_code == 422
    assert response.json()["issue"][0]["diagnostics"] == "resourceType: expected a Bundle"
    assert not PersonRecord.objects.exists()


def test_it_needs_a_token(client):
    response = client.post(
        "/api/fhir", data=json.dumps(sample_bundle()), content_type="application/fhir+json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize("declared", [True, False])
def test_a_bundle_over_the_limit_is_refused_whether_or_not_its_length_was_declared(
    rf, token, settings, declared
):
    from kinsight.api.views import api

    settings.KINSIGHT_FEED_MAX_BYTES = 100
    body = json.dumps(sample_bundle()).encode()
    request = rf.post("/api/fhir", data=body, content_type="application/fhir+json",
                      HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
    if not declared:
        del request.META["CONTENT_LENGTH"]  # as a chunked upload arrives
    view = api.urls[0]
    match = next(p for p in view if str(p.pattern) == "fhir")
    response = match.callback(request)
    assert response.status_code == 413
    assert not PersonRecord.objects.exists()
