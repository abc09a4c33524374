from __future__ import annotations

from django.db import models


class Sector(models.TextChoices):
    SOCIAL_CARE = "social_care"
    POLICE = "police"
    HEALTH = "health"
    EDUCATION = "education"
    EARLY_YEARS = "early_years"
    PROBATION = "probation"
    SUBSTANCE_MISUSE = "substance_misuse"
    MENTAL_HEALTH = "mental_health"
    HOUSING = "housing"
    OTHER = "other"


class Agency(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.TextField(blank=True, default="")
    sector = models.CharField(max_length=32, choices=Sector.choices, default=Sector.OTHER)
    # False when the agency was only named by other lines and never declared by an agency line.
    declared = models.BooleanField(default=False)
    raw = models.TextField(blank=True, default="")
    digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.code


class FeedFile(models.Model):
    """One ingest of one file: who sent it, its digest and what became of its lines."""

    name = models.TextField()
    digest = models.CharField(max_length=64, db_index=True)
    actor = models.CharField(max_length=150)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    counts = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.name


class QuarantinedLine(models.Model):
    """A rejected line, kept as sent so that nothing an agency sent is lost."""

    file_name = models.TextField()
    file_digest = models.CharField(max_length=64)
    line_no = models.PositiveIntegerField()
    raw = models.TextField()
    error = models.TextField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["file_digest", "line_no"], name="quarantine_one_row_per_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name}:{self.line_no}"


class RecordVersion(models.Model):
    """An earlier version of a person, relationship or event, superseded by a later line.

    The current version lives on the record's own row; this table keeps every version before it,
    so that nothing is overwritten silently and an as-of view can find what applied at a moment.
    """

    kind = models.CharField(max_length=16)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, db_index=False)
    key = models.CharField(max_length=512)
    version = models.PositiveIntegerField()
    recorded_at = models.DateTimeField(null=True)
    received_at = models.DateTimeField()
    superseded_at = models.DateTimeField()
    digest = models.CharField(max_length=64)
    raw = models.TextField()
    data = models.JSONField()
    warnings = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "agency", "key", "version"], name="record_version_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "agency", "key"], name="record_version_key_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} v{self.version}"
