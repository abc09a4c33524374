"""What was in place for a baby before birth: the pre-birth referral, assessment and conference.

Shared by `birth_before_pre_birth_plan_complete` and `unsafe_discharge`. A fact is "before the
birth" when it happened before the child's birth date (or while only an expected birth date was
known).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kinsight.lib.moments import UK
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import about_child, assessments, enquiries, follows, known, open_plan


@dataclass
class PreBirth:
    """The pre-birth work known at a moment."""

    referrals: list[Fact]  # referrals about the unborn child not closed since
    assessment_started: Fact | None  # the first `pre_birth` assessment started
    assessment_completed: Fact | None  # its completion, when recorded
    conference: Fact | None  # a `pre_birth` child protection conference
    enquiry: Fact | None  # a section 47 enquiry opened before the birth
    plan: Fact | None  # the start of the child protection plan open at the moment

    @property
    def open(self) -> bool:
        """A pre-birth referral, assessment or plan is open."""
        started = self.assessment_started is not None and self.assessment_completed is None
        return bool(self.referrals) or started or self.plan is not None

    @property
    def anything(self) -> Fact | None:
        """The first record of pre-birth work, for the explanation."""
        candidates = [*self.referrals, self.assessment_started, self.plan, self.conference]
        found = [f for f in candidates if f is not None]
        return min(found, key=lambda f: f.recorded_at) if found else None


def before_birth(child: ChildContext, fact: Fact) -> bool:
    if child.birth_date is None:
        return child.expected_birth_date is not None
    return fact.occurred_at.astimezone(UK).date() < child.birth_date


def pre_birth(child: ChildContext, by: datetime) -> PreBirth:
    facts = known(child.facts, by)
    closures = [f for f in facts if f.type == "case_closed"]
    referrals = [
        f
        for f in facts
        if f.type == "referral" and about_child(f) and before_birth(child, f)
        and not any(follows(c, f) for c in closures)
    ]  # fmt: skip
    started = completed = None
    for assessment in assessments(facts, by, "pre_birth"):
        started = started or assessment.start
        if assessment.end is not None:
            completed = assessment.end
    conference = next(
        (
            f
            for f in facts
            if f.type == "child_protection_conference"
            and f.details.get("conference") == "pre_birth"
        ),
        None,
    )
    enquiry = next((e.start for e in enquiries(facts, by) if before_birth(child, e.start)), None)
    plan = open_plan(facts, by)
    return PreBirth(
        referrals, started, completed, conference, enquiry, plan.start if plan else None
    )
