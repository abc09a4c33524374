"""The sign-in pages after the password: giving a TOTP code, and setting up an authenticator app.

Thin views over `kinsight.access.twofactor` (what a device is and when a code is needed) and
`kinsight.access.actions` (confirming an app is audited).
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from kinsight.access.actions import do_confirm_two_factor
from kinsight.access.models import User
from kinsight.access.twofactor import confirmed_device, pending_device, qr_svg, secret_text


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=12,
        strip=True,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows")
        return code


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return str(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    device = confirmed_device(user)
    if device is None:
        return redirect("two-factor-set-up")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", "The code is not right, or has expired. Try the one shown now")
    status = 400 if form.errors else 200
    return render(
        request, "registration/two_factor.html", {"form": form, "next": _next(request)},
        status=status,
    )  # fmt: skip


@login_required
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if confirmed_device(user) is not None:
        # Changing an app is an administrator's job (it removes the old one): a stolen password
        # must not be enough to swap in the thief's phone.
        return redirect("two-factor")
    device = pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            do_confirm_two_factor(user, device)
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", "The code is not right. Check the app was set up with this secret")
    return render(
        request,
        "registration/two_factor_set_up.html",
        {"form": form, "next": _next(request), "secret": secret_text(device), "qr": qr_svg(device)},
        status=400 if form.errors else 200,
    )


class SignInView(LoginView):
    """Django's sign-in, plus the identity provider's button when one is configured."""

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["oidc_label"] = settings.KINSIGHT_OIDC_LABEL if settings.KINSIGHT_OIDC else ""
        context["oidc_failed"] = self.request.GET.get("oidc") == "failed"
        return context
