"""Repeated failed sign-ins lock the username out from that address (django-axes)."""

from django.test import Client

from kinsight.audit.models import AuditEntry
from kinsight.web.tests.cast import PASSWORD, make_user


def attempt(password: str, address: str = "10.0.0.1") -> int:
    answer = Client(REMOTE_ADDR=address).post(
        "/sign-in/", {"username": "sam", "password": password}
    )
    return answer.status_code


def test_five_wrong_passwords_lock_the_username_even_against_the_right_one(db, settings):
    make_user("sam")
    assert [attempt("guess") for _ in range(4)] == [200] * 4
    answer = Client(REMOTE_ADDR="10.0.0.1").post("/sign-in/", {"username": "sam", "password": "x"})
    assert answer.status_code == 429
    assert "Sign-in locked" in answer.content.decode()
    assert attempt(PASSWORD) == 429
    assert AuditEntry.objects.filter(action="locked_out", object_id="sam").exists()
    # Every attempt is in the audit trail, the one refused while locked too.
    assert AuditEntry.objects.filter(action="sign_in_failed", object_id="sam").count() == 6


def test_a_stranger_guessing_elsewhere_does_not_lock_the_practitioner_out(db):
    make_user("sam")
    for _ in range(6):
        attempt("guess", address="203.0.113.9")
    assert attempt(PASSWORD, address="10.0.0.1") == 302


def test_a_sign_in_clears_the_count(db):
    make_user("sam")
    for _ in range(4):
        attempt("guess")
    assert attempt(PASSWORD) == 302
    assert [attempt("guess") for _ in range(4)] == [200] * 4


def test_the_lockout_ends_after_the_cool_off(db, settings):
    import time_machine

    make_user("sam")
    with time_machine.travel("2026-01-05 10:00", tick=False):
        for _ in range(5):
            attempt("guess")
        assert attempt(PASSWORD) == 429
    with time_machine.travel("2026-01-05 10:31", tick=False):
        assert attempt(PASSWORD) == 302


def test_signing_in_is_audited_without_the_password(db):
    make_user("sam")
    attempt(PASSWORD)
    entry = AuditEntry.objects.get(action="sign_in", object_id="sam")
    assert entry.detail == {"address": "10.0.0.1", "by": "password"}
    assert PASSWORD not in str(AuditEntry.objects.values_list("detail", flat=True))
