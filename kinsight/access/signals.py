"""Sign-ins, failed sign-ins, lockouts and signing out go into the audit trail."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from kinsight.access.actions import do_record_sign_in
from kinsight.access.ratelimit import client_address
from kinsight.access.twofactor import OIDC_MFA_SESSION_KEY

OIDC_BACKEND = "kinsight.access.oidc.ExistingUserOIDCBackend"


def _where(request: HttpRequest | None) -> dict[str, Any]:
    return {"address": client_address(request)} if request is not None else {}


@receiver(user_logged_in)
def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    backend = getattr(user, "backend", "")
    by_oidc = backend == OIDC_BACKEND
    if by_oidc and settings.KINSIGHT_OIDC_MFA and request is not None:
        request.session[OIDC_MFA_SESSION_KEY] = True
    do_record_sign_in(
        user.get_username(),
        outcome="sign_in",
        detail={**_where(request), "by": "oidc" if by_oidc else "password"},
    )


@receiver(user_login_failed)
def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = credentials.get("username")
    if isinstance(username, str):
        do_record_sign_in(username, outcome="sign_in_failed", detail=_where(request))


@receiver(user_logged_out)
def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        do_record_sign_in(user.get_username(), outcome="sign_out", detail=_where(request))


@receiver(user_locked_out)
def locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    do_record_sign_in(username or "", outcome="locked_out", detail=_where(request))
