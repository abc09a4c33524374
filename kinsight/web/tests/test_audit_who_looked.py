"""Who looked at a record: the auditors' search of the audit trail."""

import pytest

from kinsight.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_auditor_sees_who_read_a_child_and_who_was_refused(cast, signed_in):
    signed_in("sam").get(f"/people/{cast.chloe.pk}/")
    signed_in("nina").get(f"/people/{cast.chloe.pk}/")  # a school that does not know her
    page = signed_in("aud").get("/audit/who-looked/", {"record": "csc-lancs:C-10"})
    assert page.status_code == 200
    entries = page.context["entries"]
    assert {(e.actor, bool(e.detail.get("refused"))) for e in entries} >= {
        ("sam", False),
        ("nina", True),
    }
    assert "Refused." in page.content.decode()


def test_a_person_is_found_by_their_kinsight_id_too(cast, signed_in):
    signed_in("sam").get(f"/people/{cast.chloe.pk}/")
    page = signed_in("aud").get("/audit/who-looked/", {"record": cast.chloe.public_id})
    assert page.context["person"] == cast.chloe
    assert any(e.actor == "sam" for e in page.context["entries"])


def test_reads_of_the_child_s_alerts_are_listed(cast, signed_in):
    signed_in("sam").get(f"/alerts/{cast.chloe_injury_alert.pk}/")
    page = signed_in("aud").get("/audit/who-looked/", {"record": cast.chloe.public_id})
    assert any(
        e.object_type == "alert" and e.object_id == str(cast.chloe_injury_alert.pk)
        for e in page.context["entries"]
    )


def test_an_unknown_record_says_so(cast, signed_in):
    page = signed_in("aud").get("/audit/who-looked/", {"record": "csc-lancs:NOPE"})
    assert page.context["person"] is None
    assert "No person holds the record csc-lancs:NOPE" in page.content.decode()


def test_the_search_itself_is_audited(cast, signed_in):
    signed_in("aud").get("/audit/who-looked/", {"record": "csc-lancs:C-10"})
    entry = AuditEntry.objects.filter(actor="aud", action="read_search").get()
    assert entry.object_id == cast.chloe.public_id
    assert entry.detail["audit_search"] is True


@pytest.mark.parametrize("name", ["sam", "rita", "ada", "pat"])
def test_nobody_but_an_auditor_finds_the_page(cast, signed_in, name):
    assert signed_in(name).get("/audit/who-looked/").status_code == 404
