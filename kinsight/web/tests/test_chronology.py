"""The chronology page: every event with its moments, filters, highlighted text, CSV, timeline."""

import csv
import io

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.chronology.models import Event

pytestmark = pytest.mark.django_db


def chronology(client, person, **query):
    response = client.get(f"/people/{person.pk}/chronology/", query)
    assert response.status_code == 200
    return response


def event_ids(response):
    return [e.event_id for e, *_ in response.context["rows"]]


def test_the_childs_chronology_merges_every_agency_in_time_order(cast, signed_in):
    assert event_ids(chronology(signed_in("sam"), cast.chloe)) == ["B-1", "R-1", "I-1"]


def test_the_family_chronology_adds_the_mother_the_half_sister_and_the_police(cast, signed_in):
    response = chronology(signed_in("sam"), cast.chloe, family="1")
    assert event_ids(response) == ["M-1", "B-1", "R-1", "A-1", "INC-1", "I-1"]
    assert AuditEntry.objects.filter(actor="sam", action="read_family_chronology").exists()


def test_late_recording_is_shown(cast, signed_in):
    html = chronology(signed_in("sam"), cast.chloe, family="1").content.decode()
    assert "recorded 19 days later" in html


def test_it_shows_who_each_event_was_shared_with(cast, signed_in):
    rows = {e.event_id: e for e, *_ in chronology(signed_in("sam"), cast.chloe).context["rows"]}
    assert rows["R-1"].shared_with == ["nhs-east"]


def test_indicators_are_highlighted_and_the_rest_escaped(cast, signed_in):
    Event.objects.filter(event_id="I-1").update(
        summary="Bruising to the left cheek of the baby. <b>bold</b>"
    )
    html = chronology(signed_in("sam"), cast.chloe).content.decode()
    assert '<mark class="ks-indicator">Bruising' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_it_filters_by_agency_type_and_period(cast, signed_in):
    client = signed_in("sam")
    assert event_ids(chronology(client, cast.chloe, agency="nhs-east")) == ["B-1", "I-1"]
    assert event_ids(chronology(client, cast.chloe, type="referral")) == ["R-1"]
    period = {"since-day": "3", "since-month": "3", "since-year": "2018",
              "until-day": "1", "until-month": "4", "until-year": "2018"}  # fmt: skip
    assert event_ids(chronology(client, cast.chloe, **period)) == ["R-1"]


def test_a_period_ending_before_it_starts_is_explained(cast, signed_in):
    period = {"since-day": "3", "since-month": "3", "since-year": "2019",
              "until-day": "1", "until-month": "4", "until-year": "2018"}  # fmt: skip
    html = chronology(signed_in("sam"), cast.chloe, **period).content.decode()
    assert "The start of the period must be before its end" in html


def test_the_csv_export_carries_the_filtered_events(cast, signed_in):
    response = signed_in("sam").get(
        f"/people/{cast.chloe.pk}/chronology/", {"family": "1", "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["event_id"] for r in rows] == ["M-1", "B-1", "R-1", "A-1", "INC-1", "I-1"]
    assert rows[3]["recorded_late"] == "recorded 19 days later"
    assert rows[5]["indicators"] == "bruise"


def test_the_csv_export_never_holds_a_formula(cast, signed_in):
    Event.objects.filter(event_id="R-1").update(summary='=HYPERLINK("http://x")')
    response = signed_in("sam").get(f"/people/{cast.chloe.pk}/chronology/", {"format": "csv"})
    assert "'=HYPERLINK" in response.content.decode()


def test_the_timeline_has_a_lane_per_agency_and_flags_for_alerts(cast, signed_in):
    response = chronology(signed_in("sam"), cast.chloe, family="1")
    timeline = response.context["timeline"]
    assert [lane for lane, _ in timeline.lanes] == ["csc-lancs", "lancs-police", "nhs-east"]
    assert len(timeline.marks) == 6
    assert {f.severity for f in timeline.flags} >= {"urgent"}
    assert sum(1 for m in timeline.marks if m.late_x is not None) == 1
    assert 'role="img"' in response.content.decode()


def test_a_forbidden_chronology_is_404(cast, signed_in):
    client = signed_in("nina")
    assert client.get(f"/people/{cast.chloe.pk}/chronology/").status_code == 404
    assert client.get(f"/people/{cast.chloe.pk}/chronology/?format=csv").status_code == 404


def test_an_export_is_audited_as_an_export(cast, signed_in):
    signed_in("sam").get(f"/people/{cast.chloe.pk}/chronology/", {"format": "csv"})
    assert AuditEntry.objects.filter(actor="sam", action="read_export").exists()


def test_plans_and_enquiries_are_bars_on_the_timeline(cast, signed_in, tmp_path):
    from kinsight.feeds.actions import do_ingest_feeds
    from kinsight.testing import event, write_feed

    lines = [
        event("csc-lancs", "P-1", "plan", "2018-03-20T10:00:00", ("C-10", "child"),
              details={"plan": "child_protection", "status": "started"}),
        event("csc-lancs", "P-2", "plan", "2018-04-15T10:00:00", ("C-10", "child"),
              details={"plan": "child_protection", "status": "ended"}),
        event("csc-lancs", "S47", "assessment", "2018-04-01T10:00:00", ("C-10", "child"),
              details={"assessment": "section_47", "status": "started"}),
    ]  # fmt: skip
    do_ingest_feeds([write_feed(tmp_path / "plans.jsonl", lines)], acting="test")
    timeline = chronology(signed_in("sam"), cast.chloe).context["timeline"]
    assert [b.label for b in timeline.bars] == [
        "child protection plan", "section 47 enquiry, open",
    ]  # fmt: skip
    assert all(b.width > 0 for b in timeline.bars)
