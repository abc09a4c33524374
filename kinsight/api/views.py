from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

import kinsight
from kinsight.api.alerts import router as alerts_router
from kinsight.api.people import router as people_router

api = NinjaAPI(title="Kinsight", version=kinsight.__version__, urls_namespace="api")


class Health(Schema):
    status: str
    version: str


@api.get("/health", response=Health, auth=None, summary="Is the service up")
def health(request: HttpRequest) -> Health:
    return Health(status="ok", version=kinsight.__version__)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


# People and alerts: the same reads as the pages, behind the same access checks.
api.add_router("", people_router)
api.add_router("", alerts_router)
api.add_router("/", "kinsight.api.feeds.router")  # POST /api/feeds (issue 9)


# -- linkage: a person's records and why they are linked; the review queue -------------------
# Who may decide a link: the roles that manage cases (an access module will replace this).
DECIDERS = frozenset({"team_manager", "social_worker", "admin"})


class LinkedRecord(Schema):
    agency: str
    record_id: str
    name: str
    birth_date: str
    link_reason: dict[str, Any]


class PersonLinks(Schema):
    person: str
    records: list[LinkedRecord]
    nhs_conflict: list[str]


class Candidate(Schema):
    id: int
    record_a: str
    record_b: str
    match_weight: float
    match_probability: float
    explanation: dict[str, Any]
    status: str


class Decide(Schema):
    verdict: str
    reason: str = ""


class Undo(Schema):
    reason: str


class DecisionOut(Schema):
    id: int
    verdict: str
    moved: list[list[Any]]
    undone: bool


def _decider(request: HttpRequest) -> str:
    user = request.user
    if not user.is_authenticated or getattr(user, "role", "") not in DECIDERS:
        raise HttpError(403, "deciding links needs a case-holding role")
    return f"user:{user.get_username()}"


@api.get("/persons/{person_id}/links", response=PersonLinks, auth=django_auth,
         summary="A person's records and why each is linked")  # fmt: skip
def person_links(request: HttpRequest, person_id: str) -> PersonLinks:
    from kinsight.access.checks import person_for
    from kinsight.people.models import PersonRecord

    # The same need-to-know check, audit and 404 as the person page.
    person = person_for(request.user, person_id, read="links")  # type: ignore[arg-type]
    rows = list(PersonRecord.objects.filter(person=person).select_related("agency"))
    numbers = sorted({r.nhs_number for r in rows if r.nhs_number})
    return PersonLinks(
        person=person.public_id,
        records=[
            LinkedRecord(
                agency=r.agency.code,
                record_id=r.record_id,
                name=r.display_name,
                birth_date=r.birth_date,
                link_reason=r.link_reason,
            )  # fmt: skip
            for r in rows
        ],
        nhs_conflict=numbers if len(numbers) > 1 else [],
    )


def _candidate(row: Any) -> Candidate:
    return Candidate(
        id=row.pk,
        record_a=f"{row.record_a.agency.code}:{row.record_a.record_id}",
        record_b=f"{row.record_b.agency.code}:{row.record_b.record_id}",
        match_weight=row.match_weight,
        match_probability=row.match_probability,
        explanation=row.explanation,
        status=row.status,
    )


@api.get("/link-candidates", response=list[Candidate], auth=django_auth,
         summary="Pairs waiting for a person to decide")  # fmt: skip
def link_candidates(request: HttpRequest) -> list[Candidate]:
    from kinsight.access.checks import visible_among
    from kinsight.people.models import LinkCandidate

    _decider(request)
    rows = list(
        LinkCandidate.objects.filter(status=LinkCandidate.Status.PENDING)
        .select_related("record_a__agency", "record_b__agency")
        .order_by("-match_weight")[:500]
    )
    # Only pairs in which the user may see one side: deciding whether another agency's record
    # is their child needs that record's identifying details, and no more than the pair shows.
    persons = {r.person_id for row in rows for r in (row.record_a, row.record_b) if r.person_id}
    seen = visible_among(request.user, persons)  # type: ignore[arg-type]
    return [
        _candidate(row)
        for row in rows
        if any(r.person_id in seen for r in (row.record_a, row.record_b))
    ]


def _decision(row: Any) -> DecisionOut:
    return DecisionOut(id=row.pk, verdict=row.verdict, moved=row.moved,
                       undone=row.undone_at is not None)  # fmt: skip


@api.post("/link-candidates/{candidate_id}/decision", response=DecisionOut, auth=django_auth,
          summary="Decide a pair: same person, or not the same")  # fmt: skip
def decide_candidate(request: HttpRequest, candidate_id: int, body: Decide) -> DecisionOut:
    from kinsight.people.actions import LinkError, do_decide_link_candidate
    from kinsight.people.models import LinkCandidate

    acting = _decider(request)
    candidate = LinkCandidate.objects.filter(pk=candidate_id).first()
    if candidate is None:
        raise HttpError(404, "no such candidate")
    try:
        decision = do_decide_link_candidate(candidate, acting=acting, verdict=body.verdict,
                                            reason=body.reason)  # fmt: skip
    except LinkError as exc:
        raise HttpError(400, str(exc)) from exc
    return _decision(decision)


@api.post("/link-decisions/{decision_id}/undo", response=DecisionOut, auth=django_auth,
          summary="Undo a link decision, with a reason")  # fmt: skip
def undo_decision(request: HttpRequest, decision_id: int, body: Undo) -> DecisionOut:
    from kinsight.people.actions import LinkError, do_undo_link_decision
    from kinsight.people.models import LinkDecision

    acting = _decider(request)
    decision = LinkDecision.objects.filter(pk=decision_id).first()
    if decision is None:
        raise HttpError(404, "no such decision")
    try:
        do_undo_link_decision(decision, acting=acting, reason=body.reason)
    except LinkError as exc:
        raise HttpError(400, str(exc)) from exc
    return _decision(decision)
