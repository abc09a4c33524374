from __future__ import annotations

from datetime import date

import pytest

from kinsight.access.actions import do_add_user
from kinsight.audit.models import AuditEntry
from kinsight.people.models import Person
from kinsight.reviews.actions import do_close_review, do_commission_review

pytestmark = pytest.mark.django_db


def _reviewer(name: str = "rev", role: str = "reviewer"):
    return do_add_user(name, role=role, password="a-long-test-password", acting="test")


def test_commissioning_a_review_is_audited_with_the_reviewer_and_the_child() -> None:
    child = Person.objects.create()
    review = do_commission_review(
        reviewer=_reviewer(),
        child=child,
        period_from=date(2024, 1, 1),
        period_to=date(2024, 12, 31),
        acting="admin",
    )
    entry = AuditEntry.objects.filter(action="commission_review").get()
    assert entry.object_id == str(review.pk)
    assert entry.detail["child"] == child.public_id
    assert review.is_open


def test_only_a_reviewer_can_be_commissioned() -> None:
    with pytest.raises(ValueError, match="reviewer role"):
        do_commission_review(
            reviewer=_reviewer("sw", role="social_worker"),
            child=Person.objects.create(),
            period_from=date(2024, 1, 1),
            period_to=date(2024, 2, 1),
            acting="admin",
        )


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="period"):
        do_commission_review(
            reviewer=_reviewer(),
            child=Person.objects.create(),
            period_from=date(2024, 2, 1),
            period_to=date(2024, 1, 1),
            acting="admin",
        )


def test_closing_a_review_keeps_it_and_records_why() -> None:
    review = do_commission_review(
        reviewer=_reviewer(),
        child=Person.objects.create(),
        period_from=date(2024, 1, 1),
        period_to=date(2024, 2, 1),
        acting="admin",
    )
    do_close_review(review, acting="admin", reason="Review published")
    review.refresh_from_db()
    assert not review.is_open
    assert AuditEntry.objects.get(action="close_review").reason == "Review published"
