from __future__ import annotations

from django.db import models

from kinsight.feeds.models import Agency


class Person(models.Model):
    """One real person as Kinsight understands them: the agency records linked into one.

    A link is evidence, not truth: `PersonRecord.link_reason` says why each record is here.
    """

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.public_id

    @property
    def public_id(self) -> str:
        return f"p-{self.pk}"


class PersonRecord(models.Model):
    """One agency's record of one person, as its latest version says."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    record_id = models.CharField(max_length=128)
    person = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="records")
    link_reason = models.JSONField(default=dict)

    given_name = models.CharField(max_length=256, blank=True, default="")
    family_name = models.CharField(max_length=256, blank=True, default="")
    other_names = models.JSONField(default=list)
    sex = models.CharField(max_length=16, blank=True, default="")
    # Partial dates are kept as sent (YYYY, YYYY-MM or YYYY-MM-DD).
    birth_date = models.CharField(max_length=10, blank=True, default="")
    birth_date_estimated = models.BooleanField(default=False)
    unborn = models.BooleanField(default=False)
    expected_birth_date = models.DateField(null=True)
    nhs_number = models.CharField(max_length=10, blank=True, default="")
    address_text = models.CharField(max_length=512, blank=True, default="")
    postcode = models.CharField(max_length=16, blank=True, default="")

    # When the record was first known (None: from the start) and when this version was recorded.
    first_recorded_at = models.DateTimeField(null=True)
    recorded_at = models.DateTimeField(null=True)
    received_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    digest = models.CharField(max_length=64)
    raw = models.TextField()
    warnings = models.JSONField(default=list)
    retracted_at = models.DateTimeField(null=True)
    retraction_reason = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "record_id"], name="person_record_unique")
        ]
        indexes = [
            models.Index(fields=["nhs_number"], name="person_record_nhs_idx"),
            models.Index(fields=["family_name"], name="person_record_family_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code}:{self.record_id}"

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part) or "(no name)"


class Relationship(models.Model):
    """`relative` is the `type` of `person` (the relative is the person's mother, say)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    person_ref = models.CharField(max_length=128)
    relative_ref = models.CharField(max_length=128)
    type = models.CharField(max_length=32)
    start = models.DateField(null=True)
    end = models.DateField(null=True)
    person_record = models.ForeignKey(
        PersonRecord, null=True, on_delete=models.SET_NULL, related_name="relationships"
    )
    relative_record = models.ForeignKey(
        PersonRecord, null=True, on_delete=models.SET_NULL, related_name="relative_of"
    )
    recorded_at = models.DateTimeField(null=True)
    first_recorded_at = models.DateTimeField(null=True)
    received_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    digest = models.CharField(max_length=64)
    raw = models.TextField()
    warnings = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "person_ref", "relative_ref", "type"],
                name="relationship_unique",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "person_ref"], name="relationship_person_ref_idx"),
            models.Index(fields=["agency", "relative_ref"], name="relationship_relative_ref_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.relative_ref} is {self.type} of {self.person_ref}"
