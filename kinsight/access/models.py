from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEALTH = "health", "Health practitioner"
    POLICE = "police", "Police officer"
    EDUCATION = "education", "Education or early-years lead"
    REVIEWER = "reviewer", "Reviewer"
    AUDITOR = "auditor", "Auditor"
    ADMIN = "admin", "Administrator"


class User(AbstractUser):
    """A person who signs in. One role each; most belong to one agency."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.SOCIAL_WORKER)
    # The agency's code rather than a foreign key: a user may be created before the agency's
    # first feed line arrives.
    agency_code = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return self.username


class Team(models.Model):
    """A team within one agency (a social work team, a school's safeguarding team).

    A child allocated to a team is visible to every member of it (`checks.visible_among`).
    """

    name = models.CharField(max_length=150, unique=True)
    agency_code = models.CharField(max_length=64)
    members = models.ManyToManyField(User, related_name="teams", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Allocation(models.Model):
    """A child allocated to a lead professional and/or a team, from a moment until ended.

    Held in Kinsight itself, never sent in a feed. A child has at most one allocation open at a
    time: allocating again ends the one before (`actions.do_allocate_child`); ended allocations
    are kept as the history of who held the case.
    """

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="allocations")
    lead = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead__isnull=False) | models.Q(team__isnull=False),
                name="allocation_has_lead_or_team",
            )
        ]
        indexes = [
            models.Index(fields=["lead", "ended_at"], name="allocation_lead_open_idx"),
            models.Index(fields=["team", "ended_at"], name="allocation_team_open_idx"),
            models.Index(fields=["child", "ended_at"], name="allocation_child_open_idx"),
        ]

    def __str__(self) -> str:
        to = " and ".join(str(x) for x in (self.lead, self.team) if x is not None)
        return f"{self.child.public_id} to {to}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class BreakGlass(models.Model):
    """A user's stated urgent need to open one person outside their scope, for a short time.

    Every read under it is marked in the audit trail; auditors see the list of uses, and the
    person's lead professional sees it on the person page.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # The AGENCY:ID the user typed: what they knew when they asked.
    record = models.CharField(max_length=200)
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "expires_at"], name="break_glass_user_live_idx"),
            models.Index(fields=["person", "granted_at"], name="break_glass_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} opened {self.record}"
