"""Two-factor sign-in: a TOTP code from an authenticator app after the password (django-otp).

Every role needs it wherever `KINSIGHT_TWO_FACTOR` is on (production); the demo's users skip it.
A user who has signed in with a password but not yet given a code may reach only the sign-in
pages and sign out: every other page sends them to give a code, or to set up their app first;
the API answers 401. An identity provider that asks for its own second factor can be trusted
instead (`KINSIGHT_OIDC_MFA`): its sign-ins are marked two-factor in the session.
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinsight.access.models import User

OIDC_MFA_SESSION_KEY = "kinsight_oidc_mfa"
DEVICE_NAME = "Authenticator app"
# Pages a half-signed-in user may reach: the sign-in pages themselves, signing out, static files.
OPEN_PATHS = ("/sign-in/", "/sign-out/", "/static/", "/oidc/", "/api/health")


def is_two_factor(request: HttpRequest) -> bool:
    """Has this session's user given a second factor (a TOTP code, or a trusted provider's)?"""
    user = request.user
    if getattr(user, "is_verified", None) and user.is_verified():  # type: ignore[union-attr]
        return True
    return bool(request.session.get(OIDC_MFA_SESSION_KEY))


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device a user is setting up: the same secret until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth address as an SVG QR code, drawn here: no script, no style, no request out."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=4)
    # segno writes only numbers and fixed words into the picture; the label is escaped anyway.
    label = escape("QR code of the secret below, for an authenticator app")
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.KINSIGHT_TWO_FACTOR
            and request.user.is_authenticated
            and not request.path.startswith(OPEN_PATHS)
            and not is_two_factor(request)
        ):
            if request.path.startswith("/api/"):
                answer = JsonResponse({"detail": "two-factor sign-in needed"})
                answer.status_code = 401
                return answer
            has_app = confirmed_device(request.user) is not None
            target = reverse("two-factor" if has_app else "two-factor-set-up")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
