"""Across reviews: rules fired and deadlines missed, counted over the store or over packs."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kinsight.feeds.actions import do_ingest_feeds
from kinsight.reviews.across import themes_in_packs, themes_in_store
from kinsight.reviews.actions import do_write_review_pack
from kinsight.reviews.pack import PackRequest
from kinsight.rules.actions import do_acknowledge_alert
from kinsight.rules.models import Alert
from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_children(tmp_path):
    """Two babies, each with a referral nobody decided on; one also has a coded bruise."""
    lines = [*AGENCIES]
    for n in (1, 2):
        lines += [
            person("csc-lancs", f"C-{n}", given_name=f"Baby{n}", birth_date="2019-06-01"),
            event("csc-lancs", f"R-{n}", "referral", "2019-09-02T10:00:00", (f"C-{n}", "child"),
                  summary="Referral."),
        ]  # fmt: skip
    lines.append(
        event("csc-lancs", "I-1", "injury", "2019-09-10T10:00:00", ("C-1", "child"),
              details={"injury": "bruise"})
    )  # fmt: skip
    do_ingest_feeds([write_feed(tmp_path / "f.jsonl", lines)], acting="test")


def test_the_store_counts_rules_fired_and_deadlines_missed_over_every_child(two_children):
    do_acknowledge_alert(Alert.objects.get(rule="non_mobile_infant_injury"), by="sw1")

    summary = themes_in_store(date(2019, 1, 1), date(2019, 12, 31))

    assert summary["children"] == 2
    # The bruise also starts the strategy discussion clock, which nobody answered either.
    assert summary["deadlines_missed"] == {
        "referral_decision_overdue": 2, "strategy_discussion_overdue": 1,
    }  # fmt: skip
    rules = {r["rule"]: (r["alerts"], r["children"]) for r in summary["rules"]}
    in_2019 = Alert.objects.filter(raised_at__year=2019)
    stored = {
        rule: (in_2019.filter(rule=rule).count(),
               in_2019.filter(rule=rule).values("child").distinct().count())
        for rule in in_2019.values_list("rule", flat=True)
    }  # fmt: skip
    assert rules == stored
    assert rules["referral_decision_overdue"] == (2, 2)
    assert summary["never_acted_on"] == in_2019.count() - 1


def test_packs_already_written_are_counted_the_same_way(two_children, tmp_path):
    paths = []
    for n in (1, 2):
        out = tmp_path / f"pack-{n}.json"
        request = PackRequest("csc-lancs", f"C-{n}", date(2019, 1, 1), date(2019, 12, 31), True)
        do_write_review_pack(request, out, acting="rev", reason="test")
        paths.append(out)

    summary = themes_in_packs(paths)

    assert summary["children"] == 2
    assert summary["deadlines_missed"] == {
        "referral_decision_overdue": 2, "strategy_discussion_overdue": 1,
    }  # fmt: skip
    assert json.loads(json.dumps(summary)) == summary


def test_a_file_that_is_not_a_pack_is_refused(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"alerts": []}')
    with pytest.raises(ValueError, match="not a review pack"):
        themes_in_packs([path])
