"""Producing a review pack: a read of sensitive records, so it is audited like a write."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction

from kinsight.audit.models import record_audit
from kinsight.reviews.pack import PackRequest, build_pack
from kinsight.reviews.render import pack_format, write_pack


@dataclass
class PackWritten:
    path: Path
    key_path: Path | None
    events: int
    alerts: int
    alerts_today: int


def key_path_for(path: Path) -> Path:
    """The private key sits beside the pack, never inside it: `pack.pdf` -> `pack.pdf.key.json`."""
    return path.with_name(path.name + ".key.json")


def do_write_review_pack(
    request: PackRequest,
    out: Path,
    *,
    acting: str,
    reason: str,
    now: datetime | None = None,
) -> PackWritten:
    """Build the pack, write it (and its key when anonymised), and audit who read what and why.

    The audit row is written in the transaction that reads the records, and names the child's
    record, the period, the format and a digest of the file, never anything from inside it.
    """
    fmt = pack_format(out)
    if not reason.strip():
        raise ValueError("--reason: say why the pack is being made")
    with transaction.atomic():
        pack, key = build_pack(request, now=now)
        write_pack(pack, out)
        key_path = None
        if key is not None:
            key_path = key_path_for(out)
            key = {
                "pack": out.name,
                "warning": "Private: the key to an anonymised pack. Never publish it with the "
                "pack, and keep it where the records themselves are kept.",
                **key,
            }
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(key, handle, ensure_ascii=False, indent=1)
                handle.write("\n")
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        record_audit(
            actor=acting,
            action="review_pack",
            object_type="person_record",
            object_id=f"{request.agency}:{request.record_id}",
            reason=reason,
            detail={
                "from": request.date_from.isoformat(),
                "to": request.date_to.isoformat(),
                "anonymised": request.anonymise,
                "format": fmt.lstrip("."),
                "file": out.name,
                "sha256": digest,
                "events": len(pack["chronology"]),
                "family": len(pack["people"]),
            },
        )
    return PackWritten(
        out, key_path, len(pack["chronology"]), len(pack["alerts"]), len(pack["alerts_today"])
    )
