"""Themes across reviews: rules fired and deadlines missed over every child, for reviewers and
managers."""

import pytest

from kinsight.access.models import User
from kinsight.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PERIOD_2018 = {
    "since-day": "1", "since-month": "1", "since-year": "2018",
    "until-day": "31", "until-month": "12", "until-year": "2018",
}  # fmt: skip


def test_it_counts_the_rules_that_fired_and_the_deadlines_missed(cast, signed_in):
    response = signed_in("rita").get("/reviews/themes/", PERIOD_2018)
    assert response.status_code == 200
    summary = response.context["summary"]
    rules = {r["rule"]: r for r in summary["rules"]}
    assert rules["referral_decision_overdue"]["deadline"] is True
    assert rules["non_mobile_infant_injury"]["deadline"] is False
    page = response.content.decode()
    assert "Deadline missed" in page
    assert "Chloe" not in page


def test_the_look_is_audited_with_the_period(cast, signed_in):
    signed_in("rita").get("/reviews/themes/", PERIOD_2018)
    entry = AuditEntry.objects.get(action="read_review_themes")
    assert (entry.actor, entry.detail["from"], entry.detail["to"]) == (
        "rita", "2018-01-01", "2018-12-31",
    )  # fmt: skip


def test_a_team_manager_may_count_and_a_social_worker_may_not(cast, signed_in):
    User.objects.create_user("tess", role="team_manager", agency_code="csc-lancs")
    assert signed_in("tess").get("/reviews/themes/", PERIOD_2018).status_code == 200
    assert signed_in("sam").get("/reviews/themes/", PERIOD_2018).status_code == 403


def test_a_period_that_ends_before_it_starts_is_refused_in_plain_words(cast, signed_in):
    period = {**PERIOD_2018, "until-year": "2017"}
    response = signed_in("rita").get("/reviews/themes/", period)
    assert response.context["summary"] is None
    assert "The start of the period must be before its end" in response.content.decode()
