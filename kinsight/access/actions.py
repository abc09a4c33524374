"""Writes about users: each goes through one action that audits itself."""

from __future__ import annotations

from django.db import transaction

from kinsight.access.models import Role, User
from kinsight.audit.models import record_audit


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
