"""A small store for one child, and the alerts the rules raise on it."""

from __future__ import annotations

from datetime import datetime

from kinsight.feeds.actions import do_ingest_feeds
from kinsight.lib.moments import UK
from kinsight.rules.engine import replay_alerts
from kinsight.testing import AGENCIES, write_feed

NOW = datetime(2026, 1, 1, tzinfo=UK)


def alerts_for(tmp_path, lines, rule, as_of=NOW):
    do_ingest_feeds([write_feed(tmp_path / "feed.jsonl", [*AGENCIES, *lines])], acting="test")
    return [a for a in replay_alerts(as_of) if a["rule"] == rule]
