from django.contrib.auth import views as auth_views
from django.urls import path

from kinsight.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", auth_views.LoginView.as_view(), name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("search/", views.search, name="search"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/chronology/", views.chronology, name="chronology"),
    path("people/<int:person_id>/who-knew-what/", views.who_knew, name="who-knew"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path("alerts/<int:alert_id>/<slug:step>/", views.alert_step, name="alert-step"),
]
