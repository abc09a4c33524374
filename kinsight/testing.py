"""Helpers shared by the tests: writing small feeds and running the console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

AGENCIES = [
    {"kind": "agency", "code": "csc-lancs", "name": "Lancashire Children's Services",
     "sector": "social_care"},
    {"kind": "agency", "code": "nhs-east", "name": "East Lancashire Hospitals", "sector": "health"},
    {"kind": "agency", "code": "lancs-police", "name": "Lancashire Constabulary",
     "sector": "police"},
]  # fmt: skip


def write_feed(path: Path, lines: Iterable[dict[str, Any] | str]) -> Path:
    """Write a feed: dicts become JSON lines, strings are written as they are (for bad lines)."""
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line if isinstance(line, str) else json.dumps(line))
            handle.write("\n")
    return path


def person(agency: str, record_id: str, **fields: Any) -> dict[str, Any]:
    return {"kind": "person", "agency": agency, "id": record_id, **fields}


def event(
    agency: str, event_id: str, type_: str, occurred_at: str, *subjects: tuple[str, str],
    **fields: Any,
) -> dict[str, Any]:  # fmt: skip
    return {
        "kind": "event", "agency": agency, "id": event_id, "type": type_,
        "occurred_at": occurred_at,
        "subjects": [{"ref": ref, "role": role} for ref, role in subjects],
        **fields,
    }  # fmt: skip


def run_kinsight(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the console script as a user would, in a child process."""
    full_env = {**os.environ, "KINSIGHT_ENV": "test", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kinsight", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        cwd=cwd,
        check=False,
    )
