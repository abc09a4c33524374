"""The API shows why a person's records are linked and lets a case-holder decide a pair."""

import pytest

from kinsight.access.models import User
from kinsight.people.models import LinkCandidate, PersonRecord
from kinsight.people.tests.linkcase import ingest
from kinsight.people.tests.test_review_decisions import DOUBTFUL

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    # Tara manages a social-care team: she may decide links about the children it knows.
    user = User.objects.create_user(
        "tara", password="x", role="team_manager", agency_code="csc-lancs"
    )
    client.force_login(user)
    return client


def test_a_persons_links_explain_themselves(tmp_path, manager):
    ingest(tmp_path, DOUBTFUL[1:])
    person = PersonRecord.objects.get().person_id
    body = manager.get(f"/api/persons/{person}/links").json()
    assert body["person"] == f"p-{person}"
    assert body["records"][0]["link_reason"]["rule"] == "single_record"


def test_a_case_holder_decides_and_undoes_a_pair(tmp_path, manager):
    ingest(tmp_path, DOUBTFUL)
    candidate = LinkCandidate.objects.get()
    assert manager.get("/api/link-candidates").json()[0]["id"] == candidate.pk
    done = manager.post(f"/api/link-candidates/{candidate.pk}/decision",
                        {"verdict": "same", "reason": "same GP"},
                        content_type="application/json").json()  # fmt: skip
    assert done["verdict"] == "same"
    undone = manager.post(f"/api/link-decisions/{done['id']}/undo", {"reason": "wrong"},
                          content_type="application/json").json()  # fmt: skip
    assert undone["undone"] is True


def test_an_auditor_may_not_decide(tmp_path, client):
    ingest(tmp_path, DOUBTFUL)
    client.force_login(User.objects.create_user("ann", password="x", role="auditor"))
    candidate = LinkCandidate.objects.get()
    response = client.post(f"/api/link-candidates/{candidate.pk}/decision",
                           {"verdict": "same"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 403


def test_links_of_a_person_the_user_may_not_see_answer_404(tmp_path, manager):
    ingest(tmp_path, DOUBTFUL[:1])
    person = PersonRecord.objects.get().person_id
    assert manager.get(f"/api/persons/{person}/links").status_code == 404


def test_no_one_signed_out_sees_links(client):
    assert client.get("/api/persons/1/links").status_code == 401
