"""OpenID Connect sign-in (mozilla-django-oidc) onto users who already exist in Kinsight.

A council's or a trust's identity provider says who someone is; Kinsight decides what they may
see. So a sign-in is matched, by one claim (`KINSIGHT_OIDC_CLAIM`, the email address unless told
otherwise), to exactly one active user made by an administrator with a role; a claim that names
nobody, or more than one user, is refused, and no user is ever created from a sign-in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from kinsight.access.models import User


class ExistingUserOIDCBackend(OIDCAuthenticationBackend):
    def _claim(self, claims: dict[str, Any]) -> str:
        value = claims.get(settings.KINSIGHT_OIDC_CLAIM)
        return value.strip() if isinstance(value, str) else ""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(self._claim(claims))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        value = self._claim(claims)
        if not value:
            return User.objects.none()
        if settings.KINSIGHT_OIDC_USER_FIELD == "email":
            return User.objects.filter(email__iexact=value, is_active=True)
        return User.objects.filter(username=value, is_active=True)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        user_info = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(user_info):
            return None
        users = list(self.filter_users_by_claims(user_info)[:2])
        # Exactly one: never the first of two people sharing an address, never a new account.
        return users[0] if len(users) == 1 else None

    def create_user(self, claims: dict[str, Any]) -> None:
        return None

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        # The role, agency and name are Kinsight's to keep: nothing is copied from the provider.
        return user
