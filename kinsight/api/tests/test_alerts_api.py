"""The alert endpoints: inbox, one alert, and the lifecycle actions with their checks."""

import pytest

from kinsight.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_inbox_lists_urgent_first_and_only_visible_children(cast, signed_in):
    alerts = signed_in("sam").get("/api/alerts").json()
    assert {cast.chloe_alert.pk, cast.chloe_injury_alert.pk} <= {a["id"] for a in alerts}
    assert cast.oliver_alert.pk not in {a["id"] for a in alerts}
    ranks = [0 if a["severity"] == "urgent" else 1 for a in alerts]
    assert ranks == sorted(ranks)


def test_one_alert_carries_its_rule_and_history(cast, signed_in):
    data = signed_in("sam").get(f"/api/alerts/{cast.chloe_alert.pk}").json()
    assert data["rule_info"]["guidance"].startswith("Working Together")
    assert [c["kind"] for c in data["history"]] == ["raised"]


def test_a_forbidden_alert_is_404(cast, signed_in):
    assert signed_in("sam").get(f"/api/alerts/{cast.oliver_alert.pk}").status_code == 404


def test_a_practitioner_acknowledges_acts_and_closes(cast, signed_in):
    client = signed_in("sam")
    url = f"/api/alerts/{cast.chloe_alert.pk}"
    assert (
        client.post(f"{url}/acknowledge", {}, content_type="application/json").json()["status"]
        == "acknowledged"
    )
    assert (
        client.post(
            f"{url}/action", {"note": "Called the duty team"}, content_type="application/json"
        ).json()["status"]
        == "actioned"
    )
    assert (
        client.post(
            f"{url}/close", {"reason": "Decision was made"}, content_type="application/json"
        ).json()["status"]
        == "closed"
    )
    assert AuditEntry.objects.filter(actor="sam", action="alert_closed").exists()


def test_closing_without_a_reason_is_400(cast, signed_in):
    response = signed_in("sam").post(
        f"/api/alerts/{cast.chloe_alert.pk}/close", {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()["detail"]


def test_a_reviewer_may_not_act_403_and_a_stranger_404(cast, signed_in):
    url = f"/api/alerts/{cast.chloe_alert.pk}/acknowledge"
    assert signed_in("rita").post(url, {}, content_type="application/json").status_code == 403
    assert signed_in("nina").post(url, {}, content_type="application/json").status_code == 404


def test_an_unknown_step_is_404(cast, signed_in):
    response = signed_in("sam").post(
        f"/api/alerts/{cast.chloe_alert.pk}/delete", {}, content_type="application/json"
    )
    assert response.status_code == 404
