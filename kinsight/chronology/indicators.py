"""Reading event summaries into stored indicators, and again when the text rules change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from kinsight.chronology.models import Event, EventSubject, Indicator, TextRulesRead
from kinsight.lib.bulk import FastInsert

CHUNK = 2000


def read_pending_indicators(on_progress: Callable[[int], None] | None = None) -> int:
    """Read every summary not yet read with the current text rules; return how many were read.

    The unread summaries are found by their own index (`event_unread_summary_idx`), so one new
    line costs what the line holds, not what the store does. When the text rules have changed
    since the store was last read, every summary is first marked unread again.

    Most summaries are routine and name no finding: the cheap pre-check settles those without
    the pipeline, which is where nearly all the time of reading a whole store would go.
    """
    from kinsight.text import RULES_VERSION, may_hold_finding, read_many

    _forget_older_readings(RULES_VERSION)
    read = 0
    last = 0
    while True:
        rows = list(
            Event.objects.filter(pk__gt=last, indicators_version="")
            .order_by("pk")
            .values_list("pk", "summary", "subjects", "occurred_at")[:CHUNK]
        )
        if not rows:
            return read
        last = rows[-1][0]
        candidates = [(pk, summary, subjects, at) for pk, summary, subjects, at in rows
                      if summary and may_hold_finding(summary)]  # fmt: skip
        people = _subject_people([pk for pk, *_ in candidates])
        findings = read_many(
            (summary, [_described(s, people.get((pk, s["ref"])), at) for s in subjects])
            for pk, summary, subjects, at in candidates
        )
        inserter = FastInsert(Indicator)
        new: list[Any] = []
        for (pk, *_), found in zip(candidates, findings, strict=True):
            for f in found:
                new.append(
                    inserter.new(
                        event_id=pk,
                        indicator=f.indicator,
                        start=f.start,
                        end=f.end,
                        text=f.text[:256],
                        negated=f.negated,
                        hypothetical=f.hypothetical,
                        historical=f.historical,
                        uncertain=f.uncertain,
                        experiencer=f.experiencer,
                        subject_ref=f.subject_ref or "",
                        modifiers=list(f.modifiers),
                        rules_version=RULES_VERSION,
                    )  # fmt: skip
                )
        with transaction.atomic():
            # Every row's earlier findings go, not only the candidates': a summary corrected
            # to routine words keeps none of what its first version said.
            chunk = [pk for pk, *_ in rows]
            Indicator.objects.filter(event_id__in=chunk).delete()
            inserter.insert(new)
            # One statement for the chunk: PostgreSQL planned and ran one UPDATE a row before.
            Event.objects.filter(pk__in=chunk).update(indicators_version=RULES_VERSION)
        read += len(rows)
        if on_progress:
            on_progress(len(rows))


def _forget_older_readings(version: str) -> None:
    """Mark unread every summary read with other text rules than `version`, once per change of
    the rules (the whole store is read again then; at any other time this is one row read)."""
    with transaction.atomic():
        # Several ingests may start at once on a new store: the row is made by whichever comes
        # first, and the others wait on its lock instead of failing to insert it again.
        TextRulesRead.objects.bulk_create(
            [TextRulesRead(pk=1, rules_version="", changed_at=timezone.now())],
            ignore_conflicts=True,
        )
        marker = TextRulesRead.objects.select_for_update().get(pk=1)
        if marker.rules_version == version:
            return
        Event.objects.exclude(indicators_version="").exclude(indicators_version=version).update(
            indicators_version=""
        )
        marker.rules_version, marker.changed_at = version, timezone.now()
        marker.save(update_fields=["rules_version", "changed_at"])


def _subject_people(event_ids: list[int]) -> dict[tuple[int, str], tuple[str, str]]:
    """Each subject's given name and birth date, from the agency's own record of them."""
    found: dict[tuple[int, str], tuple[str, str]] = {}
    rows = EventSubject.objects.filter(event_id__in=event_ids, record__isnull=False).values_list(
        "event_id", "ref", "record__given_name", "record__birth_date"
    )
    for event_id, ref, given, born in rows:
        found[(event_id, ref)] = (given or "", born or "")
    return found


def _described(
    subject: dict[str, str], person: tuple[str, str] | None, at: datetime
) -> dict[str, str]:
    """A subject as the text reader takes it: with a name, and a role that says who they are.

    Roles such as `victim` do not say whether the person is a child; a note's "Kayley had facial
    injuries" is about the adult victim when her record says she is an adult.
    """
    if person is None:
        return subject
    given, born = person
    described = {**subject, "name": given}
    if born and subject.get("role", "") in ADULT_NEUTRAL_ROLES and at.year - int(born[:4]) >= 18:
        described["role"] = "household_member"  # a role word the reader reads as an adult
    return described


# Roles that do not say whether the person is a child or an adult.
ADULT_NEUTRAL_ROLES = {"", "subject", "victim", "alleged_perpetrator", "reporter", "parent"}
