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
