"""Hostile text through a feed and through the forms is shown escaped and harms nothing.

`<script>`, an event handler in markup, SQL fragments and fields of 100,000 characters arrive as
names, ids and summaries in a feed, and as a search, an action note and a closing reason typed
into the pages. Every page that shows them (person, chronology, family chronology, who knew
what, alerts, the alert, search) shows them as text; the only script on any page is Kinsight's
own, and every table is still there with what it held.
"""

import re

import pytest
from django.db import connection

from kinsight.chronology.models import Event
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.feeds.models import QuarantinedLine
from kinsight.people.models import Person, PersonRecord
from kinsight.rules.models import Alert
from kinsight.testing import event, person, write_feed

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
SQL = "'; DROP TABLE chronology_event; --"
SQL_NAME = "Robert'); DROP TABLE people_person;--"
LONG = 100_000
OWN_SCRIPT = '<script type="module" src="/static/web/kinsight.js"></script>'


def hostile_lines():
    long_summary = f"{SCRIPT} {SQL} " + "x" * LONG
    return [
        person("csc-lancs", "C-99", given_name=SCRIPT, family_name=SQL_NAME,
               birth_date="2019-01-01", address={"text": IMG, "postcode": SQL}),
        {"kind": "relationship", "agency": "csc-lancs", "person": "C-99", "relative": "C-2",
         "type": "mother"},
        event("csc-lancs", "X-1", "note", "2018-04-03T10:00:00", ("C-99", "child"),
              summary=long_summary[:LONG]),
        event("csc-lancs", f"X-2{SCRIPT}", "note", "2018-04-04T10:00:00", ("C-10", "child"),
              summary=f"Seen with bruising {IMG} {SQL}"),
        person("csc-lancs", "C-98", given_name="N" * LONG, family_name="Long",
               birth_date="2017-02-02"),
        event("csc-lancs", "X-3", "note", "2018-04-05T10:00:00", ("C-10", "child"),
              summary="y" * (LONG + 1)),
    ]  # fmt: skip


def assert_harmless(html: str) -> None:
    assert SCRIPT not in html
    assert "<img" not in html
    assert "onerror=" not in html.replace("onerror=&quot;", "")
    # Kinsight's own module is the only script element on any page.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script type="module" src="/static/web/kinsight.js">'
    ]


def table_counts() -> dict[str, int]:
    return {
        "persons": Person.objects.count(),
        "records": PersonRecord.objects.count(),
        "events": Event.objects.count(),
        "alerts": Alert.objects.count(),
    }


@pytest.fixture
def hostile(cast, tmp_path):
    do_ingest_feeds([write_feed(tmp_path / "hostile.jsonl", hostile_lines())], acting="test")
    return PersonRecord.objects.get(agency__code="csc-lancs", record_id="C-99").person


def test_a_hostile_feed_is_taken_as_text_and_what_is_too_long_is_dropped(hostile):
    record = PersonRecord.objects.get(record_id="C-99")
    assert record.given_name == SCRIPT and record.family_name == SQL_NAME
    assert len(PersonRecord.objects.get(record_id="C-98").given_name) == LONG
    assert len(Event.objects.get(event_id="X-1").summary) == LONG
    assert Event.objects.filter(event_id=f"X-2{SCRIPT}").exists()
    # A summary over the limit is an optional field gone bad: the event is taken without it.
    assert Event.objects.get(event_id="X-3").summary == ""
    assert not QuarantinedLine.objects.exists()
    tables = connection.introspection.table_names()
    assert {"chronology_event", "people_person", "people_personrecord"} <= set(tables)


def test_every_page_showing_the_feed_shows_it_escaped(hostile, cast, signed_in):
    sam = signed_in("sam")
    before = table_counts()
    pages = {
        "person": f"/people/{hostile.pk}/",
        "long name": f"/people/{PersonRecord.objects.get(record_id='C-98').person_id}/",
        "childs chronology": f"/people/{hostile.pk}/chronology/",
        "family chronology": f"/people/{cast.chloe.pk}/chronology/?family=1",
        "chloe": f"/people/{cast.chloe.pk}/",
        "who knew": f"/people/{cast.chloe.pk}/who-knew-what/",
        "search": "/search/?name=alert",
        "alerts": "/alerts/",
        "alert": f"/alerts/{cast.chloe_alert.pk}/",
    }
    for name, url in pages.items():
        answer = sam.get(url)
        assert answer.status_code == 200, name
        html = answer.content.decode()
        assert_harmless(html)
        if name in ("person", "childs chronology", "family chronology"):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, name
            assert "Robert&#x27;); DROP TABLE people_person;--" in html, name
        if name in ("childs chronology", "family chronology"):
            assert "&#x27;; DROP TABLE chronology_event; --" in html, name
            assert "x" * 1000 in html, name
        if name == "family chronology":
            assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    csv_export = sam.get(f"/people/{hostile.pk}/chronology/?format=csv")
    assert csv_export["Content-Type"].startswith("text/csv")
    assert table_counts() == before


def test_the_search_box_takes_hostile_and_oversized_text_as_text(hostile, signed_in):
    sam = signed_in("sam")
    before = table_counts()
    for typed in (SCRIPT, SQL, SQL_NAME, "%' OR '1'='1"):
        answer = sam.get("/search/", {"name": typed})
        assert answer.status_code == 200
        html = answer.content.decode()
        assert_harmless(html)
    injected = sam.get("/search/", {"agency_id": "C-99' OR 1=1 --"}).content.decode()
    assert "0 people found" in injected
    found = sam.get("/search/", {"agency_id": "C-99"}).content.decode()
    assert "1 person found" in found and "&lt;script&gt;alert(1)&lt;/script&gt;" in found
    assert_harmless(found)
    oversized = sam.get("/search/", {"name": "n" * LONG})
    assert oversized.status_code == 200
    assert "govuk-error-summary" in oversized.content.decode()
    assert table_counts() == before


def test_an_alert_action_and_closing_reason_are_shown_escaped(hostile, cast, signed_in):
    sam = signed_in("sam")
    before = table_counts()
    url = f"/alerts/{cast.chloe_alert.pk}/"
    too_long = sam.post(url + "close/", {"reason": "r" * LONG})
    assert too_long.status_code == 400
    assert_harmless(too_long.content.decode())
    assert sam.post(url + "action/", {"note": f"{SCRIPT} {SQL}"}).status_code == 302
    assert sam.post(url + "close/", {"reason": f"{IMG} {SQL_NAME}"}).status_code == 302
    for page in (url, "/alerts/?closed=1", f"/people/{cast.chloe.pk}/"):
        html = sam.get(page).content.decode()
        assert_harmless(html)
    html = sam.get(url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#x27;; DROP TABLE chronology_event; --" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; Robert&#x27;); DROP TABLE" in html
    assert table_counts() == before
