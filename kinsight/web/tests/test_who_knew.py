"""Who knew what: significant events against agencies, who recorded and who was told."""

import pytest

pytestmark = pytest.mark.django_db


def matrix(client, person, **query):
    response = client.get(f"/people/{person.pk}/who-knew-what/", query)
    assert response.status_code == 200
    return response.context["agencies"], response.context["rows"]


def test_it_says_who_recorded_each_event_and_who_was_told(cast, signed_in):
    agencies, rows = matrix(signed_in("sam"), cast.chloe)
    assert agencies == ["csc-lancs", "lancs-police", "nhs-east"]
    referral = next(r for r in rows if r.event.event_id == "R-1")
    assert [c.kind for c in referral.cells] == ["recorded", "", "told"]


def test_notes_are_left_out_and_the_period_applies(cast, signed_in):
    _, rows = matrix(signed_in("sam"), cast.chloe, **{
        "since-day": "1", "since-month": "4", "since-year": "2018",
        "until-day": "30", "until-month": "4", "until-year": "2018",
    })  # fmt: skip
    assert [r.event.event_id for r in rows] == ["INC-1", "I-1"]


def test_an_information_shared_event_gives_the_moment_of_telling(cast, signed_in, tmp_path):
    from kinsight.feeds.actions import do_ingest_feeds
    from kinsight.testing import event, write_feed

    line = event("nhs-east", "SH-1", "information_shared", "2018-04-11T09:00:00",
                 ("H-1", "child"), details={"to": ["lancs-police"], "about": ["I-1"]})  # fmt: skip
    do_ingest_feeds([write_feed(tmp_path / "shared.jsonl", [line])], acting="test")
    _, rows = matrix(signed_in("sam"), cast.chloe)
    injury = next(r for r in rows if r.event.event_id == "I-1")
    assert [(c.kind, c.when) for c in injury.cells] == [
        ("told", ""), ("told", "2018-04-11T09:00:00"), ("recorded", "2018-04-10T15:00:00"),
    ]  # fmt: skip


def test_it_is_404_for_a_child_the_user_may_not_see(cast, signed_in):
    assert signed_in("olly").get(f"/people/{cast.chloe.pk}/who-knew-what/").status_code == 404
