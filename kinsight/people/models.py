from __future__ import annotations

from django.db import models
from django.db.models import F, Func, Q, TextField

from kinsight.feeds.models import Agency


class PostcodeKey(Func):
    """A postcode without spaces, in capitals: how records at one postcode are found.

    The spaces and quotes are in the SQL itself, not parameters, so that a query by this key
    reads the index made on the same expression.
    """

    template = "UPPER(REPLACE(%(expressions)s, ' ', ''))"
    output_field = TextField()


class Person(models.Model):
    """One real person as Kinsight understands them: the agency records linked into one.

    A link is evidence, not truth: `PersonRecord.link_reason` says why each record is here.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    # A person whose records were all joined into another one. The row is kept, not deleted:
    # alerts point at it, and undoing the join gives the same person back.
    merged_into = models.ForeignKey(
        "self", null=True, on_delete=models.SET_NULL, related_name="merged_from"
    )

    def __str__(self) -> str:
        return self.public_id

    @property
    def public_id(self) -> str:
        return f"p-{self.pk}"


class PersonRecord(models.Model):
    """One agency's record of one person, as its latest version says."""

    # Covered by the unique (agency, record_id) index.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, db_index=False)
    record_id = models.CharField(max_length=128)
    person = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="records")
    link_reason = models.JSONField(default=dict)
    # The `version` the linker last saw: a record updated since then is matched again.
    linked_version = models.PositiveIntegerField(default=0)

    given_name = models.TextField(blank=True, default="")
    family_name = models.TextField(blank=True, default="")
    other_names = models.JSONField(default=list)
    sex = models.CharField(max_length=16, blank=True, default="")
    # Partial dates are kept as sent (YYYY, YYYY-MM or YYYY-MM-DD).
    birth_date = models.CharField(max_length=10, blank=True, default="")
    birth_date_estimated = models.BooleanField(default=False)
    unborn = models.BooleanField(default=False)
    expected_birth_date = models.DateField(null=True)
    nhs_number = models.CharField(max_length=10, blank=True, default="")
    address_text = models.TextField(blank=True, default="")
    postcode = models.TextField(blank=True, default="")

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
            # The rules' household: everyone recorded at a postcode (kinsight.rules.household).
            models.Index(PostcodeKey("postcode"), name="person_record_postcode_idx"),
            # The linker's to-do list: records without a person, or changed since linked.
            models.Index(
                fields=["id"],
                condition=Q(person__isnull=True) | Q(linked_version__lt=F("version")),
                name="person_record_to_link_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code}:{self.record_id}"

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part) or "(no name)"


class Relationship(models.Model):
    """`relative` is the `type` of `person` (the relative is the person's mother, say)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, db_index=False)
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


class LinkDecision(models.Model):
    """A person's decision that two sets of records are, or are not, one person.

    Decisions bind every later linking: a re-link never joins what a person kept apart, and
    never parts what a person joined. `moved` remembers which records changed person and from
    where, so that undoing the decision puts them back exactly.
    """

    class Verdict(models.TextChoices):
        SAME = "same", "Same person"
        NOT_SAME = "not_same", "Not the same person"

    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    left = models.JSONField(default=list)  # PersonRecord ids
    right = models.JSONField(default=list)  # PersonRecord ids
    reason = models.TextField(blank=True, default="")
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField()
    # [[record id, person id before, person id after], ...]
    moved = models.JSONField(default=list)
    undone_at = models.DateTimeField(null=True)
    undone_by = models.CharField(max_length=150, blank=True, default="")
    undo_reason = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["undone_at"], name="link_decision_active_idx")]

    def __str__(self) -> str:
        return f"{self.verdict} {self.left} / {self.right}"


class LinkCandidate(models.Model):
    """A pair of records the model scored in the band below the match threshold.

    It waits for a person to decide; the comparison levels and weights behind its score are in
    `explanation`. A candidate is replaced by the next linking while it is pending, never once
    decided.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "No longer needed"

    record_a = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    explanation = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decision = models.ForeignKey(
        LinkDecision, null=True, on_delete=models.SET_NULL, related_name="candidates"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="link_candidate_pair")
        ]
        indexes = [models.Index(fields=["status"], name="link_candidate_status_idx")]

    def __str__(self) -> str:
        return f"{self.record_a_id}~{self.record_b_id} ({self.status})"


class LinkKey(models.Model):
    """The blocking index: records sharing a key are compared when one of them is new.

    A key is a 64-bit hash of a blocking value (names, birth date and postcode combinations);
    the same keys block the batch `link run`, so both find the same candidate pairs.
    """

    record = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"], name="link_key_idx")]

    def __str__(self) -> str:
        return f"{self.key} -> {self.record_id}"


class LinkTermFrequency(models.Model):
    """How common a value is (a surname, a postcode): agreeing on a rare value counts for more."""

    column = models.CharField(max_length=32)
    value = models.CharField(max_length=256)
    frequency = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["column", "value"], name="link_tf_unique")]

    def __str__(self) -> str:
        return f"{self.column}={self.value}: {self.frequency}"


class LinkModel(models.Model):
    """A linkage model trained on this store by `kinsight link train`; the latest is used."""

    trained_at = models.DateTimeField()
    records = models.PositiveIntegerField()
    model = models.JSONField()

    def __str__(self) -> str:
        return f"model of {self.trained_at:%Y-%m-%d %H:%M} on {self.records} records"
