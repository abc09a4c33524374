"""The alerts inbox and the alert page: urgent first, evidence, guidance, 404 when forbidden."""

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.rules.models import Alert, AlertStatus

pytestmark = pytest.mark.django_db


URGENT_FIRST = {"urgent": 0, "warning": 1}


def test_the_inbox_lists_urgent_alerts_first_and_only_visible_children(cast, signed_in):
    alerts = signed_in("sam").get("/alerts/").context["alerts"]
    assert {cast.chloe_alert.pk, cast.chloe_injury_alert.pk} <= {a.pk for a in alerts}
    assert {a.child_id for a in alerts} <= {cast.chloe.pk, cast.kerry.pk, cast.ava.pk}
    ranks = [URGENT_FIRST[a.severity] for a in alerts]
    assert ranks == sorted(ranks)


def test_a_reviewer_sees_the_alerts_of_the_child_under_review_and_its_family_only(cast, signed_in):
    alerts = signed_in("rita").get("/alerts/").context["alerts"]
    family = [cast.chloe, cast.kerry, cast.ava]
    assert {a.pk for a in alerts} == set(
        Alert.objects.filter(child__in=family).values_list("pk", flat=True)
    )
    assert cast.oliver_alert.pk not in {a.pk for a in alerts}


def test_an_administrator_sees_no_alerts(cast, signed_in):
    assert list(signed_in("ada").get("/alerts/").context["alerts"]) == []


def test_closed_alerts_are_shown_only_when_asked(cast, signed_in):
    cast.chloe_injury_alert.status = AlertStatus.CLOSED
    cast.chloe_injury_alert.save(update_fields=["status"])
    client = signed_in("sam")
    assert cast.chloe_injury_alert.pk not in {
        a.pk for a in client.get("/alerts/").context["alerts"]
    }
    assert cast.chloe_injury_alert.pk in {
        a.pk for a in client.get("/alerts/?closed=1").context["alerts"]
    }


def test_the_alert_page_shows_evidence_guidance_and_what_to_consider(cast, signed_in):
    response = signed_in("sam").get(f"/alerts/{cast.chloe_alert.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Working Together to Safeguard Children 2023" in html
    assert "Consider who holds the referral" in html
    assert [e.event_id for e, *_ in response.context["evidence"]] == ["R-1"]
    assert AuditEntry.objects.filter(actor="sam", action="read_alert").exists()


def test_an_alert_about_a_child_the_user_may_not_see_is_404(cast, signed_in):
    client = signed_in("sam")
    assert client.get(f"/alerts/{cast.oliver_alert.pk}/").status_code == 404
    assert client.get("/alerts/999999/").status_code == 404


def test_an_alert_stored_ahead_of_its_deadline_is_not_shown_yet(cast, signed_in):
    from datetime import timedelta

    from django.utils import timezone

    Alert.objects.filter(pk=cast.chloe_alert.pk).update(
        raised_at=timezone.now() + timedelta(days=3)
    )
    client = signed_in("sam")
    assert cast.chloe_alert.pk not in {a.pk for a in client.get("/alerts/").context["alerts"]}
    assert client.get(f"/alerts/{cast.chloe_alert.pk}/").status_code == 404
