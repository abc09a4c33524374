"""`kinsight allocate AGENCY:ID --to USER [--team T]` and `kinsight allocations list|end`."""

import pytest

from kinsight.access.models import Allocation, User
from kinsight.cli import main

pytestmark = pytest.mark.django_db


def test_a_child_is_allocated_listed_and_the_allocation_ended(cast, capsys):
    User.objects.create_user("sam", role="social_worker", agency_code="csc-lancs")
    main(["teams", "add", "Burnley CIN", "--agency", "csc-lancs"])
    assert main(["allocate", "csc-lancs:C-10", "--to", "sam", "--team", "Burnley CIN"]) == 0
    allocation = Allocation.objects.get()
    assert (allocation.child, allocation.lead.username, allocation.team.name) == (
        cast.chloe, "sam", "Burnley CIN",
    )  # fmt: skip
    assert main(["allocations", "list", "csc-lancs:C-10"]) == 0
    assert "sam and team Burnley CIN" in capsys.readouterr().out
    assert main(["allocations", "end", "csc-lancs:C-10", "--reason", "Case closed"]) == 0
    allocation.refresh_from_db()
    assert allocation.ended_at is not None
    assert main(["allocations", "end", "csc-lancs:C-10", "--reason", "again"]) == 1


def test_wrong_arguments_are_one_line_errors(cast, capsys):
    User.objects.create_user("rita", role="reviewer")
    assert main(["allocate", "C-10", "--to", "sam"]) == 2
    assert main(["allocate", "csc-lancs:C-10"]) == 2
    assert main(["allocate", "csc-lancs:NOPE", "--to", "rita"]) == 1
    assert main(["allocate", "csc-lancs:C-10", "--to", "nobody"]) == 1
    assert main(["allocate", "csc-lancs:C-10", "--to", "rita"]) == 1
    err = capsys.readouterr().err
    assert "C-10: expected AGENCY:ID" in err
    assert "csc-lancs:NOPE: no such record" in err
    assert "--to: no user 'nobody'" in err
    assert "'rita' (reviewer) is not a practitioner" in err
    assert Allocation.objects.count() == 0
