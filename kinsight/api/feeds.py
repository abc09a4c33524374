"""`POST /api/feeds`: an agency sends a feed over HTTPS with its API token.

The body is JSON Lines (feed-format.md), read from the request stream to a temporary file in
chunks, never held whole in memory, then taken by the same action as `kinsight ingest`. The
answer says what became of every line: taken, updated, unchanged, or rejected with its message.
Sending the same body again changes nothing (every line comes back unchanged, or rejected again).
A token writes only its own agency's lines: a line of another agency is rejected like any bad
line, and nothing of it is written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer

from kinsight.connect.models import ApiToken
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.feeds.ingest import Rejection
from kinsight.feeds.lines import FeedLine

router = Router(tags=["feeds"])

CHUNK = 1 << 16


class AgencyToken(HttpBearer):
    """`Authorization: Bearer <token>`, a token made by `kinsight tokens add AGENCY`."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return ApiToken.find(token)


class LineResult(Schema):
    line: int
    outcome: str
    message: str | None = None
    warnings: list[str] | None = None


class FeedReceipt(Schema):
    agency: str
    lines: int
    taken: int
    updated: int
    unchanged: int
    rejected: int
    warnings: int
    results: list[LineResult]
    alerts: dict[str, int] | None = None


class FeedProblem(Schema):
    detail: str


@router.post(
    "/feeds",
    auth=AgencyToken(),
    response={200: FeedReceipt, 413: FeedProblem},
    summary="Send a feed (JSON Lines) for the token's agency",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
        }
    },
)
def post_feed(request: HttpRequest) -> HttpResponse:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    limit = settings.KINSIGHT_FEED_MAX_BYTES
    handle, name = tempfile.mkstemp(prefix="kinsight-feed-", suffix=".jsonl")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            size = 0
            while chunk := request.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    return _json({"detail": f"the feed is larger than {limit} bytes"}, 413)
                out.write(chunk)
        return _json(take_feed(path, token))
    finally:
        path.unlink(missing_ok=True)


def take_feed(path: Path, token: ApiToken) -> dict[str, Any]:
    """Take a feed file for the token's agency; return the receipt of every line."""
    results: list[tuple[int, str, str | None, list[str]]] = []

    def heard(line_no: int, outcome: str, line: FeedLine) -> None:
        results.append((line_no, outcome, None, line.warnings))

    def rejected(rejection: Rejection) -> None:
        results.append((rejection.line, "rejected", rejection.error, []))

    summary = do_ingest_feeds(
        [path],
        acting=f"api-token:{token.prefix}",
        names=[f"POST /api/feeds ({token.agency_code}, token {token.prefix})"],
        only_agency=token.agency_code,
        on_outcome=heard,
        on_rejection=rejected,
    )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    results.sort(key=lambda item: item[0])
    return {
        "agency": token.agency_code,
        **summary.counts(),
        "results": [
            {
                "line": line_no,
                "outcome": outcome,
                **({"message": message} if message else {}),
                **({"warnings": warnings} if warnings else {}),
            }
            for line_no, outcome, message, warnings in results
        ],
        "alerts": summary.alerts.counts() if summary.alerts is not None else None,
    }


# The FHIR routes share the token and the receipt (kinsight/api/fhir.py).
router.add_router("/", "kinsight.api.fhir.router")


def _json(data: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), status=status, content_type="application/json")
