"""Small feeds for the linkage tests: a person line per record, ingested and linked."""

from __future__ import annotations

from typing import Any

from kinsight.feeds.actions import do_ingest_feeds
from kinsight.people.models import PersonRecord
from kinsight.testing import AGENCIES, person, write_feed

SCHOOL = {"kind": "agency", "code": "school-1", "name": "Mill Lane Primary",
          "sector": "education"}  # fmt: skip


def ingest(tmp_path: Any, lines: list[Any], name: str = "feed.jsonl") -> None:
    do_ingest_feeds([write_feed(tmp_path / name, [*AGENCIES, SCHOOL, *lines])], acting="test")


def person_of(agency: str, record_id: str) -> int | None:
    return PersonRecord.objects.get(agency__code=agency, record_id=record_id).person_id


def child(agency: str, record_id: str, given: str, family: str, **fields: Any) -> dict[str, Any]:
    values = {"given_name": given, "family_name": family, "sex": "female",
              "birth_date": "2018-03-02",
              "address": {"text": "12 Mill Lane, Burnley", "postcode": "BB11 2AB"}}  # fmt: skip
    values.update(fields)
    return person(agency, record_id, **values)
