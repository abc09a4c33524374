"""`kinsight reviews commission AGENCY:ID --reviewer U --from D --to D`, `reviews close`, `list`."""

import pytest

from kinsight.access.checks import visible_among
from kinsight.access.models import User
from kinsight.cli import main
from kinsight.reviews.models import CommissionedReview

pytestmark = pytest.mark.django_db


def test_commissioning_lets_the_reviewer_see_the_child_until_the_review_is_closed(cast, capsys):
    rita = User.objects.create_user("rita", role="reviewer")
    assert visible_among(rita, [cast.chloe.pk]) == set()
    args = ["csc-lancs:C-10", "--reviewer", "rita", "--from", "2018-01-01", "--to", "2018-12-31"]
    assert main(["reviews", "commission", *args, "--title", "CSPR 1"]) == 0
    review = CommissionedReview.objects.get()
    assert (review.child, review.title) == (cast.chloe, "CSPR 1")
    assert visible_among(rita, [cast.chloe.pk, cast.oliver.pk]) == {cast.chloe.pk}
    assert main(["reviews", "list"]) == 0
    assert "rita" in capsys.readouterr().out
    assert main(["reviews", "close", str(review.pk), "--reason", "Published"]) == 0
    assert visible_among(rita, [cast.chloe.pk]) == set()
    assert main(["reviews", "close", str(review.pk), "--reason", "Again"]) == 1


def test_wrong_arguments_are_one_line_errors(cast, capsys):
    User.objects.create_user("sam", role="social_worker", agency_code="csc-lancs")
    base = ["reviews", "commission", "csc-lancs:C-10", "--reviewer"]
    assert main([*base, "sam", "--from", "2018-01-01", "--to", "2018-12-31"]) == 1
    assert main([*base, "sam", "--from", "2018-13-01", "--to", "2018-12-31"]) == 2
    assert main([*base, "sam", "--from", "2018-06-01", "--to", "2018-01-01"]) == 2
    err = capsys.readouterr().err
    assert "does not hold the reviewer role" in err
    assert "--from: '2018-13-01' is not a date" in err
    assert "--to: the period ends before it starts" in err
