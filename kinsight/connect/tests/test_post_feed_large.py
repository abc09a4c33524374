"""A 100,000-line feed posted over HTTP to a live server ends with the store `kinsight ingest`
of the same file makes; posting it again changes nothing."""

import pytest

from kinsight.connect.tests.scratch import Store, comparable
from kinsight.testing import event, person, write_feed

pytestmark = pytest.mark.slow

AGENCY = {"kind": "agency", "code": "csc-lancs", "name": "Lancashire CSC", "sector": "social_care"}


def feed_of_100k_lines(path):
    """One agency's people, events naming people who arrive later, updates, retractions and
    bad lines: 100,000 lines and a little over."""
    lines = [AGENCY]
    n = 0
    while len(lines) < 100_000:
        ref = f"C-{n}"
        lines.append(event("csc-lancs", f"E-{n}", "home_visit", "2023-01-02T09:00:00",
                           (ref, "child"), summary=f"Visit {n}",
                           details={"child_seen": True}))  # fmt: skip
        lines.append(person("csc-lancs", ref, given_name="Sam", family_name=f"Fam{n % 97}",
                            birth_date=f"20{10 + n % 12}-0{1 + n % 9}-1{n % 9}"))  # fmt: skip
        # Every twentieth child is referred and assessed, so that alerts are raised and compared;
        # a referral for every child would spend the test's time on rules, not on the feed.
        if n % 20 == 0:
            lines.append(event("csc-lancs", f"R-{n}", "referral", "2023-03-06T10:00:00",
                               (ref, "child"), details={"concerns": ["neglect"]}))  # fmt: skip
            lines.append(event("csc-lancs", f"A-{n}", "assessment", "2023-03-06T15:00:00",
                               (ref, "child"), details={"assessment": "child_and_family",
                                                        "status": "started"}))  # fmt: skip
        else:
            lines.append(event("csc-lancs", f"V-{n}", "home_visit", "2023-03-06T10:00:00",
                               (ref, "child"), summary=f"Visit {n}, seen with mum",
                               details={"child_seen": True}))  # fmt: skip
            lines.append(event("csc-lancs", f"N-{n}", "note", "2023-03-06T15:00:00",
                               (ref, "child"), summary="Case note"))  # fmt: skip
        if n % 40 == 0:
            lines.append(event("csc-lancs", f"E-{n}", "home_visit", "2023-01-02T09:00:00",
                               (ref, "child"), summary=f"Visit {n}, corrected",
                               recorded_at="2023-01-04T09:00:00"))  # fmt: skip
        if n % 50 == 0:
            lines.append("{corrupt line")
        if n % 70 == 0:
            target = f"R-{n}" if n % 20 == 0 else f"V-{n}"
            lines.append({"kind": "retraction", "agency": "csc-lancs", "target_kind": "event",
                          "id": target, "reason": "wrong child"})  # fmt: skip
        n += 1
    return write_feed(path, lines)


@pytest.fixture
def stores(tmp_path):
    made = [Store(tmp_path, "cli"), Store(tmp_path, "http")]
    yield made
    for store in made:
        store.drop()


def test_a_feed_posted_over_http_makes_the_store_kinsight_ingest_makes(tmp_path, stores):
    feed = feed_of_100k_lines(tmp_path / "big.jsonl")
    cli, http = stores
    cli.kinsight("ingest", str(feed))
    expected = comparable(cli.fingerprint())
    assert len(expected["events"]) > 70_000

    token = http.token("csc-lancs")
    http.serve()
    receipt = http.post_feed(feed, token)
    assert receipt["lines"] >= 100_000
    assert len(receipt["results"]) == receipt["lines"]
    rejected = [r for r in receipt["results"] if r["outcome"] == "rejected"]
    assert len(rejected) == len(expected["quarantine"])
    assert comparable(http.fingerprint()) == expected
    assert http.alerts() == cli.alerts()

    again = http.post_feed(feed, token)
    assert {r["outcome"] for r in again["results"]} == {"unchanged", "rejected"}
    assert comparable(http.fingerprint()) == expected
