"""`kinsight teams add NAME --agency CODE`, `teams join TEAM USER [--leave]`, `teams list`."""

import pytest

from kinsight.access.models import Team, User
from kinsight.audit.models import AuditEntry
from kinsight.cli import main

pytestmark = pytest.mark.django_db


def test_a_team_is_added_joined_listed_and_left(capsys):
    User.objects.create_user("sam", role="social_worker", agency_code="csc-lancs")
    assert main(["teams", "add", "Burnley CIN", "--agency", "csc-lancs"]) == 0
    assert main(["teams", "join", "Burnley CIN", "sam"]) == 0
    assert list(Team.objects.get().members.values_list("username", flat=True)) == ["sam"]
    assert main(["teams", "list"]) == 0
    assert "Burnley CIN: sam" in capsys.readouterr().out
    assert main(["teams", "join", "Burnley CIN", "sam", "--leave"]) == 0
    assert Team.objects.get().members.count() == 0
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "add_team", "join_team", "leave_team",
    ]  # fmt: skip


def test_bad_names_are_one_line_errors(capsys):
    assert main(["teams", "add", "X", "--agency", "Not A Code"]) == 2
    assert main(["teams", "join", "Nope", "sam"]) == 1
    assert "team: no team 'Nope'" in capsys.readouterr().err
    main(["teams", "add", "X", "--agency", "csc-lancs"])
    assert main(["teams", "add", "X", "--agency", "csc-lancs"]) == 1
    assert "already exists" in capsys.readouterr().err
