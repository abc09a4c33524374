"""`kinsight users add NAME --role ROLE [--agency CODE]`."""

import io

import pytest

from kinsight.access.models import User
from kinsight.audit.models import AuditEntry
from kinsight.cli import main

pytestmark = pytest.mark.django_db


def test_it_creates_a_user_with_the_password_read_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["users", "add", "sam", "--role", "social_worker", "--agency", "csc-lancs"]) == 0
    user = User.objects.get(username="sam")
    assert (user.role, user.agency_code) == ("social_worker", "csc-lancs")
    assert user.check_password("correct horse battery")


def test_it_audits_the_new_user_without_the_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    main(["users", "add", "sam", "--role", "police"])
    entry = AuditEntry.objects.get(action="add_user")
    assert entry.object_id == "sam"
    assert "correct horse" not in str(entry.detail)


def test_an_unknown_role_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["users", "add", "sam", "--role", "wizard"]) == 2
    assert "--role: expected one of" in capsys.readouterr().err


def test_a_short_password_is_refused(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "sam", "--role", "health"]) == 2


def test_a_second_user_of_the_same_name_is_refused(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    main(["users", "add", "sam", "--role", "health"])
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert main(["users", "add", "sam", "--role", "health"]) == 1
    assert "already exists" in capsys.readouterr().err
