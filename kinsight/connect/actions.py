"""Writes that connect agencies: CSV exports taken through a mapping, API tokens."""

from __future__ import annotations

import json
import secrets
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kinsight.audit.models import record_audit
from kinsight.connect.mapping import Mapping, RowError, map_csv
from kinsight.connect.models import ApiToken, SafeguardingContact, hash_token
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.feeds.ingest import IngestSummary, Rejection, file_digest
from kinsight.feeds.lines import code as agency_code
from kinsight.feeds.models import QuarantinedLine


def do_ingest_mapped(
    mapping_path: Path,
    csv_paths: Sequence[Path],
    *,
    acting: str,
    on_rejection: Callable[[Rejection], None] | None = None,
) -> IngestSummary:
    """Map each CSV export to feed lines and take them as `kinsight ingest` takes a feed.

    A row that cannot be mapped is quarantined as sent (the row as a JSON object of column to
    value), reported with its row, column and value, and audited with the file; every other row
    is taken. Raises MappingError when the mapping or a file as a whole is unusable.
    """
    mapping = Mapping.load(mapping_path)
    with tempfile.TemporaryDirectory(prefix="kinsight-map-") as tmp:
        feeds: list[Path] = []
        names: list[str] = []
        errors: list[tuple[str, RowError]] = []
        for index, csv_path in enumerate(csv_paths):
            feed = Path(tmp) / f"{index}.jsonl"
            with feed.open("w", encoding="utf-8") as out:
                result = map_csv(mapping, csv_path, out, str(csv_path))
            digest = file_digest(csv_path)
            errors.extend((digest, error) for error in result.errors)
            _record_mapping(csv_path, digest, mapping, result.rows, result.errors, acting)
            feeds.append(feed)
            names.append(str(csv_path))
        summary = do_ingest_feeds(feeds, acting=acting, names=names, on_rejection=on_rejection)
    for _digest, error in errors:
        rejection = Rejection(error.file, error.row, str(error).split(": ", 2)[-1])
        summary.rejected += 1
        summary.rejections.append(rejection)
        if on_rejection:
            on_rejection(rejection)
    return summary


def _record_mapping(
    csv_path: Path,
    digest: str,
    mapping: Mapping,
    rows: int,
    errors: list[RowError],
    acting: str,
) -> None:
    with transaction.atomic():
        if errors:
            QuarantinedLine.objects.bulk_create(
                [
                    QuarantinedLine(
                        file_name=str(csv_path),
                        file_digest=digest,
                        line_no=error.row,
                        raw=json.dumps(error.raw, ensure_ascii=False),
                        error=str(error).split(": ", 1)[-1],
                        received_at=timezone.now(),
                    )
                    for error in errors
                ],
                ignore_conflicts=True,
            )
        record_audit(
            actor=acting,
            action="map_csv",
            object_type="csv_export",
            object_id=str(csv_path),
            detail={
                "digest": digest,
                "mapping": mapping.name,
                "rows": rows,
                "rejected_rows": len(errors),
            },
        )


def do_add_api_token(agency: str, *, acting: str, label: str = "") -> tuple[ApiToken, str]:
    """Create a token for one agency; return it and its secret, which is never stored.

    The store keeps only a SHA-256 of the secret (the secret is 32 random bytes, so a slow hash
    adds nothing), and the audit entry names the token by its prefix.
    """
    agency_code(agency)
    secret = "ks_" + secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            agency_code=agency,
            label=label,
            prefix=secret[:10],
            token_hash=hash_token(secret),
            created_at=timezone.now(),
            created_by=acting,
        )
        record_audit(
            actor=acting,
            action="add_api_token",
            object_type="api_token",
            object_id=str(token.pk),
            detail={"agency": agency, "prefix": token.prefix, "label": label},
        )
    return token, secret


def do_revoke_api_token(token: ApiToken, *, acting: str) -> None:
    with transaction.atomic(durable=True):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_audit(
            actor=acting,
            action="revoke_api_token",
            object_type="api_token",
            object_id=str(token.pk),
            detail={"agency": token.agency_code, "prefix": token.prefix},
        )


def do_set_safeguarding_contact(
    agency: str, *, email: str, webhook_url: str, webhook_secret: str, acting: str
) -> SafeguardingContact:
    """Name where an agency is told of urgent alerts about children it works with."""
    agency_code(agency)
    with transaction.atomic(durable=True):
        contact, _ = SafeguardingContact.objects.update_or_create(
            agency_code=agency,
            defaults={
                "email": email,
                "webhook_url": webhook_url,
                "webhook_secret": webhook_secret,
            },  # fmt: skip
        )
        record_audit(
            actor=acting,
            action="set_safeguarding_contact",
            object_type="agency",
            object_id=agency,
            detail={"email": email, "webhook_url": webhook_url},
        )
    return contact
