"""Rate limits on signing in and on the API, counted in Django's cache per minute.

Sign-in attempts (the password form, the two-factor code, the admin's sign-in) are counted per
client address; API requests per caller: an agency's token, a signed-in user, or else the address.
A caller over the limit is answered 429 with `Retry-After`, and nothing behind it runs. The counts
live in the default cache, which is one per server process: with several worker processes each
keeps its own count (docs/security.md says how to share one).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

WINDOW = 60
SIGN_IN_PATHS = ("/sign-in/", "/admin/login/", "/oidc/")


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind N trusted proxies the Nth from the right of
    X-Forwarded-For (the proxies append; anything further left is what the client claimed)."""
    proxies = settings.KINSIGHT_PROXY_COUNT
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def _api_caller(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("bearer "):
        # A digest, so that no token sits in the cache in the clear.
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "address:" + client_address(request)


def over_limit(scope: str, who: str, limit: int) -> int:
    """Count one request of `who`; answer the seconds to wait if it is over `limit`, else 0."""
    now = int(time.time())
    window = now - now % WINDOW
    key = f"kinsight-rate:{scope}:{who}:{window}"
    cache.add(key, 0, timeout=WINDOW + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=WINDOW + 5)
        count = 1
    return window + WINDOW - now if count > limit else 0


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if request.method == "POST" and path.startswith(SIGN_IN_PATHS):
            limit = settings.KINSIGHT_RATE_SIGN_IN
            wait = limit and over_limit("sign-in", client_address(request), limit)
            if wait:
                page = render_to_string("registration/too_many.html", {"wait": wait}, request)
                return _retry(HttpResponse(page, status=429), wait)
        elif path.startswith("/api/") and path != "/api/health":
            limit = settings.KINSIGHT_RATE_API
            wait = limit and over_limit("api", _api_caller(request), limit)
            if wait:
                answer = JsonResponse({"detail": f"too many requests: wait {wait} seconds"})
                answer.status_code = 429
                return _retry(answer, wait)
        return self.get_response(request)


def _retry(response: HttpResponse, wait: int) -> HttpResponse:
    response["Retry-After"] = str(wait)
    return response
