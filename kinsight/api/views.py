from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema

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
