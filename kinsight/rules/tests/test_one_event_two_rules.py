"""rules.md, "One event, two rules": an allegation that triggers both the general strategy
discussion deadline and the third-party allegation rule raises only the second."""

import pytest

from kinsight.feeds.actions import do_ingest_feeds
from kinsight.rules.engine import replay_alerts
from kinsight.rules.tests.rulecase import NOW
from kinsight.rules.tests.test_third_party_allegation_no_strategy import (
    ALLEGATION,
    linked,
    strategy_discussion,
)
from kinsight.testing import AGENCIES, write_feed

pytestmark = pytest.mark.django_db


def test_an_allegation_late_to_strategy_raises_the_third_party_rule_alone(tmp_path):
    lines = [*AGENCIES, *linked(ALLEGATION, strategy_discussion("2019-11-12T13:00"))]
    do_ingest_feeds([write_feed(tmp_path / "feed.jsonl", lines)], acting="test")

    rules = {a["rule"] for a in replay_alerts(NOW)}

    assert "third_party_allegation_no_strategy" in rules
    assert "strategy_discussion_overdue" not in rules
