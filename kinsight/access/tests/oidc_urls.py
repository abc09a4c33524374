"""The URLs with OpenID Connect switched on, as kinsight/urls.py adds them when configured."""

from django.urls import include, path

from kinsight.urls import urlpatterns as kinsight_urls

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *kinsight_urls]
