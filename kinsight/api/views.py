from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

import kinsight

api = NinjaAPI(title="Kinsight", version=kinsight.__version__, urls_namespace="api")


class Health(Schema):
    status: str
    version: str


@api.get("/health", response=Health, auth=None, summary="Is the service up")
def health(request: HttpRequest) -> Health:
    return Health(status="ok", version=kinsight.__version__)


api.add_router("/", "kinsight.api.feeds.router")  # POST /api/feeds (issue 9)
