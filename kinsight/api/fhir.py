"""FHIR R4 over HTTP: `POST /api/fhir` takes a Bundle from an agency (its API token), and
`GET /api/fhir/Flag?patient=NHS_NUMBER` answers whether a child is on a plan, as CP-IS does.

Both speak `application/fhir+json`. Every Flag read is audited, because who looked a child up
is part of the record (CP-IS keeps the accesses too).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router
from ninja.security import django_auth

from kinsight.api.feeds import AgencyToken, take_feed
from kinsight.audit.models import record_audit
from kinsight.connect.fhir import NHS_NUMBER, BundleRefused, bundle_to_lines
from kinsight.connect.flags import child_protection_flags
from kinsight.connect.models import ApiToken
from kinsight.lib.nhs import is_valid_nhs_number

router = Router(tags=["fhir"])
FHIR_JSON = "application/fhir+json"


@router.post(
    "/fhir",
    auth=AgencyToken(),
    summary="Send a FHIR R4 Bundle (Patient, RelatedPerson, Encounter, Condition, Observation, "
    "Flag) for the token's agency",
    openapi_extra={
        "requestBody": {"required": True, "content": {FHIR_JSON: {"schema": {"type": "object"}}}}
    },
)
def post_bundle(request: HttpRequest) -> HttpResponse:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    limit = settings.KINSIGHT_FEED_MAX_BYTES
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        return _outcome(413, "too-costly", "the Bundle is larger than KINSIGHT_FEED_MAX_BYTES")
    # Read no more than the limit even when no length was declared (a chunked body): a Bundle is
    # one JSON document, read whole, so the cap is what keeps memory bounded.
    body = request.read(limit + 1)
    if len(body) > limit:
        return _outcome(413, "too-costly", "the Bundle is larger than KINSIGHT_FEED_MAX_BYTES")
    try:
        data = json.loads(body)
    except ValueError as exc:
        return _outcome(400, "structure", f"not JSON: {exc}")
    try:
        converted = bundle_to_lines(data, token.agency_code)
    except BundleRefused as exc:
        return _outcome(422, "structure", str(exc))
    handle, name = tempfile.mkstemp(prefix="kinsight-fhir-", suffix=".jsonl")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            for line in converted.lines:
                out.write(orjson.dumps(line) + b"\n")
        receipt = take_feed(path, token)
    finally:
        path.unlink(missing_ok=True)
    receipt["skipped"] = [
        {"entry": index, "resource": label, "message": message}
        for index, label, message in converted.skipped
    ]
    return HttpResponse(orjson.dumps(receipt), content_type="application/json")


@router.get(
    "/fhir/Flag",
    auth=[AgencyToken(), django_auth],
    summary="Child-protection Flags of a child, by NHS number (a searchset Bundle)",
)
def search_flags(request: HttpRequest, patient: str) -> HttpResponse:
    nhs = patient.rpartition("|")[2].replace(" ", "")
    system = patient.rpartition("|")[0]
    if (system and system != NHS_NUMBER) or not is_valid_nhs_number(nhs):
        return _outcome(400, "value", "patient: expected an NHS number (modulus 11)")
    flags = child_protection_flags(nhs)
    who = getattr(request, "auth", None)
    actor = f"api-token:{who.prefix}" if isinstance(who, ApiToken) else str(who)
    record_audit(
        actor=actor,
        action="read_fhir_flag",
        object_type="nhs_number",
        object_id=nhs,
        detail={"flags": len(flags)},
    )
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "total": len(flags),
        "entry": [
            {"fullUrl": f"Flag/{flag['id']}", "resource": flag, "search": {"mode": "match"}}
            for flag in flags
        ],
    }
    return HttpResponse(orjson.dumps(bundle), content_type=FHIR_JSON)


def _outcome(status: int, code: str, message: str) -> HttpResponse:
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": message}],
    }
    return HttpResponse(orjson.dumps(outcome), status=status, content_type=FHIR_JSON)
