"""The API's alerts: the inbox, one alert, and the lifecycle actions (each auditing itself)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from kinsight.access.checks import alert_for
from kinsight.api.people import user_of
from kinsight.lib.moments import format_moment
from kinsight.rules.actions import AlertActionError
from kinsight.rules.queries import alert_json
from kinsight.web import alerts as alert_pages

router = Router(tags=["alerts"], auth=django_auth)


class AlertOut(Schema):
    id: int
    child: str
    rule: str
    severity: str
    status: str
    raised_at: str
    explanation: str
    subjects: list[Any]
    evidence: list[Any]
    withdrawn_at: str | None = None


def _out(alert: Any) -> AlertOut:
    return AlertOut(child=alert.child.public_id, **alert_json(alert))


@router.get("/alerts", response=list[AlertOut], summary="The caller's alerts, urgent first")
def inbox(request: HttpRequest, closed: bool = False) -> list[AlertOut]:
    return [_out(a) for a in alert_pages.inbox(user_of(request), show_closed=closed)]


class RuleOut(Schema):
    id: str
    title: str
    explanation: str
    guidance: str
    consider: str


class ChangeOut(Schema):
    kind: str
    at: str
    by: str
    status: str
    note: str


class AlertDetailOut(AlertOut):
    rule_info: RuleOut
    history: list[ChangeOut]


@router.get("/alerts/{alert_id}", response=AlertDetailOut, summary="One alert, with its rule")
def alert(request: HttpRequest, alert_id: int) -> AlertDetailOut:
    found = alert_for(user_of(request), alert_id)
    info = alert_pages.rule_info(found.rule)
    return AlertDetailOut(
        child=found.child.public_id,
        **alert_json(found),
        rule_info=RuleOut(**info.__dict__),
        history=[
            ChangeOut(kind=c.kind, at=format_moment(c.at), by=c.by, status=c.status, note=c.note)
            for c in alert_pages.history(found)
        ],
    )


class StepIn(Schema):
    note: str = ""
    reason: str = ""


@router.post(
    "/alerts/{alert_id}/{step}",
    response=AlertOut,
    summary="Acknowledge (note optional), record an action (note) or close (reason)",
)
def act(request: HttpRequest, alert_id: int, step: str, body: StepIn) -> AlertOut:
    if step not in alert_pages.STEPS:
        raise HttpError(404, "No such step: use acknowledge, action or close")
    found = alert_for(user_of(request), alert_id, acting=True)
    spec = alert_pages.STEPS[step]
    text = (body.reason if spec.field == "reason" else body.note)[:5000]
    try:
        changed = spec.do(found, user_of(request).username, text)
    except AlertActionError as error:
        raise HttpError(400, str(error)) from None
    return _out(changed)
