"""The person page: identity, status, statutory clock, open alerts, family; 404 when forbidden."""

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.chronology.models import Event

pytestmark = pytest.mark.django_db


def page(client, person):
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    return response


def test_it_shows_each_agencys_record_and_why_it_is_linked(cast, signed_in):
    response = page(signed_in("sam"), cast.chloe)
    records = response.context["records"]
    assert [(r.agency.code, r.record_id) for r, _ in records] == [
        ("csc-lancs", "C-10"), ("nhs-east", "H-1"),
    ]  # fmt: skip
    assert all(reason for _, reason in records)


def test_it_lists_open_alerts_urgent_first(cast, signed_in):
    alerts = page(signed_in("sam"), cast.chloe).context["alerts"]
    assert {cast.chloe_alert.pk, cast.chloe_injury_alert.pk} <= {a.pk for a in alerts}
    assert {a.child_id for a in alerts} == {cast.chloe.pk}
    ranks = [0 if a.severity == "urgent" else 1 for a in alerts]
    assert ranks == sorted(ranks)


def test_it_shows_the_family_with_how_each_is_related(cast, signed_in):
    family = page(signed_in("sam"), cast.chloe).context["family"]
    by_name = {m.name: m for m in family}
    assert set(by_name) == {"Kerry Walsh", "Ava Walsh"}
    assert by_name["Kerry Walsh"].relationships == [
        "mother of Ava Walsh (csc-lancs)", "mother of Chloe Walsh (csc-lancs)",
    ]  # fmt: skip


def test_it_shows_the_statutory_clock_of_the_referral(cast, signed_in):
    clock = page(signed_in("sam"), cast.chloe).context["clock"]
    assert [(d.what, d.met) for d in clock] == [("Decision on the referral", False)]
    assert clock[0].due.date().isoformat() == "2018-03-06"


def test_it_shows_open_plans_and_enquiries(cast, signed_in, tmp_path):
    from kinsight.feeds.actions import do_ingest_feeds
    from kinsight.testing import event, write_feed

    lines = [
        event("csc-lancs", "S-1", "strategy_discussion", "2018-03-06T10:00:00",
              ("C-10", "child"), details={"outcome": "section_47"}),
        event("csc-lancs", "P-1", "plan", "2018-04-20T10:00:00", ("C-10", "child"),
              details={"plan": "child_protection", "status": "started"}),
    ]  # fmt: skip
    do_ingest_feeds([write_feed(tmp_path / "more.jsonl", lines)], acting="test")
    response = page(signed_in("sam"), cast.chloe)
    assert [s.what for s in response.context["status"]] == [
        "Section 47 enquiry agreed", "Child protection plan",
    ]  # fmt: skip
    assert "Initial child protection conference" in response.content.decode()


def test_a_person_the_user_may_not_see_is_404_like_a_missing_one(cast, signed_in):
    client = signed_in("nina")
    assert client.get(f"/people/{cast.chloe.pk}/").status_code == 404
    assert client.get("/people/999999/").status_code == 404


def test_the_police_see_the_child_through_the_mothers_record(cast, signed_in):
    page(signed_in("pat"), cast.chloe)


def test_reading_the_page_is_audited(cast, signed_in):
    page(signed_in("sam"), cast.chloe)
    assert AuditEntry.objects.filter(
        actor="sam", action="read_person", object_id=cast.chloe.public_id
    ).exists()


def test_free_text_is_escaped(cast, signed_in):
    Event.objects.filter(event_id="R-1").update(summary="<script>alert(1)</script>")
    html = signed_in("sam").get(f"/people/{cast.chloe.pk}/chronology/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_small_diagram_joins_the_family_as_recorded(cast, signed_in):
    response = page(signed_in("sam"), cast.chloe)
    diagram = response.context["diagram"]
    rows = {n.name: n.y for n in diagram.nodes}
    assert rows["Kerry Walsh"] < rows["Chloe Walsh"] == rows["Ava Walsh"]
    assert len(diagram.lines) == 2
    assert "Family diagram of Chloe Walsh" in response.content.decode()
