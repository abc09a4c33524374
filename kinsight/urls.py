from django.contrib import admin
from django.urls import include, path

from kinsight.api.views import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("kinsight.web.urls")),
]
