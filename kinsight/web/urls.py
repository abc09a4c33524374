from django.contrib.auth import views as auth_views
from django.urls import path

from kinsight.web import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", accounts.SignInView.as_view(), name="sign-in"),
    path("sign-in/two-factor/", accounts.two_factor, name="two-factor"),
    path("sign-in/two-factor/set-up/", accounts.two_factor_set_up, name="two-factor-set-up"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("search/", views.search, name="search"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/chronology/", views.chronology, name="chronology"),
    path("people/<int:person_id>/who-knew-what/", views.who_knew, name="who-knew"),
    path("break-glass/", views.break_glass, name="break-glass"),
    path("audit/break-glass/", views.break_glass_uses, name="break-glass-uses"),
    path("audit/who-looked/", views.audit_who_looked, name="audit-who-looked"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path("alerts/<int:alert_id>/<slug:step>/", views.alert_step, name="alert-step"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/themes/", views.review_themes, name="review-themes"),
    path("reviews/<int:review_id>/", views.review, name="review"),
]
