"""Query budgets: a child with 2,000 events costs the same few queries as a child with three."""

import pytest

from kinsight.feeds.actions import do_ingest_feeds
from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EVENTS = 2000
TYPES = ["home_visit", "note", "appointment_missed", "hospital_attendance", "referral",
         "assessment", "plan", "injury"]  # fmt: skip


@pytest.fixture
def busy_child(tmp_path):
    agencies = [a["code"] for a in AGENCIES]
    lines = [
        *AGENCIES,
        person("csc-lancs", "C-1", given_name="Lily", family_name="Ashworth",
               birth_date="2015-01-01", nhs_number="9434765900"),
        person("nhs-east", "H-1", given_name="Lily", family_name="Ashworth",
               birth_date="2015-01-01", nhs_number="9434765900"),
        person("csc-lancs", "C-2", given_name="Dawn", family_name="Ashworth"),
        {"kind": "relationship", "agency": "csc-lancs", "person": "C-1", "relative": "C-2",
         "type": "mother"},
    ]  # fmt: skip
    for i in range(EVENTS):
        agency = agencies[i % 2]
        ref = "C-1" if agency == "csc-lancs" else "H-1"
        kind = TYPES[i % len(TYPES)]
        details = {}
        if kind == "assessment":
            details = {"assessment": "child_and_family", "status": "started"}
        if kind == "plan":
            details = {"plan": "child_in_need", "status": "started"}
        if kind == "injury":
            details = {"injury": "bruise"}
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        year = 2015 + i // (28 * 12)
        lines.append(event(
            agency, f"E-{i}", kind, f"{year}-{month:02d}-{day:02d}T10:00:00", (ref, "child"),
            summary=f"Visit {i}: child seen, bruise on arm noted" if i % 50 == 0 else "",
            shared_with=[agencies[(i + 1) % 2]] if i % 3 == 0 else [],
        ) | {"details": details})  # fmt: skip
    do_ingest_feeds([write_feed(tmp_path / "busy.jsonl", lines)], acting="test")
    from kinsight.people.models import PersonRecord

    return PersonRecord.objects.get(agency__code="csc-lancs", record_id="C-1").person


def fetched(client, url):
    response = client.get(url)
    assert response.status_code == 200


def test_the_person_page_of_a_child_with_2000_events_is_a_bounded_number_of_queries(
    busy_child, signed_in, django_assert_max_num_queries
):
    client = signed_in("sam")
    with django_assert_max_num_queries(30):
        fetched(client, f"/people/{busy_child.pk}/")


def test_the_chronology_of_a_child_with_2000_events_is_a_bounded_number_of_queries(
    busy_child, signed_in, django_assert_max_num_queries
):
    client = signed_in("sam")
    with django_assert_max_num_queries(30):
        fetched(client, f"/people/{busy_child.pk}/chronology/")
    with django_assert_max_num_queries(30):
        fetched(client, f"/people/{busy_child.pk}/chronology/?family=1&format=csv")
    with django_assert_max_num_queries(30):
        fetched(client, f"/people/{busy_child.pk}/who-knew-what/")
