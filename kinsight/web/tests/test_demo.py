"""`kinsight demo`: on the seed cases, every demo login sees something (docs/access.md)."""

import pytest
from django.test import Client

from kinsight.access.models import Allocation, BreakGlass, User
from kinsight.chronology.queries import find_record
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.reviews.models import CommissionedReview
from kinsight.web.demo import EXAMPLES, add_demo_people

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo(db):
    do_ingest_feeds(sorted(EXAMPLES.glob("*/*.jsonl")), acting="demo")
    add_demo_people(lambda _line: None)


def client_of(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def person_of(ref):
    agency, _, record_id = ref.partition(":")
    return find_record(agency, record_id).person


def test_every_demo_login_sees_something(demo):
    # One test, not several: loading the seed cases is the slow part.
    assert Allocation.objects.filter(ended_at__isnull=True).count() == 3
    assert CommissionedReview.objects.filter(closed_at__isnull=True).count() == 1
    assert BreakGlass.objects.count() == 1
    chloe = person_of("csc-lancs:CS-118209")
    child_a = person_of("kirklees-csc:KC-298871")
    child_b = person_of("kirklees-csc:KC-UB-310447")
    # The social worker sees Chloe by her agency and Child A by the allocation alone, and is
    # told that Child A was opened by break-glass.
    worker = client_of("demo-social-worker")
    assert worker.get(f"/people/{chloe.pk}/").status_code == 200
    page = worker.get(f"/people/{child_a.pk}/")
    assert page.status_code == 200 and "Opened by break-glass" in page.content.decode()
    assert client_of("demo-manager").get(f"/people/{child_a.pk}/").status_code == 200
    for practitioner in ("demo-health", "demo-police", "demo-nursery"):
        assert client_of(practitioner).get(f"/people/{chloe.pk}/").status_code == 200
    reviewer = client_of("demo-reviewer")
    assert reviewer.get(f"/people/{child_b.pk}/").status_code == 200
    assert reviewer.get(f"/people/{chloe.pk}/").status_code == 404
    auditor = client_of("demo-auditor").get("/audit/break-glass/")
    assert auditor.status_code == 200 and "kirklees-csc:KC-298871" in auditor.content.decode()
    admin = client_of("demo-admin")
    assert admin.get(f"/people/{chloe.pk}/").status_code == 404
    assert admin.get("/admin/access/allocation/").status_code == 200
