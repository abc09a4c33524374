"""Writes about users, teams, allocations and break-glass: each one action that audits itself."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinsight.access.checks import clean_text
from kinsight.access.models import Allocation, BreakGlass, Role, Team, User
from kinsight.audit.models import record_audit
from kinsight.people.models import Person

# The roles that hold cases: a lead professional, and who may break the glass.
PRACTITIONERS = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEALTH, Role.POLICE, Role.EDUCATION}
)


def do_add_user(
    username: str, *, role: str, password: str, agency_code: str = "", acting: str
) -> User:
    """Create a user with one role; the password is hashed, never stored or audited."""
    if role not in Role.values:
        raise ValueError(f"role: expected one of {', '.join(Role.values)}, got {role!r}")
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ValueError(f"user {username!r} already exists")
        user = User(username=username, role=role, agency_code=agency_code)
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.set_password(password)
        user.save()
        record_audit(
            actor=acting,
            action="add_user",
            object_type="user",
            object_id=username,
            detail={"role": role, "agency": agency_code},
        )
    return user


def do_confirm_two_factor(user: User, device: TOTPDevice) -> None:
    """Confirm the authenticator app a user has just proved they hold (a right code)."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        record_audit(
            actor=user.username,
            action="set_up_two_factor",
            object_type="user",
            object_id=user.username,
        )


def do_record_sign_in(username: str, *, outcome: str, detail: dict[str, Any] | None = None) -> None:
    """Audit a sign-in, a failed one, a lockout, or a signing out (never the password)."""
    with transaction.atomic():
        record_audit(
            actor=clean_text(username)[:150] or "(no username)",
            action=outcome,
            object_type="user",
            object_id=clean_text(username)[:150],
            detail=detail or {},
        )


def do_add_team(name: str, *, agency_code: str, acting: str) -> Team:
    """Create a team within one agency."""
    name = name.strip()
    if not name:
        raise ValueError("team: a name is needed")
    if not agency_code:
        raise ValueError("agency: a team belongs to one agency")
    with transaction.atomic():
        if Team.objects.filter(name=name).exists():
            raise ValueError(f"team {name!r} already exists")
        team = Team.objects.create(name=name, agency_code=agency_code)
        record_audit(
            actor=acting, action="add_team", object_type="team", object_id=name,
            detail={"agency": agency_code},
        )  # fmt: skip
    return team


def do_join_team(team: Team, user: User, *, acting: str) -> None:
    """Make a user a member of a team: they see the children allocated to it."""
    if user.agency_code != team.agency_code:
        raise ValueError(
            f"user {user.username!r} belongs to {user.agency_code or 'no agency'}, "
            f"team {team.name!r} to {team.agency_code}"
        )
    with transaction.atomic():
        team.members.add(user)
        record_audit(
            actor=acting, action="join_team", object_type="team", object_id=team.name,
            detail={"user": user.username},
        )  # fmt: skip


def do_leave_team(team: Team, user: User, *, acting: str) -> None:
    """Take a user out of a team: they no longer see its children through it."""
    with transaction.atomic():
        team.members.remove(user)
        record_audit(
            actor=acting, action="leave_team", object_type="team", object_id=team.name,
            detail={"user": user.username},
        )  # fmt: skip


def do_allocate_child(
    child: Person, *, lead: User | None = None, team: Team | None = None, acting: str
) -> Allocation:
    """Allocate a child to a lead professional and/or a team; an allocation open before ends."""
    if lead is None and team is None:
        raise ValueError("allocation: name a lead professional, a team or both")
    if lead is not None and lead.role not in PRACTITIONERS:
        raise ValueError(f"lead: {lead.username!r} ({lead.role}) is not a practitioner")
    now = timezone.now()
    with transaction.atomic():
        for earlier in Allocation.objects.select_for_update().filter(
            child=child, ended_at__isnull=True
        ):
            _end(earlier, now, acting=acting, reason="allocated again")
        allocation = Allocation.objects.create(
            child=child, lead=lead, team=team, started_at=now, allocated_by=acting
        )
        record_audit(
            actor=acting, action="allocate_child", object_type="person",
            object_id=child.public_id,
            detail={"allocation": allocation.pk, "lead": lead.username if lead else None,
                    "team": team.name if team else None},
        )  # fmt: skip
    return allocation


def do_end_allocation(allocation: Allocation, *, acting: str, reason: str) -> None:
    """End an allocation: its lead and team no longer see the child through it. Kept."""
    if not reason.strip():
        raise ValueError("reason: say why the allocation ends")
    if allocation.ended_at is not None:
        raise ValueError("allocation: already ended")
    with transaction.atomic():
        _end(allocation, timezone.now(), acting=acting, reason=reason)


def _end(allocation: Allocation, at: datetime, *, acting: str, reason: str) -> None:
    allocation.ended_at = at
    allocation.save(update_fields=["ended_at"])
    record_audit(
        actor=acting, action="end_allocation", object_type="person",
        object_id=allocation.child.public_id, reason=reason,
        detail={"allocation": allocation.pk},
    )  # fmt: skip


class BreakGlassRefused(ValueError):
    """The break-glass request cannot be granted; the message says why, and it is audited."""


def do_break_glass(
    user: User, agency: str, record_id: str, *, reason: str, minutes: int | None = None
) -> BreakGlass:
    """Grant a practitioner a short look at a person outside their scope, for a stated reason.

    The grant, and a refused request too, is audited as `break_glass`: probing by break-glass is
    as visible as using it. Saying that a record is not held tells a user who gave a reason and
    is audited no more than the agency's own id already told them.
    """
    from kinsight.chronology.queries import find_record

    ref = f"{agency}:{record_id}"[:200]
    reason = reason.strip()
    minutes = settings.KINSIGHT_BREAK_GLASS_MINUTES if minutes is None else minutes
    refusal = ""
    record = find_record(agency, record_id) if agency and record_id else None
    if user.role not in PRACTITIONERS:
        refusal = "break-glass is for practitioners with an urgent need"
    elif not reason:
        refusal = "reason: say why you need to open this record now"
    elif record is None or record.person is None:
        refusal = f"{ref}: no such record"
    if refusal:
        record_audit(
            actor=user.username, action="break_glass", object_type="person_record",
            object_id=ref, reason=reason, detail={"refused": refusal, "role": user.role},
        )  # fmt: skip
        raise BreakGlassRefused(refusal)
    assert record is not None and record.person is not None
    person = record.person
    while person.merged_into is not None:
        person = person.merged_into
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlass.objects.create(
            user=user, person=person, record=ref, reason=reason, granted_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )  # fmt: skip
        record_audit(
            actor=user.username, action="break_glass", object_type="person",
            object_id=person.public_id, reason=reason,
            detail={"grant": grant.pk, "record": ref, "minutes": minutes, "role": user.role,
                    "agency": user.agency_code},
        )  # fmt: skip
    return grant
