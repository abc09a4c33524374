"""`GET /api/fhir/Flag?patient=NHS_NUMBER`: the child-protection Flag a CP-IS consumer expects."""

from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.flag import Flag

from kinsight.audit.models import AuditEntry
from kinsight.connect.actions import do_add_api_token, do_ingest_mapped
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.testing import event, person, write_feed

pytestmark = pytest.mark.django_db

SSD = Path(__file__).resolve().parents[3] / "examples" / "mappings" / "ssd"
ON_PLAN = "4010232137"  # C1004 in the SSD sample: on a child protection plan since 26/06/2023
NOT_ON_PLAN = "9434765870"  # C1002: referred and assessed, never on a plan


@pytest.fixture
def ssd():
    for table in ("ssd_person", "ssd_cp_plans"):
        do_ingest_mapped(SSD / f"{table}.yaml", [SSD / f"{table}.csv"], acting="test")


@pytest.fixture
def token():
    return do_add_api_token("elht", acting="test")[1]


def get(client, token, patient):
    return client.get("/api/fhir/Flag", {"patient": patient}, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_child_on_a_plan_has_one_active_cp_is_flag_that_validates(client, ssd, token):
    response = get(client, token, ON_PLAN)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = response.json()
    Bundle.model_validate(bundle)
    assert bundle["type"] == "searchset" and bundle["total"] == 1
    flag = bundle["entry"][0]["resource"]
    Flag.model_validate(flag)
    assert flag["status"] == "active"
    assert flag["category"][0]["coding"][0]["code"] == "CP-IS"
    assert flag["code"]["text"] == "Child Protection Plan"
    assert flag["subject"] == {
        "identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": ON_PLAN}
    }
    assert flag["period"] == {"start": "2023-06-26T00:00:00+01:00"}
    assert flag["author"] == {"display": "Northfield Children's Services"}


def test_the_token_form_of_the_search_parameter_is_understood(client, ssd, token):
    patient = f"https://fhir.nhs.uk/Id/nhs-number|{ON_PLAN}"
    assert get(client, token, patient).json()["total"] == 1


def test_a_child_not_on_a_plan_has_no_flag(client, ssd, token):
    assert get(client, token, NOT_ON_PLAN).json() == {
        **get(client, token, NOT_ON_PLAN).json(),
        "total": 0,
        "entry": [],
    }


def test_a_plan_that_ended_leaves_no_flag(client, ssd, token, tmp_path):
    feed = write_feed(tmp_path / "end.jsonl", [
        event("csc-northfield", "CPP-P901-END", "plan", "2024-01-10", ("C1004", "child"),
              details={"plan": "child_protection", "status": "ended", "reason": "risk_reduced"}),
    ])  # fmt: skip
    do_ingest_feeds([feed], acting="test")
    assert get(client, token, ON_PLAN).json()["total"] == 0


def test_a_plan_recorded_by_another_agency_for_the_linked_child_counts(client, token, tmp_path):
    feed = write_feed(tmp_path / "f.jsonl", [
        person("elht", "H-1", nhs_number=ON_PLAN),
        person("csc-x", "C-1", nhs_number=ON_PLAN),
        event("csc-x", "P-1", "plan", "2024-02-01", ("C-1", "child"),
              details={"plan": "looked_after", "status": "started"}),
    ])  # fmt: skip
    do_ingest_feeds([feed], acting="test")
    flags = get(client, token, ON_PLAN).json()["entry"]
    assert [f["resource"]["code"]["text"] for f in flags] == ["Looked After Child"]


def test_every_look_up_is_audited(client, ssd, token):
    get(client, token, ON_PLAN)
    entry = AuditEntry.objects.get(action="read_fhir_flag")
    assert entry.object_id == ON_PLAN and entry.detail == {"flags": 1}


def test_it_refuses_what_is_not_an_nhs_number(client, token):
    response = get(client, token, "1234567890")
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_it_needs_a_token_or_a_signed_in_user(client):
    assert client.get("/api/fhir/Flag", {"patient": ON_PLAN}).status_code == 401
