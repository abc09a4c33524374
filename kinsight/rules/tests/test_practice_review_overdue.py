from datetime import datetime

import pytest

from kinsight.lib.moments import UK
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "practice_review_overdue"
CHILD = person("csc-lancs", "C-1", given_name="Harper", birth_date="2019-06-01")
# Commissioned on Wednesday 15 January 2020, 10:00: 4 months later is Friday 15 May, 6 months
# Wednesday 15 July.
COMMISSIONED = event("csc-lancs", "PR-1", "practice_review", "2020-01-15T10:00:00",
                     ("C-1", "child"), details={"status": "commissioned"})  # fmt: skip


def published(occurred_at):
    return event("csc-lancs", "PR-2", "practice_review", occurred_at, ("C-1", "child"),
                 details={"status": "published"})  # fmt: skip


def test_a_review_not_published_within_6_months_is_a_warning(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, COMMISSIONED], RULE)
    assert (alert["raised_at"], alert["severity"]) == ("2020-05-15T10:00:00", "warning")
    assert "Wed 15 Jul 2020 10:00" in alert["explanation"]


def test_at_4_months_it_is_shown_for_information(tmp_path):
    as_of = datetime(2020, 6, 1, tzinfo=UK)
    [alert] = alerts_for(tmp_path, [CHILD, COMMISSIONED], RULE, as_of)
    assert alert["severity"] == "info"


def test_a_review_published_within_4_months_raises_nothing(tmp_path):
    assert alerts_for(tmp_path, [CHILD, COMMISSIONED, published("2020-05-01")], RULE) == []


def test_a_review_published_between_4_and_6_months_stays_information(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, COMMISSIONED, published("2020-06-10")], RULE)
    assert alert["severity"] == "info"


def test_it_is_not_raised_before_4_months(tmp_path):
    before = datetime(2020, 5, 15, 9, 59, tzinfo=UK)
    assert alerts_for(tmp_path, [CHILD, COMMISSIONED], RULE, before) == []
