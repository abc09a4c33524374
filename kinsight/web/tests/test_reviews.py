"""Your reviews: the open reviews commissioned from the reviewer signed in, and nobody else's."""

from datetime import date

import pytest

from kinsight.access.models import User
from kinsight.reviews.actions import do_close_review, do_commission_review

pytestmark = pytest.mark.django_db


def commission(reviewer, child, title):
    return do_commission_review(
        reviewer=reviewer, child=child, period_from=date(2018, 1, 1),
        period_to=date(2018, 12, 31), title=title, acting="ada",
    )  # fmt: skip


def test_a_reviewer_sees_their_open_reviews_and_not_the_closed_ones(cast, signed_in):
    client = signed_in("rita")
    rita = User.objects.get(username="rita")
    commission(rita, cast.chloe, "CSPR 2024/3: Child C")
    closed = commission(rita, cast.oliver, "CSPR 2023/9")
    do_close_review(closed, acting="ada", reason="published")
    response = client.get("/reviews/")
    assert response.status_code == 200
    titles = [r.title for r in response.context["reviews"]]
    assert "CSPR 2024/3: Child C" in titles
    assert "CSPR 2023/9" not in titles
    assert "1 January 2018 to 31 December 2018" in response.content.decode()


def test_a_reviewer_does_not_see_the_reviews_commissioned_from_another(cast, signed_in):
    client = signed_in("rita")
    other = User.objects.create_user("rex", role="reviewer")
    commission(other, cast.chloe, "Rex's review")
    # The cast's own review of Chloe for rita is closed, so that rita has none open.
    for review in User.objects.get(username="rita").commissioned_reviews.all():
        do_close_review(review, acting="ada", reason="published")
    response = client.get("/reviews/")
    assert response.context["reviews"] == []
    assert "No review is open for you" in response.content.decode()


def test_the_reviews_link_is_in_the_menu_for_reviewers_only(cast, signed_in):
    assert 'href="/reviews/"' in signed_in("rita").get("/").content.decode()
    assert 'href="/reviews/"' not in signed_in("sam").get("/").content.decode()
