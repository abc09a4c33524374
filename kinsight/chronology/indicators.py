"""Reading event summaries into stored indicators, and again when the text rules change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from kinsight.chronology.models import Event, Indicator
from kinsight.lib.bulk import FastInsert, execute_many

CHUNK = 2000


def read_pending_indicators(on_progress: Callable[[int], None] | None = None) -> int:
    """Read every summary not yet read with the current text rules; return how many were read.

    Most summaries are routine and name no finding: the cheap pre-check settles those without
    the pipeline, which is where nearly all the time of reading a whole store would go.
    """
    from kinsight.text import RULES_VERSION, may_hold_finding, read_many

    read = 0
    last = 0
    while True:
        rows = list(
            Event.objects.filter(pk__gt=last)
            .exclude(indicators_version=RULES_VERSION)
            .order_by("pk")
            .values_list("pk", "summary", "subjects")[:CHUNK]
        )
        if not rows:
            return read
        last = rows[-1][0]
        candidates = [(pk, summary, subjects) for pk, summary, subjects in rows
                      if summary and may_hold_finding(summary)]  # fmt: skip
        findings = read_many((summary, subjects) for _, summary, subjects in candidates)
        inserter = FastInsert(Indicator)
        new: list[Any] = []
        for (pk, _, _), found in zip(candidates, findings, strict=True):
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
            Indicator.objects.filter(event_id__in=[pk for pk, _, _ in candidates]).delete()
            inserter.insert(new)
            execute_many(
                "UPDATE chronology_event SET indicators_version = %s WHERE id = %s",
                [(RULES_VERSION, pk) for pk, _, _ in rows],
            )
        read += len(rows)
        if on_progress:
            on_progress(len(rows))
