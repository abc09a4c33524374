from __future__ import annotations

from django.db import models

from kinsight.feeds.models import Agency
from kinsight.people.models import PersonRecord


class Event(models.Model):
    """Something that happened, as one agency recorded it (its latest version)."""

    # Covered by the unique (agency, event_id) index; a second index would only slow writes.
    # Kept by the ingest, not by a database constraint (docs/adr/0005-*): agencies are never
    # deleted, and the ORM still refuses to delete one that has events.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, db_index=False, db_constraint=False
    )
    event_id = models.CharField(max_length=128)
    type = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    # Defaults to occurred_at; an alert may never rely on the event before this moment.
    recorded_at = models.DateTimeField()
    first_recorded_at = models.DateTimeField()
    summary = models.TextField(blank=True, default="")
    details = models.JSONField(default=dict)
    shared_with = models.JSONField(default=list)
    subjects = models.JSONField(default=list)
    received_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    digest = models.CharField(max_length=64)
    raw = models.TextField()
    warnings = models.JSONField(default=list)
    retracted_at = models.DateTimeField(null=True)
    retraction_reason = models.TextField(blank=True, default="")
    # The version of the text rules the summary was last read with ("" until it is read).
    indicators_version = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "event_id"], name="event_unique")]
        indexes = [
            # Events are found through their subjects (by person) and then put in time order;
            # no query reads them by time alone, so no index holds a moment: in a store of a
            # million events, each such index cost the ingest a fifth of its time (new events
            # land all over a time index, but at the end of each type's part of this one).
            models.Index(fields=["type"], name="event_type_idx"),
            # The summaries not read yet, and only those: one new line's text is found by this
            # small index, not by a read of every event.
            models.Index(
                fields=["id"],
                condition=models.Q(indicators_version=""),
                name="event_unread_summary_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code}:{self.event_id}"


class EventSubject(models.Model):
    """A person an event concerns, resolved to the agency's record when that record arrives."""

    # The ingest writes a subject with its event, in one transaction, and the ORM deletes it
    # with its event; PostgreSQL's check of each row at commit was most of an ingest's wait
    # on the server (docs/adr/0005-*).
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="subject_rows", db_constraint=False
    )
    # The event's own agency, copied so that late references resolve by (agency, ref); it is
    # the event's, so it carries no constraint or index of its own.
    agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, db_index=False, db_constraint=False
    )
    ref = models.CharField(max_length=128)
    role = models.TextField(blank=True, default="")
    # Indexed by the (record, event) index below. Set by the ingest from the record it finds
    # in the same transaction; the ORM empties it when the record is deleted (docs/adr/0005-*).
    record = models.ForeignKey(
        PersonRecord,
        null=True,
        on_delete=models.SET_NULL,
        related_name="event_subjects",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        indexes = [
            # Only a subject whose person has not arrived yet is looked for by its reference
            # (when the person comes): the rest need not be in this index, which every new
            # subject would otherwise pay to enter.
            models.Index(
                fields=["agency", "ref"],
                name="event_subject_pending_ref_idx",
                condition=models.Q(record__isnull=True),
            ),
            models.Index(fields=["record", "event"], name="event_subject_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} ({self.role})"


class Retraction(models.Model):
    """A withdrawal of a record entered in error; the record stays in the history."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, db_index=False)
    target_kind = models.CharField(max_length=16)
    target_id = models.CharField(max_length=128)
    reason = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField(null=True)
    received_at = models.DateTimeField()
    digest = models.CharField(max_length=64)
    raw = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "target_kind", "target_id", "digest"],
                name="retraction_unique",
            )
        ]

    def __str__(self) -> str:
        return f"retraction of {self.target_kind} {self.target_id}"


class Indicator(models.Model):
    """A finding read from an event's summary (indicators.md), with the words it rests on."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.CharField(max_length=32)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=256)
    negated = models.BooleanField(default=False)
    hypothetical = models.BooleanField(default=False)
    historical = models.BooleanField(default=False)
    uncertain = models.BooleanField(default=False)
    experiencer = models.CharField(max_length=16)
    # The event subject the finding is about, when the text allows one answer.
    subject_ref = models.CharField(max_length=128, blank=True, default="")
    # The context rules that changed the finding: the evidence of why it reads as it does.
    modifiers = models.JSONField(default=list)
    rules_version = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["indicator", "event"], name="indicator_kind_event_idx")]

    def __str__(self) -> str:
        return f"{self.indicator} in {self.event_id}"

    @property
    def present(self) -> bool:
        """A rule counts a finding only when it is neither negated nor hypothetical."""
        return not self.negated and not self.hypothetical

    def as_json(self) -> dict[str, object]:
        from kinsight.text._finding import indicator_json

        return indicator_json(self)


class TextRulesRead(models.Model):
    """The version of the text rules the store's summaries were last read with (one row).

    When the rules change, every summary read with older ones is marked unread once, so that
    finding what to read is always a look at the unread summaries alone.
    """

    rules_version = models.CharField(max_length=64)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"summaries read with {self.rules_version}"
