"""Acting on an alert from its page: acknowledge, record action, close with a reason."""

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.rules.models import Alert

pytestmark = pytest.mark.django_db


def step(client, alert, name, **data):
    return client.post(f"/alerts/{alert.pk}/{name}/", data)


def test_a_social_worker_acknowledges_records_action_and_closes(cast, signed_in):
    client = signed_in("sam")
    alert = cast.chloe_alert
    assert step(client, alert, "acknowledge", note="Looking now").status_code == 302
    assert step(client, alert, "action", note="Rang the duty manager").status_code == 302
    assert step(client, alert, "close", reason="Decision recorded late").status_code == 302
    assert Alert.objects.get(pk=alert.pk).status == "closed"
    actions = AuditEntry.objects.filter(actor="sam", object_type="alert", object_id=str(alert.pk))
    assert [e.action for e in actions.order_by("pk")] == [
        "alert_acknowledged", "alert_actioned", "alert_closed",
    ]  # fmt: skip
    html = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert "Rang the duty manager" in html
    assert "Act on this alert" not in html


def test_closing_without_a_reason_is_explained_and_changes_nothing(cast, signed_in):
    response = step(signed_in("sam"), cast.chloe_alert, "close", reason="  ")
    assert response.status_code == 400
    assert "Give a reason for closing it" in response.content.decode()
    assert Alert.objects.get(pk=cast.chloe_alert.pk).status == "open"


def test_an_alert_already_closed_cannot_be_acknowledged(cast, signed_in):
    client = signed_in("sam")
    step(client, cast.chloe_alert, "close", reason="No concern")
    response = step(client, cast.chloe_alert, "acknowledge")
    assert response.status_code == 400
    assert "cannot be marked acknowledged" in response.content.decode()


def test_a_reviewer_reads_but_may_not_act(cast, signed_in):
    client = signed_in("rita")
    assert "Act on this alert" not in client.get(f"/alerts/{cast.chloe_alert.pk}/").content.decode()
    assert step(client, cast.chloe_alert, "acknowledge").status_code == 403


def test_acting_on_an_alert_the_user_may_not_see_is_404(cast, signed_in):
    assert step(signed_in("sam"), cast.oliver_alert, "acknowledge").status_code == 404


def test_an_unknown_step_is_404_and_a_get_is_refused(cast, signed_in):
    client = signed_in("sam")
    assert step(client, cast.chloe_alert, "delete").status_code == 404
    assert client.get(f"/alerts/{cast.chloe_alert.pk}/close/").status_code == 405
