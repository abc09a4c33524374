from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, URLResolver, include, path

from kinsight.api.views import api

# One way in: the admin's own sign-in page sends people to Kinsight's (lockout, two-factor).
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("kinsight.web.urls")),
]

if settings.KINSIGHT_OIDC:
    # OpenID Connect sign-in, only when an identity provider is configured (KINSIGHT_OIDC_*).
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
